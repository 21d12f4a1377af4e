import sharp from 'sharp';

/** The same 40 MP decoding limit as at upload. */
const MAX_INPUT_PIXELS = 40e6;

/**
 * An image made safe for pdfkit, or null when it cannot be decoded.
 *
 * pdfkit decodes PNG pixels with png-js, which throws from inside a zlib callback on corrupt data: no
 * try/catch around `doc.image()` can catch that, and it ends the process. Files stored by earlier releases were
 * never re-encoded, so every image is decoded here by libvips (strict, size-limited, failures reject the promise)
 * and re-encoded in a form pdfkit embeds without decoding pixels at all:
 * - photos: baseline JPEG, at most 1600 px on the longest side (enough for a 4 cm print box);
 * - signatures: flattened onto white and written as an RGB PNG with no alpha channel and no palette, which
 *   pdfkit copies as-is (only PNGs with transparency go through png-js' decoder).
 */
export async function pdfSafeImage(data: Buffer | null | undefined, kind: 'photo' | 'signature'): Promise<Buffer | null> {
  if (!data?.length) return null;
  try {
    const pipeline = sharp(data, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false }).rotate()
      .resize({ width: kind === 'photo' ? 1600 : 800, height: kind === 'photo' ? 1600 : 400, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb');
    return await (kind === 'photo' ? pipeline.jpeg({ quality: 80 }) : pipeline.png({ palette: false })).toBuffer();
  } catch {
    return null;
  }
}
