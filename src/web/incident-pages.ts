/** 突发事件 page templates: render only (decisions are made in incident-view.ts). */
import { Html, html } from '../common/html';
import { field, flashBlock, pager } from './components';
import type { IncidentDetailView, IncidentListView, IncidentRowView, InstitutionIncidentsView } from './incident-view';

const options = (choices: [string, string][], chosen: string | undefined, empty?: string) =>
  html`${empty !== undefined ? html`<option value="">${empty}</option>` : ''}${choices.map(([v, l]) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${l}</option>`)}`;

const gradeTag = (r: IncidentRowView) => html`<span class="tag${r.serious ? ' warn' : ''}">${r.gradeLabel}</span>`;
const statusTag = (r: IncidentRowView) => html`<span class="tag${r.open ? ' warn' : ''}">${r.statusLabel}</span>`;
const lateTag = (r: IncidentRowView) => (r.late ? html` <span class="tag warn">${r.lateText}</span>` : '');

function rows(items: IncidentRowView[], withInstitution: boolean): Html {
  return html`<ul class="list">${items.map((r) => html`<li><a href="/incidents/${r.id}">
  ${withInstitution ? html`<span class="name">${r.institutionName}</span> ` : ''}${gradeTag(r)} ${statusTag(r)}${lateTag(r)}<br>
  <span class="muted">${r.typeLabel} · 发生于 ${r.occurredAt} · 涉及老人 ${r.residentsAffected} 人</span></a></li>`)}</ul>`;
}

/** The bureau's list, with the filters grade / status / late. */
export function incidentListPage(v: IncidentListView): Html {
  const f = v.filters;
  const { summary, nav } = pager(v.list, '/incidents', f, '份报告');
  return html`<h1>突发事件</h1>
<p class="muted">机构按事件等级在规定时限内报告（民发〔2025〕32号）；超过时限的标为“迟报”。请及时确认收到，必要时安排跟进检查。</p>
${v.summary.openTotal ? html`<p class="card" role="status">待确认 ${v.summary.openTotal} 起：${v.summary.lines.join('、')}${v.summary.openLate ? html`（其中迟报 ${v.summary.openLate} 起）` : ''}</p>` : ''}
<form class="card filters" method="get" action="/incidents" role="search">
  <div><label for="f-grade">事件等级</label><select id="f-grade" name="grade">${options(v.choices.grades, f.grade, '全部')}</select></div>
  <div><label for="f-status">状态</label><select id="f-status" name="status">${options(v.choices.statuses, f.status, '全部')}</select></div>
  <div><label for="f-late">报告时限</label><select id="f-late" name="late">${options(v.choices.late, f.late, '全部')}</select></div>
  <div><button class="primary" type="submit">筛选</button></div>
</form>
${summary}
${v.list.items.length === 0 ? html`<div class="empty">${v.emptyText}</div>` : rows(v.list.items, true)}
${nav}`;
}

/** One institution's reports, and the report form for the institution account. */
export function institutionIncidentsPage(v: InstitutionIncidentsView): Html {
  const d = v.draft;
  const { summary, nav } = pager(v.list, `/institutions/${v.institution.id}/incidents`, {}, '份报告');
  return html`<p><a href="${v.back.href}">← ${v.back.label}</a></p>
<h1>突发事件 · ${v.institution.name}</h1>
${flashBlock(v.flash)}
${v.mayReport ? html`<section class="card" aria-labelledby="report-h"><h2 id="report-h" class="first">报告突发事件</h2>
<p class="muted">报告时限（自事件发生起）：${v.reportHours.map((h) => `${h.gradeLabel} ${h.hours} 小时`).join('；')}。情况紧急时先电话报告，再在此补报。</p>
<form method="post" action="/institutions/${v.institution.id}/incidents" novalidate>
  <input type="hidden" name="_csrf" value="${v.csrf}">
  ${field('i-type', '事件类型', html`<select id="i-type" name="type" required>${options(v.choices.types, d.type, '请选择')}</select>`)}
  <fieldset><legend>事件等级</legend>${v.choices.grades.map(([g, l]) => html`<label class="check" for="i-grade-${g}"><input type="radio" id="i-grade-${g}" name="grade" value="${g}"${d.grade === g ? html` checked` : ''} required> ${l}</label>`)}</fieldset>
  ${field('i-occurred', '发生时间', html`<input type="datetime-local" id="i-occurred" name="occurredAt" value="${d.occurredAt ?? ''}" max="${v.now}" required>`)}
  ${field('i-residents', '涉及老人数', html`<input type="number" inputmode="numeric" min="0" id="i-residents" name="residentsAffected" value="${d.residentsAffected ?? ''}" required>`)}
  ${field('i-summary', '事件经过', html`<textarea id="i-summary" name="summary" rows="3" maxlength="2000" required>${d.summary ?? ''}</textarea>`)}
  ${field('i-measures', '先期处置措施', html`<textarea id="i-measures" name="firstMeasures" rows="3" maxlength="2000" required>${d.firstMeasures ?? ''}</textarea>`)}
  <button class="primary wide" type="submit">提交报告</button>
</form></section>` : ''}
<section aria-labelledby="list-h"><h2 id="list-h">历次报告</h2>${summary}
${v.list.items.length === 0 ? html`<div class="empty">暂无突发事件报告。</div>` : rows(v.list.items, false)}
${nav}</section>`;
}

function facts(v: IncidentDetailView): Html {
  const r = v.r;
  const x = v.row;
  return html`<dl class="profile">
  <dt>机构</dt><dd><a href="/institutions/${r.institutionId}">${r.institutionName}</a></dd>
  <dt>事件类型</dt><dd>${x.typeLabel}</dd>
  <dt>事件等级</dt><dd>${gradeTag(x)}</dd>
  <dt>状态</dt><dd>${statusTag(x)}</dd>
  <dt>发生时间</dt><dd>${x.occurredAt}</dd>
  <dt>报告时间</dt><dd>${x.reportedAt}（时限 ${r.reportHours} 小时，至 ${x.deadline}）${x.late ? html` <span class="tag warn">${x.lateText}</span>` : html` <span class="tag">按时报告</span>`}</dd>
  <dt>报告人</dt><dd>${r.reportedByName}</dd>
  <dt>涉及老人数</dt><dd>${r.residentsAffected}</dd>
  <dt>事件经过</dt><dd>${r.summary}</dd>
  <dt>先期处置措施</dt><dd>${r.firstMeasures}</dd>
  ${x.acknowledged ? html`<dt>确认收到</dt><dd>${r.acknowledgedByName ?? ''}（${x.acknowledged}）</dd><dt>确认意见</dt><dd>${r.acknowledgementNote ?? ''}</dd>` : ''}
  ${r.followUpInspectionId ? html`<dt>跟进检查</dt><dd><a href="/inspections/${r.followUpInspectionId}">查看跟进检查</a></dd>` : ''}
</dl>`;
}

function acknowledgeSection(v: IncidentDetailView): Html {
  const base = `/incidents/${v.r.id}/acknowledge`;
  if (v.confirming) {
    return html`<section class="card confirm" aria-labelledby="ack-h"><h2 id="ack-h" class="first">确认收到：请核对</h2>
<p>确认后不能撤回，机构将看到您的确认意见。</p>
<dl class="profile"><dt>确认意见</dt><dd>${v.confirming.note}</dd></dl>
<form method="post" action="${base}">
  <input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="version" value="${v.r.version}"><input type="hidden" name="note" value="${v.confirming.note}">
  <label class="check" for="ack-confirm"><input id="ack-confirm" type="checkbox" name="confirm" value="true" required> 我已核对报告内容，确认收到</label>
  <div class="actions"><button class="primary" type="submit" name="step" value="commit">确认收到</button>
  <button class="primary secondary" type="submit" name="step" value="edit">返回修改</button></div>
</form></section>`;
  }
  return html`<section class="card" aria-labelledby="ack-h"><h2 id="ack-h" class="first">确认收到</h2>
<form method="post" action="${base}">
  <input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="version" value="${v.r.version}">
  ${field('ack-note', '确认意见', html`<textarea id="ack-note" name="note" rows="2" maxlength="1000" required aria-describedby="ack-note-hint">${v.draft.note ?? ''}</textarea>`, '如：已电话核实，督促机构做好伤员救治和善后')}
  <button class="primary wide" type="submit" name="step" value="review">下一步：核对并确认</button>
</form></section>`;
}

function followUpSection(v: IncidentDetailView): Html {
  const chosen = new Set((v.draft.teamUserIds ?? '').split(',').filter(Boolean));
  return html`<section class="card" aria-labelledby="fu-h"><h2 id="fu-h" class="first">安排跟进检查</h2>
<p class="muted">为本机构创建一次专项检查（检查组第一位为组长），检查员会收到任务通知。</p>
${v.candidates.length === 0 ? html`<div class="empty">辖区内没有可选的检查员。请先在账号管理中开通检查员账号。</div>` : html`<form method="post" action="/incidents/${v.r.id}/follow-up">
  <input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="version" value="${v.r.version}">
  <fieldset><legend>检查组成员</legend>${v.candidates.map((c) => html`<label class="check" for="fu-${c.id}"><input type="checkbox" id="fu-${c.id}" name="teamUserIds" value="${c.id}"${chosen.has(c.id) ? html` checked` : ''}> ${c.label}</label>`)}</fieldset>
  ${field('fu-date', '计划检查日期（可选）', html`<input type="date" id="fu-date" name="scheduledDate" value="${v.draft.scheduledDate ?? ''}">`)}
  <button class="primary wide" type="submit">创建跟进检查</button>
</form>`}</section>`;
}

export function incidentDetailPage(v: IncidentDetailView): Html {
  const g = v.gradeDecision;
  return html`<p><a href="${v.back.href}">← ${v.back.label}</a></p>
<h1>突发事件报告 · ${v.r.institutionName}</h1>
${flashBlock(v.flash)}
<section class="card">${facts(v)}</section>
${v.may.acknowledge ? acknowledgeSection(v) : ''}
${v.may.followUp ? followUpSection(v) : ''}
${g ? html`<section class="card" aria-labelledby="grade-h"><h2 id="grade-h" class="first">等级评定</h2><p>${g.text}</p>
${g.offered && g.href ? html`<p><a class="button" href="${g.href}">前往等级评定，作出撤销或降级决定</a></p>` : ''}</section>` : ''}`;
}
