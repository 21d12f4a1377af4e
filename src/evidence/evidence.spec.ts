import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { canonicalImage, ImageRefused } from './canonical-image';
import { EvidenceStore } from './evidence-store';
import { exifGps } from './exif-gps';
import { sniffImage } from './image-sniff';
import { jpegWithGps } from '../../test/support/jpeg-with-gps';
import { heicHeader, hugeDimensionsPng, tinyPng, truncatedAlphaPng } from '../../test/support/images';

const refusal = (p: Promise<unknown>) => p.then(() => 'accepted', (e: unknown) => (e instanceof ImageRefused ? e.reason : `threw ${String(e)}`));

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

  it('re-encodes photos as canonical JPEG: orientation applied, metadata stripped, at most 4096 px', async () => {
    const photo = await canonicalImage(jpegWithGps(), 'photo');
    expect(photo.mime).toBe('image/jpeg');
    expect(exifGps(photo.data)).toBeNull();
    expect((await sharp(photo.data).metadata()).exif).toBeUndefined();
    // Exif orientation 6 (rotate 90°): a 40 × 20 image comes out 20 × 40, with no orientation tag left.
    const rotated = await sharp({ create: { width: 40, height: 20, channels: 3, background: '#808080' } }).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const upright = await canonicalImage(rotated, 'photo');
    expect([upright.width, upright.height]).toEqual([20, 40]);
    expect((await sharp(upright.data).metadata()).orientation).toBeUndefined();
    const big = await sharp({ create: { width: 5000, height: 1000, channels: 3, background: '#336699' } }).png().toBuffer();
    expect(await canonicalImage(big, 'photo')).toMatchObject({ width: 4096, height: 819 });
    // The same bytes give the same canonical bytes (so the same photo uploaded twice is stored once).
    expect((await canonicalImage(jpegWithGps(), 'photo')).data.equals(photo.data)).toBe(true);
  });

  it('keeps signatures as PNG with their transparency', async () => {
    const sig = await canonicalImage(tinyPng(40, 16), 'signature');
    expect(sig.mime).toBe('image/png');
    const transparent = await sharp({ create: { width: 30, height: 10, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    expect((await sharp((await canonicalImage(transparent, 'signature')).data).metadata()).hasAlpha).toBe(true);
    expect(await refusal(canonicalImage(jpegWithGps(), 'signature'))).toBe('imageTypeNotAllowed');
  });

  it('refuses what does not decode, by a reason, without throwing anything else', async () => {
    expect(await refusal(canonicalImage(hugeDimensionsPng(), 'photo'))).toBe('imageTooManyPixels');
    expect(await refusal(canonicalImage(truncatedAlphaPng(), 'photo'))).toBe('imageUndecodable');
    expect(await refusal(canonicalImage(truncatedAlphaPng(), 'signature'))).toBe('imageUndecodable');
    expect(await refusal(canonicalImage(heicHeader(), 'photo'))).toBe('imageHeicUnsupported');
    expect(await refusal(canonicalImage(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'photo'))).toBe('imageTypeNotAllowed');
    expect(await refusal(canonicalImage(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 4, 0, 0]), 'photo'))).toBe('imageUndecodable');
  });
});
