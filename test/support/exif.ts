/**
 * A JPEG with a GPS position in its EXIF, as a phone camera writes one: an APP1 `Exif` segment (little-endian TIFF,
 * IFD0 with the GPS IFD pointer, the GPS IFD with N/E references and degree/minute/second rationals) inserted after
 * the start-of-image marker of any JPEG. For the console's photo tests and the browser stories.
 */
export function withExifGps(jpeg: Uint8Array, lat: number, lng: number): Uint8Array {
  const tiff: number[] = [];
  const u16 = (v: number) => tiff.push(v & 0xff, (v >> 8) & 0xff);
  const u32 = (v: number) => tiff.push(v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, (v >>> 24) & 0xff);
  const dms = (deg: number) => {
    const d = Math.floor(Math.abs(deg));
    const mFull = (Math.abs(deg) - d) * 60;
    const m = Math.floor(mFull);
    const s = Math.round((mFull - m) * 60 * 10000);
    return [d, 1, m, 1, s, 10000];
  };
  // TIFF header: II, 42, IFD0 at 8.
  tiff.push(0x49, 0x49);
  u16(42);
  u32(8);
  // IFD0 (at 8): one entry, the GPS IFD pointer -> 26.
  u16(1);
  u16(0x8825);
  u16(4);
  u32(1);
  u32(26);
  u32(0);
  // GPS IFD (at 26): four entries, values after it (26 + 2 + 4*12 + 4 = 80).
  u16(4);
  u16(1);
  u16(2);
  u32(2);
  tiff.push(lat < 0 ? 0x53 : 0x4e, 0, 0, 0);
  u16(2);
  u16(5);
  u32(3);
  u32(80);
  u16(3);
  u16(2);
  u32(2);
  tiff.push(lng < 0 ? 0x57 : 0x45, 0, 0, 0);
  u16(4);
  u16(5);
  u32(3);
  u32(104);
  u32(0);
  for (const v of [...dms(lat), ...dms(lng)]) u32(v);
  const payload = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  const length = payload.length + 2;
  const app1 = [0xff, 0xe1, (length >> 8) & 0xff, length & 0xff, ...payload];
  const out = new Uint8Array(jpeg.length + app1.length);
  out.set(jpeg.subarray(0, 2));
  out.set(app1, 2);
  out.set(jpeg.subarray(2), 2 + app1.length);
  return out;
}
