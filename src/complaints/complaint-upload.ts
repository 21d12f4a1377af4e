import busboy from 'busboy';
import type { Request } from 'express';
import { AppError, FieldIssue } from '../common/app-error';

export interface ComplaintUploadLimits {
  maxPhotos: number;
  maxPhotoBytes: number;
  /** characters of the longest text field (the description) */
  maxTextChars: number;
}

export interface ReceivedComplaint {
  fields: Record<string, string>;
  photos: { data: Buffer; originalName: string | null }[];
  /** size refusals found while reading (too many photos, a photo too large), each naming the field */
  issues: FieldIssue[];
}

const TEXT_FIELDS = 10;

/**
 * Reads the public complaint form (multipart/form-data: text fields and up to `maxPhotos` photos in `photos`).
 * Photos are held in memory, each cut off at `maxPhotoBytes` + 1 (so a larger one is recognised, never kept whole),
 * and nothing is written to disk here: the service writes re-encoded photos only once every check has passed.
 * Empty file inputs (a browser sends one when no photo was chosen) are skipped.
 */
export function receiveComplaint(req: Request, limits: ComplaintUploadLimits): Promise<ReceivedComplaint> {
  // A body already read by a parser (urlencoded, JSON) would never end here: only multipart is taken.
  if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/form-data')) {
    return Promise.reject(new AppError(415, 'request.unsupported_media_type'));
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: {
        files: limits.maxPhotos + 1, fileSize: limits.maxPhotoBytes + 1, fields: TEXT_FIELDS,
        // UTF-8: up to 4 bytes a character
        fieldSize: limits.maxTextChars * 4 + 16, parts: TEXT_FIELDS + limits.maxPhotos + 2, headerPairs: 50,
      },
    });
  } catch {
    return Promise.reject(AppError.validation([{ field: 'description', reason: 'isDefined' }]));
  }
  return new Promise<ReceivedComplaint>((resolve, reject) => {
    const fields: Record<string, string> = {};
    const photos: ReceivedComplaint['photos'] = [];
    const issues: FieldIssue[] = [];
    const pending: Promise<void>[] = [];
    let tooMany = false;
    let tooLarge = false;
    let failed = false;
    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) issues.push({ field: name, reason: 'maxLength', args: [limits.maxTextChars] });
      else fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'photos') {
        stream.resume();
        return;
      }
      const chunks: Buffer[] = [];
      pending.push(new Promise<void>((done) => {
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('limit', () => {
          tooLarge = true;
        });
        stream.on('close', () => done());
        stream.on('error', () => done());
      }).then(() => {
        const data = Buffer.concat(chunks);
        if (!data.length) return;
        photos.push({ data, originalName: info.filename ? info.filename.slice(0, 200) : null });
      }));
    });
    parser.on('filesLimit', () => {
      tooMany = true;
    });
    parser.on('error', () => {
      failed = true;
      req.unpipe(parser);
      req.resume();
      reject(AppError.validation([{ field: 'photos', reason: 'fileRequired' }]));
    });
    parser.on('close', () => {
      if (failed) return;
      void Promise.all(pending).then(() => {
        if (tooMany || photos.length > limits.maxPhotos) issues.push({ field: 'photos', reason: 'complaintTooManyPhotos', args: [limits.maxPhotos] });
        if (tooLarge) issues.push({ field: 'photos', reason: 'complaintPhotoTooLarge', args: [Math.round((limits.maxPhotoBytes / 1024 / 1024) * 10) / 10] });
        resolve({ fields, photos, issues });
      });
    });
    req.on('close', () => {
      if (req.complete || failed) return;
      failed = true;
      reject(AppError.validation([{ field: 'photos', reason: 'fileRequired' }]));
    });
    req.pipe(parser);
  });
}
