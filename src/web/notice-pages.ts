import { formatChineseDateTime } from '../common/calendar';
import { Html, html } from '../common/html';
import { Page } from '../common/pagination';
import type { NoticeContent } from '../reports/notice-content';
import type { NoticeRow } from '../rectification/rectification.repository';
import { flashBlock } from './components';
import { hazardRows } from './inspection-pages';
import type { NoticeDetailPage, NoticePdfState, NoticePreviewPage } from './notice-view';

/** 整改通知书 pages: the list, the preview and confirmation, one notice (签收 for the institution), the print view. */
export function noticeListPage(page: Page<NoticeRow>): Html {
  return html`<h1>整改通知书</h1>
${page.items.length === 0 ? html`<div class="empty">暂无整改通知书。检查提交后，在检查记录页点“下达整改通知书”预览并确认下达。</div>` : html`<ul class="list">${page.items.map((n) => html`<li><a href="/notices/${n.id}">
  <span class="name">${n.noticeNo}</span><br><span class="muted">${n.institutionName} · ${formatChineseDateTime(n.issuedAt)}</span>
  ${n.acknowledgedAt ? html`<span class="tag">已签收</span>` : html`<span class="tag warn">待签收</span>`}</a></li>`)}</ul>`}`;
}

const lines = (text: string): Html => html`${text.split('\n').map((l, i) => html`${i ? html`<br>` : ''}${l}`)}`;

/**
 * The notice itself, from the same blocks as the PDF (noticeContent): 版头, 主送, the opening, the hazard table,
 * the major-hazard requirements, how to respond, the verification line and code, 落款, 送达签收.
 * `number` replaces the number line (the preview's "将编号为…"); `qr` is the verification code (none in a preview).
 */
export function noticeDocument(c: NoticeContent, opts: { qr: Html | null; number?: Html }): Html {
  return html`<article class="notice-doc" aria-label="整改通知书正文">
<p class="notice-issuer">${c.bureauName}</p>
<p class="notice-title">${c.title}</p>
<p class="notice-no">${opts.number ?? c.noticeNo}</p>
<hr class="notice-rule">
<p class="notice-addressee"><strong>${c.addressee}</strong></p>
<p class="notice-para">${c.opening}</p>
<div class="table-wrap notice-table-wrap"><table class="data notice-table">
  <caption class="visually-hidden">隐患及整改期限</caption>
  <thead><tr>${c.columns.map((col) => html`<th scope="col" class="${col.align === 'center' ? 'center' : ''}">${col.header}</th>`)}</tr></thead>
  <tbody>${c.rows.map((row) => html`<tr>${row.map((cell, i) => html`<td class="${c.columns[i]?.align === 'center' ? 'center' : ''}">${lines(cell)}</td>`)}</tr>`)}</tbody>
</table></div>
${c.majorBox ? html`<div class="notice-major"><p class="notice-major-title">${c.majorBox.title}</p>${c.majorBox.paragraphs.map((p) => html`<p class="notice-para">${p}</p>`)}</div>` : ''}
${c.respond.map((p) => html`<p class="notice-para">${p}</p>`)}
${c.contact ? html`<p class="notice-para">${c.contact}</p>` : ''}
<p class="notice-verify">${c.verifyUrl ? html`核验：<a href="${c.verifyUrl}">${c.verifyUrl}</a>` : c.verifyLine}</p>
<div class="notice-signoff">
  <div class="notice-qr">${opts.qr ? html`${opts.qr}<p class="muted">扫码核验真伪</p>` : ''}</div>
  <div class="notice-seal"><span class="notice-seal-mark">${c.signOff.seal}</span><p>${c.signOff.bureauName}</p><p>${c.signOff.date}</p></div>
</div>
<p class="notice-receipt-title">${c.receipt.title}</p>
<table class="notice-receipt"><tbody>
  ${c.receipt.rows.filter((r) => r.wide).map((r) => html`<tr><th scope="row">${r.label}</th><td colspan="3">${r.value.trim()}</td></tr>`)}
  <tr>${c.receipt.rows.filter((r) => !r.wide).map((r) => html`<th scope="row">${r.label}</th><td>${r.value.trim()}</td>`)}</tr>
</tbody></table>
</article>`;
}

/** 预览 and 确认下达: the notice as it will be issued, the number it would get, what becomes final. */
export function noticePreviewPage(v: NoticePreviewPage): Html {
  return html`<link rel="stylesheet" href="/static/notice.css">
<h1>整改通知书预览 <span class="muted">${v.institutionName}</span></h1>
<p class="notice-number-note" id="number-note">将编号为 <strong>${v.expectedNo}</strong>。编号在确认下达时正式分配；如本局其他通知书先行下达，实际编号将顺延。</p>
${noticeDocument(v.content, { qr: null, number: html`<span class="notice-no-pending">将编号为 ${v.expectedNo}</span>` })}
<section class="card notice-confirm" aria-labelledby="confirm-heading">
  <h2 id="confirm-heading" class="card-title">确认下达</h2>
  <ul>
    <li>确认后通知书即正式下达，编号（预计 ${v.expectedNo}）确定后不可更改，通知书<strong>不能撤回</strong>。</li>
    <li>机构将收到站内通知，${v.hazardCount} 项隐患的整改期限按上表执行；陈述申辩期限自签收之日起计算。</li>
    <li>通知书 PDF 和核验二维码在下达后自动生成。</li>
  </ul>
  ${flashBlock(v.errors.length ? { errors: v.errors } : undefined)}
  <form method="post" action="${v.action}">
    <input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="expectedNo" value="${v.expectedNo}">
    <label class="check" for="confirm-check"><input type="checkbox" id="confirm-check" name="confirmed" value="yes" required${v.errors.length ? html` aria-invalid="true"` : ''}>
      我已核对通知书内容无误，知晓编号确定后不可更改、通知书下达后不能撤回</label>
    <div class="notice-confirm-actions"><button class="primary" type="submit">确认下达</button>
      <a class="button secondary" href="/inspections/${v.inspectionId}">返回检查记录</a></div>
  </form>
</section>`;
}

/** The PDF line of the notice page: a link once rendered, a notice while rendering (polled), the failure. */
export function noticePdfLine(pdf: NoticePdfState): Html {
  return html`<div class="notice-pdf" id="notice-pdf" aria-live="polite" data-state="${pdf.state}" data-status-url="${pdf.statusUrl}">${
    pdf.state === 'rendered' ? html`<a class="button" href="${pdf.href}">查看通知书（PDF）</a>`
      : pdf.state === 'failed' ? html`<p class="error">通知书 PDF 生成失败，系统将自动重试；如长时间未生成，请联系管理员。</p>`
      : html`<p class="muted">通知书 PDF 正在生成…生成后下载链接会自动出现在这里，无需刷新页面。</p>`}</div>`;
}

export function noticeDetailPage(v: NoticeDetailPage): Html {
  const notice = v.notice;
  return html`<link rel="stylesheet" href="/static/notice.css">
<h1>整改通知书 <span class="muted">${notice.noticeNo}</span></h1>
${flashBlock(v.flash)}
<div class="notice-layout">
<section class="card notice-facts" aria-labelledby="facts-heading"><h2 id="facts-heading" class="card-title">通知书信息</h2><dl class="profile">
  <dt>编号</dt><dd>${notice.noticeNo}</dd><dt>机构</dt><dd>${notice.institutionName}</dd>
  <dt>下达时间</dt><dd>${formatChineseDateTime(notice.issuedAt)}</dd>
  <dt>签收</dt><dd>${notice.acknowledgedAt ? formatChineseDateTime(notice.acknowledgedAt) : '未签收'}</dd>
</dl>
${noticePdfLine(v.pdf)}
<p class="notice-links"><a class="button secondary" href="${v.printHref}">打印版</a> <a href="${v.inspectionHref}">检查记录</a></p>
${v.can.acknowledge ? html`<form method="post" action="/notices/${notice.id}/acknowledge">
  <input type="hidden" name="_csrf" value="${v.csrf}"><button class="primary wide" type="submit">签收通知书</button></form>` : ''}
</section>
<figure class="card notice-qr-card">${v.qr}<figcaption>扫码核验真伪<br><a href="${v.content.verifyUrl}">${v.content.verifyUrl}</a></figcaption></figure>
</div>
<h2>通知书正文</h2>
${noticeDocument(v.content, { qr: v.qr })}
<h2>隐患（${v.hazards.length}）</h2>${hazardRows(v.hazards, v.today)}
<script type="module" src="/static/notice-status.js"></script>`;
}

/** 打印版: the notice alone (the frame is hidden when printing). */
export function noticePrintPage(v: NoticeDetailPage): Html {
  return html`<link rel="stylesheet" href="/static/notice.css">
<div class="notice-print-bar no-print"><p>打印版：使用浏览器的“打印”（Ctrl+P）即可打印本通知书；页眉、导航不会打印。</p>
  <button class="primary" type="button" data-print hidden>打印</button> <a class="button secondary" href="/notices/${v.notice.id}">返回通知书</a></div>
${noticeDocument(v.content, { qr: v.qr })}
<script type="module" src="/static/notice-print.js"></script>`;
}
