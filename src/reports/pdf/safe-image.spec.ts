import sharp from 'sharp';
import { solidPng } from '../../common/png';
import { hugeDimensionsPng, truncatedAlphaPng } from '../../../test/support/images';
import { pdfSafeImage } from './safe-image';

describe('pdfSafeImage', () => {
  it('gives null, never an exception, for images that crash pdfkit’s PNG decoder', async () => {
    expect(await pdfSafeImage(hugeDimensionsPng(), 'photo')).toBeNull();
    expect(await pdfSafeImage(truncatedAlphaPng(), 'signature')).toBeNull();
    expect(await pdfSafeImage(Buffer.from('not an image'), 'photo')).toBeNull();
    expect(await pdfSafeImage(null, 'signature')).toBeNull();
  });

  it('re-encodes photos as JPEG and signatures as RGB PNG without alpha, which pdfkit embeds without decoding', async () => {
    const rgba = await sharp({ create: { width: 120, height: 40, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } }).png().toBuffer();
    const signature = (await pdfSafeImage(rgba, 'signature'))!;
    const meta = await sharp(signature).metadata();
    expect(meta).toMatchObject({ format: 'png', channels: 3, hasAlpha: false, isPalette: false, isProgressive: false, width: 120, height: 40 });
    const photo = (await pdfSafeImage(solidPng(3000, 2000), 'photo'))!;
    expect(await sharp(photo).metadata()).toMatchObject({ format: 'jpeg', width: 1600, height: 1067 });
  });
});
