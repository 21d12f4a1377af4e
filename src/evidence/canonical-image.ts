import sharp from 'sharp';
import { sniffImage } from './image-sniff';

/** At most 40 megapixels decoded; anything larger (or claiming to be) is refused before a pixel is allocated. */
export const MAX_INPUT_PIXELS = 40e6;
/** Longest side of a stored photo; larger photos are scaled down. */
export const MAX_PHOTO_SIDE = 4096;
export const PHOTO_JPEG_QUALITY = 85;

export type ImageKind = 'photo' | 'signature';
export type ImageRefusal = 'imageTypeNotAllowed' | 'imageUndecodable' | 'imageTooManyPixels' | 'imageHeicUnsupported';

export class ImageRefused extends Error {
  constructor(readonly reason: ImageRefusal) {
    super(reason);
  }
}

export interface CanonicalImage {
  data: Buffer;
  mime: 'image/jpeg' | 'image/png';
  width: number;
  height: number;
}

/**
 * Decodes an uploaded image fully and re-encodes it in the one stored format, so nothing downstream (browsers,
 * PDF renderers) ever sees bytes a client made up:
 * - photos: orientation applied, at most 4096 px on the longest side, transparency flattened onto white,
 *   baseline JPEG q85 with every metadata block stripped (read GPS before calling this);
 * - signatures: PNG, because they are line drawings on a transparent canvas (JPEG would blur the strokes and
 *   lose the transparency the pages draw them on); re-encoded by libvips with metadata stripped, so the stored
 *   PNG is a well-formed one whatever the client sent.
 * Decoding is strict (`failOn: 'error'`: truncated or corrupt data is refused) and limited to 40 MP, and runs
 * on libvips' threads: a bad image rejects the promise, it cannot throw asynchronously.
 */
export async function canonicalImage(input: Buffer, kind: ImageKind): Promise<CanonicalImage> {
  const sniffed = sniffImage(input);
  if (!sniffed) throw new ImageRefused('imageTypeNotAllowed');
  if (kind === 'signature' && sniffed !== 'image/png') throw new ImageRefused('imageTypeNotAllowed');
  try {
    const pipeline = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false }).rotate();
    const out = kind === 'photo'
      ? pipeline
        .resize({ width: MAX_PHOTO_SIDE, height: MAX_PHOTO_SIDE, fit: 'inside', withoutEnlargement: true })
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: PHOTO_JPEG_QUALITY, mozjpeg: false, chromaSubsampling: '4:2:0' })
      // zlib level 6: level 9 cost ≈ 1.4 ms more per signature (3 per submission, on the request path) for a few bytes.
      : pipeline.png({ compressionLevel: 6, adaptiveFiltering: false, palette: false });
    const { data, info } = await out.toBuffer({ resolveWithObject: true });
    return { data, mime: kind === 'photo' ? 'image/jpeg' : 'image/png', width: info.width, height: info.height };
  } catch (err) {
    const text = String((err as Error)?.message ?? err);
    if (/pixel limit/i.test(text)) throw new ImageRefused('imageTooManyPixels');
    // The prebuilt libvips decodes AVIF but not HEVC-coded HEIC (patents): say so instead of "corrupt".
    if (sniffed === 'image/heic') throw new ImageRefused('imageHeicUnsupported');
    throw new ImageRefused('imageUndecodable');
  }
}
