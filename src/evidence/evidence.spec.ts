import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EvidenceStore } from './evidence-store';
import { exifGps } from './exif-gps';
import { sniffImage } from './image-sniff';
import { jpegWithGps } from '../../test/support/jpeg-with-gps';

describe('evidence files', () => {
  it('recognises images by magic bytes only', () => {
    expect(sniffImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('image/jpeg');
    expect(sniffImage(Buffer.from('89504e470d0a1a0a0000', 'hex'))).toBe('image/png');
    expect(sniffImage(Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(sniffImage(Buffer.from('\0\0\0\x18ftypheic\0\0\0\0', 'latin1'))).toBe('image/heic');
    expect(sniffImage(Buffer.from('%PDF-1.7'))).toBeNull();
    expect(sniffImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });

  it('reads GPS from Exif', () => {
    const gps = exifGps(jpegWithGps())!;
    expect(gps.lat).toBeCloseTo(31.78, 2);
    expect(gps.lng).toBeCloseTo(119.95, 2);
    expect(exifGps(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0, 2]))).toBeNull();
  });

  it('stores by content hash, once', async () => {
    const store = new EvidenceStore(fs.mkdtempSync(path.join(os.tmpdir(), 'yian-ev-')));
    const data = Buffer.from('photo bytes');
    const sha = await store.put(data);
    expect(sha).toBe(EvidenceStore.sha256(data));
    expect(await store.put(data)).toBe(sha);
    expect((await store.read(sha)).equals(data)).toBe(true);
    expect(store.pathOf(sha)).toContain(`${sha.slice(0, 2)}${path.sep}${sha.slice(2, 4)}${path.sep}${sha}`);
  });
});
