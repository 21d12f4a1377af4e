import { formatChineseDate, formatChineseDateTime } from '../common/calendar';
import { Html, html } from '../common/html';
import { label, labelEntries, SCOPE_LABELS } from '../common/labels';
import { HAZARD_STATUS_LABELS } from './inspection-pages';
import type { HazardAction } from '../rectification/domain/hazard-lifecycle';
import type { HazardPage, LedgerView, MajorDecisionView, PlanView, TimelineEntry } from './hazard-view';

const field = (id: string, label: string, input: Html, hint?: string) =>
  html`<div class="field"><label for="${id}">${label}</label>${input}${hint ? html`<p class="muted">${hint}</p>` : ''}</div>`;

/** 隐患台账: the filter form, the removable chips, the export links (same filters), the table and the pager. */
export function ledgerPage(v: LedgerView, nav: { summary: Html; nav: Html | string }): Html {
  const f = v.filters;
  const sel = (name: string, text: string, options: readonly [string, string][], all = '全部') => html`<div><label for="f-${name}">${text}</label>
    <select id="f-${name}" name="${name}"><option value="">${all}</option>${options.map(([val, l]) => html`<option value="${val}" ${f[name] === val ? html`selected` : ''}>${l}</option>`)}</select></div>`;
  const date = (name: string, text: string) => html`<div><label for="f-${name}">${text}</label><input type="date" id="f-${name}" name="${name}" value="${f[name] ?? ''}"></div>`;
  return html`<link rel="stylesheet" href="/static/ledger.css">
<h1>隐患台账</h1>
<form class="card filters ledger-filters" method="get" action="/hazards" role="search" aria-label="筛选隐患">
  <div class="ledger-q"><label for="f-q">搜索</label><input type="search" id="f-q" name="q" value="${f.q ?? ''}" maxlength="100" placeholder="隐患名称、情况说明或机构名称" aria-describedby="f-q-hint">
    <p class="muted" id="f-q-hint">可输入部分文字，例如“消防通道”或机构名称中的几个字</p></div>
  ${v.streets.length ? sel('divisionCode', '街道', v.streets) : ''}
  ${sel('category', '类别', v.categories)}
  ${sel('severity', '等级', labelEntries('severity'))}
  ${sel('status', '状态', Object.entries(HAZARD_STATUS_LABELS))}
  ${sel('overdue', '逾期', [['true', '已逾期'], ['false', '未逾期']])}
  ${sel('listed', '挂牌督办', [['true', '挂牌督办中']])}
  ${date('dueFrom', '整改期限自')}${date('dueTo', '整改期限至')}
  ${date('foundFrom', '发现日期自')}${date('foundTo', '发现日期至')}
  <div><label for="f-sort">排序</label><select id="f-sort" name="sort">${v.sorts.map(([val, l]) => html`<option value="${val}" ${v.sort === val ? html`selected` : ''}>${l}</option>`)}</select></div>
  ${v.chips.map((c) => html`<input type="hidden" name="${c.name}" value="${c.value}">`)}
  <div class="ledger-actions"><button class="primary" type="submit">筛选</button> <a class="button secondary" href="/hazards">清除筛选</a></div>
</form>
${v.chips.length ? html`<p class="ledger-chips" aria-label="其他筛选条件">${v.chips.map((c) => html`<span class="tag">${c.label} <a href="${c.removeHref}" aria-label="取消筛选：${c.label}">×</a></span> `)}</p>` : ''}
<div class="ledger-bar">${nav.summary}${v.exports ? html`<p class="ledger-exports">导出当前筛选结果（全部 ${v.total} 条）：<a class="button" href="${v.exports.csv}" download>导出 CSV</a> <a class="button" href="${v.exports.xlsx}" download>导出 XLSX</a></p>` : ''}</div>
${v.rows.length ? html`<div class="table-wrap"><table class="data ledger-table">
  <caption class="ledger-caption">隐患台账，共 ${v.total} 条</caption>
  <thead><tr><th scope="col">隐患</th><th scope="col">机构</th><th scope="col">街道</th><th scope="col">类别</th><th scope="col">等级</th><th scope="col">状态</th><th scope="col">发现日期</th><th scope="col">整改期限</th><th scope="col">来源检查</th></tr></thead>
  <tbody>${v.rows.map((r) => html`<tr data-hazard-id="${r.id}">
    <td><a href="${r.href}">${r.itemCode} ${r.title}</a></td>
    <td><a href="${r.institutionHref}" title="只看该机构的隐患">${r.institutionName}</a></td>
    <td>${r.streetName}</td><td>${r.categoryName}</td>
    <td class="ledger-date">${r.severity === 'major' ? html`<span class="tag warn">${r.severityLabel}</span>` : r.severityLabel}</td>
    <td>${r.statusLabel}${r.countdown ? html` <span class="tag${r.countdown.warn ? ' warn' : ''}">${r.countdown.text}</span>` : ''}</td>
    <td class="ledger-date">${formatChineseDate(r.foundOn)}</td><td class="ledger-date">${formatChineseDate(r.dueDate)}</td>
    <td><a href="${r.inspectionHref}" title="只看这次检查发现的隐患">同次检查</a></td>
  </tr>`)}</tbody></table></div>`
    : html`<div class="empty">${v.filtered ? html`没有符合条件的隐患。可放宽筛选条件，或 <a href="/hazards">清除筛选</a> 查看全部。` : '暂无隐患。检查提交后，发现的隐患会列在这里。'}</div>`}
${nav.nav}`;
}

/**
 * A hazard and the actions the lifecycle allows the viewer now (`v.can`); `reasons` — action → why the viewer may
 * not take it (only actions the viewer's role could take) — explains a withheld verification or decision.
 */
export function hazardDetailPage(v: HazardPage, reasons: Partial<Record<HazardAction, string>> = {}): Html {
  const { hazard: h, history, csrf, today, flash, pendingExtension, pendingObjection } = v;
  const why = (action: HazardAction) => (reasons[action] ? html`<p class="muted">${reasons[action]}</p>` : html`<p class="muted">待处理</p>`);
  return html`<link rel="stylesheet" href="/static/ledger.css"><link rel="stylesheet" href="/static/workspace.css">
<p><a href="${v.back.href}">← ${v.back.label}</a></p>
<h1>${h.itemCode} ${h.titleZh}</h1>
${flash.ok ? html`<p class="ok" role="status">${flash.ok}</p>` : ''}
${flash.errors?.length ? html`<div class="error" role="alert"><p>请检查以下内容：</p><ul>${flash.errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}
<section class="card"><dl class="profile">
  <dt>状态</dt><dd>${HAZARD_STATUS_LABELS[h.status]}${h.overdue ? html` <span class="tag warn">已逾期</span>` : ''}</dd>
  <dt>等级</dt><dd>${h.severity === 'major' ? `重大隐患（${h.majorCriterion}）${h.listed ? '，挂牌督办' : ''}` : h.majorStatus === 'suspected' ? '一般隐患（疑似重大隐患，待认定）' : '一般隐患'}</dd>
  <dt>整改期限</dt><dd>${formatChineseDate(h.dueDate)}</dd>
  ${v.objectionDeadline ? html`<dt>陈述申辩期限</dt><dd>${formatChineseDate(v.objectionDeadline)}</dd>` : ''}
  <dt>位置</dt><dd>${h.location}（${SCOPE_LABELS[h.scope]}）</dd>
  <dt>情况</dt><dd>${h.note}</dd>
  ${h.planDueDate ? html`<dt>五到位方案</dt><dd>${history.plan ? '已提交' : `须于 ${formatChineseDate(h.planDueDate)} 前提交`}</dd>` : ''}
</dl>
${v.calendarWarnings.length ? html`<div role="note" class="calendar-warnings">${v.calendarWarnings.map((w) => html`<p><span class="tag warn">工作日历提示</span> ${w}</p>`)}</div>` : ''}
</section>
${v.major ? majorSection(h.id, v.major, csrf) : ''}
${v.plan ? planSection(v.plan, csrf) : ''}
${photoComparison(v.photos)}

${history.responses.length ? html`<h2>整改记录</h2>${history.responses.map((r: { id: string; whatWasFixed: string; otherPlacesChecked: string; lastingChange: string; responsiblePerson: string; completedOn: string; submittedAt: Date; submittedByName: string; evidenceIds: string[] }) => {
    const verification = history.verifications.find((x: { responseId: string }) => x.responseId === r.id) as { accepted: boolean; reason: string | null; verifierName: string; verifiedAt: Date } | undefined;
    return html`<section class="card"><p class="muted">${formatChineseDateTime(r.submittedAt)} · ${r.submittedByName}</p><dl class="profile">
      <dt>整改内容</dt><dd>${r.whatWasFixed}</dd><dt>举一反三</dt><dd>${r.otherPlacesChecked}</dd><dt>长效措施</dt><dd>${r.lastingChange}</dd>
      <dt>责任人</dt><dd>${r.responsiblePerson}</dd><dt>完成日期</dt><dd>${formatChineseDate(r.completedOn)}</dd></dl>
      ${r.evidenceIds.length ? beforeAfter(v.photos.before, r.evidenceIds) : ''}
      ${verification ? html`<p class="${verification.accepted ? 'ok' : 'error'}">${verification.accepted ? '复核通过，已销号' : `复核退回：${verification.reason}`}（${verification.verifierName}，${formatChineseDateTime(verification.verifiedAt)}）</p>` : html`<p class="muted">待复核</p>`}
    </section>`;
  })}` : ''}

${timelineSection(v.timeline)}
${v.can.changeDeadline ? deadlineForm(h.id, csrf, h.dueDate, today, v.deadlinePolicy, v.forms.deadline) : ''}
${reinspectionSection(v, csrf)}
${v.can.respond ? html`<section class="card" aria-labelledby="respond-h"><h2 id="respond-h">提交整改情况</h2>
<form method="post" action="/hazards/${h.id}/respond?_csrf=${encodeURIComponent(csrf)}" enctype="multipart/form-data">
  ${field('whatWasFixed', '整改了什么', html`<textarea id="whatWasFixed" name="whatWasFixed" rows="3" required></textarea>`)}
  ${field('otherPlacesChecked', '举一反三：还检查了哪些地方', html`<textarea id="otherPlacesChecked" name="otherPlacesChecked" rows="2" required></textarea>`)}
  ${field('lastingChange', '长效措施', html`<textarea id="lastingChange" name="lastingChange" rows="2" required></textarea>`)}
  ${field('responsiblePerson', '整改责任人', html`<input type="text" id="responsiblePerson" name="responsiblePerson" required>`)}
  ${field('completedOn', '完成日期', html`<input type="date" id="completedOn" name="completedOn" value="${today}" max="${today}" required>`)}
  ${field('photos', '整改后照片', html`<input type="file" id="photos" name="photos" accept="image/*" capture="environment" multiple>`, '可拍照或从相册选择，最多 6 张')}
  <button class="primary wide" type="submit">提交整改情况</button>
</form></section>` : ''}
${v.can.extend ? html`<details class="card"><summary>申请延期</summary>
<form method="post" action="/hazards/${h.id}/extension"><input type="hidden" name="_csrf" value="${csrf}">
  ${field('requestedDueDate', '申请延期至', html`<input type="date" id="requestedDueDate" name="requestedDueDate" min="${h.dueDate}" required>`)}
  ${field('reason', '延期理由', html`<textarea id="reason" name="reason" rows="2" required></textarea>`)}
  <button class="primary" type="submit">提交延期申请</button></form></details>` : ''}
${v.can.object ? html`<details class="card"><summary>陈述申辩（${v.objectionDeadline ? `${formatChineseDate(v.objectionDeadline)} 前` : '整改通知书送达后起算'}）</summary>
<form method="post" action="/hazards/${h.id}/objection"><input type="hidden" name="_csrf" value="${csrf}">
  ${field('statement', '陈述申辩内容', html`<textarea id="statement" name="statement" rows="3" required></textarea>`)}
  <button class="primary" type="submit">提交陈述申辩</button></form></details>` : ''}

${pendingExtension ? html`<section class="card"><h2>延期申请</h2><p>申请延期至 ${formatChineseDate(pendingExtension.requestedDueDate)}：${pendingExtension.reason}</p>
${v.can.decideExtension ? decisionForm(`/extensions/${pendingExtension.id}/decide`, csrf, '同意延期', '不同意') : reasons.extend_decide ? why('extend_decide') : html`<p class="muted">待审批</p>`}</section>` : ''}
${pendingObjection ? html`<section class="card"><h2>陈述申辩</h2><p>${pendingObjection.statement}</p>
${v.can.decideObjection ? decisionForm(`/objections/${pendingObjection.id}/decide`, csrf, '采纳申辩（撤销该隐患）', '不予采纳') : reasons.object_decide ? why('object_decide') : html`<p class="muted">待处理（由非检查组成员处理）</p>`}</section>` : ''}

${v.can.verify ? html`<section class="card" aria-labelledby="verify-h"><h2 id="verify-h">复核</h2>
<form method="post" action="/hazards/${h.id}/verify"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="accept" value="true">
  <label class="check"><input type="checkbox" name="onSite" value="true"> 已现场核查</label>
  <button class="primary wide" type="submit">复核通过，销号</button></form>
<details><summary>退回整改</summary>
<form method="post" action="/hazards/${h.id}/verify"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="accept" value="false">
  ${field('v-reason', '退回原因', html`<textarea id="v-reason" name="reason" rows="2" required></textarea>`)}
  ${field('v-due', '新的整改期限', html`<input type="date" id="v-due" name="newDueDate" min="${today}" required>`)}
  <button class="primary" type="submit">退回</button></form></details></section>` : h.status === 'responded' && reasons.accept
    ? html`<section class="card" aria-labelledby="verify-h"><h2 id="verify-h">复核</h2>${why('accept')}</section>` : ''}`;
}

/** One side of a before/after pair: the photos (each opens full size) or why there are none. */
const photoSide = (title: string, ids: readonly string[], alt: string, empty: string) => html`<figure class="hazard-photos-side"><figcaption>${title}（${ids.length}）</figcaption>
    ${ids.length ? html`<p class="photos">${ids.map((id, i) => html`<a href="/api/evidence/${id}"><img class="thumb" src="/api/evidence/${id}" alt="${alt} ${i + 1}" width="120" height="120" loading="lazy"></a>`)}</p>` : html`<p class="muted">${empty}</p>`}</figure>`;

/** 整改前 / 整改后: the inspection's evidence of this item beside the institution's after-photos (side by side on a phone too). */
function photoComparison(p: HazardPage['photos']): Html | string {
  if (!p.before.length && !p.after.length) return '';
  return html`<section class="card" aria-labelledby="photos-h"><h2 id="photos-h">整改前后照片</h2><div class="ws-compare" data-compare="all">
  ${photoSide('整改前（检查取证）', p.before, '整改前照片', '检查时未拍照取证。')}
  ${photoSide('整改后（机构回复）', p.after, '整改后照片', '机构尚未上传整改后照片。')}</div></section>`;
}

/** A response's after-photos beside the inspector's before-photos of the same item. */
function beforeAfter(before: readonly string[], after: readonly string[]): Html {
  return html`<div class="ws-compare" data-compare="response">
  ${photoSide('整改前', before, '检查取证照片', '检查时未拍照取证。')}
  ${photoSide('本次整改后', after, '本次整改后照片', '本次未上传照片。')}</div>`;
}

/** 五到位整改方案: read-only once filed; before that the form for the institution (errors beside the fields they name). */
function planSection(p: PlanView, csrf: string): Html {
  const due = p.dueDate ? html`<p>${p.late ? html`<span class="tag warn">已超过提交期限</span> ` : ''}须于 ${formatChineseDate(p.dueDate)} 前提交“五到位”整改方案（措施、资金、时限、责任人、预案）。</p>` : '';
  if (p.filed) {
    return html`<section class="card ws-plan" aria-labelledby="plan-h"><h2 id="plan-h">“五到位”整改方案</h2>
<p class="ok">已于 ${formatChineseDateTime(p.filed.submittedAt)} 提交。</p>
<dl class="profile">${p.filed.fields.map((f) => html`<dt>${f.label}</dt><dd>${f.label === '完成时限' && /^\d{4}-\d{2}-\d{2}$/.test(f.value) ? formatChineseDate(f.value) : f.value}</dd>`)}</dl></section>`;
  }
  if (!p.form) return html`<section class="card ws-plan" aria-labelledby="plan-h"><h2 id="plan-h">“五到位”整改方案</h2>${due || ''}<p class="muted">机构尚未提交。</p></section>`;
  const f = p.form;
  return html`<section class="card ws-plan" aria-labelledby="plan-h"><h2 id="plan-h">提交“五到位”整改方案</h2>${due}
<form method="post" action="${f.action}" novalidate><input type="hidden" name="_csrf" value="${csrf}">
${f.fields.map((x) => {
    const described = [x.hint ? `${x.id}-hint` : '', x.error ? `${x.id}-error` : ''].filter(Boolean).join(' ');
    const attrs = html`id="${x.id}" name="${x.name}" required ${x.error ? html`aria-invalid="true"` : ''} ${described ? html`aria-describedby="${described}"` : ''}`;
    const input = x.name === 'deadline'
      ? html`<input type="date" ${attrs} min="${f.today}" value="${x.value}">`
      : x.rows ? html`<textarea ${attrs} rows="${x.rows}" maxlength="2000">${x.value}</textarea>` : html`<input type="text" ${attrs} maxlength="${x.name === 'funds' ? 500 : 64}" value="${x.value}">`;
    return html`<div class="field"><label for="${x.id}">${x.label}</label>${input}${x.hint ? html`<p class="muted" id="${x.id}-hint">${x.hint}</p>` : ''}${x.error ? html`<p class="field-error" id="${x.id}-error">${x.label}：${x.error}</p>` : ''}</div>`;
  })}
<p class="muted">提交后方案在本页只读显示，并记入审计日志；如需修改，请联系主管部门。</p>
<button class="primary wide" type="submit">提交整改方案</button></form></section>`;
}

/** 处理过程: the hazard's story, oldest first, with who and when. */
function timelineSection(entries: readonly TimelineEntry[]): Html | string {
  if (!entries.length) return '';
  return html`<section class="card" aria-labelledby="timeline-h"><h2 id="timeline-h">处理过程</h2><ol class="hazard-timeline">${entries.map((e) => html`<li>
    <time datetime="${e.at.toISOString()}">${formatChineseDateTime(e.at)}</time> <strong>${e.what}</strong> <span class="muted">${e.who}</span>${e.detail ? html`<br><span>${e.detail}</span>` : ''}</li>`)}</ol></section>`;
}

/** 修改整改期限: a new date within the pinned policy's maximum, with a reason (audited). */
function deadlineForm(hazardId: string, csrf: string, dueDate: string, today: string, policy: HazardPage['deadlinePolicy'], draft: { dueDate?: string; reason?: string } | undefined): Html {
  return html`<details class="card" id="deadline" ${draft ? html`open` : ''}><summary>修改整改期限</summary>
<form method="post" action="/hazards/${hazardId}/deadline"><input type="hidden" name="_csrf" value="${csrf}">
  <p>现整改期限：${formatChineseDate(dueDate)}。按该隐患适用的政策，今日设定的期限最长 ${policy.maxDays} 日，即不晚于 ${formatChineseDate(policy.latest)}；不能早于今日。修改后逾期督办重新计算，并记入审计日志。</p>
  ${field('d-due', '新的整改期限', html`<input type="date" id="d-due" name="dueDate" min="${today}" max="${policy.latest}" value="${draft?.dueDate ?? ''}" required>`)}
  ${field('d-reason', '调整理由', html`<textarea id="d-reason" name="reason" rows="2" maxlength="2000" required>${draft?.reason ?? ''}</textarea>`)}
  <button class="primary" type="submit">修改整改期限</button></form></details>`;
}

/** 安排复查: a re-inspection of the inspection's open items (date and team), or where the one already scheduled is. */
function reinspectionSection(v: HazardPage, csrf: string): Html | string {
  const r = v.reinspection;
  if (r.scheduled) {
    return html`<section class="card"><h2>现场复查</h2><p>已安排现场复查${r.scheduled.linked ? html`：<a href="/inspections/${r.scheduled.id}">查看复查任务</a>` : html`，复查组将按计划到场核查；复查结束后可在此查看复查记录。`}</p></section>`;
  }
  const previous = r.previous ? html`<p>上次现场复查已结束${r.previous.linked ? html`：<a href="/inspections/${r.previous.id}">查看复查记录</a>` : '。'}</p>` : '';
  if (!r.form) return r.previous ? html`<section class="card"><h2>现场复查</h2>${previous}</section>` : '';
  const f = r.form;
  return html`<details class="card" id="reinspection" ${f.draft ? html`open` : ''}><summary>安排复查</summary>
<form method="post" action="/hazards/${v.hazard.id}/reinspection"><input type="hidden" name="_csrf" value="${csrf}">
  ${previous}
  <p>为该检查中尚未销号的隐患（${f.openCount} 项）安排一次现场复查；复查组至少 ${f.minTeam} 人，第一位为组长。</p>
  ${field('r-date', '复查日期', html`<input type="date" id="r-date" name="scheduledDate" min="${v.today}" value="${f.draft?.scheduledDate ?? ''}" required>`)}
  <fieldset class="field"><legend>复查组</legend>${f.inspectors.length ? f.inspectors.map((u) => html`<label class="check" for="r-team-${u.id}"><input type="checkbox" id="r-team-${u.id}" name="teamUserIds" value="${u.id}" ${f.draft?.teamUserIds?.includes(u.id) ? html`checked` : ''}> ${u.name}</label>`) : html`<p class="muted">本辖区暂无可选的检查员。请先在“账号”中添加检查员。</p>`}</fieldset>
  <button class="primary" type="submit">安排复查</button></form></details>`;
}

function decisionForm(action: string, csrf: string, yes: string, no: string): Html {
  return html`<form method="post" action="${action}"><input type="hidden" name="_csrf" value="${csrf}">
  ${field(`${action}-reason`, '理由', html`<textarea id="${action}-reason" name="reason" rows="2" required></textarea>`)}
  <button class="primary" type="submit" name="approve" value="true">${yes}</button> <button class="primary secondary" type="submit" name="approve" value="false">${no}</button></form>`;
}

/**
 * 疑似重大隐患: the inspector's reason and the confirmation date; the decision once taken; for an officer the
 * lifecycle allows to decide, the form (then a confirmation step saying what confirming sets in motion); for a
 * bureau user it refuses, the reason instead of the form.
 */
function majorSection(hazardId: string, m: MajorDecisionView, csrf: string): Html {
  const action = `/hazards/${hazardId}/major-decision`;
  const facts = html`<dl class="profile">
  <dt>认定状态</dt><dd>${m.status === 'suspected' ? html`<span class="tag warn">${label('majorStatus', m.status)}</span>` : label('majorStatus', m.status)}</dd>
  <dt>疑似理由</dt><dd>${m.suspectedReason ?? '—'}${m.suspectedByName ? html`<span class="muted">（${m.suspectedByName} 报告）</span>` : ''}</dd>
  ${m.confirmDue ? html`<dt>认定期限</dt><dd>${m.late
    ? html`<strong class="tag warn">${formatChineseDate(m.confirmDue)} 前（已逾期，仍须认定）</strong>`
    : html`${formatChineseDate(m.confirmDue)} 前`}</dd>` : ''}
  ${m.decision ? html`${m.decision.criterion ? html`<dt>判定标准</dt><dd>${m.decision.criterion.code}${m.decision.criterion.text ? ` ${m.decision.criterion.text}` : ''}</dd>` : ''}
  <dt>认定理由</dt><dd>${m.decision.reason ?? '—'}</dd>
  <dt>认定人</dt><dd>${m.decision.byName ?? '—'}${m.decision.at ? `，${formatChineseDateTime(m.decision.at)}` : ''}</dd>` : ''}
</dl>`;
  const duties = (d: NonNullable<MajorDecisionView['form']>['duties']) => html`<ul>
    <li>隐患等级改为重大隐患，整改期限自认定之日起按重大隐患重新计算（不超过 ${d.majorMaxDays} 日）；</li>
    <li>机构须在 ${d.planDays} 日内提交“五到位”整改方案（措施、资金、时限、责任人、应急预案）；</li>
    <li>陈述申辩期（${d.objectionWorkingDays} 个工作日）届满且无待处理的申辩后，挂牌督办；</li>
    <li>机构将收到通知，安全评分随之重新计算。</li></ul>`;
  let body: Html | string = '';
  if (m.form?.confirming) {
    const f = m.form;
    const confirm = f.draft.decision === 'confirm';
    const criterion = f.criteria.find((c) => c.code === f.draft.criterionCode);
    body = html`<div role="region" aria-labelledby="major-confirm-h"><h3 id="major-confirm-h">请确认</h3>
  ${confirm
    ? html`<p>您将把该隐患<strong>认定为重大隐患</strong>，依据判定标准 ${f.draft.criterionCode}${criterion ? `“${criterion.text.replace(/[。；;.]$/, '')}”` : ''}。认定后：</p>${duties(f.duties)}`
    : html`<p>您将<strong>不认定</strong>该隐患为重大隐患：按一般隐患整改，整改期限不变。</p>`}
  <p>理由：${f.draft.reason}</p>
  <form method="post" action="${action}"><input type="hidden" name="_csrf" value="${csrf}">
    <input type="hidden" name="decision" value="${f.draft.decision ?? ''}"><input type="hidden" name="criterionCode" value="${f.draft.criterionCode ?? ''}">
    <input type="hidden" name="reason" value="${f.draft.reason ?? ''}">
    <button class="primary" type="submit" name="step" value="commit">${confirm ? '确认认定为重大隐患' : '确认不认定'}</button>
    <button class="primary secondary" type="submit" name="step" value="edit">返回修改</button>
  </form></div>`;
  } else if (m.form) {
    const f = m.form;
    body = html`<form method="post" action="${action}"><input type="hidden" name="_csrf" value="${csrf}"><input type="hidden" name="step" value="review">
  <fieldset class="field"><legend>认定结论</legend>
    <label class="check"><input type="radio" name="decision" value="confirm" ${f.draft.decision === 'confirm' ? html`checked` : ''} required> 认定为重大隐患</label>
    <label class="check"><input type="radio" name="decision" value="downgrade" ${f.draft.decision === 'downgrade' ? html`checked` : ''}> 不认定（按一般隐患整改）</label>
  </fieldset>
  ${field('major-criterion', '判定标准（认定为重大隐患时必选）', html`<select id="major-criterion" name="criterionCode" aria-describedby="major-criterion-hint">
    <option value="">请选择判定标准条款</option>${f.criteria.map((c) => html`<option value="${c.code}" title="${c.text}" ${f.draft.criterionCode === c.code ? html`selected` : ''}>${c.label}</option>`)}</select>`)}
  <p class="muted" id="major-criterion-hint">仅列出现行判定标准中已核实原文的条款。</p>
  ${field('major-reason', '理由', html`<textarea id="major-reason" name="reason" rows="3" maxlength="1000" required>${f.draft.reason ?? ''}</textarea>`)}
  <details><summary>认定为重大隐患后会发生什么</summary>${duties(f.duties)}</details>
  <button class="primary" type="submit">下一步：确认</button>
</form>`;
  } else if (m.refusal) {
    body = html`<p class="muted" role="note">${m.refusal}</p>`;
  }
  return html`<section class="card" aria-labelledby="major-h"><h2 id="major-h">疑似重大隐患认定</h2>${facts}${body}</section>`;
}
