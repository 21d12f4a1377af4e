import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AppError } from '../common/app-error';

/** Where a rendered document is kept: `DATA_DIR/reports/<name>.pdf`. */
export function storedPdfPath(dataDir: string, name: string): string {
  return path.join(dataDir, 'reports', `${name}.pdf`);
}

/** Writes a rendered PDF in one step (a temporary file renamed into place) and returns its SHA-256 (hex). */
export async function storePdf(file: string, pdf: Buffer): Promise<string> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(`${file}.tmp`, pdf);
  await fs.promises.rename(`${file}.tmp`, file);
  return createHash('sha256').update(pdf).digest('hex');
}

/**
 * The absolute path of a document that has been rendered; a failed render (marked and queued again by the jobs
 * module, DocumentRendersService) or one still pending is a conflict.
 */
export function renderedPdf(status: string | null, file: string, notReady: string): string {
  if (status === 'failed') throw AppError.conflict('document.render_failed');
  if (status !== 'rendered') throw AppError.conflict(notReady);
  return path.resolve(file);
}
