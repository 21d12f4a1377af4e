import type { Response } from 'express';
import * as path from 'node:path';
import { toErrorBody } from './error.filter';
import { AppError } from './app-error';
import { requestContext } from './request-context';

/**
 * Streams a stored file. If it has gone missing on disk, the client gets the one error shape (404 with `code`)
 * instead of Express's default error page.
 */
export function sendStoredFile(res: Response, file: string, notFoundCode: string): void {
  res.sendFile(path.resolve(file), (err) => {
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
