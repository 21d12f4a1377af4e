/** 等级评定 page templates: render only (decisions are made in grade-view.ts). */
import { Html, html } from '../common/html';
import { Page } from '../common/pagination';
import { field, flashBlock, pager } from './components';
import type { AssessmentPageView, DecisionFormView, FinalizeConfirmView, GradeListView, OpenFormView, PrerequisiteLine } from './grade-view';

const CSS = html`<link rel="stylesheet" href="/static/grades.css">`;

export function gradeListPage(v: GradeListView, page: Page<unknown>): Html {
  const f = v.filters;
  const { summary, nav } = pager(page, '/grades', f);
  return html`${CSS}
<div class="grade-head"><h1>等级评定</h1>${v.canOpen ? html`<a class="button" href="/grades/new">开启等级评定</a>` : ''}</div>
<p class="muted">GB/T 37276 养老机构等级评定：评定中的评定与各机构的评定结论。现行有效的等级在 ${v.expiringDays} 天内到期时标注“即将到期”，请及时安排复评。</p>
<form class="card filters" method="get" action="/grades" role="search">
  <div><label for="g-status">状态</label><select id="g-status" name="status"><option value="">全部</option>
    ${v.standings.map((s) => html`<option value="${s.value}" ${f.status === s.value ? html`selected` : ''}>${s.label}</option>`)}</select></div>
  <div><label class="check" for="g-expiring"><input id="g-expiring" type="checkbox" name="expiring" value="true" ${f.expiring === 'true' ? html`checked` : ''}> 只看即将到期（${v.expiringDays} 天内）</label></div>
  <div><label for="g-sort">排序</label><select id="g-sort" name="sort">
    <option value="-opened" ${f.sort !== 'expiry' ? html`selected` : ''}>最近开启在前</option>
    <option value="expiry" ${f.sort === 'expiry' ? html`selected` : ''}>有效期最早到期在前</option></select></div>
  <div><button class="primary" type="submit">筛选</button></div>
</form>
${v.expiringNote ? html`<p class="card expiring-note"><span class="tag warn">即将到期</span> ${v.expiringNote.text}，<a href="${v.expiringNote.href}">查看并安排复评</a></p>` : ''}
${summary}
${v.rows.length === 0
    ? html`<div class="empty">${v.empty.text}<br>${v.empty.clear ? html`<a href="/grades">清除筛选</a>` : v.canOpen ? html`<a class="button" href="/grades/new">开启等级评定</a>` : ''}</div>`
    : html`<div class="table-wrap"><table class="data grade-list">
<thead><tr><th scope="col">机构</th><th scope="col">状态</th><th scope="col">结论</th><th scope="col" class="num">总分</th><th scope="col">有效期</th><th scope="col">开启日期</th></tr></thead>
<tbody>${v.rows.map((r) => html`<tr class="${r.tags.some((t) => t.warn) ? 'flagged' : ''}">
  <td><a href="${r.href}">${r.institutionName}</a>${r.tags.length ? html`<br>${r.tags.map((t) => html`<span class="tag${t.warn ? ' warn' : ''}">${t.text}</span>`)}` : ''}</td>
  <td><span class="tag${r.standingWarn ? ' warn' : ''}">${r.standing}</span></td>
  <td>${r.result}</td><td class="num">${r.total}</td><td>${r.validity}</td><td>${r.opened}</td></tr>`)}</tbody></table></div>`}
${nav}`;
}

export function openAssessmentPage(v: OpenFormView): Html {
  return html`${CSS}
<h1>开启等级评定</h1>
${flashBlock(v.flash)}
<form class="card filters" method="get" action="/grades/new" role="search">
  <div class="wide">${field('o-q', '查找机构', html`<input id="o-q" type="search" name="q" value="${v.q}" placeholder="输入机构名称关键字">`)}</div>
  <div><button class="primary" type="submit">查找</button></div>
</form>
<section class="card">
<form method="post" action="/grades/new">
  <input type="hidden" name="_csrf" value="${v.csrf}">
  ${v.choices.length ? field('o-inst', '养老机构（仅提供住宿的机构适用 GB/T 37276）', html`<select id="o-inst" name="institutionId" required>
    <option value="">请选择</option>${v.choices.map((c) => html`<option value="${c.id}" ${c.selected ? html`selected` : ''}>${c.name}</option>`)}</select>`,
    v.more ? '仅列出正常运营的前 100 家机构，请用上方“查找机构”缩小范围。' : '仅列出您范围内正常运营的机构。')
    : html`<p class="empty">没有找到适用等级评定的机构。${v.q ? '请换一个关键字查找。' : '请先在机构名录中登记提供住宿的养老机构。'}</p>`}
  ${field('o-form', '评分表版本', html`<select id="o-form" name="formVersionNo">${v.versions.map((x) => html`<option value="${x.versionNo}" ${x.selected ? html`selected` : ''}>${x.label}</option>`)}</select>`,
    '评定固定使用开启时选择的版本；定稿后按该版本计算等级。')}
  <fieldset class="grade-checks"><legend>评定人员核实的前提条件</legend>
    <label class="check" for="o-acc"><input id="o-acc" type="checkbox" name="noSeriousAccident" value="true" ${v.draft.noSeriousAccident ? html`checked` : ''}> 评定期内未发生较大及以上安全事故</label>
    <label class="check" for="o-reg"><input id="o-reg" type="checkbox" name="registrationInOrder" value="true" ${v.draft.registrationInOrder ? html`checked` : ''}> 设立许可、备案手续齐全</label>
    <p class="muted">未勾选的条件在定稿时作为“不予评定等级”的理由；未销号的重大隐患由系统在定稿时重新核查。</p>
  </fieldset>
  ${v.choices.length ? html`<button class="primary" type="submit">开启评定</button>` : ''}
</form></section>
${v.refused.length ? html`<section class="card"><h2>不适用等级评定的机构</h2><ul>${v.refused.map((r) => html`<li><b>${r.name}</b>：${r.reason}</li>`)}</ul></section>` : ''}`;
}

function prerequisiteList(lines: PrerequisiteLine[]): Html {
  return html`<ul class="prereq">${lines.map((l) => html`<li class="${l.ok ? 'met' : 'unmet'}"><span class="tag${l.ok ? ' okay' : ' warn'}">${l.ok ? '满足' : '不满足'}</span> ${l.text}${l.links.length
    ? html`<ul>${l.links.map((k) => html`<li><a href="${k.href}">${k.label}</a></li>`)}</ul>` : ''}</li>`)}</ul>`;
}

export function assessmentPage(v: AssessmentPageView, decision: DecisionFormView | null): Html {
  return html`${CSS}
<h1>等级评定 · ${v.institutionName}</h1>
<p class="muted"><a href="${v.institutionHref}">查看机构档案</a> · ${v.formLabel} · 开启于 ${v.opened}</p>
${flashBlock(v.flash)}
${v.open ? openBody(v) : finalizedBody(v, decision)}`;
}

function openBody(v: AssessmentPageView): Html {
  const c = v.current;
  return html`
<div class="grade-layout">
<div>
<nav class="card" aria-label="评分表部分"><h2 class="first">评分进度 <span class="muted">${v.overall}</span></h2>
<ol class="sections">${v.sections.map((s) => html`<li><a class="${s.active ? 'active' : ''}" href="${s.href}" ${s.active ? html`aria-current="step"` : ''}>${s.title}<span class="muted">（满分 ${s.max}）</span></a>
  <span class="tag${s.complete ? ' okay' : ''}">${s.progress}</span></li>`)}</ol></nav>
${c ? html`<section class="card" aria-labelledby="part-title">
<h2 id="part-title" class="first">${c.title} <span class="muted">满分 ${c.max} 分</span></h2>
${v.canScore ? html`<form method="post" action="/grades/${v.id}/scores" novalidate>
  <input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="part" value="${c.code}"><input type="hidden" name="version" value="${v.version}">
  <p class="muted">每项得分不超过该项满分；得分低于满分（扣分）时必须填写扣分说明。</p>
  ${c.items.map((i) => html`<fieldset class="grade-item${i.error ? ' has-error' : ''}"><legend>${i.code} ${i.title}</legend>
    <div class="grade-item-row">
      <div><label for="${i.pointsId}">得分（满分 ${i.max}）</label><input id="${i.pointsId}" name="${i.pointsId}" type="number" inputmode="decimal" min="0" max="${i.max}" step="0.5" value="${i.pointsValue}"></div>
      <div class="grow"><label for="${i.noteId}">扣分说明${i.deduction ? html` <span class="tag warn">必填</span>` : ''}</label><textarea id="${i.noteId}" name="${i.noteId}" rows="2" maxlength="2000">${i.noteValue}</textarea></div>
    </div></fieldset>`)}
  <button class="primary" type="submit">保存“${c.title}”</button>
</form>` : html`<p class="muted">您可以查看评分，但无权录入。</p>`}
</section>` : ''}
</div>
<aside>
<section class="card" aria-labelledby="prereq-title"><h2 id="prereq-title" class="first">前提条件（定稿时按此核查）</h2>
${prerequisiteList(v.prerequisites)}
${v.blocked ? html`<p class="error" role="status">当前不满足前提条件，不能评定等级。请先处理上列事项（重大隐患须整改并经复核销号）。</p>` : ''}
</section>
<section class="card"><h2 class="first">定稿</h2>
${v.finalize.offered ? html`<p>评分已完成。定稿前会显示评定结论与有效期，请确认后再定稿。</p><a class="button" href="/grades/${v.id}/finalize">定稿…</a>`
    : html`<p class="muted">${v.finalize.why ?? '您无权定稿。'}</p>`}
</section>
</aside>
</div>`;
}

function finalizedBody(v: AssessmentPageView, d: DecisionFormView | null): Html {
  const r = v.result!;
  return html`
<section class="card grade-result"><h2 class="first">评定结论</h2>
<div class="kpis"><div class="stat"><span class="muted">评定等级</span><b>${r.gradeLabel}</b></div>
<div class="stat"><span class="muted">现行</span><b>${r.currentLabel}</b></div>
<div class="stat"><span class="muted">总分</span><b>${r.total}</b></div></div>
<p>有效期：${r.validity}</p>
<ul>${r.reasons.map((x) => html`<li>${x}</li>`)}</ul>
<div class="table-wrap"><table class="data"><thead><tr><th scope="col">部分</th><th scope="col" class="num">得分</th><th scope="col" class="num">满分</th><th scope="col" class="num">得分率</th></tr></thead>
<tbody>${r.parts.map((p) => html`<tr><td>${p.title}</td><td class="num">${p.points}</td><td class="num">${p.max}</td><td class="num">${p.percent}</td></tr>`)}</tbody></table></div>
<p><a class="button" href="${r.pdfHref}">下载评定结果（PDF）</a></p>
</section>
${r.decisions.length ? html`<section class="card"><h2 class="first">撤销与降级决定</h2><div class="table-wrap"><table class="data"><thead><tr><th scope="col">决定</th><th scope="col">生效日期</th><th scope="col">理由</th><th scope="col">依据</th></tr></thead>
<tbody>${r.decisions.map((x) => html`<tr><td>${x.text}</td><td>${x.effectiveOn}</td><td>${x.reason}</td><td>${x.basis}</td></tr>`)}</tbody></table></div></section>` : ''}
${d ? decisionSection(d) : ''}`;
}

function decisionSection(d: DecisionFormView): Html {
  if (!d.offered) return d.why ? html`<section class="card"><h2 class="first">撤销或降级</h2><p class="muted">${d.why}</p></section>` : html``;
  const x = d.draft;
  if (d.confirming) {
    return html`<section class="card confirm" id="decision" aria-labelledby="decision-title"><h2 id="decision-title" class="first">确认撤销或降级决定</h2>
${flashBlock(d.flash)}
<ul>${d.confirming.statements.map((s) => html`<li>${s}</li>`)}</ul>
<dl class="profile"><dt>理由</dt><dd>${x.reason}</dd><dt>依据</dt><dd>${x.basis}</dd><dt>生效日期</dt><dd>${x.effectiveOn}</dd></dl>
<form method="post" action="/grades/${d.id}/decision">
  <input type="hidden" name="_csrf" value="${d.csrf}">
  ${hiddenDraft(x)}
  <label class="check" for="d-confirm"><input id="d-confirm" type="checkbox" name="confirm" value="true" required> 我已核对，确认作出此决定（不可修改）</label>
  <div class="actions"><button class="primary" type="submit" name="step" value="commit">确认作出决定</button>
  <button class="secondary primary" type="submit" name="step" value="edit">返回修改</button></div>
</form></section>`;
  }
  return html`<section class="card" id="decision" aria-labelledby="decision-title"><h2 id="decision-title" class="first">撤销或降级</h2>
${flashBlock(d.flash)}
<p class="muted">现行等级：${d.currentLabel}。决定自生效日期起改变现行等级，并影响此后的运营补贴。</p>
<form method="post" action="/grades/${d.id}/decision">
  <input type="hidden" name="_csrf" value="${d.csrf}">
  <fieldset><legend>决定</legend>
    <label class="check" for="d-lower"><input id="d-lower" type="radio" name="kind" value="lower" ${x.kind !== 'revoke' ? html`checked` : ''}> 降低等级</label>
    <label class="check" for="d-revoke"><input id="d-revoke" type="radio" name="kind" value="revoke" ${x.kind === 'revoke' ? html`checked` : ''}> 撤销等级</label>
  </fieldset>
  ${d.lowerOptions.length ? field('d-grade', '降为（仅降级时填写）', html`<select id="d-grade" name="newGrade"><option value="">请选择</option>${d.lowerOptions.map((o) => html`<option value="${o.value}" ${o.selected ? html`selected` : ''}>${o.label}</option>`)}</select>`) : ''}
  ${field('d-reason', '理由', html`<textarea id="d-reason" name="reason" rows="3" maxlength="2000" required>${x.reason ?? ''}</textarea>`)}
  ${field('d-basis', '依据（文件及条款，按原文填写）', html`<textarea id="d-basis" name="basis" rows="2" maxlength="2000" required>${x.basis ?? ''}</textarea>`)}
  ${field('d-date', '生效日期', html`<input id="d-date" type="date" name="effectiveOn" value="${x.effectiveOn ?? ''}" min="${d.minDate}" max="${d.maxDate}" required>`, `不早于 ${d.minDate}，不晚于 ${d.maxDate}`)}
  <button class="primary" type="submit" name="step" value="check">下一步：确认</button>
</form></section>`;
}

function hiddenDraft(x: { kind?: string; newGrade?: string; reason?: string; basis?: string; effectiveOn?: string }): Html {
  return html`<input type="hidden" name="kind" value="${x.kind ?? ''}"><input type="hidden" name="newGrade" value="${x.newGrade ?? ''}">
  <input type="hidden" name="reason" value="${x.reason ?? ''}"><input type="hidden" name="basis" value="${x.basis ?? ''}"><input type="hidden" name="effectiveOn" value="${x.effectiveOn ?? ''}">`;
}

export function finalizeConfirmPage(v: FinalizeConfirmView): Html {
  return html`${CSS}
<h1>确认定稿 · ${v.institutionName}</h1>
${flashBlock(v.flash)}
${v.incomplete ? html`<p class="error" role="alert">${v.incomplete}</p><p><a class="button" href="/grades/${v.id}">返回评分表</a></p>` : v.blocked ? html`
<section class="card confirm blocked" aria-labelledby="blocked-title"><h2 id="blocked-title" class="first">不能定稿：前提条件不满足</h2>
${prerequisiteList(v.prerequisites)}
<p>${v.byPoints}。请先处理上列事项（重大隐患须整改并经复核销号），再回到此页定稿。</p>
<p><a class="button" href="/grades/${v.id}">返回评分表</a></p>
<details><summary>仍要定稿为“未达等级”</summary>
<form method="post" action="/grades/${v.id}/finalize">
  <input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="version" value="${v.version}"><input type="hidden" name="mode" value="nograde">
  <p>结论将为“未达等级”，有效期自 ${v.validFrom} 至 ${v.validUntil}，并覆盖该机构此前的等级；此结论作为运营补贴的依据，定稿后不能修改。</p>
  <label class="check" for="f-confirm-ng"><input id="f-confirm-ng" type="checkbox" name="confirm" value="true" required> 我确认定稿为“未达等级”</label>
  <button class="primary" type="submit">确认定稿为未达等级</button>
</form></details>
</section>` : html`
<section class="card confirm" aria-labelledby="confirm-title"><h2 id="confirm-title" class="first">定稿后将成为最终结论</h2>
<div class="kpis"><div class="stat"><span class="muted">评定等级</span><b>${v.gradeLabel}</b></div><div class="stat"><span class="muted">总分</span><b>${v.total}</b></div>
<div class="stat"><span class="muted">有效期自</span><b class="date">${v.validFrom}</b></div><div class="stat"><span class="muted">有效期至</span><b class="date">${v.validUntil}</b></div></div>
<ul>${v.statements.map((s) => html`<li>${s}</li>`)}</ul>
<div class="table-wrap"><table class="data"><thead><tr><th scope="col">部分</th><th scope="col" class="num">得分</th><th scope="col" class="num">满分</th><th scope="col" class="num">得分率</th></tr></thead>
<tbody>${v.parts.map((p) => html`<tr><td>${p.title}</td><td class="num">${p.points}</td><td class="num">${p.max}</td><td class="num">${p.percent}</td></tr>`)}</tbody></table></div>
<p class="muted">${v.reasons.join('；')}</p>
<form method="post" action="/grades/${v.id}/finalize">
  <input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="version" value="${v.version}"><input type="hidden" name="mode" value="grade">
  <label class="check" for="f-confirm"><input id="f-confirm" type="checkbox" name="confirm" value="true" required> 我已核对评分与结论，确认定稿（定稿后不能修改）</label>
  <div class="actions"><button class="primary" type="submit">确认定稿</button> <a class="button secondary-link" href="/grades/${v.id}">返回评分表</a></div>
</form></section>`}`;
}
