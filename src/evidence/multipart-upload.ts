import busboy from 'busboy';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import { AppError } from '../common/app-error';

const FIELD_MAX_BYTES = 4096;

export interface ReceiveOptions {
  /** The form field that carries the file (`file`). */
  fileField: string;
  maxBytes: number;
  /** For the 413 message. */
  maxMb: number;
  /** Folder for the file while it streams in. */
  dir: string;
  /**
   * Runs when the file part begins, with the fields sent before it (inspectionId … usually come first): a
   * refusal here means not one byte of the file is written. The file stream is paused while it runs.
   */
  beforeFile?: (fields: Record<string, string>) => Promise<void>;
  /** How many text fields the form may have (default 20; the change-request form sends the whole profile). */
  maxFields?: number;
}

export interface ReceivedUpload {
  fields: Record<string, string>;
  file: { path: string; size: number; originalName: string | null } | null;
  /** Deletes the received file; call it on every outcome (`finally`). */
  discard(): Promise<void>;
}

const tooLarge = (opts: ReceiveOptions) =>
  new AppError(413, 'request.too_large', {}, [{ field: opts.fileField, reason: 'fileTooLarge', args: [opts.maxMb] }]);

/**
 * Reads a multipart/form-data upload with one file, streaming the file to a temporary file in `dir` with the
 * size limit enforced while it arrives (never more than `maxBytes` on disk, nothing held in memory).
 * Any refusal (size, a failed `beforeFile` check, a malformed body, an aborted request) deletes what was written
 * and rejects with an AppError; the rest of the body is read and discarded so the client gets the answer.
 */
export function receiveUpload(req: Request, opts: ReceiveOptions): Promise<ReceivedUpload> {
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: { files: 1, fileSize: opts.maxBytes, fields: opts.maxFields ?? 20, fieldSize: FIELD_MAX_BYTES, parts: (opts.maxFields ?? 20) + 10, headerPairs: 50 },
    });
  } catch {
    // Not multipart/form-data at all.
    return Promise.reject(AppError.validation([{ field: opts.fileField, reason: 'fileRequired' }]));
  }

  return new Promise<ReceivedUpload>((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: ReceivedUpload['file'] = null;
    let tempPath: string | null = null;
    let writing: Promise<void> = Promise.resolve();
    let fileStream: Readable | null = null;
    let refusal: unknown = null;
    let done = false;
    const discard = async () => {
      if (tempPath) await fs.promises.rm(tempPath, { force: true });
    };
    const refuse = (err: unknown) => {
      refusal ??= err;
    };
    const finish = async () => {
      if (done) return;
      done = true;
      await writing;
      if (refusal) {
        await discard();
        reject(refusal);
      } else {
        resolve({ fields, file, discard });
      }
    };

    parser.on('field', (name, value, info) => {
      if (info.nameTruncated || info.valueTruncated) refuse(AppError.validation([{ field: name, reason: 'maxLength', args: [FIELD_MAX_BYTES] }]));
      else fields[name] = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== opts.fileField || tempPath || refusal) {
        stream.resume();
        return;
      }
      fileStream = stream;
      tempPath = path.join(opts.dir, `${randomUUID()}.part`);
      const target = tempPath;
      writing = (async () => {
        if (opts.beforeFile) await opts.beforeFile({ ...fields });
        await fs.promises.mkdir(opts.dir, { recursive: true });
        const out = fs.createWriteStream(target, { flags: 'wx' });
        await pipeline(stream, out);
        if ((stream as Readable & { truncated?: boolean }).truncated) throw tooLarge(opts);
        file = { path: target, size: out.bytesWritten, originalName: info.filename ? info.filename.slice(0, 200) : null };
      })().catch((err) => {
        refuse(err);
        if (!stream.destroyed) {
          stream.resume();
          return;
        }
        // Writing failed (e.g. disk full) and the part was torn down: stop parsing, discard the rest, answer.
        req.unpipe(parser);
        req.resume();
        void finish();
      });
    });
    parser.on('error', () => {
      // A malformed body (bad boundary, cut short).
      refuse(AppError.validation([{ field: opts.fileField, reason: 'fileRequired' }]));
      req.unpipe(parser);
      req.resume();
      fileStream?.destroy();
      void finish();
    });
    parser.on('close', () => void finish());
    req.on('close', () => {
      if (req.complete || done) return;
      // The client went away mid-upload: stop writing and take the partial file back.
      refuse(AppError.validation([{ field: opts.fileField, reason: 'fileRequired' }]));
      fileStream?.destroy();
      void finish();
    });
    req.pipe(parser);
  });
}
