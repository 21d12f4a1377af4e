import { formatChineseDate, formatChineseDateTime } from '../common/calendar';
import { Html, html } from '../common/html';
import type { Inspection } from '../inspections/inspection.entity';
import { HAZARD_STATUS_LABELS, INSPECTION_KIND_LABELS, INSPECTION_STATUS_LABELS } from '../common/labels';
import type { TeamMemberView } from '../inspections/inspections.repository';
import type { Hazard } from '../hazards/hazard.entity';
import type { InspectionListPage, InspectionPage } from './view-models';

export { HAZARD_STATUS_LABELS, INSPECTION_STATUS_LABELS };

type InspectionRow = Inspection & { institutionName: string; team: TeamMemberView[] };

export function inspectionRows(items: InspectionRow[], empty: Html): Html {
  if (!items.length) return html`<div class="empty">${empty}</div>`;
  return html`<ul class="list">${items.map((i) => html`<li><a href="/inspections/${i.id}">
    <span class="name">${i.institutionName}</span><br>
    <span class="tag ${i.status === 'submitted' ? '' : 'warn'}">${INSPECTION_STATUS_LABELS[i.status]}</span><span class="tag">${INSPECTION_KIND_LABELS[i.kind]}</span>
    <span class="muted">${i.scheduledDate ? `计划 ${formatChineseDate(i.scheduledDate)}` : ''} · 检查组：${i.team.map((m) => m.displayName).join('、')}</span></a></li>`)}</ul>`;
}

export function inspectionListPage(v: InspectionListPage): Html {
  const { list: page, status } = v;
  const tabs = [['', '全部'], ['assigned', '待检查'], ['in_progress', '检查中'], ['submitted', '已提交']];
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const link = (p: number) => `/inspections?${new URLSearchParams({ ...(status ? { status } : {}), page: String(p) })}`;
  return html`
<h1>${v.ownTasks ? '我的检查任务' : '检查'}</h1>
<nav class="tabs" aria-label="按状态筛选">${tabs.map(([k, label]) => html`<a class="tab ${status === k ? 'active' : ''}" href="/inspections${k ? `?status=${k}` : ''}" ${status === k ? html`aria-current="page"` : ''}>${label}</a>`)}</nav>
<p class="muted" aria-live="polite">共 ${page.total} 次检查</p>
${inspectionRows(page.items, html`没有符合条件的检查。${v.ownTasks ? '监管人员安排检查（含“双随机”抽取）后，任务会出现在这里。' : ''}`)}
${pages > 1 ? html`<nav class="pager" aria-label="分页">
  ${page.page > 1 ? html`<a class="button" href="${link(page.page - 1)}">上一页</a>` : html`<span></span>`}
  ${page.page < pages ? html`<a class="button" href="${link(page.page + 1)}">下一页</a>` : html`<span></span>`}</nav>` : ''}`;
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

export function inspectionDetailPage(v: InspectionPage): Html {
  const i = v.inspection;
  const count = (r: string) => v.responses.filter((x) => x.result === r).length;
  return html`
<p><a href="/inspections">← 检查列表</a></p>
<h1>${v.institution.name}</h1>
<section class="card"><dl class="profile">
  <dt>检查类型</dt><dd>${INSPECTION_KIND_LABELS[i.kind]}</dd>
  <dt>状态</dt><dd>${INSPECTION_STATUS_LABELS[i.status]}</dd>
  ${i.scheduledDate ? html`<dt>计划日期</dt><dd>${formatChineseDate(i.scheduledDate)}</dd>` : ''}
  <dt>检查组</dt><dd>${v.team.map((m) => `${m.displayName}${m.role === 'lead' ? '（组长）' : ''}`).join('、')}</dd>
  ${i.submittedAt ? html`<dt>提交时间</dt><dd>${formatChineseDateTime(i.submittedAt)}</dd><dt>记录编号</dt><dd>${i.reportNo}</dd>
    <dt>结果</dt><dd>合格 ${count('pass')} · 不合格 ${count('fail')} · 不适用 ${count('na')}</dd>` : ''}
</dl></section>
${v.can.fill ? html`<p><a class="button" href="/inspections/${i.id}/fill">${i.status === 'assigned' ? '开始检查' : '继续检查'}</a></p>` : ''}
${i.status === 'submitted' ? html`
  <p>${i.reportStatus === 'rendered' ? html`<a class="button" href="/api/inspections/${i.id}/report.pdf">下载检查记录（PDF）</a>`
      : i.reportStatus === 'failed' ? html`<span class="error">检查记录生成失败，系统将自动重试；如长时间未生成，请联系管理员。</span>` : html`<span class="muted">检查记录 PDF 正在生成，请稍后刷新。</span>`}</p>
  ${v.can.issueNotice ? html`<form method="post" action="/inspections/${i.id}/notice">
    <input type="hidden" name="_csrf" value="${v.csrf}"><button class="primary" type="submit">下达整改通知书</button></form>` : ''}
  <h2>发现的隐患（${v.hazards.length}）</h2>
  ${v.hazards.length ? hazardRows(v.hazards, v.today) : html`<div class="empty">本次检查未发现隐患。</div>`}` : ''}`;
}
