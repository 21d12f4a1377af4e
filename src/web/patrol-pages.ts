/** 巡查 page templates: render only (the decisions are in patrol-view.ts). */
import { Html, html } from '../common/html';
import { field, flashBlock, pager } from './components';
import type { PatrolPageView, PatrolsPageView, ScanPageView } from './patrol-view';

const CSS = html`<link rel="stylesheet" href="/static/patrols.css">`;

const tag = (text: string, tone: 'ok' | 'warn' | 'plain') => html`<span class="tag${tone === 'warn' ? ' warn' : tone === 'ok' ? ' okay' : ''}">${text}</span>`;

function openSlots(v: PatrolsPageView): Html | string {
  if (!v.mayRecord) return '';
  return html`<section class="card" aria-labelledby="now-h"><h2 id="now-h" class="first">当前巡查时段</h2>
${v.points.length === 0 ? html`<div class="empty">还没有巡查点位。请先在下方登记点位（消防控制室、厨房、各楼层安全出口、燃气间等）并打印二维码标签，巡查时逐个扫码。</div>` : ''}
<ul class="list">${v.open.map((o) => html`<li><span class="name">${o.kindLabel}</span> <span class="muted">${o.slotLabel}</span><br>
  ${o.submitted ? tag('本时段已提交', 'ok') : html`<form method="post" action="/institutions/${v.institution.id}/patrols" class="inline">
    <input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="kind" value="${o.kind}">
    <button class="primary" type="submit">${o.patrolId ? '继续巡查' : '开始巡查'}</button></form>`}</li>`)}</ul>
${v.nightNote ? html`<p class="muted">${v.nightNote}</p>` : ''}</section>`;
}

function summary(v: PatrolsPageView): Html {
  const s = v.summary;
  return html`<section class="card" aria-labelledby="sum-h"><h2 id="sum-h" class="first">近 ${v.days} 天巡查情况</h2>
${v.scheduleStartLabel ? html`<p>应巡 <b>${s.due}</b> 次：按时完成 ${s.done}，迟巡 ${s.late}，<b${s.missed ? html` class="warn-text"` : ''}>漏巡 ${s.missed}</b>，未完成 ${s.incomplete}；完成率 <b>${v.completionLabel}</b>。</p>
<p class="muted">巡查计划自 ${v.scheduleStartLabel} 登记首个点位起计。${v.policyNote}</p>`
    : html`<div class="empty">尚未登记巡查点位，巡查计划还未开始。</div>`}
${v.lines.length ? html`<details><summary>各时段明细（${v.lines.length}）</summary><div class="table-wrap"><table class="data"><caption class="visually-hidden">各时段巡查状态</caption>
<thead><tr><th scope="col">时段</th><th scope="col">类型</th><th scope="col">状态</th></tr></thead>
<tbody>${v.lines.map((l) => html`<tr><th scope="row">${l.slotLabel}</th><td>${l.kindLabel}</td><td>${tag(l.stateLabel, l.tone)}</td></tr>`)}</tbody></table></div></details>` : ''}
</section>`;
}

function selfHazards(v: PatrolsPageView): Html {
  const list = v.selfHazards;
  const { summary: count, nav } = pager(list, `/institutions/${v.institution.id}/patrols`, {}, '项自查隐患');
  return html`<section aria-labelledby="sh-h"><h2 id="sh-h">自查隐患</h2>
<p class="muted">巡查中发现的异常项自动登记为本机构的自查隐患，由机构整改后自行销号，主管部门可查看。${v.weightNote}</p>${count}
${flashBlock(v.flash.selfHazard)}
${list.items.length === 0 ? html`<div class="empty">没有自查隐患。</div>` : html`<ul class="list">${list.items.map((h) => html`<li id="sh-${h.id}">
  <span class="name">${h.itemCode} ${h.titleZh}</span> ${tag(h.statusLabel, h.status === 'closed' ? 'ok' : h.overdue ? 'warn' : 'plain')}${h.overdue ? tag('已逾期', 'warn') : ''}<br>
  <span>${h.note}</span><br><span class="muted">发现：${h.foundLabel}（${h.patrolKindLabel}）；整改期限 ${h.dueDate}</span>
  ${h.closedLabel ? html`<br><span class="muted">整改情况：${h.closureNote}（${h.closedLabel}）</span>` : ''}
  ${v.mayRecord && h.status === 'open' ? html`<form method="post" action="/self-hazards/${h.id}/close" class="stack">
    <input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="version" value="${h.version}">
    ${field(`close-${h.id}`, '整改情况', html`<textarea id="close-${h.id}" name="note" rows="2" maxlength="2000" required></textarea>`)}
    <button type="submit">整改完成，销号</button></form>` : ''}</li>`)}</ul>`}
${nav}</section>`;
}

function points(v: PatrolsPageView): Html {
  return html`<section class="card" aria-labelledby="pts-h"><h2 id="pts-h" class="first">巡查点位（${v.points.length}）</h2>
${v.points.length ? html`<ul class="list">${v.points.map((p) => html`<li><span class="name">${p.name}</span> <span class="muted">${p.areaLabel}</span> · 点位码 <code>${p.code}</code>
  ${v.mayRecord ? html`<form method="post" action="/institutions/${v.institution.id}/patrol-points/${p.id}/retire" class="inline">
    <input type="hidden" name="_csrf" value="${v.csrf}"><button type="submit" class="secondary">停用</button></form>` : ''}</li>`)}</ul>` : html`<div class="empty">还没有巡查点位。</div>`}
${v.mayRecord ? html`${v.points.length ? html`<p><a class="button" href="/institutions/${v.institution.id}/patrol-points/labels.pdf">打印二维码标签（PDF）</a></p>` : ''}
${flashBlock(v.flash.point)}
<form method="post" action="/institutions/${v.institution.id}/patrol-points" novalidate>
  <input type="hidden" name="_csrf" value="${v.csrf}">
  ${field('pt-name', '点位名称', html`<input type="text" id="pt-name" name="name" maxlength="50" required value="${v.pointDraft.name ?? ''}" aria-describedby="pt-name-hint">`, '如：三楼东侧安全出口')}
  ${field('pt-area', '区域', html`<select id="pt-area" name="area" required>${v.areas.map(([k, l]) => html`<option value="${k}"${k === v.pointDraft.area ? html` selected` : ''}>${l}</option>`)}</select>`)}
  <button class="primary wide" type="submit">登记点位</button>
</form>` : ''}</section>`;
}

function recent(v: PatrolsPageView): Html {
  return html`<section aria-labelledby="recent-h"><h2 id="recent-h">巡查记录</h2>
${v.patrols.items.length === 0 ? html`<div class="empty">还没有巡查记录。</div>` : html`<ul class="list">${v.patrols.items.map((p) => html`<li>
  <a class="name" href="/patrols/${p.id}">${p.kindLabel} · ${p.slotLabel}</a> ${tag(p.stateLabel, p.tone)}${p.missedPoints ? tag(`漏扫 ${p.missedPoints} 个点位`, 'warn') : ''}${p.failed ? tag(`异常 ${p.failed} 项`, 'warn') : ''}<br>
  <span class="muted">${p.byline}</span></li>`)}</ul>`}</section>`;
}

export function patrolsPage(v: PatrolsPageView): Html {
  return html`${CSS}<h1>巡查 · ${v.institution.name}</h1>
${flashBlock(v.flash.page)}
${openSlots(v)}
${summary(v)}
${selfHazards(v)}
${recent(v)}
${points(v)}`;
}

export function patrolPage(v: PatrolPageView): Html {
  return html`${CSS}<h1>${v.title}</h1>
<p class="muted">${v.byline}</p>
${flashBlock(v.flash.page)}
<section class="card" aria-labelledby="scan-h"><h2 id="scan-h" class="first">点位扫码（${v.scannedCount} / ${v.points.length}）</h2>
<ul class="list">${v.points.map((p) => html`<li data-point="${p.code}"><span class="name">${p.name}</span> <span class="muted">${p.areaLabel}</span>
  ${p.scannedLabel ? tag(`已到位 ${p.scannedLabel}`, 'ok') : tag('未扫码', v.open ? 'plain' : 'warn')}</li>`)}</ul>
${v.open && v.mayRecord ? html`${flashBlock(v.flash.scan)}
<form method="post" action="/patrols/${v.id}/scans" class="stack" novalidate>
  <input type="hidden" name="_csrf" value="${v.csrf}">
  ${field('scan-code', '点位码', html`<input type="text" id="scan-code" name="code" inputmode="latin" autocapitalize="characters" autocomplete="off" maxlength="6" pattern="[A-Za-z0-9]{6}" required aria-describedby="scan-code-hint">`, '用手机扫描点位上的二维码即可记录；扫码不便时输入标签上的 6 位点位码。到位时间以服务器时间为准。')}
  <button type="submit">记录到位</button>
</form>` : ''}</section>
${v.open && v.mayRecord ? html`<section class="card" aria-labelledby="items-h"><h2 id="items-h" class="first">${v.checklistTitle}</h2>
${flashBlock(v.flash.submit)}
<form method="post" action="/patrols/${v.id}/submit" novalidate>
  <input type="hidden" name="_csrf" value="${v.csrf}">
  ${v.items.map((i) => html`<fieldset class="patrol-item"><legend>${i.code} ${i.title}</legend><p class="muted">${i.check}</p>
    ${v.results.map(([r, l]) => html`<label class="check" for="r-${i.code}-${r}"><input type="radio" id="r-${i.code}-${r}" name="result.${i.code}" value="${r}"${(v.draft[`result.${i.code}`] ?? 'pass') === r ? html` checked` : ''}> ${l}</label>`)}
    ${field(`n-${i.code}`, '异常情况说明（异常时必填）', html`<textarea id="n-${i.code}" name="note.${i.code}" rows="2" maxlength="1000">${v.draft[`note.${i.code}`] ?? ''}</textarea>`)}</fieldset>`)}
  ${field('p-note', '巡查备注（可选）', html`<textarea id="p-note" name="note" rows="2" maxlength="2000">${v.draft.note ?? ''}</textarea>`)}
  ${v.unscanned ? html`<p class="warn-text" role="note">尚有 ${v.unscanned} 个点位未扫码；提交后将如实记录为漏扫。</p>` : ''}
  <button class="primary wide" type="submit">提交巡查</button>
</form></section>` : html`<section class="card" aria-labelledby="res-h"><h2 id="res-h" class="first">巡查结果</h2>
${v.submittedLines.length ? html`<ul class="list">${v.submittedLines.map((r) => html`<li><span class="name">${r.code} ${r.title}</span> ${tag(r.resultLabel, r.result === 'fail' ? 'warn' : 'plain')}${r.note ? html`<br><span>${r.note}</span>` : ''}</li>`)}</ul>` : html`<div class="empty">尚未提交。</div>`}
${v.selfHazardCount ? html`<p>异常项已登记为 ${v.selfHazardCount} 项自查隐患，见 <a href="/institutions/${v.institutionId}/patrols#sh-h">自查隐患</a>。</p>` : ''}</section>`}`;
}

export function scanPage(v: ScanPageView): Html {
  return html`${CSS}<h1>巡查点位 · ${v.pointName}</h1>
<p class="muted">${v.institutionName} · ${v.areaLabel} · 点位码 <code>${v.code}</code></p>
${v.patrols.length === 0 ? html`<div class="empty">当前没有进行中的巡查。${v.mayRecord ? html`请先<a href="/institutions/${v.institutionId}/patrols">开始巡查</a>，再扫码记录到位。` : ''}</div>`
    : html`<section class="card" aria-labelledby="to-h"><h2 id="to-h" class="first">记录到以下巡查</h2>
<ul class="list">${v.patrols.map((p) => html`<li><span class="name">${p.label}</span>
  ${v.mayRecord ? html`<form method="post" action="/patrols/${p.id}/scans" class="inline"><input type="hidden" name="_csrf" value="${v.csrf}"><input type="hidden" name="token" value="${v.token}">
  <button class="primary" type="submit">确认到位</button></form>` : ''}</li>`)}</ul></section>`}`;
}
