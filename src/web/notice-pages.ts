import { formatChineseDateTime } from '../common/calendar';
import { Html, html } from '../common/html';
import { Page } from '../common/pagination';
import type { NoticeRow } from '../rectification/rectification.repository';
import { hazardRows } from './inspection-pages';
import type { NoticePage } from './notice-view';

/** 整改通知书 pages: the list, one notice (签收 for the institution). */
export function noticeListPage(page: Page<NoticeRow>): Html {
  return html`<h1>整改通知书</h1>
${page.items.length === 0 ? html`<div class="empty">暂无整改通知书。</div>` : html`<ul class="list">${page.items.map((n) => html`<li><a href="/notices/${n.id}">
  <span class="name">${n.noticeNo}</span><br><span class="muted">${n.institutionName} · ${formatChineseDateTime(n.issuedAt)}</span>
  ${n.acknowledgedAt ? html`<span class="tag">已签收</span>` : html`<span class="tag warn">待签收</span>`}</a></li>`)}</ul>`}`;
}

export function noticeDetailPage(v: NoticePage): Html {
  const notice = v.notice;
  return html`<h1>整改通知书</h1>
<section class="card"><dl class="profile">
  <dt>编号</dt><dd>${notice.noticeNo}</dd><dt>机构</dt><dd>${notice.institutionName}</dd>
  <dt>下达时间</dt><dd>${formatChineseDateTime(notice.issuedAt)}</dd>
  <dt>签收</dt><dd>${notice.acknowledgedAt ? formatChineseDateTime(notice.acknowledgedAt) : '未签收'}</dd>
</dl>
${notice.pdfStatus === 'rendered' ? html`<p><a class="button" href="/api/notices/${notice.id}/pdf">查看通知书（PDF）</a></p>` : notice.pdfStatus === 'failed' ? html`<p class="error">通知书 PDF 生成失败，系统将自动重试；如长时间未生成，请联系管理员。</p>` : html`<p class="muted">通知书 PDF 正在生成…</p>`}
${v.can.acknowledge ? html`<form method="post" action="/notices/${notice.id}/acknowledge">
  <input type="hidden" name="_csrf" value="${v.csrf}"><button class="primary wide" type="submit">签收通知书</button></form>` : ''}
</section>
<h2>隐患（${v.hazards.length}）</h2>${hazardRows(v.hazards, v.today)}`;
}

