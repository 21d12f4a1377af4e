import { Html, html } from '../common/html';
import type { InboxView } from './notification-view';

/**
 * 站内通知: the viewer's inbox, newest first. Each row links to its object; an unread row has "标为已读" (a POST)
 * and, with notifications.js, opening its link marks it read first (the same POST, then on to the object).
 */
export function inboxPage(v: InboxView, csrf: string, pager: { summary: Html; nav: Html | string }, flash: Html | string): Html {
  return html`<link rel="stylesheet" href="/static/notifications.css">
<script type="module" src="/static/notifications.js"></script>
<div class="inbox-head"><h1>站内通知</h1>
${v.offerReadAll ? html`<form method="post" action="/notifications/read-all" class="inbox-readall"><input type="hidden" name="_csrf" value="${csrf}"><button class="button secondary" type="submit">全部标为已读</button></form>` : ''}</div>
${flash}
<nav class="tabs" aria-label="通知筛选">${v.tabs.map((t) => html`<a class="tab${t.active ? ' active' : ''}" href="${t.href}"${t.active ? html` aria-current="page"` : ''}>${t.label}</a>`)}</nav>
${pager.summary}
${v.rows.length === 0 ? html`<div class="empty">${v.emptyText}</div>`
    : html`<ul class="inbox">${v.rows.map((n) => {
      const inner = html`<span class="inbox-kind tag">${n.kindLabel}</span>${n.read ? '' : html`<span class="inbox-dot" aria-hidden="true"></span><span class="visually-hidden">未读：</span>`}
        <span class="inbox-title">${n.title}</span><span class="inbox-body">${n.body}</span>
        <span class="muted"><time datetime="${n.atIso}">${n.at}</time></span>`;
      return html`<li class="inbox-item${n.read ? ' read' : ' unread'}" data-id="${n.id}">
        ${n.href ? html`<a class="inbox-link" href="${n.href}"${n.read ? '' : html` data-read-form="read-${n.id}"`}>${inner}</a>` : html`<div class="inbox-link">${inner}</div>`}
        ${n.read ? '' : html`<form method="post" action="/notifications/${n.id}/read" class="inbox-mark" id="read-${n.id}"><input type="hidden" name="_csrf" value="${csrf}">${n.href ? html`<input type="hidden" name="next" value="">` : ''}<button class="link-like" type="submit">标为已读</button></form>`}
      </li>`;
    })}</ul>`}
${pager.nav}`;
}
