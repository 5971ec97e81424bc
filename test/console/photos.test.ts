import { describe, expect, it } from 'vitest';
import { exifGps, fitWithin, uploadKind } from '../../console/src/logic/photos';
import { withExifGps } from '../support/exif';

/** The smallest JPEG-shaped bytes: SOI, a comment segment, SOS, EOI. */
const BARE_JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xfe, 0, 4, 0x68, 0x69, 0xff, 0xda, 0, 2, 0xff, 0xd9]);

describe('photos before upload', () => {
  it('reads the GPS position a camera wrote into the EXIF, north-east and south-west', () => {
    const ne = exifGps(withExifGps(BARE_JPEG, 24.9937, 121.3009));
    expect(ne?.lat).toBeCloseTo(24.9937, 5);
    expect(ne?.lng).toBeCloseTo(121.3009, 5);

    const sw = exifGps(withExifGps(BARE_JPEG, -33.8568, -151.2153));
    expect(sw?.lat).toBeCloseTo(-33.8568, 5);
    expect(sw?.lng).toBeCloseTo(-151.2153, 5);
  });

  it('finds no position in a JPEG without EXIF, a truncated one, or bytes that are not a JPEG', () => {
    expect(exifGps(BARE_JPEG)).toBeUndefined();
    const full = withExifGps(BARE_JPEG, 24.9937, 121.3009);
    expect(exifGps(full.subarray(0, 60))).toBeUndefined();
    expect(exifGps(new TextEncoder().encode('%PDF-1.7'))).toBeUndefined();
  });

  it('reduces only photos whose longest side is over 2,048 px, keeping the proportions', () => {
    expect(fitWithin(4032, 3024)).toEqual({ width: 2048, height: 1536 });
    expect(fitWithin(3024, 4032)).toEqual({ width: 1536, height: 2048 });
    expect(fitWithin(1600, 1200)).toEqual({ width: 1600, height: 1200 });
  });

  it('tells photos, PDFs and HEIC apart by the type the browser reports (HEIC also by its name)', () => {
    expect(uploadKind({ type: 'image/jpeg', name: 'a.jpg' })).toBe('photo');
    expect(uploadKind({ type: 'application/pdf', name: 'a.pdf' })).toBe('pdf');
    expect(uploadKind({ type: '', name: 'IMG_0001.HEIC' })).toBe('heic');
    expect(uploadKind({ type: 'text/plain', name: 'a.txt' })).toBe('other');
  });
});
