// @ts-check
/*
 * The camera's own position in a JPEG's Exif block (APP1), read on the device before the photo is downscaled
 * (re-encoding through a canvas drops Exif). The same minimal TIFF reader as the server's evidence/exif-gps.ts.
 */

/**
 * @param {ArrayBuffer} buf the first bytes of the file (Exif sits before the image data)
 * @returns {{ lat: number, lng: number } | null}
 */
export function exifGps(buf) {
  const v = new DataView(buf);
  if (v.byteLength < 4 || v.getUint8(0) !== 0xff || v.getUint8(1) !== 0xd8) return null;
  let offset = 2;
  try {
    while (offset + 4 <= v.byteLength && v.getUint8(offset) === 0xff) {
      const marker = v.getUint8(offset + 1);
      const length = v.getUint16(offset + 2);
      if (marker === 0xe1 && v.getUint32(offset + 4) === 0x45786966 && v.getUint16(offset + 8) === 0) {
        return readTiffGps(new DataView(buf, offset + 10, Math.min(length - 8, v.byteLength - offset - 10)));
      }
      if (marker === 0xda) break;
      offset += 2 + length;
    }
  } catch (e) { return null; }
  return null;
}

/** @param {DataView} t */
function readTiffGps(t) {
  const le = t.getUint16(0) === 0x4949;
  /** @param {number} o */
  const u16 = (o) => t.getUint16(o, le);
  /** @param {number} o */
  const u32 = (o) => t.getUint32(o, le);
  /** @param {number} ifd */
  const entries = (ifd) => {
    const n = u16(ifd);
    const out = [];
    for (let i = 0; i < n; i++) { const e = ifd + 2 + i * 12; out.push({ tag: u16(e), type: u16(e + 2), count: u32(e + 4), at: e + 8 }); }
    return out;
  };
  const ptr = entries(u32(4)).filter((e) => e.tag === 0x8825)[0];
  if (!ptr) return null;
  /** @type {Record<number, { tag: number, type: number, count: number, at: number }>} */
  const gps = {};
  entries(u32(ptr.at)).forEach((e) => { gps[e.tag] = e; });
  /** @param {number} tag */
  const rationals = (tag) => {
    const e = gps[tag];
    if (!e || e.type !== 5 || e.count < 3) return null;
    const at = u32(e.at);
    return [0, 1, 2].map((i) => u32(at + i * 8) / (u32(at + i * 8 + 4) || 1));
  };
  /** @param {number} tag */
  const ref = (tag) => (gps[tag] ? String.fromCharCode(t.getUint8(gps[tag].at)) : '');
  const lat = rationals(2);
  const lng = rationals(4);
  if (!lat || !lng) return null;
  /** @param {number[]} d */
  const deg = (d) => d[0] + d[1] / 60 + d[2] / 3600;
  const r = { lat: deg(lat) * (ref(1) === 'S' ? -1 : 1), lng: deg(lng) * (ref(3) === 'W' ? -1 : 1) };
  return Math.abs(r.lat) <= 90 && Math.abs(r.lng) <= 180 ? r : null;
}
