/**
 * Reads the GPS position from a JPEG's Exif block (APP1), if the camera wrote one.
 * A minimal TIFF reader: only the GPS IFD's latitude/longitude and their references.
 */
export function exifGps(jpeg: Buffer): { lat: number; lng: number } | null {
  if (jpeg.length < 4 || jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  let offset = 2;
  while (offset + 4 <= jpeg.length && jpeg[offset] === 0xff) {
    const marker = jpeg[offset + 1];
    const length = jpeg.readUInt16BE(offset + 2);
    if (marker === 0xe1 && jpeg.toString('latin1', offset + 4, offset + 10) === 'Exif\0\0') {
      try {
        return readTiffGps(jpeg.subarray(offset + 10, offset + 2 + length));
      } catch {
        return null;
      }
    }
    if (marker === 0xda) break; // image data starts: no Exif before it
    offset += 2 + length;
  }
  return null;
}

function readTiffGps(tiff: Buffer): { lat: number; lng: number } | null {
  const le = tiff.toString('latin1', 0, 2) === 'II';
  const u16 = (o: number) => (le ? tiff.readUInt16LE(o) : tiff.readUInt16BE(o));
  const u32 = (o: number) => (le ? tiff.readUInt32LE(o) : tiff.readUInt32BE(o));
  const entries = (ifd: number) => {
    const n = u16(ifd);
    return Array.from({ length: n }, (_, i) => {
      const e = ifd + 2 + i * 12;
      return { tag: u16(e), type: u16(e + 2), count: u32(e + 4), valueOffset: e + 8 };
    });
  };
  const gpsPointer = entries(u32(4)).find((e) => e.tag === 0x8825);
  if (!gpsPointer) return null;
  const gps = new Map(entries(u32(gpsPointer.valueOffset)).map((e) => [e.tag, e]));
  const rationals = (tag: number): number[] | null => {
    const e = gps.get(tag);
    if (!e || e.type !== 5 || e.count < 3) return null;
    const at = u32(e.valueOffset);
    return [0, 1, 2].map((i) => u32(at + i * 8) / (u32(at + i * 8 + 4) || 1));
  };
  const ref = (tag: number) => {
    const e = gps.get(tag);
    return e ? String.fromCharCode(tiff[e.valueOffset]) : '';
  };
  const lat = rationals(0x0002);
  const lng = rationals(0x0004);
  if (!lat || !lng) return null;
  const deg = ([d, m, s]: number[]) => d + m / 60 + s / 3600;
  const result = { lat: deg(lat) * (ref(0x0001) === 'S' ? -1 : 1), lng: deg(lng) * (ref(0x0003) === 'W' ? -1 : 1) };
  return Math.abs(result.lat) <= 90 && Math.abs(result.lng) <= 180 ? result : null;
}
