import { Html, html } from '../common/html';
import { field, flashBlock, pager } from './components';
import type { CodeEntryPageView, RatingShown, RatingsPageView, TeamCodeCard, VisitCardView, VisitPageView } from './inspection-code-view';
import { RATING_QUESTIONS, SCORE_CHOICES } from './inspection-code-view';

/** 检查码 templates: render only (decisions in inspection-code-view.ts). Phone first; styles in /static/inspection-codes.css. */

const CSS = html`<link rel="stylesheet" href="/static/inspection-codes.css">`;
const csrfField = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;
const tag = (text: string, tone: 'ok' | 'warn' | 'plain') => html`<span class="tag${tone === 'warn' ? ' warn' : tone === 'ok' ? ' ok-tag' : ''}">${text}</span>`;

/** 核验检查码: the entry form (the QR's code filled in) and the institution's visits. */
export function codeEntryPage(v: CodeEntryPageView): Html {
  const { summary, nav } = pager(v.visits, '/inspection-codes', {}, '次检查');
  return html`${CSS}
<h1>核验检查码</h1>
<p class="muted">检查人员到达时会出示本次检查的检查码或二维码。输入检查码，核对检查人员的姓名、所属单位和执法证号，确认本次检查真实有效。检查码不会提前告知机构。</p>
${flashBlock(v.flash)}
<form class="card code-form" method="post" action="/inspection-codes/lookup" novalidate>
  ${csrfField(v.csrf)}
  ${field('code', '检查码', html`<input id="code" name="code" type="text" class="code-input" autocapitalize="characters" autocomplete="off" autocorrect="off" spellcheck="false" maxlength="40" placeholder="如 7K2M-QX9D" value="${v.code}" required aria-describedby="code-hint">`,
    '8 位字母和数字，不区分大小写，可带或不带连字符；用手机相机扫检查人员出示的二维码会自动填入。')}
  <button class="primary wide" type="submit">核验</button>
</form>
<h2 id="visits-h">本机构的检查${v.toRate ? html` <span class="tag warn">${v.toRate} 次待评价</span>` : ''}</h2>
${v.visits.items.length ? html`${summary}<ul class="list visit-list" aria-labelledby="visits-h">${v.visits.items.map((l) => html`<li><a href="${l.href}">
  <span class="name">${l.title}</span> ${tag(l.state.text, l.state.tone)}<br>
  <span class="muted">${l.when}${l.team ? ` · 检查组：${l.team}` : ''}</span></a></li>`)}</ul>${nav}`
    : html`<div class="empty">还没有检查记录。核验过的检查和已提交的检查会列在这里，检查提交后可以评价。</div>`}`;
}

function teamList(card: VisitCardView): Html {
  return html`<ul class="team-cards">${card.team.map((m) => html`<li>
  <p class="team-name"><strong>${m.name}</strong> <span class="muted">${m.role}</span></p>
  <dl class="profile team-facts"><dt>所属单位</dt><dd>${m.divisionName}</dd>
  <dt>执法证号</dt><dd>${m.warrantMissing ? html`<span class="tag warn">${m.warrantNo}</span>` : html`<span class="warrant">${m.warrantNo}</span>`}</dd></dl></li>`)}</ul>`;
}

function visitCard(card: VisitCardView): Html {
  return html`<section class="card visit-card" aria-labelledby="visit-h">
  <h2 id="visit-h" class="visit-title">${card.code ? html`检查码 <span class="code-big">${card.code}</span>` : '本次检查'}</h2>
  ${card.cancelled ? html`<p class="error" role="alert">该检查已取消。</p>` : card.confirmed ? html`<p class="ok" role="status">${card.confirmed}</p>` : ''}
  <dl class="profile">${card.facts.map((f) => html`<dt>${f.label}</dt><dd>${f.value}</dd>`)}</dl>
  <h3>检查人员（${card.team.length} 人）</h3>
  ${teamList(card)}
  <p class="muted">请核对检查人员出示的行政执法证件，与上面的姓名、执法证号一致。</p>
</section>`;
}

function ratingShownBlock(r: RatingShown): Html {
  return html`<dl class="profile rating-shown">${r.scores.map((s) => html`<dt>${s.title}</dt><dd><strong>${s.value} 分</strong> ${s.word}</dd>`)}
  <dt>评价意见</dt><dd>${r.comment ?? html`<span class="muted">（未填写）</span>`}</dd>
  <dt>评价时间</dt><dd>${r.ratedAt}（${r.ratedBy}）</dd></dl>`;
}

function ratingForm(v: VisitPageView): Html {
  const f = v.rating.form!;
  return html`<form method="post" action="${f.action}" class="rating-form" novalidate>
  ${csrfField(v.csrf)}
  ${RATING_QUESTIONS.map((q) => html`<fieldset class="rating-scale">
    <legend>${q.title}</legend><p class="muted" id="${q.name}-hint">${q.hint}</p>
    <div class="scores" role="radiogroup" aria-describedby="${q.name}-hint">${SCORE_CHOICES.map((c) => html`<label class="score" for="${q.name}-${c.value}">
      <input type="radio" id="${q.name}-${c.value}" name="${q.name}" value="${c.value}"${f.draft[q.name] === String(c.value) ? html` checked` : ''} required>
      <span class="score-n">${c.value}</span><span class="score-w">${c.word}</span></label>`)}</div></fieldset>`)}
  ${field('comment', '评价意见（选填）', html`<textarea id="comment" name="comment" rows="3" maxlength="${f.commentMax}" aria-describedby="comment-hint">${f.draft.comment ?? ''}</textarea>`,
    `不超过 ${f.commentMax} 字。只有主管部门可以看到，检查人员看不到评价意见。`)}
  <button class="primary wide" type="submit">提交评价</button>
</form>`;
}

/** One visit: the look-up result with 确认, or the visit with its rating (form or what was given). */
export function visitPage(v: VisitPageView): Html {
  return html`${CSS}
${flashBlock(v.flash)}
${visitCard(v.card)}
${v.note ? html`<p class="${v.card.cancelled ? 'error' : 'muted'}" role="note">${v.note}</p>` : ''}
${v.confirm ? html`<form class="card confirm-form" method="post" action="/inspection-codes/confirm">
  ${csrfField(v.csrf)}<input type="hidden" name="code" value="${v.confirm.code}">
  <p>核对无误后确认：系统将记录核验人和核验时间，检查记录上会注明“检查码已核验”。</p>
  <button class="primary wide" type="submit">确认检查人员身份无误</button>
  <p class="muted">信息不符？请不要接受检查，并联系${v.card.bureauName}核实。</p>
</form>` : ''}
<section class="card" aria-labelledby="rating-h"><h2 id="rating-h">评价本次检查</h2>
  <p class="muted">${v.rating.text}</p>
  ${v.rating.shown ? ratingShownBlock(v.rating.shown) : ''}
  ${v.rating.form ? ratingForm(v) : ''}
</section>
${v.recordHref ? html`<p><a href="${v.recordHref}">查看检查记录</a></p>` : ''}
<p><a href="${v.back.href}">← ${v.back.label}</a></p>`;
}

/** The team's card on the inspection page: the code in large letters and its QR (for the institution's phone). */
export function teamCodeBlock(c: TeamCodeCard, qr: Html | null): Html {
  return html`<section class="card team-code" aria-labelledby="team-code-h">${CSS}
  <h2 id="team-code-h" class="card-title">检查码</h2>
  <p class="code-big" data-role="inspection-code">${c.display}</p>
  <p class="${c.confirmed ? 'ok' : 'muted'}" role="status">${c.status}</p>
  ${c.confirmed ? '' : html`<details class="team-qr" open><summary>出示二维码</summary>${qr ?? ''}<p class="muted">机构用户用手机相机扫码即可打开核验页面（已填好检查码）。检查码不要提前告知机构。</p></details>`}
</section>`;
}

/** 检查评价 (the bureau): filters, averages, the ratings and the per-inspector table, exports. */
export function ratingsPage(v: RatingsPageView): Html {
  const f = v.filters;
  const { summary, nav } = pager(v.list, '/inspection-ratings', f, '条评价');
  const scoreOptions = (selected: string | undefined) => html`<option value="">不限</option>${[1, 2, 3, 4, 5].map((n) => html`<option value="${n}"${selected === String(n) ? html` selected` : ''}>${n} 分</option>`)}`;
  return html`${CSS}<link rel="stylesheet" href="/static/ledger.css">
<h1>检查评价</h1>
<p class="muted">被检查机构在检查记录提交后对检查人员执法规范、问题是否指出清楚的评价（1–5 分）。评价意见只有主管部门可见，检查人员看不到。</p>
<form class="card filters ledger-filters" method="get" action="/inspection-ratings" role="search">
  <div><label for="f-div">区划</label><select id="f-div" name="divisionCode"><option value="">全部</option>${v.divisions.map((d) => html`<option value="${d.value}"${f.divisionCode === d.value ? html` selected` : ''}>${d.label}</option>`)}</select></div>
  <div><label for="f-from">检查日期起</label><input id="f-from" type="date" name="from" value="${f.from ?? ''}"></div>
  <div><label for="f-to">检查日期止</label><input id="f-to" type="date" name="to" value="${f.to ?? ''}"></div>
  <div><label for="f-min">较低评分不低于</label><select id="f-min" name="minScore">${scoreOptions(f.minScore)}</select></div>
  <div><label for="f-max">较低评分不高于</label><select id="f-max" name="maxScore">${scoreOptions(f.maxScore)}</select></div>
  ${f.inspectorId ? html`<input type="hidden" name="inspectorId" value="${f.inspectorId}">` : ''}
  <div class="ledger-actions"><button class="primary" type="submit">筛选</button> <a href="/inspection-ratings">清除</a></div>
</form>
${v.inspectorFilter ? html`<p class="ledger-chips"><span class="tag">检查人员：${v.inspectorFilter.name} <a href="${v.inspectorFilter.clear}" aria-label="取消检查人员筛选">×</a></span></p>` : ''}
<div class="kpis">${v.kpis.map((k) => html`<div class="stat"><span class="muted">${k.label}</span><b class="${k.warn ? 'warn-text' : ''}">${k.value}</b>${k.note ? html`<span class="muted">${k.note}</span>` : ''}</div>`)}</div>
<div class="ledger-bar">${summary}<p class="ledger-exports">导出当前筛选结果：<a class="button" href="${v.exports.csv}" download>导出 CSV</a> <a class="button" href="${v.exports.xlsx}" download>导出 XLSX</a></p></div>
${v.list.items.length ? html`<div class="table-wrap cards-wrap"><table class="data cards ratings-table">
<caption class="muted">评价列表（按检查日期，新的在前）</caption>
<thead><tr><th scope="col">被检查机构</th><th scope="col">检查日期</th><th scope="col">区划</th><th scope="col">检查类型</th><th scope="col">检查组</th><th scope="col">检查码</th><th scope="col" class="num">执法规范</th><th scope="col" class="num">问题指出清楚</th><th scope="col">评价意见</th></tr></thead>
<tbody>${v.list.items.map((r) => html`<tr${r.low ? html` class="rating-low"` : ''}>
  <th scope="row" class="card-head"><a href="${r.inspectionHref}">${r.institutionName}</a></th>
  <td data-label="检查日期">${r.day}</td><td data-label="区划">${r.divisionName}</td><td data-label="检查类型">${r.kindLabel}</td><td data-label="检查组">${r.team}</td>
  <td data-label="检查码">${r.code.warn ? html`<span class="tag warn">${r.code.text}</span>` : r.code.text}</td>
  <td data-label="执法规范" class="num${r.conduct <= 2 ? ' warn-text' : ''}">${r.conduct}</td><td data-label="问题指出清楚" class="num${r.clarity <= 2 ? ' warn-text' : ''}">${r.clarity}</td>
  <td data-label="评价意见">${r.comment ?? html`<span class="muted">—</span>`}</td></tr>`)}</tbody></table></div>${nav}`
    : html`<div class="empty">${v.emptyText}</div>`}
${v.byInspector.length ? html`<h2 id="by-inspector-h">按检查人员</h2>
<p class="muted">每名检查人员所在检查组得到的评价（平均分低的在前）；点姓名只看该检查人员的评价。</p>
<div class="table-wrap"><table class="data" aria-labelledby="by-inspector-h">
<thead><tr><th scope="col">检查人员</th><th scope="col">所属</th><th scope="col" class="num">评价数</th><th scope="col" class="num">执法规范</th><th scope="col" class="num">问题指出清楚</th><th scope="col" class="num">低分</th></tr></thead>
<tbody>${v.byInspector.map((r) => html`<tr><td><a href="${r.href}"${r.current ? html` aria-current="true"` : ''}>${r.name}</a></td><td>${r.divisionName}</td><td class="num">${r.count}</td><td class="num">${r.conduct}</td><td class="num">${r.clarity}</td><td class="num${r.low ? ' warn-text' : ''}">${r.low}</td></tr>`)}</tbody></table></div>` : ''}`;
}
