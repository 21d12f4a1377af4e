import { AuthUser } from '../common/scope';
import { Html, html } from '../common/html';
import { ROLE_LABELS } from '../common/labels';

export interface LayoutOptions {
  title: string;
  user?: AuthUser;
  csrfToken?: string | null;
  body: Html;
}

export function layout({ title, user, csrfToken, body }: LayoutOptions): string {
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
<header class="topbar">
  <a class="brand" href="/">颐安<span class="brand-sub">养老机构安全监管</span></a>
  ${user
    ? html`<div class="who"><span class="who-name">${user.displayName}</span><span class="who-role">${ROLE_LABELS[user.role]}</span>
      <form method="post" action="/logout" class="inline"><input type="hidden" name="_csrf" value="${csrfToken ?? ''}"><button class="link-button" type="submit">退出</button></form></div>`
    : ''}
</header>
<main id="main" class="page">
${body}
</main>
</body>
</html>`.value;
}
