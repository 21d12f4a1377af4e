import { AuthUser } from '../common/scope';
import { Html, html } from '../common/html';
import { ROLE_LABELS } from '../common/labels';
import { navigationFor } from './navigation';

export interface LayoutOptions {
  title: string;
  user?: AuthUser;
  csrfToken?: string | null;
  /** the request's path, to mark the current page in the navigation */
  path?: string;
  body: Html;
  /** 面包屑 above this page (see RenderedPage.crumbs) */
  crumbs?: { href: string; label: string }[];
  /** unread notifications for the bell (undefined: not counted, e.g. on error pages) */
  unread?: number;
}

/** The frame of every page: header (who, where, logout) and, for a signed-in viewer, the navigation of their role. */
export function layout({ title, user, csrfToken, path, body, crumbs, unread }: LayoutOptions): string {
  const nav = user ? navigationFor(user, path ?? '') : [];
  return html`<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · 颐安</title>
<link rel="stylesheet" href="/static/app.css">
</head>
<body>
<a class="skip" href="#main">跳到主要内容</a>
<header class="topbar${user ? ' signed-in' : ''}">
  <a class="brand" href="/">颐安<span class="brand-sub">养老机构安全监管</span></a>
  ${user
    ? html`<p class="who">${user.placeName ? html`<span class="who-place">${user.placeName}</span> ` : ''}<span class="who-name">${user.displayName}</span> <span class="who-role">${ROLE_LABELS[user.role]}</span></p>
    <div class="topbar-actions">
      <a class="bell" href="/notifications"${path === '/notifications' ? html` aria-current="page"` : ''}><svg class="bell-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path fill="currentColor" d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"/></svg><span class="bell-text">通知</span>${unread ? html`<span class="bell-count" aria-hidden="true">${unread >= 100 ? '99+' : String(unread)}</span><span class="visually-hidden">（${unread >= 100 ? '99 条以上' : `${unread} 条`}未读）</span>` : ''}</a>
      <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${csrfToken ?? ''}"><button class="link-button" type="submit">退出</button></form></div>`
    : ''}
</header>
${nav.length
    ? html`<nav class="mainnav" aria-label="主导航"><ul>${nav.map((l) => html`<li><a href="${l.href}"${l.current ? html` aria-current="${l.current}"` : ''}>${l.label}</a></li>`)}</ul></nav>`
    : ''}
<main id="main" class="page">
${user && crumbs?.length ? html`<nav class="crumbs" aria-label="面包屑"><ol><li><a href="/">首页</a></li>${crumbs.map((c) => html`<li><a href="${c.href}">${c.label}</a></li>`)}<li aria-current="page">${title}</li></ol></nav>` : ''}
${body}
</main>
</body>
</html>`.value;
}
