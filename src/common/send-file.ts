import type { Response } from 'express';
import * as path from 'node:path';
import { toErrorBody } from './error.filter';
import { AppError } from './app-error';
import { requestContext } from './request-context';

/**
 * Streams a stored file. If it has gone missing on disk, the client gets the one error shape (404 with `code`)
 * instead of Express's default error page.
 *
 * The file is sent relative to an explicit root with dot-folders allowed: Express refuses (404) any path with a
 * segment starting with a dot by default, and the default data folder is `.data`. The names passed here are
 * built by the server (content hashes, ids), never taken from the request.
 * The caller sets Content-Type (`res.type(…)`) before calling; it is kept.
 */
export function sendStoredFile(res: Response, file: string, notFoundCode: string): void {
  const absolute = path.resolve(file);
  res.sendFile(path.basename(absolute), { root: path.dirname(absolute), dotfiles: 'allow' }, (err) => {
    if (!err) return;
    if (res.headersSent) {
      res.destroy(err);
      return;
    }
    const ctx = requestContext.get();
    res.removeHeader('Content-Disposition');
    res.status(404).type('application/json').send(toErrorBody(AppError.notFound(notFoundCode), ctx?.lang ?? 'zh', ctx?.requestId ?? null));
  });
}
