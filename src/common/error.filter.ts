import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AppError, FieldIssue } from './app-error';
import { fieldMessage, Lang, langFrom, message } from './messages';
import { requestContext } from './request-context';

/** The one error shape every 4xx/5xx response has. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details: { field: string; reason: string; message: string }[];
  requestId: string | null;
}

const STATUS_CODES: Record<number, string> = {
  400: 'request.bad', 401: 'request.unauthenticated', 403: 'request.forbidden', 404: 'request.route_not_found',
  409: 'request.conflict', 413: 'request.too_large', 415: 'request.unsupported_media_type',
};

export function toErrorBody(err: unknown, lang: Lang, requestId: string | null): ErrorBody {
  let status = 500;
  let code = 'server.error';
  let params: Record<string, unknown> = {};
  let fields: FieldIssue[] = [];
  if (err instanceof AppError) {
    ({ status, code, params, fields } = err);
  } else if (err instanceof HttpException) {
    status = err.getStatus();
    code = STATUS_CODES[status] ?? (status >= 500 ? 'server.error' : 'request.bad');
    const resp = err.getResponse() as { code?: string } | string;
    if (typeof resp === 'object' && resp?.code) code = resp.code;
  } else if (isBodyParserError(err)) {
    status = (err as { status: number }).status;
    code = status === 413 ? 'request.too_large' : 'request.bad';
  }
  return {
    statusCode: status,
    code,
    message: message(code, lang, params),
    details: fields.map((f) => ({ field: f.field, reason: f.reason, message: `${f.field}: ${fieldMessage(f.reason, lang, f.args)}` })),
    requestId,
  };
}

function isBodyParserError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'type' in err && typeof (err as { status?: unknown }).status === 'number';
}

/**
 * Renders the HTML error page of a page request, in Chinese (the web module frames it in the layout, with the
 * viewer's navigation). Without one, and whenever it fails, the bare page below is sent.
 */
export type ErrorPageRenderer = (req: Request, body: ErrorBody) => Promise<string>;

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Error');

  constructor(private readonly renderPage?: ErrorPageRenderer) {}

  catch(err: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Request>();
    const res = http.getResponse<Response>();
    const ctx = requestContext.get();
    const lang = ctx?.lang ?? langFrom(req?.headers?.['accept-language']);
    const body = toErrorBody(err, lang, ctx?.requestId ?? null);
    if (body.statusCode >= 500) {
      this.logger.error(`[${body.requestId}] ${req?.method} ${req?.url}: ${(err as Error)?.stack ?? String(err)}`);
    }
    if (res.headersSent) return;
    // a refusal that says how long to wait (429 with `seconds`) says it to clients too
    if (body.statusCode === 429 && err instanceof AppError && typeof err.params.seconds === 'number') res.setHeader('Retry-After', String(err.params.seconds));
    if (body.statusCode === HttpStatus.UNAUTHORIZED && wantsHtml(req)) {
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
      return;
    }
    if (wantsHtml(req)) {
      const zh = lang === 'zh' ? body : toErrorBody(err, 'zh', body.requestId);
      const send = (page: string) => {
        if (!res.headersSent) res.status(zh.statusCode).type('html').send(page);
      };
      if (!this.renderPage) return send(errorPage(zh));
      this.renderPage(req, zh).then(send, (renderErr: unknown) => {
        this.logger.error(`[${zh.requestId}] error page: ${(renderErr as Error)?.stack ?? String(renderErr)}`);
        send(errorPage(zh));
      });
      return;
    }
    res.status(body.statusCode).json(body);
  }
}

function wantsHtml(req: Request | undefined): boolean {
  if (!req || req.path.startsWith('/api/') || req.path === '/health') return false;
  return (req.headers.accept ?? '').includes('text/html');
}

/** The bare error page (no header): the fallback when the framed page cannot be rendered. */
export function errorPage(body: ErrorBody): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>出错了 · 颐安</title><link rel="stylesheet" href="/static/app.css"></head><body><main class="page">
<h1>出错了（${body.statusCode}）</h1><p role="alert">${esc(body.message)}</p>
<ul>${body.details.map((d) => `<li>${esc(d.message)}</li>`).join('')}</ul>
<p><a class="button" href="/">返回首页</a></p><p class="muted">请求编号 ${esc(body.requestId ?? '-')}</p></main></body></html>`;
}
