import { safetyWorkCard } from './safety-work-pages';
import { formatChineseDate, formatChineseDateTime } from '../common/calendar';
import { Html, html } from '../common/html';
import { GAS_LABELS, KIND_LABELS, label, labelMap, OWNERSHIP_LABELS, STATUS_LABELS } from '../common/labels';
import { Page } from '../common/pagination';
import type { Institution } from '../institutions/institution.entity';
import type { StatusAction } from '../institutions/operating-status';
import { flashBlock, pager } from './components';
import type { FormField } from './institution-form';
import { InstitutionDetailPage, InstitutionFormPage, InstitutionListPage, placeName } from './institution-view';

const REGISTRY_CSS = html`<link rel="stylesheet" href="/static/registry.css">`;

/** 机构名录 pages: the registry list, the registration / edit form, one institution with its history, its applicable checklist items. */
export function institutionListPage(page: Page<Institution>, filters: Record<string, string>, v: InstitutionListPage): Html {
  const p = pager(page, '/institutions', filters, '家机构');
  return html`${REGISTRY_CSS}
<div class="reg-head"><h1>养老机构名录</h1>${v.can.create ? html`<a class="button" href="/institutions/new">登记机构</a>` : ''}</div>
<form class="card filters" method="get" action="/institutions" role="search">
  <div><label for="f-name">名称</label><input id="f-name" type="search" name="name" value="${filters.name ?? ''}" placeholder="输入机构名称关键字"></div>
  <div><label for="f-div">区划（街道）</label><select id="f-div" name="divisionCode"><option value="">全部</option>
    ${v.divisions.map((d) => html`<option value="${d.code}" ${filters.divisionCode === d.code ? html`selected` : ''}>${d.level === 'street' ? '　　' : ''}${d.name}</option>`)}</select></div>
  <div><label for="f-kind">类型</label><select id="f-kind" name="kind"><option value="">全部</option>
    ${Object.entries(KIND_LABELS).map(([k, val]) => html`<option value="${k}" ${filters.kind === k ? html`selected` : ''}>${val}</option>`)}</select></div>
  <div><label for="f-status">状态</label><select id="f-status" name="status"><option value="">全部</option>
    ${Object.entries(STATUS_LABELS).map(([k, val]) => html`<option value="${k}" ${filters.status === k ? html`selected` : ''}>${val}</option>`)}</select></div>
  <div><button class="primary" type="submit">筛选</button>${Object.keys(filters).length ? html` <a href="/institutions">清除筛选</a>` : ''}</div>
</form>
${p.summary}
${page.items.length === 0
    ? html`<div class="empty">${Object.keys(filters).length ? html`没有符合条件的机构。<br>请调整筛选条件，或<a href="/institutions">清除筛选</a>。` : v.can.create ? html`辖区内还没有登记的机构。<br><a href="/institutions/new">登记第一家机构</a>` : '辖区内还没有登记的机构。'}</div>`
    : html`<ul class="list">${page.items.map((i) => html`<li><a href="/institutions/${i.id}">
      <span class="name">${i.name}</span><br>
      <span class="tag">${KIND_LABELS[i.kind]}</span><span class="tag">${OWNERSHIP_LABELS[i.ownership]}</span>
      ${i.status !== 'active' ? html`<span class="tag warn">${STATUS_LABELS[i.status]}</span>` : ''}
      <span class="muted">${placeName(i.divisionCode, v.divisions)} · ${i.storeys} 层 · ${i.approvedBeds} 床</span></a></li>`)}</ul>`}
${p.nav}`;
}

// ---------------------------------------------------------------- the form

function fieldErrors(id: string, errors: string[] | undefined): Html | string {
  return errors?.length ? html`<p class="field-error" id="${id}-error">${errors.join('；')}</p>` : '';
}

function describedBy(id: string, f: FormField, errors: string[] | undefined): string {
  return [f.hint ? `${id}-hint` : '', errors?.length ? `${id}-error` : ''].filter(Boolean).join(' ');
}

function formInput(f: FormField, value: string, errors: string[] | undefined, v: InstitutionFormPage): Html {
  const id = `i-${f.name}`;
  const desc = describedBy(id, f, errors);
  const aria = html`${desc ? html` aria-describedby="${desc}"` : ''}${errors?.length ? html` aria-invalid="true"` : ''}`;
  const req = f.required ? html` required aria-required="true"` : '';
  const hint = f.hint ? html`<p class="muted" id="${id}-hint">${f.hint}</p>` : '';
  const star = f.required ? html`<span class="req" aria-hidden="true">*</span>` : '';
  if (f.input === 'checkbox') {
    return html`<div class="field check-field${errors?.length ? ' invalid' : ''}"><label class="check" for="${id}"><input type="checkbox" id="${id}" name="${f.name}" ${value === 'on' ? html`checked` : ''}${aria}> ${f.label}</label>${hint}${fieldErrors(id, errors)}</div>`;
  }
  let control: Html;
  if (f.input === 'select' || f.input === 'division') {
    const options = f.input === 'division' ? v.divisions.map((d) => [d.code, d.label] as [string, string]) : f.options ?? [];
    const empty = f.input === 'division' ? '请选择街道' : f.emptyOption;
    control = html`<select id="${id}" name="${f.name}"${req}${aria}>${empty !== undefined ? html`<option value="">${empty}</option>` : ''}${options.map(([k, l]) => html`<option value="${k}" ${value === k ? html`selected` : ''}>${l}</option>`)}</select>`;
  } else {
    const type = f.input === 'number' ? 'number' : f.input === 'tel' ? 'tel' : 'text';
    control = html`<input type="${type}" id="${id}" name="${f.name}" value="${value}"${req}${aria}${f.min !== undefined ? html` min="${f.min}"` : ''}${f.max !== undefined ? html` max="${f.max}"` : ''}${f.step ? html` step="${f.step}"` : ''}${f.maxLength ? html` maxlength="${f.maxLength}"` : ''}${f.pattern ? html` pattern="${f.pattern}"` : ''}${f.inputMode ? html` inputmode="${f.inputMode}"` : ''}${f.autocomplete ? html` autocomplete="${f.autocomplete}"` : ''}>`;
  }
  return html`<div class="field${errors?.length ? ' invalid' : ''}"><label for="${id}">${f.label}${star}${f.nullable ? html` <span class="muted">（可不填）</span>` : ''}</label>${control}${hint}${fieldErrors(id, errors)}</div>`;
}

function conflictBlock(v: InstitutionFormPage): Html | string {
  const c = v.conflict;
  if (!c) return '';
  return html`<section class="card conflict" aria-labelledby="conflict-h" role="alert">
<h2 id="conflict-h">档案已被他人修改：以当前版本为准重新编辑</h2>
<p>您打开表单后，该机构档案已更新为第 ${c.currentVersion} 版（${formatChineseDateTime(new Date(c.updatedAt))}）。您的修改尚未保存。下表列出变化之处：他人修改过的项目，表单中已换成当前值；只有您修改的项目，表单中保留了您的填写。请核对后重新提交。</p>
${c.rows.length ? html`<div class="table-wrap"><table class="data"><caption class="muted">打开时、您的填写与当前档案对照</caption>
<thead><tr><th scope="col">项目</th><th scope="col">您打开时</th><th scope="col">您的填写</th><th scope="col">当前档案（第 ${c.currentVersion} 版）</th><th scope="col">表单中</th></tr></thead>
<tbody>${c.rows.map((r) => html`<tr${r.theirs && r.mine ? html` class="clash"` : ''}><th scope="row">${r.label}</th><td>${r.opened}</td><td>${r.mine ? html`<b>${r.yours}</b>` : r.yours}</td><td>${r.theirs ? html`<b>${r.current}</b> <span class="tag warn">他人已修改</span>` : r.current}</td>
<td>${r.theirs ? (r.mine ? '当前值（请决定是否再改）' : '当前值') : '您的填写'}</td></tr>`)}</tbody></table></div>` : html`<p class="muted">您修改的项目未被他人改动，但档案的其他部分已更新；请核对后重新提交。</p>`}
</section>`;
}

/** A summary line links to its field (the field whose errors hold the line). */
function errorLink(line: string, v: InstitutionFormPage): Html | string {
  const field = Object.entries(v.errors).find(([, lines]) => lines.includes(line))?.[0];
  return field && v.sections.some((s) => s.fields.some((f) => f.name === field)) ? html`<a href="#i-${field}">${line}</a>` : line;
}

export function institutionFormPage(v: InstitutionFormPage): Html {
  const title = v.mode === 'create' ? '登记机构' : v.mode === 'contacts' ? '修改联系方式' : '编辑机构档案';
  return html`${REGISTRY_CSS}
<h1>${title}${v.institution ? html` · ${v.institution.name}` : ''}</h1>
${v.summary.length && !v.conflict ? html`<div class="error" role="alert" id="form-errors"><p>请修改以下 ${v.summary.length} 处后重新提交：</p><ul>${v.summary.map((e) => html`<li>${errorLink(e, v)}</li>`)}</ul></div>` : ''}
${conflictBlock(v)}
${v.conflict && v.summary.length ? html`<div class="error" role="alert"><ul>${v.summary.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}
<p class="muted">带 <span class="req">*</span> 的为必填项。${v.mode === 'edit' ? '保存时只写入改动的项目，修改留有审计记录；床位、在住老人和建筑档案的修改即时生效。' : ''}</p>
<form method="post" action="${v.action}" class="reg-form">
  <input type="hidden" name="_csrf" value="${v.csrf}">
  ${v.version !== null ? html`<input type="hidden" name="version" value="${v.version}">` : ''}
  ${v.institution ? html`<input type="hidden" name="_opened" value="${JSON.stringify(v.opened)}">` : ''}
  ${v.sections.map((s) => html`<fieldset class="card reg-section" id="sec-${s.id}"><legend>${s.title}</legend>
    ${s.note ? html`<p class="muted">${s.note}</p>` : ''}
    <div class="reg-grid${s.id === 'equipment' ? ' reg-checks' : ''}">${s.fields.map((f) => formInput(f, v.values[f.name] ?? '', v.errors[f.name], v))}</div></fieldset>`)}
  <div class="reg-actions"><button class="primary" type="submit">${v.mode === 'create' ? '登记' : '保存修改'}</button> <a class="button secondary" href="${v.back.href}">取消</a></div>
</form>`;
}

// ---------------------------------------------------------------- the institution page

const yes = (b: boolean) => (b ? '有' : '无');

/** 第 3–5 层; an unrecorded bound is 待核实 (applicability applies the stricter item until it is filled). */
function facilityFloors(i: Institution): string {
  const low = i.facilityLowestFloor;
  const high = i.facilityHighestFloor;
  if (low == null && high == null) return '待核实（未填写）';
  if (low != null && high != null) return low === high ? `第 ${low} 层` : `第 ${low}–${high} 层`;
  return `自第 ${low ?? '?'} 层至第 ${high ?? '?'} 层（待核实）`;
}

const day = (d: string | null) => (d ? formatChineseDate(d) : '—');

function statusForms(v: InstitutionDetailPage): Html | string {
  const i = v.institution;
  if (v.confirmClose) {
    return html`<section class="card confirm" aria-labelledby="close-h" role="alert"><h3 id="close-h">确认注销/关闭：此操作不可撤回</h3>
<p>将自 <b>${day(v.confirmClose.date)}</b> 起把「${i.name}」登记为<b>已注销</b>：运营期到此结束，此后不再计发运营补贴，也不能再恢复运营（重新开业须重新登记）。</p>
<p class="muted">原因：${v.confirmClose.reason}</p>
<form method="post" action="/institutions/${i.id}/operating-status#status">
  <input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="version" value="${i.version}">
  <input type="hidden" name="action" value="close"><input type="hidden" name="date" value="${v.confirmClose.date}"><input type="hidden" name="reason" value="${v.confirmClose.reason}">
  <input type="hidden" name="confirm" value="yes">
  <label class="check" for="close-ack"><input type="checkbox" id="close-ack" name="ack" required> 我已核实注销依据，知晓注销后不可撤回</label>
  <button class="primary danger" type="submit">确认注销</button> <a class="button secondary" href="/institutions/${i.id}#status">取消</a>
</form></section>`;
  }
  const form = (action: StatusAction, title: string, dateLabel: string, hint: string) => {
    const draft = v.statusDraft?.action === action ? v.statusDraft : null;
    const id = `st-${action}`;
    return html`<form method="post" action="/institutions/${i.id}/operating-status#status" class="card status-form" aria-labelledby="${id}-h">
  <h3 id="${id}-h">${title}</h3>
  ${draft?.errors.length ? html`<div class="error" role="alert"><ul>${draft.errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}
  <input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="version" value="${i.version}"><input type="hidden" name="action" value="${action}">
  <div class="field"><label for="${id}-date">${dateLabel}</label><input type="date" id="${id}-date" name="date" required max="${v.today}"${v.openedOn ? html` min="${v.openedOn}"` : ''} value="${draft?.date ?? v.today}" aria-describedby="${id}-hint"><p class="muted" id="${id}-hint">${hint}</p></div>
  <div class="field"><label for="${id}-reason">原因或依据</label><textarea id="${id}-reason" name="reason" rows="2" required minlength="2" maxlength="500">${draft?.reason ?? ''}</textarea></div>
  <button class="primary${action === 'close' ? ' danger' : ''}" type="submit">${action === 'close' ? '注销/关闭…' : title}</button>
</form>`;
  };
  return html`<div class="status-forms">
${v.can.statusActions.includes('suspend') ? form('suspend', '停业整顿', '停业起始日', '停业整顿期间不计发运营补贴；整改完成后在此登记恢复运营。') : ''}
${v.can.statusActions.includes('resume') ? form('resume', '恢复运营', '恢复运营日（第一天）', '停业整顿期间截止到前一天。') : ''}
${v.can.statusActions.includes('close') ? form('close', '注销/关闭', '注销日（停止运营的第一天）', '提交后还需确认一步；注销不可撤回。') : ''}
</div>`;
}

function operatingSection(v: InstitutionDetailPage): Html {
  const i = v.institution;
  return html`<section class="card" id="status" aria-labelledby="status-h"><h2 id="status-h">运营状态</h2>
<dl class="facts"><dt>当前状态</dt><dd><span class="tag${i.status === 'active' ? '' : ' warn'}">${STATUS_LABELS[i.status]}</span></dd>
<dt>开业日期</dt><dd>${day(v.openedOn)}</dd></dl>
${v.interruptions.length ? html`<div class="table-wrap"><table class="data"><caption class="muted">暂停与停止运营记录（补贴按日扣除这些期间）</caption>
<thead><tr><th scope="col">类型</th><th scope="col">起</th><th scope="col">止</th><th scope="col">原因</th><th scope="col">登记人</th></tr></thead>
<tbody>${v.interruptions.map((x) => html`<tr><td>${label('interruptionKind', x.kind)}</td><td>${day(x.fromDate)}</td><td>${x.toDate ? day(x.toDate) : '至今'}</td>
<td>${x.reason}${x.endReason ? html`<br><span class="muted">结束：${x.endReason}</span>` : ''}</td><td>${x.createdByName ?? '系统'}</td></tr>`)}</tbody></table></div>`
    : html`<p class="muted">没有暂停或停止运营的记录。</p>`}
${i.status === 'closed' ? html`<p class="muted">机构已注销，运营状态不再变更。</p>` : i.status === 'preparing' ? html`<p class="muted">筹建中的机构开业后（编辑档案，状态改为运营中），可在此登记停业整顿或注销。</p>` : ''}
${v.can.statusActions.length || v.confirmClose ? statusForms(v) : ''}
</section>`;
}

const POINTS = (n: number) => (n > 0 ? `+${n}` : String(n));

function historySections(v: InstitutionDetailPage): Html {
  const i = v.institution;
  const h = v.hazards;
  return html`<nav class="tabs history-tabs" aria-label="机构历史">
  <a class="tab" href="#h-inspections">检查记录</a><a class="tab" href="#h-hazards">隐患</a><a class="tab" href="#h-score">安全得分</a>
  <a class="tab" href="#h-grade">等级评定</a>${v.subsidyLines ? html`<a class="tab" href="#h-subsidy">运营补贴</a>` : ''}<a class="tab" href="#status">运营状态</a>
</nav>
<section class="card" id="h-inspections" aria-labelledby="h-inspections-t"><h2 id="h-inspections-t">检查记录 <span class="muted">共 ${v.inspections.total} 次</span></h2>
${v.inspections.items.length === 0 ? html`<div class="empty">还没有对本机构的检查。${v.can.inspections ? html`可在<a href="/plans">检查计划</a>中抽取或安排检查。` : ''}</div>`
    : html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">日期</th><th scope="col">类型</th><th scope="col">状态</th><th scope="col">检查记录编号</th><th scope="col"><span class="visually-hidden">查看</span></th></tr></thead>
<tbody>${v.inspections.items.map((x) => html`<tr><td>${x.submittedAt ? formatChineseDateTime(new Date(x.submittedAt)) : x.scheduledDate ? `计划 ${day(x.scheduledDate)}` : formatChineseDateTime(new Date(x.createdAt))}</td>
<td>${label('inspectionKind', x.kind)}</td><td>${label('inspectionStatus', x.status)}</td><td>${x.reportNo ?? '—'}</td>
<td>${v.can.inspections ? html`<a href="/inspections/${x.id}">查看</a>` : ''}</td></tr>`)}</tbody></table></div>
${v.inspections.total > v.inspections.items.length ? html`<p class="muted">显示最近 ${v.inspections.items.length} 次。</p>` : ''}`}
</section>
<section class="card" id="h-hazards" aria-labelledby="h-hazards-t"><h2 id="h-hazards-t">隐患</h2>
${h.open + h.closed === 0 ? html`<div class="empty">本机构没有登记的隐患。</div>` : html`<div class="kpis">
  <a class="stat" href="${v.hazardLinks.all}"><b>${h.open}</b>未销号</a>
  <a class="stat" href="${v.hazardLinks.overdue}"><b>${h.overdue}</b>逾期未整改</a>
  <div class="stat"><b>${h.major}</b>未销号重大隐患</div>
  <a class="stat" href="${v.hazardLinks.closed}"><b>${h.closed}</b>已销号</a>
</div><p><a href="${v.hazardLinks.all}">在隐患台账中查看本机构全部隐患</a></p>`}
</section>
<section class="card" id="h-score" aria-labelledby="h-score-t"><h2 id="h-score-t">安全得分</h2>
${!v.score ? html`<div class="empty">暂无安全得分。机构有提交的检查后自动计算。</div>` : html`<p class="score-line"><b class="score">${v.score.score}</b> 分（满分 100）<span class="muted"> · 截至 ${day(v.score.asOf)} · 规则 ${v.score.ruleSetCode} 第 ${v.score.ruleSetVersionNo} 版${v.score.capApplied ? ' · 已触发封顶规则' : ''}</span></p>
<details${v.score.contributions.length <= 8 ? html` open` : ''}><summary>得分明细（${v.score.contributions.length} 项，每一分的来源）</summary>
<div class="table-wrap"><table class="data"><thead><tr><th scope="col" class="num">分值</th><th scope="col">说明</th></tr></thead>
<tbody>${v.score.contributions.map((c) => html`<tr><td class="num">${c.points === 0 ? '—' : POINTS(c.points)}</td><td>${c.hazardId ? html`<a href="/hazards/${c.hazardId}">${c.explanation}</a>` : c.explanation}</td></tr>`)}</tbody></table></div></details>`}
</section>
<section class="card" id="h-grade" aria-labelledby="h-grade-t"><h2 id="h-grade-t">等级评定</h2>
${v.grade ? html`<p>当前等级：<b>${v.grade.gradeLabel}</b>${v.grade.validFrom ? html`<span class="muted">（${day(v.grade.validFrom)} 起${v.grade.validUntil ? `，有效期至 ${day(v.grade.validUntil)}` : ''}）</span>` : ''}</p>` : ''}
${v.assessments.length === 0 ? html`<div class="empty">本机构还没有等级评定记录。${v.can.grades ? html`可在<a href="/grades">等级评定</a>中开启评定。` : ''}</div>`
    : html`<div class="table-wrap"><table class="data"><caption class="muted">历次评定</caption><thead><tr><th scope="col">开启</th><th scope="col">状态</th><th scope="col">结论</th><th scope="col" class="num">总分</th><th scope="col">有效期</th></tr></thead>
<tbody>${v.assessments.map((a) => html`<tr><td>${formatChineseDateTime(new Date(a.openedAt))}</td><td>${a.status === 'finalized' ? '已完成' : '评定中'}</td>
<td>${v.can.grades ? html`<a href="/grades/${a.id}">${a.gradeLabel ?? '评定中'}</a>` : a.gradeLabel ?? '评定中'}</td><td class="num">${a.total ?? '—'}</td><td>${a.validFrom ? `${day(a.validFrom)} 至 ${day(a.validUntil)}` : '—'}</td></tr>`)}</tbody></table></div>`}
${v.decisions.length ? html`<div class="table-wrap"><table class="data"><caption class="muted">撤销与降级决定</caption><thead><tr><th scope="col">生效日期</th><th scope="col">决定</th><th scope="col">理由</th><th scope="col">依据</th><th scope="col">决定人</th></tr></thead>
<tbody>${v.decisions.map((d) => html`<tr><td>${day(d.effectiveOn)}</td><td>${label('gradeDecisionKind', d.kind)}${d.newGrade ? `至${label('grade', d.newGrade)}` : ''}</td><td>${d.reason}</td><td>${d.basis}</td><td>${d.decidedByName ?? ''}</td></tr>`)}</tbody></table></div>` : ''}
</section>
${v.subsidyLines ? html`<section class="card" id="h-subsidy" aria-labelledby="h-subsidy-t"><h2 id="h-subsidy-t">运营补贴</h2>
${v.subsidyLines.length === 0 ? html`<div class="empty">本机构尚未列入任何补贴发放表。${v.can.subsidies ? html`可在<a href="/subsidies">运营补贴</a>中为所在区划计算发放表。` : ''}</div>`
    : html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">期间</th><th scope="col">发放表</th><th scope="col" class="num">金额（元）</th><th scope="col">计算过程</th></tr></thead>
<tbody>${v.subsidyLines.map((s) => html`<tr><td>${day(s.periodStart)} 至 ${day(s.periodEnd)}</td>
<td><a href="/subsidies/${s.scheduleId}">${s.divisionName} 第 ${s.versionNo} 版</a> <span class="tag${s.status === 'approved' ? '' : ' warn'}">${s.status === 'approved' ? '已审批' : '草稿'}</span></td>
<td class="num">${s.line.eligible ? s.line.amount.toFixed(2) : '不享受'}</td>
<td>${s.line.lines?.length ? html`<details><summary>${s.line.lines.length} 行${s.line.paidDays !== undefined ? `，计发 ${s.line.paidDays} 天` : ''}${s.line.suspended ? '（含重大隐患停发）' : ''}</summary><ul>${s.line.lines.map((l) => html`<li>${l.label}：${l.formula} = ${l.amount.toFixed(2)} 元</li>`)}</ul></details>` : '—'}</td></tr>`)}</tbody></table></div>`}
</section>` : ''}
${operatingSection(v)}
${v.safetyWork ? safetyWorkCard(v.safetyWork) : ''}
<p class="muted">档案创建于 ${formatChineseDateTime(i.createdAt)}。</p>`;
}

export function institutionDetailPage(v: InstitutionDetailPage): Html {
  const i = v.institution;
  const residents = i.residentsSelfCare + i.residentsMildlyDisabled + i.residentsModeratelyDisabled + i.residentsSeverelyDisabled;
  return html`${REGISTRY_CSS}
<div class="reg-head"><h1>${i.name}</h1> <span class="tag${i.status === 'active' ? '' : ' warn'}">${STATUS_LABELS[i.status]}</span>
<div class="reg-actions">
  ${v.can.edit ? html`<a class="button" href="/institutions/${i.id}/edit">${v.can.contactsOnly ? '修改联系方式' : '编辑档案'}</a>` : ''}
  <a class="button secondary" href="/institutions/${i.id}/checklist">查看适用检查项</a>
  ${v.can.changeRequests && !v.can.review ? html`<a class="button secondary" href="/institutions/${i.id}/change-requests">档案变更申请</a>` : ''}
  ${v.can.registers ? html`<a class="button secondary" href="/institutions/${i.id}/registers">人员与设备台账</a>` : ''}
  ${v.can.patrols ? html`<a class="button secondary" href="/institutions/${i.id}/patrols">巡查</a>` : ''}
  ${v.can.drills ? html`<a class="button secondary" href="/institutions/${i.id}/drills">演练与培训</a>` : ''}
  ${v.can.incidents ? html`<a class="button secondary" href="/institutions/${i.id}/incidents">突发事件</a>` : ''}
  ${v.can.devices ? html`<a class="button secondary" href="/institutions/${i.id}/devices">消防物联网</a>` : ''}
  ${v.can.credit ? html`<a class="button secondary" href="/institutions/${i.id}/credit">信用等级</a>` : ''}
</div></div>
${flashBlock(v.flash)}
${v.pendingRequest && v.can.review ? html`<div class="card pending-banner" role="status"><b>有待审核的档案变更申请</b>：${v.pendingRequest.requestedByName} 于 ${formatChineseDateTime(new Date(v.pendingRequest.requestedAt))} 申请变更 ${Object.keys(v.pendingRequest.after).length} 项。
  <a class="button" href="/change-requests/${v.pendingRequest.id}">审核变更申请</a></div>` : ''}
<div class="reg-columns">
<section class="card"><h2>基本信息</h2><dl class="profile">
  <dt>类型</dt><dd>${KIND_LABELS[i.kind]}（${OWNERSHIP_LABELS[i.ownership]}${i.profitStatus ? `，${labelMap('profitStatus')[i.profitStatus]}` : ''}）</dd>
  <dt>状态</dt><dd>${STATUS_LABELS[i.status]}</dd>
  <dt>统一社会信用代码</dt><dd>${i.creditCode}</dd>
  <dt>所在区划</dt><dd>${v.place}</dd>
  <dt>地址</dt><dd>${i.address}</dd>
  <dt>联系人</dt><dd>${i.contactName}（${i.contactPhone}）</dd>
</dl></section>
<section class="card"><h2>床位与在住老人</h2><dl class="profile">
  <dt>床位</dt><dd>核定 ${i.approvedBeds}，入住 ${i.occupiedBeds}${i.capacityPlaces != null ? `；额定服务人数 ${i.capacityPlaces}` : ''}</dd>
  <dt>在住老人</dt><dd>${residents} 人（自理 ${i.residentsSelfCare}，轻度 ${i.residentsMildlyDisabled}，中度 ${i.residentsModeratelyDisabled}，重度 ${i.residentsSeverelyDisabled}）</dd>
  <dt>失能老人最高楼层</dt><dd>${i.highestFloorWithDisabled ?? '—'}</dd>
</dl></section>
<section class="card"><h2>建筑与设施</h2><dl class="profile">
  <dt>地上层数</dt><dd>${i.storeys} 层${i.insideOtherBuilding ? html`（设在其他建筑内${i.hostBuildingUse ? `，所在建筑为${labelMap('hostBuildingUse')[i.hostBuildingUse]}用途` : ''}）` : ''}</dd>
  <dt>机构所在楼层</dt><dd>${facilityFloors(i)}</dd>
  <dt>建筑高度</dt><dd>${i.buildingHeightM != null ? `${i.buildingHeightM} m` : '未填写'}</dd>
  <dt>总建筑面积</dt><dd>${i.totalAreaM2.toLocaleString('zh-CN')} m²</dd>
  <dt>建筑体积</dt><dd>${i.buildingVolumeM3 != null ? `${i.buildingVolumeM3.toLocaleString('zh-CN')} m³` : '未填写'}</dd>
  <dt>耐火等级</dt><dd>${i.fireResistanceGrade ? `${i.fireResistanceGrade} 级` : '未登记'}</dd>
  <dt>防盗窗/铁栅栏</dt><dd>${i.hasWindowBars ? html`<span class="tag warn">有</span>` : '无'}</dd>
</dl></section>
<section class="card"><h2>设施设备</h2><dl class="profile">
  <dt>消防控制室</dt><dd>${yes(i.hasFireControlRoom)}</dd>
  <dt>火灾自动报警</dt><dd>${yes(i.hasAutoFireAlarm)}</dd>
  <dt>自动喷水灭火</dt><dd>${yes(i.hasSprinklers)}</dd>
  <dt>燃气</dt><dd>${GAS_LABELS[i.gasSupply]}</dd>
  <dt>食堂 / 医疗 / 电梯</dt><dd>${yes(i.hasCanteen)} / ${yes(i.hasMedicalUnit)} / ${yes(i.hasElevator)}</dd>
  <dt>锅炉 / 氧气管道</dt><dd>${yes(i.hasBoiler)} / ${yes(i.hasOxygenPipeline)}</dd>
</dl></section>
</div>
<p class="muted">档案版本 ${i.version} · 更新于 ${formatChineseDateTime(i.updatedAt)}</p>
${historySections(v)}`;
}

interface ApplicabilityView {
  institution: { id: string; name: string };
  checklist: { code: string; versionNo: number; title: { zh: string } };
  categories: { code: string; title: { zh: string }; applicable: number; excluded: number }[];
  applicable: { code: string; category: string; title: { zh: string }; severity: string; deadlineDays: number; requiredBy?: { code: string; document: string } | null }[];
  excluded: { code: string; category: string; title: { zh: string }; reason: string }[];
  /** items applied because a fact they depend on is not filled in (the stricter reading), with the reason */
  unverified?: { code: string; reason: string }[];
  localRuleSet?: { code: string; title: { zh: string } } | null;
}

function unverifiedNote(v: ApplicabilityView, code: string): Html | string {
  const u = v.unverified?.find((x) => x.code === code);
  return u ? html`<br><span class="tag warn">待核实</span> <span class="muted">${u.reason}</span>` : '';
}

export function applicabilityPage(v: ApplicabilityView): Html {
  return html`
<p><a href="/institutions/${v.institution.id}">← ${v.institution.name}</a></p>
<h1>适用检查项</h1>
<p class="muted">${v.checklist.title.zh}（第 ${v.checklist.versionNo} 版）${v.localRuleSet ? html`，并执行地方规则：${v.localRuleSet.title.zh}` : ''} · 适用 ${v.applicable.length} 项，不适用 ${v.excluded.length} 项。不适用项由机构建筑档案按规则自动排除，原因见下；档案未填写的事实按从严适用，标“待核实”。</p>
${v.categories.map((c) => html`<section class="card" aria-labelledby="cat-${c.code}">
  <h2 id="cat-${c.code}">${c.title.zh} <span class="muted">${c.applicable} 项适用${c.excluded ? html`，${c.excluded} 项不适用` : ''}</span></h2>
  ${c.applicable ? html`<ul>${v.applicable.filter((i) => i.category === c.code).map((i) => html`<li><b>${i.code}</b> ${i.title.zh}
    ${i.severity === 'major' ? html`<span class="tag warn">重大隐患项</span>` : ''}${i.requiredBy ? html` <span class="tag" title="${i.requiredBy.document}">地方规则：${i.requiredBy.document}</span>` : ''}<span class="muted">（整改期限 ${i.deadlineDays === 0 ? '立即' : `${i.deadlineDays} 天`}）</span>${unverifiedNote(v, i.code)}</li>`)}</ul>` : ''}
  ${c.excluded ? html`<details><summary>不适用的 ${c.excluded} 项及原因</summary><ul>${v.excluded.filter((e) => e.category === c.code).map((e) => html`<li><b>${e.code}</b> ${e.title.zh}<br><span class="muted">排除规则：${e.reason}</span></li>`)}</ul></details>` : ''}
</section>`)}`;
}
