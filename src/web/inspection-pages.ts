import { formatChineseDate, formatChineseDateTime } from '../common/calendar';
import { Html, html } from '../common/html';
import type { Inspection } from '../inspections/inspection.entity';
import { HAZARD_STATUS_LABELS, INSPECTION_KIND_LABELS, INSPECTION_STATUS_LABELS } from '../common/labels';
import type { TeamMemberView } from '../inspections/inspections.repository';
import type { Hazard } from '../hazards/hazard.entity';
import type { ReviewItem } from '../inspections/inspection-report.service';
import { label } from '../common/vocabulary';
import { markupCaption, markupOverlay } from './evidence-pages';
import type { InspectionListPage, InspectionPage, InspectionReviewPage } from './view-models';
import type { TaskListPage } from './task-list-view';
import { teamCodeBlock } from './inspection-code-pages';

export { HAZARD_STATUS_LABELS, INSPECTION_STATUS_LABELS };

type InspectionRow = Inspection & { institutionName: string; team: TeamMemberView[] };

export function inspectionRows(items: InspectionRow[], empty: Html): Html {
  if (!items.length) return html`<div class="empty">${empty}</div>`;
  return html`<ul class="list">${items.map((i) => html`<li><a href="/inspections/${i.id}">
    <span class="name">${i.institutionName}</span><br>
    <span class="tag ${i.status === 'submitted' ? '' : 'warn'}">${INSPECTION_STATUS_LABELS[i.status]}</span><span class="tag">${INSPECTION_KIND_LABELS[i.kind]}</span>
    <span class="muted">${i.scheduledDate ? `计划 ${formatChineseDate(i.scheduledDate)}` : ''} · 检查组：${i.team.map((m) => m.displayName).join('、')}</span></a></li>`)}</ul>`;
}

export function inspectionListPage(v: InspectionListPage | TaskListPage): Html {
  const { list: page, status } = v;
  const offline = 'offline' in v ? v.offline : null;
  const tabs = [['', '全部'], ['assigned', '待检查'], ['in_progress', '检查中'], ['submitted', '已提交']];
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const link = (p: number) => `/inspections?${new URLSearchParams({ ...(status ? { status } : {}), page: String(p) })}`;
  const empty = html`没有符合条件的检查。${v.ownTasks ? '监管人员安排检查（含“双随机”抽取）后，任务会出现在这里。' : ''}`;
  return html`
${offline ? html`<link rel="stylesheet" href="/static/tasks.css">` : ''}
<h1>${v.ownTasks ? '我的检查任务' : '检查'}</h1>
${offline ? offlinePanel(offline) : ''}
<nav class="tabs" aria-label="按状态筛选">${tabs.map(([k, label]) => html`<a class="tab ${status === k ? 'active' : ''}" href="/inspections${k ? `?status=${k}` : ''}" ${status === k ? html`aria-current="page"` : ''}>${label}</a>`)}</nav>
<p class="muted" aria-live="polite">共 ${page.total} 次检查</p>
${offline && 'fillable' in v ? taskRows(page.items, v.fillable, empty) : inspectionRows(page.items, empty)}
${pages > 1 ? html`<nav class="pager" aria-label="分页">
  ${page.page > 1 ? html`<a class="button" href="${link(page.page - 1)}">上一页</a>` : html`<span></span>`}
  ${page.page < pages ? html`<a class="button" href="${link(page.page + 1)}">下一页</a>` : html`<span></span>`}</nav>` : ''}
${offline ? html`<script type="module" src="/static/tasks.js"></script>` : ''}`;
}

/** 下载今日任务, the last sync, the storage used and 待发送 (filled by static/tasks.js). */
function offlinePanel(o: { userId: string; csrf: string }): Html {
  return html`<section id="offline-tasks" class="card offline-tasks" aria-labelledby="offline-tasks-title" data-user-id="${o.userId}" data-csrf="${o.csrf}">
  <h2 id="offline-tasks-title" class="visually-hidden">离线使用</h2>
  <p id="offline-line" class="offline-line" role="status" hidden></p>
  <div class="offline-row">
    <button type="button" id="download-tasks" class="primary">下载今日任务</button>
    <p class="offline-facts"><span id="download-status" aria-live="polite">尚未下载任务到本机</span><br><span id="storage-used" class="muted"></span></p>
  </div>
  <noscript><p class="muted">离线使用需要启用 JavaScript。</p></noscript>
  <section id="outbox" class="outbox" aria-live="polite" hidden></section>
</section>`;
}

/** The inspector's rows: each open task with its form link (works offline once downloaded) and a slot for the device's extras. */
function taskRows(items: InspectionRow[], fillable: ReadonlySet<string>, empty: Html): Html {
  if (!items.length) return html`<div class="empty">${empty}</div>`;
  return html`<ul class="list task-list" id="task-list">${items.map((i) => html`<li data-inspection-id="${i.id}" data-open="${fillable.has(i.id) ? 'true' : 'false'}">
    <a href="/inspections/${i.id}"><span class="name">${i.institutionName}</span><br>
    <span class="tag ${i.status === 'submitted' ? '' : 'warn'}">${INSPECTION_STATUS_LABELS[i.status]}</span><span class="tag">${INSPECTION_KIND_LABELS[i.kind]}</span>
    <span class="muted">${i.scheduledDate ? `计划 ${formatChineseDate(i.scheduledDate)}` : ''} · 检查组：${i.team.map((m) => m.displayName).join('、')}</span></a>
    ${fillable.has(i.id) ? html`<div class="task-actions"><a class="button task-fill" href="/inspections/${i.id}/fill">${i.status === 'assigned' ? '开始检查' : '继续检查'}</a></div>` : ''}
    <div class="task-extra"></div></li>`)}</ul>`;
}

export function hazardRows(hazards: Hazard[], today: string): Html {
  return html`<ul class="list">${hazards.map((h) => {
    const days = Math.round((Date.parse(h.dueDate) - Date.parse(today)) / 86_400_000);
    const countdown = h.status === 'closed' ? '' : days < 0 ? html`<span class="tag warn">已逾期 ${-days} 天</span>` : days === 0 ? html`<span class="tag warn">今日到期</span>` : html`<span class="tag">剩 ${days} 天</span>`;
    return html`<li><a href="/hazards/${h.id}"><span class="name">${h.itemCode} ${h.titleZh}</span><br>
      ${h.severity === 'major' ? html`<span class="tag warn">重大隐患${h.listed ? '（挂牌督办）' : ''}</span>` : html`<span class="tag">一般隐患</span>`}
      <span class="tag">${HAZARD_STATUS_LABELS[h.status]}</span>${countdown}
      <span class="muted">整改期限 ${formatChineseDate(h.dueDate)} · ${h.location}</span></a></li>`;
  })}</ul>`;
}

/** The record's sentence about the 检查码 (a warning when the visit was not confirmed before the start). */
function verificationDd(v: { text: string; warn: boolean } | null): Html | string {
  return v ? html`<dt>检查码核验</dt><dd data-role="code-verification">${v.warn ? html`<span class="tag warn">${v.text}</span>` : v.text}</dd>` : '';
}

/** `qr`: the SVG of the team's code (made by the controller from the view's `code.verifyUrl`). */
export function inspectionDetailPage(v: InspectionPage, extra: { qr?: Html | null } = {}): Html {
  const i = v.inspection;
  const count = (r: string) => v.responses.filter((x) => x.result === r).length;
  return html`
<p><a href="/inspections">← 检查列表</a></p>
<h1>${v.institution.name}</h1>
<section class="card"><dl class="profile">
  <dt>检查类型</dt><dd>${INSPECTION_KIND_LABELS[i.kind]}</dd>
  <dt>状态</dt><dd>${INSPECTION_STATUS_LABELS[i.status]}</dd>
  ${verificationDd(v.verification)}
  ${i.scheduledDate ? html`<dt>计划日期</dt><dd>${formatChineseDate(i.scheduledDate)}</dd>` : ''}
  <dt>检查组</dt><dd>${v.team.map((m) => `${m.displayName}${m.role === 'lead' ? '（组长）' : ''}`).join('、')}</dd>
  ${i.submittedAt ? html`<dt>提交时间</dt><dd>${formatChineseDateTime(i.submittedAt)}</dd><dt>记录编号</dt><dd>${i.reportNo}</dd>
    <dt>结果</dt><dd>合格 ${count('pass')} · 不合格 ${count('fail')} · 不适用 ${count('na')}</dd>` : ''}
</dl></section>
${v.code ? teamCodeBlock(v.code, extra.qr ?? null) : ''}
${v.can.fill ? html`<p><a class="button" href="/inspections/${i.id}/fill">${i.status === 'assigned' ? '开始检查' : '继续检查'}</a></p>` : ''}
${i.status === 'submitted' ? html`
  <p>${i.reportStatus === 'rendered' ? html`<a class="button" href="/api/inspections/${i.id}/report.pdf">下载检查记录（PDF）</a>`
      : i.reportStatus === 'failed' ? html`<span class="error">检查记录生成失败，系统将自动重试；如长时间未生成，请联系管理员。</span>` : html`<span class="muted">检查记录 PDF 正在生成，请稍后刷新。</span>`}</p>
  ${v.can.issueNotice ? html`<p><a class="button" href="/inspections/${i.id}/notice/preview">下达整改通知书</a></p>` : ''}
  <h2>发现的隐患（${v.hazards.length}）</h2>
  ${v.hazards.length ? hazardRows(v.hazards, v.today) : html`<div class="empty">本次检查未发现隐患。</div>`}` : ''}`;
}

// ---------------------------------------------------------------- 检查记录审阅 (a submitted inspection)

const RESULT_CLASS: Record<string, string> = { pass: 'result-pass', fail: 'result-fail', na: 'result-na' };

function gpsText(g: { lat: number; lng: number; source: string | null }): string {
  return `${g.lat.toFixed(5)}, ${g.lng.toFixed(5)}${g.source ? `（${label('gpsSource', g.source)}）` : ''}`;
}

function reviewPhotos(item: ReviewItem, markupChanged: Record<string, string> = {}): Html {
  if (!item.photos.length) return html`<span class="muted">${item.result === 'fail' ? '无照片' : '—'}</span>`;
  return html`<ul class="review-photos">${item.photos.map((p, n) => html`<li><a class="photo-frame" href="/api/evidence/${p.id}" target="_blank" rel="noopener">
    <img src="/api/evidence/${p.id}" width="128" height="96" loading="lazy" alt="${item.code} 现场照片 ${n + 1}（点击查看原图）">${markupOverlay(p.markup, `${item.code} 照片 ${n + 1} 的标注`)}</a>
    <span class="muted">${p.takenAt ? `拍摄 ${formatChineseDateTime(p.takenAt)}` : `上传 ${formatChineseDateTime(p.receivedAt)}`}${p.gps ? html`<br>GPS ${gpsText(p.gps)}` : ''}${p.markup ? html`<br><span class="markup-caption">${markupCaption(p.markup)}（原图未改动）</span>` : ''}${markupChanged[p.id] ? html`<br><span class="tag warn markup-changed">${markupChanged[p.id]}</span>` : ''}</span></li>`)}</ul>`;
}

function reviewFinding(item: ReviewItem): Html {
  if (item.result !== 'fail') return item.note ? html`<p>${item.note}</p>` : html`<span class="muted">—</span>`;
  return html`<dl class="finding">
    <dt>问题描述</dt><dd>${item.note ?? '—'}</dd>
    <dt>位置</dt><dd>${item.location ?? '—'}</dd>
    <dt>范围</dt><dd>${item.scope ? label('scope', item.scope) : '—'}</dd>
    <dt>等级</dt><dd>${item.severity === 'major' ? html`<span class="tag warn">${label('severity', 'major')}</span>` : item.severity ? label('severity', item.severity) : '—'}</dd>
    ${item.criterion ? html`<dt>判定标准</dt><dd>${item.criterion.code}${item.criterion.text ? html`<br><span class="muted">${item.criterion.text}</span>` : ''}</dd>` : ''}
  </dl>`;
}

function categoryCounts(items: ReviewItem[]): string {
  const n = (r: string) => items.filter((x) => x.result === r).length;
  return [['pass', '合格'], ['fail', '不合格'], ['na', '不适用']].filter(([r]) => n(r) > 0).map(([r, l]) => `${l} ${n(r)}`).join(' · ');
}

export function inspectionReviewPage(v: InspectionReviewPage): Html {
  const { review: r } = v;
  const i = r.inspection;
  return html`<link rel="stylesheet" href="/static/notice.css"><link rel="stylesheet" href="/static/evidence.css">
<h1>${r.institution.name} <span class="muted">检查记录审阅</span></h1>
<section class="card" aria-labelledby="review-facts"><h2 id="review-facts" class="card-title">检查概况</h2><dl class="profile review-facts">
  <dt>记录编号</dt><dd>${i.reportNo ?? '—'}</dd>
  <dt>检查类型</dt><dd>${INSPECTION_KIND_LABELS[i.kind]}</dd>
  <dt>被检查机构</dt><dd>${r.institution.name}（${r.institution.kindLabel}）<br><span class="muted">${r.institution.address} · 统一社会信用代码 ${r.institution.creditCode}</span></dd>
  ${i.scheduledDate ? html`<dt>计划日期</dt><dd>${formatChineseDate(i.scheduledDate)}</dd>` : ''}
  <dt>检查时间</dt><dd>${i.startedAt ? `${formatChineseDateTime(i.startedAt)} 开始，` : ''}${i.submittedAt ? `${formatChineseDateTime(i.submittedAt)} 提交` : ''}</dd>
  <dt>检查地点 GPS</dt><dd>${v.gps.length ? html`${gpsText(v.gps[0])}${v.gps.length > 1 ? html` <span class="muted">（共 ${v.gps.length} 张照片带定位，逐张见下）</span>` : ''}` : html`<span class="muted">照片未带定位信息</span>`}</dd>
  ${v.trail ? html`<dt>作答轨迹</dt><dd class="trail-summary" data-role="trail-summary">${v.trail.summary}${v.trail.warnings.map((w) => html`<br><span class="tag warn trail-warning">${w}</span>`)}</dd>` : ''}
  <dt>检查清单</dt><dd>${r.checklist.title}（${r.checklist.code} 第 ${r.checklist.versionNo} 版）<br><span class="muted">内容摘要 ${r.checklist.contentHash.slice(0, 12)}</span></dd>
  <dt>检查组</dt><dd>${r.team.map((m) => `${m.displayName}（${m.roleLabel}）`).join('、')}</dd>
  ${verificationDd(v.verification)}
  <dt>结果</dt><dd>合格 ${v.counts.pass} · <strong>不合格 ${v.counts.fail}</strong> · 不适用 ${v.counts.na}${r.notAnswered > 0 ? html`<span class="muted">（另有 ${r.notAnswered} 项不适用于本机构，未列出）</span>` : ''}</dd>
</dl>
<div class="review-actions">
  ${v.report.state === 'rendered' ? html`<a class="button" href="${v.report.href}">检查记录（PDF）</a>`
    : v.report.state === 'failed' ? html`<p class="error">检查记录 PDF 生成失败，系统将自动重试；如长时间未生成，请联系管理员。</p>`
    : html`<p class="muted">检查记录 PDF 正在生成，请稍后刷新。</p>`}
  ${v.notice ? html`<a class="button" href="/notices/${v.notice.id}">查看整改通知书 ${v.notice.noticeNo}</a>`
    : v.can.issueNotice ? html`<a class="button primary-action" href="${v.links.preview}">下达整改通知书</a>` : ''}
  ${v.institutionRating ? html`<a class="button" href="${v.institutionRating.href}">${v.institutionRating.label}</a>` : ''}
</div></section>
${v.rating.readable ? html`<section class="card" aria-labelledby="review-rating"><h2 id="review-rating" class="card-title">机构评价</h2>
${v.rating.shown ? html`<dl class="profile">${v.rating.shown.scores.map((x) => html`<dt>${x.title}</dt><dd><strong>${x.value} 分</strong> ${x.word}</dd>`)}
  <dt>评价意见</dt><dd>${v.rating.shown.comment ?? html`<span class="muted">（未填写）</span>`}</dd><dt>评价时间</dt><dd>${v.rating.shown.ratedAt}</dd></dl>
  <p class="muted">评价只有主管部门可见，检查人员看不到。</p>`
    : html`<p class="muted">${v.rating.pendingText}</p>`}</section>` : ''}

<h2 id="items-heading">检查项目</h2>
<nav class="tabs" aria-label="筛选检查项目">
  <a class="tab ${v.failedOnly ? '' : 'active'}" href="${v.links.all}"${v.failedOnly ? '' : html` aria-current="page"`}>全部项目（${v.counts.all}）</a>
  <a class="tab ${v.failedOnly ? 'active' : ''}" href="${v.links.failed}"${v.failedOnly ? html` aria-current="page"` : ''}>只看不合格项（${v.counts.fail}）</a>
</nav>
${v.categories.length === 0 ? html`<div class="empty">${v.failedOnly ? '本次检查没有不合格项。' : '本次检查没有作答的项目。'}</div>` : v.categories.map((c) => html`
<h3 class="review-category">${c.title} <span class="muted">${categoryCounts(c.items)}</span>${v.trail?.sections[c.code] ? html` <span class="tag warn trail-bulk-na">${v.trail.sections[c.code]}</span>` : ''}</h3>
<div class="table-wrap"><table class="data review-table">
  <caption class="visually-hidden">${c.title}：检查项目、结论、问题记录和照片</caption>
  <thead><tr><th scope="col">检查项</th><th scope="col">结论</th><th scope="col">问题记录</th><th scope="col">照片</th></tr></thead>
  <tbody>${c.items.map((item) => html`<tr id="item-${item.code}">
    <td class="review-item"><strong>${item.code}</strong> ${item.title}<br><span class="muted">${item.check}</span>${item.basis ? html`<br><span class="muted">依据：${item.basis}</span>` : ''}${v.trail?.items[item.code] ? html`<br><span class="trail-item${v.trail.items[item.code].far ? ' trail-far' : ''}">${v.trail.items[item.code].text}</span>` : ''}</td>
    <td><span class="result ${RESULT_CLASS[item.result]}">${label('responseResult', item.result)}</span></td>
    <td>${reviewFinding(item)}</td>
    <td>${reviewPhotos(item, v.markupChanged)}</td></tr>`)}</tbody>
</table></div>`)}

<h2>签名</h2>
${r.signatures.length ? html`<ul class="review-signatures">${r.signatures.map((s) => html`<li class="card">
  <img src="/api/evidence/${s.evidenceId}" width="240" height="90" alt="${s.label}签名：${s.name}">
  <p><strong>${s.label}</strong> ${s.name}<br><span class="muted">${formatChineseDateTime(s.signedAt)}</span></p></li>`)}</ul>`
    : html`<div class="empty">没有签名记录。</div>`}

<h2>发现的隐患（${r.hazards.length}）</h2>
${r.hazards.length ? hazardRows(r.hazards, v.today) : html`<div class="empty">本次检查未发现隐患。</div>`}`;
}
