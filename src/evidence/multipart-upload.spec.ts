import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import type { Request } from 'express';
import { AppError } from '../common/app-error';
import { receiveUpload } from './multipart-upload';

const BOUNDARY = 'yian-test-boundary';

/** A request carrying a multipart body with the given fields, then one file part. */
function multipart(fields: Record<string, string>, file: Buffer): Request {
  const parts = [
    ...Object.entries(fields).map(([k, v]) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`),
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
  ];
  const body = Buffer.concat([Buffer.from(parts.join('')), file, Buffer.from(`\r\n--${BOUNDARY}--\r\n`)]);
  const req = new PassThrough() as unknown as Request & { complete: boolean };
  Object.assign(req, { headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': String(body.length) }, complete: false });
  // Sent in chunks, as a network would.
  setImmediate(() => {
    const stream = req as unknown as PassThrough;
    for (let i = 0; i < body.length; i += 16 * 1024) stream.write(body.subarray(i, i + 16 * 1024));
    req.complete = true;
    stream.end();
  });
  return req;
}

const files = (dir: string) => (fs.existsSync(dir) ? fs.readdirSync(dir) : []);

describe('receiveUpload', () => {
  const dir = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yian-upload-')), 'incoming');

  it('streams the file to a temporary file and gives the fields; discard deletes it', async () => {
    const into = dir();
    const got = await receiveUpload(multipart({ inspectionId: 'abc', itemCode: 'EV-001' }, Buffer.alloc(100_000, 1)), { fileField: 'file', maxBytes: 200_000, maxMb: 1, dir: into });
    expect(got.fields).toEqual({ inspectionId: 'abc', itemCode: 'EV-001' });
    expect(got.file).toMatchObject({ size: 100_000, originalName: 'photo.jpg' });
    expect(fs.statSync(got.file!.path).size).toBe(100_000);
    await got.discard();
    expect(files(into)).toEqual([]);
  });

  it('refuses above the limit while receiving (413) and leaves no partial file', async () => {
    const into = dir();
    const err = await receiveUpload(multipart({}, Buffer.alloc(300_000, 1)), { fileField: 'file', maxBytes: 200_000, maxMb: 1, dir: into }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 413, fields: [{ field: 'file', reason: 'fileTooLarge', args: [1] }] });
    expect(files(into)).toEqual([]);
  });

  it('runs the early check with the fields sent before the file; a refusal writes nothing at all', async () => {
    const into = dir();
    const seen: Record<string, string>[] = [];
    const refused = AppError.notFound('inspection.not_found');
    const err = await receiveUpload(multipart({ inspectionId: 'abc' }, Buffer.alloc(150_000, 1)), {
      fileField: 'file', maxBytes: 200_000, maxMb: 1, dir: into,
      beforeFile: async (fields) => { seen.push(fields); throw refused; },
    }).catch((e: unknown) => e);
    expect(err).toBe(refused);
    expect(seen).toEqual([{ inspectionId: 'abc' }]);
    expect(fs.existsSync(into)).toBe(false);
  });

  it('answers 400 for a body that is not multipart', async () => {
    const req = new PassThrough() as unknown as Request;
    Object.assign(req, { headers: { 'content-type': 'application/json' } });
    await expect(receiveUpload(req, { fileField: 'file', maxBytes: 1, maxMb: 1, dir: dir() })).rejects.toMatchObject({ status: 400, fields: [{ field: 'file', reason: 'fileRequired' }] });
  });
});
