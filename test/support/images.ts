import { deflateSync } from 'node:zlib';
import { pngChunk, pngDataUrl, solidPng } from '../../src/common/png';

export const tinyPng = solidPng;
export const signaturePng = (): string => pngDataUrl(solidPng(40, 16, [20, 20, 20]));

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const chunk = pngChunk;

function ihdr(width: number, height: number, colourType: number): Buffer {
  const b = Buffer.alloc(13);
  b.writeUInt32BE(width, 0);
  b.writeUInt32BE(height, 4);
  b[8] = 8; // bit depth
  b[9] = colourType;
  return b;
}

/**
 * ≈ 70 bytes whose header claims 100000 × 100000 RGBA pixels (40 GB decoded). pdfkit's png-js allocates for the
 * claim and throws asynchronously ("Invalid typed array length"), which ended the whole process.
 */
export function hugeDimensionsPng(): Buffer {
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr(100_000, 100_000, 6)), chunk('IDAT', deflateSync(Buffer.alloc(16))), chunk('IEND', Buffer.alloc(0))]);
}

/**
 * A 64 × 64 PNG with transparency (colour type 6) whose compressed data is cut after a third: well-formed chunks
 * (valid CRCs, IEND), so only decoding finds the damage. png-js threw "unexpected end of file" from a zlib callback.
 */
export function truncatedAlphaPng(): Buffer {
  const width = 64;
  const height = 64;
  const rows: Buffer[] = [];
  for (let y = 0; y < height; y++) rows.push(Buffer.from([0]), Buffer.alloc(width * 4, y * 3));
  const data = deflateSync(Buffer.concat(rows));
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr(width, height, 6)), chunk('IDAT', data.subarray(0, Math.floor(data.length / 3))), chunk('IEND', Buffer.alloc(0))]);
}

/** The first bytes of an iPhone HEIC photo (ftyp heic): recognised, but not decodable by the prebuilt libvips. */
export function heicHeader(): Buffer {
  const ftyp = Buffer.alloc(24);
  ftyp.writeUInt32BE(24, 0);
  ftyp.write('ftypheic', 4, 'latin1');
  ftyp.write('mif1heic', 16, 'latin1');
  return Buffer.concat([ftyp, Buffer.alloc(200)]);
}
