/** 演练与培训 page template: render only (decisions are made in drill-view.ts). */
import { Html, html } from '../common/html';
import { field, flashBlock, pager } from './components';
import type { DrillsPageView } from './drill-view';

const options = (choices: [string, string][], chosen: string | undefined, empty?: string) =>
  html`${empty ? html`<option value="">${empty}</option>` : ''}${choices.map(([v, l]) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${l}</option>`)}`;

function flagBlock(v: DrillsPageView): Html {
  const f = v.flag;
  return html`<section class="card drill-flag drill-${f.state}" aria-labelledby="flag-h"><h2 id="flag-h" class="first">实战演练：<span class="tag${f.tone === 'ok' ? '' : ' warn'}">${f.label}</span></h2>
<p>${f.tone === 'bad' ? html`<b>${f.text}</b>` : f.text}</p>
<p class="muted">依据 2026 年十部门意见，养老机构每半年至少组织一次实战演练；桌面推演不计入。到期前 ${v.dueSoonDays} 天提示“即将到期”。</p></section>`;
}

function drillList(v: DrillsPageView): Html {
  const { summary, nav } = pager(v.drills, `/institutions/${v.institution.id}/drills`, {}, '次演练');
  return html`<section aria-labelledby="drills-h"><h2 id="drills-h">演练记录</h2>${summary}
${v.drills.items.length === 0 ? html`<div class="empty">还没有演练记录。${v.mayRecord ? '组织演练后，请在下方登记日期、疏散人数和用时、存在的问题。' : '机构组织演练后会在这里登记。'}</div>`
    : html`<ul class="list">${v.drills.items.map((d) => html`<li id="drill-${d.id}"><span class="name">${d.heldOn} · ${d.kindLabel}</span> <span class="tag${d.live ? '' : ' warn'}">${d.formLabel}</span><br>
  <span class="muted">${d.participants}</span><br>
  ${d.live ? html`<span>疏散：${d.evacuated}；用时 ${d.evacuationTime}</span><br>` : ''}
  <span>存在问题与改进：${d.lessons}</span><br><span class="muted">登记：${d.recorded}</span>
  ${d.photos.length ? html`<div class="drill-photos">${d.photos.map((src, n) => html`<a href="${src}"><img src="${src}" alt="演练照片 ${n + 1}" width="96" height="96" loading="lazy"></a>`)}</div>` : ''}
  ${v.mayRecord && d.morePhotos ? html`<form method="post" action="/institutions/${v.institution.id}/drills/${d.id}/photos?_csrf=${encodeURIComponent(v.csrf)}" enctype="multipart/form-data" class="drill-photo-form">
    <label for="dp-${d.id}">添加现场照片</label> <input type="file" id="dp-${d.id}" name="photo" accept="image/jpeg,image/png" capture="environment" required>
    <button type="submit">上传照片</button></form>` : ''}</li>`)}</ul>`}
${nav}</section>`;
}

function traineeList(v: DrillsPageView): Html {
  const t = v.trainees;
  const pages = Math.max(1, Math.ceil(t.total / t.pageSize));
  const link = (p: number) => `/institutions/${v.institution.id}/drills?tpage=${p}#trainees-h`;
  return html`<section aria-labelledby="trainees-h"><h2 id="trainees-h">人员培训记录</h2>
<p class="muted">每位工作人员每 ${v.trainingMonths} 个月应至少参加一次消防安全培训；最久未培训的排在前面。共 ${t.total} 人。</p>
${t.items.length === 0 ? html`<div class="empty">还没有培训记录。${v.mayRecord ? '组织培训后，请在下方登记参训人员。' : ''}</div>`
    : html`<div class="table-wrap"><table class="data"><caption class="muted">按人员汇总（姓名与身份证后四位相同视为同一人）</caption>
<thead><tr><th scope="col">姓名</th><th scope="col">身份证后四位</th><th scope="col">岗位</th><th scope="col">最近培训</th><th scope="col">次数</th><th scope="col">下次培训期限</th></tr></thead>
<tbody>${t.items.map((r) => html`<tr><th scope="row">${r.name}</th><td>${r.idLast4}</td><td>${r.role}</td><td>${r.lastTrainedOn}（${r.lastTopic}）</td><td>${r.trainings}</td>
<td>${r.dueBy}${r.overdue ? html` <span class="tag warn">已到期</span>` : ''}</td></tr>`)}</tbody></table></div>`}
${pages > 1 ? html`<nav class="pager" aria-label="培训记录分页">
  ${t.page > 1 ? html`<a class="button" href="${link(t.page - 1)}">上一页</a>` : html`<span></span>`}
  ${t.page < pages ? html`<a class="button" href="${link(t.page + 1)}">下一页</a>` : html`<span></span>`}</nav>` : ''}</section>`;
}

function drillForm(v: DrillsPageView): Html {
  const d = v.drillDraft;
  const form = d.form ?? 'live';
  return html`<section class="card" aria-labelledby="record-drill-h"><h2 id="record-drill-h" class="first">登记演练</h2>
${flashBlock(v.flash.drill)}
<form method="post" action="/institutions/${v.institution.id}/drills" novalidate>
  <input type="hidden" name="_csrf" value="${v.csrf}">
  ${field('d-heldOn', '演练日期', html`<input type="date" id="d-heldOn" name="heldOn" value="${d.heldOn ?? v.today}" max="${v.today}" required>`)}
  ${field('d-kind', '演练类型', html`<select id="d-kind" name="kind" required>${options(v.choices.kinds, d.kind, '请选择')}</select>`)}
  <fieldset><legend>演练形式</legend>${v.choices.forms.map(([k, l]) => html`<label class="check" for="d-form-${k}"><input type="radio" id="d-form-${k}" name="form" value="${k}"${k === form ? html` checked` : ''}> ${l}</label>`)}
  <p class="muted">只有实战演练计入“每半年至少一次”的要求。</p></fieldset>
  ${field('d-staff', '参加演练的工作人员数', html`<input type="number" inputmode="numeric" min="0" id="d-staff" name="participantsStaff" value="${d.participantsStaff ?? ''}" required>`)}
  ${field('d-note', '其他参加人员（可选）', html`<input type="text" id="d-note" name="participantsNote" value="${d.participantsNote ?? ''}" maxlength="500" aria-describedby="d-note-hint">`, '如：辖区消防救援站、家属志愿者')}
  <fieldset><legend>疏散老人数（按照护等级，实战演练填写）</legend>
  <div class="grid2">${v.choices.levels.map((l) => field(`d-ev-${l.key}`, `疏散${l.label}`, html`<input type="number" inputmode="numeric" min="0" max="${l.residents}" id="d-ev-${l.key}" name="evacuated.${l.key}" value="${d[`evacuated.${l.key}`] ?? ''}" aria-describedby="d-ev-${l.key}-hint">`, `在住 ${l.residents} 人`))}</div>
  <p class="muted">失能老人的疏散是实战演练的重点；未疏散的照护等级填 0 或留空。</p></fieldset>
  <fieldset><legend>疏散用时（实战疏散演练必填）</legend><div class="grid2">
  ${field('d-min', '分钟', html`<input type="number" inputmode="numeric" min="0" id="d-min" name="evacuationMinutes" value="${d.evacuationMinutes ?? ''}">`)}
  ${field('d-sec', '秒', html`<input type="number" inputmode="numeric" min="0" max="59" id="d-sec" name="evacuationSecondsPart" value="${d.evacuationSecondsPart ?? ''}">`)}</div></fieldset>
  ${field('d-lessons', '存在问题与改进措施', html`<textarea id="d-lessons" name="lessons" rows="3" maxlength="2000" required>${d.lessons ?? ''}</textarea>`)}
  <button class="primary wide" type="submit">登记演练</button>
</form></section>`;
}

function trainingForm(v: DrillsPageView): Html {
  const d = v.trainingDraft;
  return html`<section class="card" aria-labelledby="record-training-h"><h2 id="record-training-h" class="first">登记培训</h2>
${flashBlock(v.flash.training)}
<form method="post" action="/institutions/${v.institution.id}/trainings" novalidate>
  <input type="hidden" name="_csrf" value="${v.csrf}">
  ${field('t-heldOn', '培训日期', html`<input type="date" id="t-heldOn" name="heldOn" value="${d.heldOn ?? v.today}" max="${v.today}" required>`)}
  ${field('t-topic', '培训内容', html`<select id="t-topic" name="topic" required>${options(v.choices.topics, d.topic, '请选择')}</select>`)}
  ${field('t-hours', '学时（小时）', html`<input type="number" inputmode="decimal" min="0.5" max="24" step="0.5" id="t-hours" name="hours" value="${d.hours ?? ''}" required>`)}
  ${field('t-trainer', '授课人或单位（可选）', html`<input type="text" id="t-trainer" name="trainer" value="${d.trainer ?? ''}" maxlength="100">`)}
  ${field('t-trainees', '参训人员', html`<textarea id="t-trainees" name="trainees" rows="4" required aria-describedby="t-trainees-hint">${d.trainees ?? ''}</textarea>`, '每行一人：姓名，身份证后四位（可选），岗位（可选）。例如：王芳，123X，护理员')}
  <button class="primary wide" type="submit">登记培训</button>
</form></section>`;
}

export function drillsPage(v: DrillsPageView): Html {
  return html`<p><a href="${v.back.href}">← ${v.back.label}</a></p>
<h1>演练与培训 · ${v.institution.name}</h1>
${flashBlock(v.flash.page)}
${flagBlock(v)}
${drillList(v)}
${traineeList(v)}
${v.mayRecord ? html`${drillForm(v)}${trainingForm(v)}` : ''}`;
}
