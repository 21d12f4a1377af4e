import { jpegWithGps } from '../../../../test/support/jpeg-with-gps';
import { exifGps } from './exif.js';

describe('the camera position read on the device (exif.js)', () => {
  it('reads the GPS position the server reads, before downscaling drops it', () => {
    const jpeg = jpegWithGps();
    const buf = jpeg.buffer.slice(jpeg.byteOffset, jpeg.byteOffset + jpeg.byteLength) as ArrayBuffer;
    const gps = exifGps(buf)!;
    expect(gps.lat).toBeCloseTo(31.78, 5);
    expect(gps.lng).toBeCloseTo(119.95, 5);
    expect(exifGps(new Uint8Array([0x89, 0x50, 0x4e, 0x47]).buffer)).toBeNull();
  });
});
