import { Html, html } from '../common/html';
import { flashBlock } from './components';
import type { PlanDetailView, PlanFormView, PlanListView } from './plan-view';

/** The plan pages' templates (render only; decisions are in plan-view.ts). */

const CSS = html`<link rel="stylesheet" href="/static/plans.css">`;

/** 检查计划: filters, the table with each plan's progress, the pager; an empty state that says how to start. */
export function planListPage(v: PlanListView, nav: { summary: Html; nav: Html | string }, flash: { ok?: string }): Html {
  const f = v.filters;
  const sel = (name: string, text: string, options: [string, string][]) => html`<div><label for="f-${name}">${text}</label>
    <select id="f-${name}" name="${name}"><option value="">全部</option>${options.map(([val, l]) => html`<option value="${val}" ${f[name] === val ? html`selected` : ''}>${l}</option>`)}</select></div>`;
  const date = (name: string, text: string) => html`<div><label for="f-${name}">${text}</label><input type="date" id="f-${name}" name="${name}" value="${f[name] ?? ''}"></div>`;
  return html`${CSS}
<div class="plan-head"><h1>检查计划</h1>${v.canCreate ? html`<a class="button" href="/plans/new">制定检查计划</a>` : ''}</div>
${flashBlock(flash)}
<form class="card filters plan-filters" method="get" action="/plans" role="search" aria-label="筛选检查计划">
  ${sel('status', '状态', v.statuses)}
  ${sel('kind', '检查类型', v.kinds)}
  ${date('periodFrom', '检查期间自')}
  ${date('periodTo', '检查期间至')}
  <div class="plan-filter-actions"><button class="primary" type="submit">筛选</button> <a class="button secondary" href="/plans">清除筛选</a></div>
</form>
${nav.summary}
${v.rows.length === 0
    ? html`<div class="empty">${v.filtered
      ? html`没有符合筛选条件的检查计划。<a href="/plans">清除筛选</a>查看全部计划。`
      : html`还没有检查计划。${v.canCreate ? html`点击“<a href="/plans/new">制定检查计划</a>”：选择检查类型（如双随机抽查）、检查期间、机构范围和检查人员，系统按公开的随机种子抽取机构并组成检查组。` : '由监管人员制定检查计划。'}`}</div>`
    : html`<div class="table-wrap"><table class="data plan-table"><caption class="visually-hidden">检查计划及进度</caption>
<thead><tr><th scope="col">计划名称</th><th scope="col">类型</th><th scope="col">范围</th><th scope="col">检查期间</th><th scope="col">状态</th>
<th scope="col" class="num">待检查</th><th scope="col" class="num">检查中</th><th scope="col" class="num">已提交</th><th scope="col" class="num">逾期</th><th scope="col">制定时间</th></tr></thead>
<tbody>${v.rows.map((r) => html`<tr><td><a href="${r.href}">${r.name}</a></td><td>${r.kind}</td><td>${r.division}</td><td>${r.period}</td>
<td><span class="tag${r.published ? '' : ' draft'}">${r.status}</span></td>
<td class="num">${r.progress.assigned}</td><td class="num">${r.progress.started}</td><td class="num">${r.progress.submitted}</td>
<td class="num">${r.progress.overdue ? html`<span class="tag warn">${r.progress.overdue}</span>` : '0'}</td><td>${r.created}</td></tr>`)}</tbody></table></div>`}
${nav.nav}`;
}

const errs = (v: PlanFormView, key: string): Html | string => {
  const lines = v.errors.byField[key];
  return lines?.length ? html`<p class="field-error" id="${key}-error">${lines.join('；')}</p>` : '';
};
const described = (v: PlanFormView, key: string, hint = false): Html | string => {
  const ids = [hint ? `${key}-hint` : '', v.errors.byField[key]?.length ? `${key}-error` : ''].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"` : '';
};
const invalid = (v: PlanFormView, key: string): Html | string => (v.errors.byField[key]?.length ? html` aria-invalid="true"` : '');

/** A group of checkboxes with a legend (the group's label) and its errors. */
function checks(v: PlanFormView, key: string, legend: string, options: { value: string; label: string; note?: string }[], checked: string[], hint?: string): Html {
  const on = new Set(checked);
  return html`<fieldset class="checks${v.errors.byField[key]?.length ? ' has-error' : ''}" id="${key}"${described(v, key, !!hint)}><legend>${legend}</legend>
${hint ? html`<p class="muted" id="${key}-hint">${hint}</p>` : ''}
<div class="check-grid">${options.map((o, i) => html`<label class="check" for="${key}-${i}"><input type="checkbox" id="${key}-${i}" name="${key}" value="${o.value}" ${on.has(o.value) ? html`checked` : ''}>
<span>${o.label}${o.note ? html` <span class="muted">${o.note}</span>` : ''}</span></label>`)}</div>
${errs(v, key)}</fieldset>`;
}

/** 制定 / 编辑检查计划: every field labelled, hints, the errors under the field they name. */
export function planFormPage(v: PlanFormView, currentSeed?: string): Html {
  const val = v.values;
  const input = (key: keyof typeof val & string, labelText: string, type: string, attrs: Html | string = '', hint?: string) => html`<div class="field">
<label for="${key}">${labelText}</label><input type="${type}" id="${key}" name="${key}" value="${val[key] as string}"${attrs}${described(v, key, !!hint)}${invalid(v, key)}>
${hint ? html`<p class="muted" id="${key}-hint">${hint}</p>` : ''}${errs(v, key)}</div>`;
  return html`${CSS}
<h1>${v.title}</h1>
${v.errors.lines.length ? html`<div class="error" role="alert"><p>请修改以下内容后再提交：</p><ul>${v.errors.lines.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}
${v.mode === 'edit' ? html`<p class="muted">公示前可以修改。改变机构范围、筛选条件、检查人员、抽取数量、每组人数、回避规则或随机种子时，系统会撤下尚未开始的检查并重新抽取；只改名称、检查期间或联合部门时不重新抽取。</p>` : ''}
<form method="post" action="${v.action}" class="card plan-form" novalidate>
<input type="hidden" name="_csrf" value="${v.csrf}">
${v.version !== undefined ? html`<input type="hidden" name="version" value="${v.version}">` : ''}
<section aria-labelledby="sec-basic"><h2 id="sec-basic">计划</h2>
<div class="grid2">
${input('name', '计划名称', 'text', html` maxlength="100" required`, '例如：2026年第四季度双随机抽查（天宁区）')}
<div class="field"><label for="kind">检查类型</label><select id="kind" name="kind"${described(v, 'kind', true)}${invalid(v, 'kind')}>
${v.kinds.map(([k, l]) => html`<option value="${k}" ${val.kind === k ? html`selected` : ''}>${l}</option>`)}</select>
<p class="muted" id="kind-hint">双随机抽查按数量随机抽取机构；其他类型检查机构池内的全部机构，只随机选派检查组。</p>${errs(v, 'kind')}</div>
${input('scheduledFrom', '检查期间起', 'date')}
${input('scheduledTo', '检查期间止', 'date', '', '期间结束后仍未提交的检查计为逾期。')}
</div>
${checks(v, 'jointAgencies', '联合检查部门（仅联合检查）', v.jointAgencies.map(([k, l]) => ({ value: k, label: l })), val.jointAgencies, '联合检查时勾选参加的部门；其他部门的检查人员在下方“检查人员”中按所属单位选择。')}
</section>
<section aria-labelledby="sec-pool"><h2 id="sec-pool">机构池</h2>
<div class="grid2">
<div class="field"><label for="divisionCode">检查范围（行政区划）</label><select id="divisionCode" name="divisionCode"${described(v, 'divisionCode', true)}${invalid(v, 'divisionCode')}>
${v.divisions.map((d) => html`<option value="${d.code}" ${val.divisionCode === d.code ? html`selected` : ''}>${d.label}</option>`)}</select>
<p class="muted" id="divisionCode-hint">含下级区划内的全部机构。</p>${errs(v, 'divisionCode')}</div>
${input('lastInspectedBefore', '上次检查早于', 'date', '', '只抽取在此日期之前最后一次受检（或从未受检）的机构；留空不限。')}
<div class="field"><label class="check" for="f-creditDue"><input type="checkbox" id="f-creditDue" name="creditDue" value="yes"${val.creditDue === 'yes' ? html` checked` : ''} aria-describedby="f-creditDue-hint"> 按信用频次应检</label>
<p class="muted" id="f-creditDue-hint">只含本年度已检查（含已安排）次数少于其信用等级要求的机构：信用等级越低、每年计划检查越多（信用评价规则 checklists/credit-rules.yaml）。抽取时的应检名单随计划记录。</p>${errs(v, 'creditDue')}</div>
</div>
${checks(v, 'institutionKinds', '机构类型', v.institutionKinds.map(([k, l]) => ({ value: k, label: l })), val.institutionKinds, '不勾选即全部类型。')}
${checks(v, 'riskLevels', '风险等级', v.riskLevels.map(([k, l]) => ({ value: k, label: l })), val.riskLevels,
    '风险等级按机构现行安全分（0–100 分，依检查发现的隐患扣分计算）划分；本系统不另设风险评级。不勾选即全部。')}
</section>
<section aria-labelledby="sec-draw"><h2 id="sec-draw">抽取与检查组</h2>
<div class="grid2">
${input('sampleCount', '抽取机构数', 'number', html` min="1" max="100000" inputmode="numeric"`, '仅双随机抽查需要填写；差异化抽查不填。')}
<div class="field"><label class="check" for="f-stratified"><input type="checkbox" id="f-stratified" name="stratified" value="yes"${val.stratified === 'yes' ? html` checked` : ''} aria-describedby="f-stratified-hint"> 差异化抽查（按信用等级分层抽取）</label>
<p class="muted" id="f-stratified-hint">仅双随机抽查：机构按信用等级分层（失信主体单列），各层按信用规则（checklists/credit-rules.yaml）的比例抽取，不填抽取机构数。</p>${errs(v, 'stratified')}</div>
${input('teamSize', '每组人数', 'number', html` min="1" max="10" inputmode="numeric"`, `默认 ${v.defaults.teamSize} 人（监管策略规定的最少人数）。`)}
${input('conflictMonths', '回避期限（月）', 'number', html` min="0" max="60" inputmode="numeric"`, `默认 ${v.defaults.conflictMonths} 个月：最近这些月内检查过该机构的人员不会被派去检查它；申报过利害关系的人员始终回避。`)}
${input('seed', '随机种子', 'text', html` maxlength="128"`, v.mode === 'edit' ? `现用种子 ${currentSeed ?? ''}；留空沿用，填写新种子将重新抽取。` : '留空由系统生成并记录。可用字母、数字和 . : - _。')}
</div>
${checks(v, 'inspectorIds', '检查人员', v.inspectors.map((u) => ({ value: u.id, label: u.label, note: u.unit })), val.inspectorIds,
    '从您辖区和上级区划的在岗检查人员中勾选；姓名后是其所属单位（账号所属区划）。本系统没有单独的“部门”设置，其他部门的人员以其账号所属区划标示。')}
</section>
<div class="plan-actions"><button class="primary" type="submit">${v.mode === 'create' ? '保存并抽取' : '保存修改'}</button>
<a class="button secondary" href="${v.cancelHref}">取消</a></div>
</form>`;
}

/** One plan: facts, the draw (seed, algorithm, result), verification, progress, and the actions offered. */
export function planDetailPage(v: PlanDetailView): Html {
  const p = v.progress;
  return html`${CSS}
<div class="plan-head"><h1>${v.name}</h1><span class="tag${v.published ? '' : ' draft'}">${v.status}</span></div>
${flashBlock(v.flash)}
<div class="plan-actions">
${v.edit.offered ? html`<a class="button" href="${v.edit.href}">编辑</a>` : ''}
${v.publish.offered && !v.publish.confirming ? html`<a class="button" href="${v.publish.href}">发布（公示）</a>` : ''}
<form method="get" action="/plans/${v.id}/verify" class="inline"><button class="primary secondary-look" type="submit">重新核验抽取</button></form>
</div>
${!v.published && (v.edit.reason || v.publish.reason) ? html`<ul class="muted plan-why">
${v.edit.reason ? html`<li>不能编辑：${v.edit.reason}</li>` : ''}${v.publish.reason ? html`<li>暂不能公示：${v.publish.reason}</li>` : ''}</ul>` : ''}
${v.publishedAt ? html`<p class="muted">已于 ${v.publishedAt} 公示，抽查结果见<a href="/public">结果公示</a>页。</p>` : ''}
${v.verify ? html`<div class="${v.verify.ok ? 'ok' : 'error'}" role="status" id="verify-result">${v.verify.text}</div>` : ''}
${v.publish.confirming ? html`<section class="card confirm" aria-labelledby="confirm-title"><h2 id="confirm-title">确认公示</h2>
<p>公示后：</p><ul>
<li>本计划 ${p.submitted} 家机构的抽查结果（机构名称、检查日期、发现与销号的隐患数）将在<a href="/public">结果公示</a>页向社会公开，不含个人信息；</li>
<li>计划不能再编辑或重新抽取，随机种子和抽取结果作为公示依据保留，任何人可复核；</li>
<li>此操作不可撤销。</li></ul>
${v.publish.errors.length ? html`<div class="error" role="alert"><ul>${v.publish.errors.map((e) => html`<li>${e}</li>`)}</ul></div>` : ''}
<form method="post" action="/plans/${v.id}/publish">
<input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="version" value="${v.publish.version}">
<label class="check" for="confirm"><input type="checkbox" id="confirm" name="confirm" value="yes"> 我已核对抽取结果和检查结果，确认公示</label>
<div class="plan-actions"><button class="primary" type="submit">确认公示</button> <a class="button secondary" href="/plans/${v.id}">取消</a></div>
</form></section>` : ''}
<section class="card" aria-labelledby="facts-title"><h2 id="facts-title">计划</h2>
<dl class="profile">${v.facts.map(([k, val]) => html`<dt>${k}</dt><dd>${val}</dd>`)}</dl></section>
<section class="card" aria-labelledby="progress-title"><h2 id="progress-title">进度</h2>
<div class="table-wrap"><table class="data plan-progress"><thead><tr><th scope="col">合计</th><th scope="col">待检查</th><th scope="col">检查中</th><th scope="col">已提交</th><th scope="col">已取消</th><th scope="col">逾期</th></tr></thead>
<tbody><tr><td>${p.total}</td><td>${p.assigned}</td><td>${p.started}</td><td>${p.submitted}</td><td>${p.cancelled}</td><td>${p.overdue ? html`<span class="tag warn">${p.overdue}</span>` : '0'}</td></tr></tbody></table></div></section>
<section class="card" aria-labelledby="draw-title"><h2 id="draw-title">抽取</h2>
<dl class="profile">
<dt>随机种子</dt><dd><code id="plan-seed">${v.seed}</code></dd>
<dt>算法</dt><dd><code>${v.algorithm}</code><p class="muted algo">${v.algorithmText}</p></dd>
<dt>名单</dt><dd>机构池 ${v.poolSize} 家；检查人员 ${v.inspectors.length} 名；回避关系 ${v.conflicts} 对</dd>
</dl>
${v.strata ? html`<div class="table-wrap"><table class="data plan-strata"><caption>抽查分层（按抽取时的信用等级）</caption>
<thead><tr><th scope="col">分层</th><th scope="col" class="num">抽查比例</th><th scope="col" class="num">机构池</th><th scope="col" class="num">抽中</th></tr></thead>
<tbody>${v.strata.map((x) => html`<tr><th scope="row">${x.label}</th><td class="num">${x.ratioText}</td><td class="num">${x.poolSize}</td><td class="num">${x.drawn}</td></tr>`)}</tbody></table></div>` : ''}
<h3>抽取结果</h3>
${v.rows.length ? html`<div class="table-wrap"><table class="data plan-result"><caption class="visually-hidden">抽中的机构及检查组</caption>
<thead><tr><th scope="col" class="num">序号</th><th scope="col">机构</th><th scope="col">所在区划</th><th scope="col">检查组（组长在前）</th><th scope="col">检查状态</th></tr></thead>
<tbody>${v.rows.map((r) => html`<tr><td class="num">${r.no}</td><td>${r.institution}</td><td>${r.division}</td>
<td>${r.team.map((m, i) => html`${i ? '、' : ''}${m.name}${m.lead ? html`<span class="tag">组长</span>` : ''}<span class="muted">（${m.unit}）</span>`)}</td>
<td>${r.stateWarn ? html`<span class="tag warn">${r.state}（逾期）</span>` : r.state}</td></tr>`)}</tbody></table></div>`
    : html`<div class="empty">没有抽中机构：机构池为空，或没有足够的无利害关系人员。${v.edit.offered ? html`可以<a href="${v.edit.href}">编辑计划</a>放宽筛选条件或增加检查人员。` : ''}</div>`}
${v.unstaffed.length ? html`<h3>未能组队的机构</h3><ul>${v.unstaffed.map((u) => html`<li>${u.institution}：${u.reason}</li>`)}</ul>
${v.edit.offered ? html`<p class="muted">可以<a href="${v.edit.href}">编辑计划</a>增加检查人员或缩短回避期限后重新抽取。</p>` : ''}` : ''}
<details><summary>检查人员名单与任务数</summary><ul>${v.inspectors.map((m) => html`<li>${m.name}（${m.unit}）：${m.load} 项</li>`)}</ul></details>
</section>`;
}
