/**
 * The verification QR code of a notice (扫码核验): the same matrix on the pages (SVG markup) and in the PDF (vector
 * squares), made by the `qrcode` library from the full public address. Error correction M: a printed, possibly
 * stamped page still scans.
 */
import type * as QRCodeModule from 'qrcode';

let qrcode: typeof QRCodeModule | undefined;
/** Loaded on first use (as pdfkit and exceljs are): a process that never shows a notice does not carry it. */
function QRCode(): typeof QRCodeModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (qrcode ??= require('qrcode') as typeof QRCodeModule);
}

export const QR_ERROR_CORRECTION = 'M' as const;

/** The modules of the code: `size` × `size`, `dark[y * size + x]`. */
export interface QrMatrix {
  size: number;
  dark: boolean[];
}

export function qrMatrix(text: string): QrMatrix {
  const { modules } = QRCode().create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION });
  return { size: modules.size, dark: Array.from(modules.data, (v) => v === 1 || (v as unknown) === true) };
}

/** SVG markup (trusted: made by the library from a URL, no user markup), with a title for screen readers. */
export async function qrSvg(text: string, label: string): Promise<string> {
  const svg = await QRCode().toString(text, { type: 'svg', errorCorrectionLevel: QR_ERROR_CORRECTION, margin: 2 });
  const safe = label.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return svg.replace(/^<svg /, `<svg class="qr" role="img" aria-label="${safe}" `);
}
