import { describeField } from '../checklists/domain/institution-profile';
import { formatChineseDateTime } from '../common/calendar';
import { Html, html } from '../common/html';
import { CHANGE_REQUEST_STATUS_LABELS, GAS_LABELS, labelMap } from '../common/labels';
import { Page } from '../common/pagination';
import { CHANGE_REQUEST_STATUSES, CONFIRMED_FIELDS } from '../institutions/change-request';
import type { ChangeRequestRow } from '../institutions/change-requests.repository';
import type { Institution, ProfileField } from '../institutions/institution.entity';
import type { ChangeRequestActions, ChangeRequestPage, Flash, InstitutionChangePage } from './view-models';

export type { Flash };

const field = (id: string, label: string, input: Html, hint?: string) =>
  html`<div class="field"><label for="${id}">${label}</label>${input}${hint ? html`<p class="muted">${hint}</p>` : ''}</div>`;

export const fieldLabel = (f: string): string => describeField(f)?.zh ?? f;

/** A stored value as people read it. */
export function showValue(f: string, v: unknown): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'boolean') return v ? '有' : '无';
  if (f === 'gasSupply') return GAS_LABELS[String(v)] ?? String(v);
  if (f === 'fireResistanceGrade') return `${v} 级`;
  return String(v);
}

/** The raw form value of a stored value (what the input shows). */
export function formValue(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v);
}

function flashBlock(flash: Flash): Html {
  return html`${flash.ok ? html`<p class="ok" role="status">${flash.ok}</p>` : ''}
${flash.errors?.length ? html`<div class="error" role="alert"><p>请检查以下内容：</p><ul>${flash.errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}`;
}

const statusTag = (status: string) => html`<span class="tag${status === 'pending' ? ' warn' : ''}">${CHANGE_REQUEST_STATUS_LABELS[status] ?? status}</span>`;

/** Before and after side by side; with the current row when the request is still pending, so a stale value shows. */
function comparison(r: ChangeRequestRow, current: Institution | null): Html {
  const fields = Object.keys(r.after) as ProfileField[];
  const showCurrent = r.status === 'pending' ? current : null;
  return html`<div class="table-wrap"><table class="data"><caption class="muted">变更前后对照</caption>
<thead><tr><th scope="col">项目</th><th scope="col">原值（已确认）</th><th scope="col">申请值</th>${showCurrent ? html`<th scope="col">当前档案</th>` : ''}</tr></thead>
<tbody>${fields.map((f) => {
    const stale = showCurrent && formValue(showCurrent[f]) !== formValue(r.before[f]);
    return html`<tr><th scope="row">${fieldLabel(f)}</th><td>${showValue(f, r.before[f])}</td><td><b>${showValue(f, r.after[f])}</b></td>
    ${showCurrent ? html`<td>${showValue(f, showCurrent[f])}${stale ? html` <span class="tag warn">申请后已变化</span>` : ''}</td>` : ''}</tr>`;
  })}</tbody></table></div>`;
}

function requestFacts(r: ChangeRequestRow): Html {
  return html`<dl class="profile">
  <dt>机构</dt><dd><a href="/institutions/${r.institutionId}">${r.institutionName}</a></dd>
  <dt>状态</dt><dd>${statusTag(r.status)}</dd>
  <dt>申请人</dt><dd>${r.requestedByName}（${formatChineseDateTime(new Date(r.requestedAt))}）</dd>
  <dt>变更理由</dt><dd>${r.reason}</dd>
  <dt>佐证材料</dt><dd>${r.attachmentEvidenceId ? html`<a href="/api/institutions/${r.institutionId}/change-requests/${r.id}/attachment">查看佐证材料</a>` : '未上传'}</dd>
  ${r.decidedAt ? html`<dt>${r.status === 'withdrawn' ? '撤回' : '审核'}</dt><dd>${r.decidedByName ?? ''}（${formatChineseDateTime(new Date(r.decidedAt))}）</dd>` : ''}
  ${r.decisionNote ? html`<dt>审核意见</dt><dd>${r.decisionNote}</dd>` : ''}
</dl>`;
}

/** The forms this viewer may use on a request (decided in the view model; the service would refuse any other). */
function actionForms(r: ChangeRequestRow, may: ChangeRequestActions, csrf: string): Html {
  const base = `/change-requests/${r.id}`;
  return html`${may.approve ? html`<form method="post" action="${base}/approve"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="version" value="${r.version}">
  ${field('approve-note', '审核意见（可选）', html`<textarea id="approve-note" name="note" rows="2"></textarea>`)}
  <button class="primary wide" type="submit">确认变更</button></form>` : ''}
${may.reject ? html`<details><summary>不予确认</summary><form method="post" action="${base}/reject"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="version" value="${r.version}">
  ${field('reject-note', '不予确认的理由', html`<textarea id="reject-note" name="note" rows="2" required></textarea>`)}
  <button class="primary secondary" type="submit">不予确认</button></form></details>` : ''}
${may.withdraw ? html`<form method="post" action="${base}/withdraw"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="version" value="${r.version}">
  <button class="primary secondary" type="submit">撤回申请</button></form>` : ''}`;
}

/** The bureau's list (and the institution's own): pending first by default. */
export function changeRequestListPage(page: Page<ChangeRequestRow>, status: string): Html {
  const pages = Math.max(1, Math.ceil(page.total / page.pageSize));
  const link = (p: number) => `/change-requests?${new URLSearchParams({ status, page: String(p) }).toString()}`;
  const tabs: [string, string][] = [...CHANGE_REQUEST_STATUSES.map((s) => [s, CHANGE_REQUEST_STATUS_LABELS[s]] as [string, string]), ['all', '全部']];
  return html`<h1>档案变更审核</h1>
<p class="muted">机构申请变更床位、在住老人或建筑档案，经确认后才写入档案；确认前补贴、适用检查项和评分均按已确认的档案计算。</p>
<nav class="tabs" aria-label="按状态筛选">${tabs.map(([k, v]) => html`<a class="tab${k === status ? ' active' : ''}" href="/change-requests?status=${k}"${k === status ? html` aria-current="page"` : ''}>${v}</a>`)}</nav>
<p class="muted" aria-live="polite">共 ${page.total} 份申请</p>
${page.items.length === 0 ? html`<div class="empty">没有${status === 'all' ? '' : CHANGE_REQUEST_STATUS_LABELS[status]}的档案变更申请。</div>`
    : html`<ul class="list">${page.items.map((r) => html`<li><a href="/change-requests/${r.id}">
  <span class="name">${r.institutionName}</span> ${statusTag(r.status)}<br>
  <span class="muted">${Object.keys(r.after).map(fieldLabel).join('、')} · ${r.requestedByName} · ${formatChineseDateTime(new Date(r.requestedAt))}</span></a></li>`)}</ul>`}
${pages > 1 ? html`<nav class="pager" aria-label="分页">
  ${page.page > 1 ? html`<a class="button" href="${link(page.page - 1)}">上一页</a>` : html`<span></span>`}
  ${page.page < pages ? html`<a class="button" href="${link(page.page + 1)}">下一页</a>` : html`<span></span>`}</nav>` : ''}`;
}

export function changeRequestDetailPage(v: ChangeRequestPage): Html {
  const r = v.request;
  return html`<p><a href="${v.back.href}">← ${v.back.label}</a></p>
<h1>档案变更申请 · ${r.institutionName}</h1>
${flashBlock(v.flash)}
<section class="card">${requestFacts(r)}</section>
${comparison(r, v.current)}
${r.status === 'pending' ? html`<section class="card" aria-labelledby="decide-h"><h2 id="decide-h">${v.reviewing ? '审核' : '等待主管部门审核'}</h2>
<p class="muted">${v.reviewing ? '确认后机构档案即更新为申请值；若申请后档案已被修改（原值不符），系统将拒绝确认。' : '确认前，补贴、适用检查项和评分仍按当前已确认的档案计算。'}</p>
${actionForms(r, v.can, v.csrf)}</section>` : ''}`;
}

/** The institution's page: its pending request with before/after, or the form to file one; and past requests. */
export function institutionChangePage(v: InstitutionChangePage): Html {
  const i = v.institution;
  const csrf = v.csrf;
  const value = (f: ProfileField) => v.draft?.[f] ?? formValue(i[f]);
  return html`<p><a href="/institutions/${i.id}">← ${i.name}</a></p>
<h1>档案变更申请</h1>
${flashBlock(v.flash)}
<p class="muted">床位、各照护等级在住老人数和建筑档案决定运营补贴和适用的检查项，须经主管部门确认后生效；确认前一律按当前已确认的档案（第 ${i.version} 版）计算。联系人、电话和地址由机构直接维护。</p>
${v.pending ? html`<section class="card" aria-labelledby="pending-h"><h2 id="pending-h">待审核的变更申请</h2>
${requestFacts(v.pending)}${comparison(v.pending, v.reviewing ? i : null)}
${v.can.pending ? actionForms(v.pending, v.can.pending, csrf) : ''}
<p><a href="/change-requests/${v.pending.id}">查看申请详情</a></p></section>` : ''}
${v.can.file ? html`<section class="card" aria-labelledby="file-h"><h2 id="file-h">申请变更档案</h2>
<p class="muted">修改需要变更的项目（其余保持不变），填写理由，可附佐证材料图片（如床位核定文件）。</p>
<form method="post" action="/institutions/${i.id}/change-requests?_csrf=${encodeURIComponent(csrf)}" enctype="multipart/form-data">
  <input type="hidden" name="version" value="${i.version}">
  <div class="grid2">${CONFIRMED_FIELDS.filter((f) => !LEGACY_FORM_FIELDS.has(f)).map((f) => profileInput(f, value(f)))}</div>
  ${field('cr-reason', '变更理由', html`<textarea id="cr-reason" name="reason" rows="3" required>${v.draft?.reason ?? ''}</textarea>`)}
  ${field('cr-attachment', '佐证材料（可选）', html`<input type="file" id="cr-attachment" name="attachment" accept="image/*">`, '图片，如床位核定批复、消防验收文件的照片')}
  <button class="primary wide" type="submit">提交变更申请</button>
</form></section>` : ''}
${v.reviewing && !v.pending ? html`<p class="muted">本机构没有待审核的档案变更申请。主管部门账号可在机构档案中直接修改（留有审计记录）。</p>` : ''}
<section aria-labelledby="history-h"><h2 id="history-h">历次申请</h2>
${v.history.length === 0 ? html`<div class="empty">暂无已处理的档案变更申请。</div>` : html`<ul class="list">${v.history.map((r) => html`<li><a href="/change-requests/${r.id}">
  ${statusTag(r.status)} <span class="muted">${Object.keys(r.after).map(fieldLabel).join('、')} · ${formatChineseDateTime(new Date(r.requestedAt))}</span></a></li>`)}</ul>`}
</section>`;
}

/** `lowestFloor` follows `facilityLowestFloor` (withLegacyFloors): the form asks for the facility's floors only. */
const LEGACY_FORM_FIELDS = new Set<string>(['lowestFloor']);

function profileInput(f: ProfileField, value: string): Html {
  const d = describeField(f);
  const id = `cr-${f}`;
  const label = d?.zh ?? f;
  if (!d) return html``;
  if (d.spec.type === 'boolean') {
    return field(id, label, html`<select id="${id}" name="${f}"><option value="true" ${value === 'true' ? html`selected` : ''}>有</option><option value="false" ${value === 'false' ? html`selected` : ''}>无</option></select>`);
  }
  if (d.spec.type === 'enum') {
    const labels: Record<string, string> = f === 'gasSupply' ? GAS_LABELS : f === 'hostBuildingUse' ? labelMap('hostBuildingUse') : {};
    const empty = d.spec.nullable ? html`<option value="" ${value === '' ? html`selected` : ''}>未填写</option>` : '';
    return field(id, label, html`<select id="${id}" name="${f}">${empty}${d.spec.values.map((o) => html`<option value="${o}" ${value === o ? html`selected` : ''}>${labels[o] ?? o}</option>`)}</select>`);
  }
  return field(id, label, html`<input type="text" inputmode="decimal" id="${id}" name="${f}" value="${value}">`, d.spec.nullable ? '无则留空' : undefined);
}
