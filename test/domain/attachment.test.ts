import { describe, expect, it } from 'vitest';
import { ATTACHMENT_MAX_BYTES, checkUploadedObject, checkUploadRequest, sniffType } from '../../functions/domain/attachment';

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1]);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const PDF = new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n');
const HEIC = Uint8Array.from([0, 0, 0, 0x18, ...new TextEncoder().encode('ftypheic'), 0, 0, 0, 0]);
const EXE = new TextEncoder().encode('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00');

describe('attachment rules', () => {
  it('knows JPEG, PNG and PDF by their first bytes, and HEIC to name it', () => {
    expect(sniffType(JPEG)).toBe('image/jpeg');
    expect(sniffType(PNG)).toBe('image/png');
    expect(sniffType(PDF)).toBe('application/pdf');
    expect(sniffType(HEIC)).toBe('image/heic');
    expect(sniffType(EXE)).toBeUndefined();
    expect(sniffType(new Uint8Array())).toBeUndefined();
  });

  it('signs an upload only for an allowed type of 1 byte to 10 MB, and says why not', () => {
    expect(checkUploadRequest({ contentType: 'image/jpeg', size: 5_000_000 })).toEqual([]);
    expect(checkUploadRequest({ contentType: 'application/pdf', size: ATTACHMENT_MAX_BYTES })).toEqual([]);
    expect(checkUploadRequest({ contentType: 'image/jpeg', size: ATTACHMENT_MAX_BYTES + 1 })).toEqual([{ path: 'size', message: 'must be at most 10485760 bytes (10 MB)' }]);
    expect(checkUploadRequest({ contentType: 'image/jpeg', size: 0 })[0]?.path).toBe('size');
    expect(checkUploadRequest({ contentType: 'text/html', size: 10 })).toEqual([{ path: 'contentType', message: 'must be one of image/jpeg, image/png, application/pdf' }]);
    expect(checkUploadRequest({ contentType: 'image/heic', size: 10 })[0]?.message).toMatch(/HEIC photos are not accepted: convert to JPEG/);
  });

  it('records an uploaded object only when it exists, fits the limit and its bytes are the declared type', () => {
    expect(checkUploadedObject('image/jpeg', { size: 5_000_000, head: JPEG })).toBeUndefined();
    expect(checkUploadedObject('image/jpeg', undefined)).toEqual({ path: 'key', message: 'no uploaded file under this key: the upload was never completed or has expired' });
    expect(checkUploadedObject('image/jpeg', { size: 0, head: new Uint8Array() })?.message).toBe('the uploaded file is empty');
    expect(checkUploadedObject('image/jpeg', { size: ATTACHMENT_MAX_BYTES + 1, head: JPEG })?.message).toMatch(/larger than 10485760 bytes/);
    expect(checkUploadedObject('image/jpeg', { size: 100, head: PNG })?.message).toBe("the file's bytes are not a image/jpeg (they are image/png)");
    // A program renamed photo.jpg is still a program.
    expect(checkUploadedObject('image/jpeg', { size: 100, head: EXE })?.message).toBe("the file's bytes are not a image/jpeg");
  });
});
