import type { Request } from 'express';
import { SESSION_COOKIE, SessionResolver } from '../auth/session-resolver';
import type { ErrorBody, ErrorPageRenderer } from '../common/error.filter';
import { html, Html } from '../common/html';
import { AuthUser } from '../common/scope';
import { layout } from './layout';

type PageRequest = Request & { user?: AuthUser; csrfToken?: string | null };

/**
 * Error pages (400/403/404/500…) inside the frame: the header and, for a signed-in viewer, the navigation of their
 * role, the message and a way back. A path no route matched has not been through the auth guard, so the session
 * cookie is resolved here (a web session only, as the guard would).
 */
export function framedErrorPages(sessions: SessionResolver, publicUrl: string): ErrorPageRenderer {
  return async (request, body) => {
    const req = request as PageRequest;
    let user = req.user;
    let csrfToken = req.csrfToken ?? null;
    const cookie = (req.cookies as Record<string, string> | undefined)?.[SESSION_COOKIE];
    if (!user && cookie) {
      const resolved = await sessions.resolve(cookie);
      if (resolved?.session.kind === 'web') ({ user, csrfToken } = { user: resolved.user, csrfToken: resolved.session.csrfToken });
    }
    return layout({ title: `出错了（${body.statusCode}）`, user, csrfToken, path: req.path, body: errorBody(body, backHref(req, publicUrl)) });
  };
}

function errorBody(body: ErrorBody, back: string): Html {
  return html`<h1>出错了（${body.statusCode}）</h1>
<p class="error" role="alert">${body.message}</p>
${body.details.length ? html`<ul>${body.details.map((d) => html`<li>${d.message}</li>`)}</ul>` : ''}
<p class="error-actions"><a class="button secondary" href="${back}">返回上一页</a> <a class="button" href="/">返回首页</a></p>
<p class="muted">请求编号 ${body.requestId ?? '-'}</p>`;
}

/** The referring page when it is one of ours (and not this very page), else home. */
export function backHref(req: Request, publicUrl: string): string {
  const referer = req.headers.referer;
  if (!referer) return '/';
  try {
    const from = new URL(referer);
    const own = new Set([new URL(publicUrl).origin, `${req.protocol}://${req.get('host') ?? ''}`]);
    if (!own.has(from.origin)) return '/';
    const back = `${from.pathname}${from.search}`;
    return back === req.originalUrl ? '/' : back;
  } catch {
    return '/';
  }
}
