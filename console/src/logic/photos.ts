/**
 * Photos before they leave the browser: the size they are reduced to (longest side at most 2,048 px) and the
 * place a camera wrote into the JPEG's EXIF (APP1) GPS tags, read here so the agent can offer it as the case's
 * coordinates. The reduced photo is a fresh canvas encoding (components/photo-reduce.ts), so no EXIF leaves with it.
 * Pure: bytes in, numbers out.
 */

export const MAX_PHOTO_SIDE = 2048;

/** The size an image is drawn at: the same, or scaled down so its longest side is `max`. */
export function fitWithin(width: number, height: number, max = MAX_PHOTO_SIDE): { width: number; height: number } {
  const longest = Math.max(width, height);
  if (longest <= max) return { width, height };
  const scale = max / longest;
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

const GPS_IFD_POINTER = 0x8825;
const GPS_LATITUDE_REF = 1;
const GPS_LATITUDE = 2;
const GPS_LONGITUDE_REF = 3;
const GPS_LONGITUDE = 4;
const RATIONAL = 5;

/** The GPS position in a JPEG's EXIF, or undefined when it has none (or the tags are not what EXIF says they are). */
export function exifGps(bytes: ArrayBuffer | Uint8Array): { lat: number; lng: number } | undefined {
  const data = bytes instanceof Uint8Array ? new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new DataView(bytes);
  try {
    const tiff = exifTiffStart(data);
    if (tiff === undefined) return undefined;
    const order = data.getUint16(tiff);
    const little = order === 0x4949;
    if (!little && order !== 0x4d4d) return undefined;
    const u16 = (at: number) => data.getUint16(at, little);
    const u32 = (at: number) => data.getUint32(at, little);
    if (u16(tiff + 2) !== 42) return undefined;

    const entries = (ifd: number) => {
      const count = u16(ifd);
      const out = new Map<number, { type: number; count: number; at: number }>();
      for (let i = 0; i < count; i++) {
        const e = ifd + 2 + i * 12;
        out.set(u16(e), { type: u16(e + 2), count: u32(e + 4), at: e + 8 });
      }
      return out;
    };
    const gpsPointer = entries(tiff + u32(tiff + 4)).get(GPS_IFD_POINTER);
    if (!gpsPointer) return undefined;
    const gps = entries(tiff + u32(gpsPointer.at));
    const ref = (tag: number) => {
      const e = gps.get(tag);
      return e ? String.fromCharCode(data.getUint8(e.at)) : undefined;
    };
    const degrees = (tag: number) => {
      const e = gps.get(tag);
      if (!e || e.type !== RATIONAL || e.count !== 3) return undefined;
      const values = tiff + u32(e.at);
      const part = (i: number) => {
        const den = u32(values + i * 8 + 4);
        return den === 0 ? NaN : u32(values + i * 8) / den;
      };
      const d = part(0) + part(1) / 60 + part(2) / 3600;
      return Number.isFinite(d) ? d : undefined;
    };
    const lat = degrees(GPS_LATITUDE);
    const lng = degrees(GPS_LONGITUDE);
    if (lat === undefined || lng === undefined || lat > 90 || lng > 180) return undefined;
    return { lat: ref(GPS_LATITUDE_REF) === 'S' ? -lat : lat, lng: ref(GPS_LONGITUDE_REF) === 'W' ? -lng : lng };
  } catch {
    // A truncated or malformed segment reads past the end: no position, as for a photo without one.
    return undefined;
  }
}

/** Where the TIFF header of the first `Exif` APP1 segment starts, walking the markers up to the image data. */
function exifTiffStart(data: DataView): number | undefined {
  if (data.getUint16(0) !== 0xffd8) return undefined;
  let at = 2;
  while (at + 4 <= data.byteLength) {
    if (data.getUint8(at) !== 0xff) return undefined;
    const marker = data.getUint8(at + 1);
    if (marker === 0xda || marker === 0xd9) return undefined; // start of scan / end of image: no EXIF before it
    const length = data.getUint16(at + 2);
    const isExif = marker === 0xe1 && data.getUint32(at + 4) === 0x45786966 && data.getUint16(at + 8) === 0; // "Exif\0\0"
    if (isExif) return at + 10;
    at += 2 + length;
  }
  return undefined;
}

/** Which files the console uploads, by the type the browser reports; the API checks the bytes again. */
export function uploadKind(file: { type: string; name: string }): 'photo' | 'pdf' | 'heic' | 'other' {
  const type = file.type.toLowerCase();
  if (type === 'application/pdf') return 'pdf';
  if (type === 'image/heic' || type === 'image/heif' || /\.hei[cf]$/i.test(file.name)) return 'heic';
  if (type.startsWith('image/')) return 'photo';
  return 'other';
}
