import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Names under which every document registers the CJK fonts. */
export const FONT_REGULAR = 'cjk';
export const FONT_BOLD = 'cjk-bold';

export interface CjkFonts {
  regular: Buffer;
  bold: Buffer;
}

let cache: CjkFonts | undefined;

/**
 * Noto Sans SC as TrueType, read once per process (≈ 10 MB each; pdfkit embeds only the used glyphs).
 * The TTF matters: the WOFF2 build of the same font renders blank pages without any error.
 * Resolved through the package so it works from src/ (ts-jest) and dist/ alike.
 */
export function cjkFonts(): CjkFonts {
  if (!cache) {
    const root = dirname(require.resolve('@expo-google-fonts/noto-sans-sc/package.json'));
    cache = {
      regular: readFileSync(join(root, '400Regular', 'NotoSansSC_400Regular.ttf')),
      bold: readFileSync(join(root, '700Bold', 'NotoSansSC_700Bold.ttf')),
    };
  }
  return cache;
}
