/** The segments after SOI of a real 32 × 24 baseline JPEG (a gradient), so the photo decodes as an image. */
const JPEG_BODY = Buffer.from(
  '/9sAQwAKBwcIBwYKCAgICwoKCw4YEA4NDQ4dFRYRGCMfJSQiHyIhJis3LyYpNCkhIjBBMTQ5Oz4+PiUuRElDPEg3PT47/9sAQwEKCwsODQ4cEBAcOygiKDs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7Ozs7/8AAEQgAGAAgAwEiAAIRAQMRAf/EABcAAQEBAQAAAAAAAAAAAAAAAAQAAwX/xAAXEAADAQAAAAAAAAAAAAAAAAAAAgRh/8QAFgEBAQEAAAAAAAAAAAAAAAAABAUG/8QAFxEAAwEAAAAAAAAAAAAAAAAAAAIDAf/aAAwDAQACEQMRAD8A46T4ISfBaT4ISfCM1hMLg0nwQk+C0nwQk+B2qWYXM0nw3SfCIKzaY+D6ISfBCT4RB2bS1B9P/9k=',
  'base64');

/** A decodable JPEG photo with an Exif GPS block (Changzhou: 31°46'48" N, 119°57'0" E), big-endian TIFF. */
export function jpegWithGps(lat = [31, 46, 48], lng = [119, 57, 0]): Buffer {
  const tiff = Buffer.alloc(200);
  tiff.write('MM', 0, 'latin1');
  tiff.writeUInt16BE(42, 2);
  tiff.writeUInt32BE(8, 4); // IFD0 at 8
  tiff.writeUInt16BE(1, 8); // one entry: GPS pointer
  tiff.writeUInt16BE(0x8825, 10); tiff.writeUInt16BE(4, 12); tiff.writeUInt32BE(1, 14); tiff.writeUInt32BE(26, 18);
  tiff.writeUInt32BE(0, 22);
  tiff.writeUInt16BE(4, 26); // GPS IFD: 4 entries
  const entry = (i: number, tag: number, type: number, count: number, value: number | string) => {
    const e = 28 + i * 12;
    tiff.writeUInt16BE(tag, e); tiff.writeUInt16BE(type, e + 2); tiff.writeUInt32BE(count, e + 4);
    if (typeof value === 'string') tiff.write(value, e + 8, 'latin1'); else tiff.writeUInt32BE(value, e + 8);
  };
  entry(0, 0x0001, 2, 2, 'N'); entry(1, 0x0002, 5, 3, 100); entry(2, 0x0003, 2, 2, 'E'); entry(3, 0x0004, 5, 3, 124);
  [...lat, ...lng].forEach((v, i) => { tiff.writeUInt32BE(v, 100 + i * 8); tiff.writeUInt32BE(1, 104 + i * 8); });
  const app1 = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(app1.length + 2, 2);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), header, app1, JPEG_BODY]);
}

