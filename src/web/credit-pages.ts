/** 信用评价 page templates: render only (decisions are made in credit-view.ts). */
import { Html, html } from '../common/html';
import { field, flashBlock, pager } from './components';
import type { CreditLedgerView, CreditListView, DecisionView } from './credit-view';

const options = (choices: [string, string][], chosen: string | undefined, empty: string) =>
  html`<option value="">${empty}</option>${choices.map(([v, l]) => html`<option value="${v}"${v === chosen ? html` selected` : ''}>${l}</option>`)}`;

/** The bureau's credit list: counts by level per street, the filtered institutions, the CSV export. */
export function creditListPage(v: CreditListView): Html {
  const f = v.filters;
  const { summary, nav } = pager(v.list, '/credit', f, '家机构');
  return html`<h1>信用评价</h1>
<p class="muted">按信用评价规则计算至 ${v.asOf}。信用等级决定抽查分层的比例、每年计划检查次数与运营补贴；失信认定生效期间按失信措施执行。每一分都可在机构的计分明细中追溯到记录。</p>
<section aria-labelledby="cr-street-h"><h2 id="cr-street-h">各街道信用等级分布</h2>
${v.byStreet.length === 0 ? html`<div class="empty">辖区内没有在册机构。</div>` : html`<div class="table-wrap"><table class="data"><caption class="visually-hidden">各街道信用等级分布</caption>
<thead><tr><th scope="col">街道（乡镇）</th><th scope="col">A 级</th><th scope="col">B 级</th><th scope="col">C 级</th><th scope="col">D 级</th><th scope="col">失信认定</th><th scope="col">合计</th></tr></thead>
<tbody>${v.byStreet.map((s) => html`<tr><th scope="row">${s.divisionName}</th><td>${s.a}</td><td>${s.b}</td><td>${s.c}</td><td>${s.d ? html`<b class="warn-text">${s.d}</b>` : '0'}</td><td>${s.dishonest ? html`<b class="warn-text">${s.dishonest}</b>` : '0'}</td><td>${s.total}</td></tr>`)}</tbody></table></div>`}
</section>
<form class="card filters" method="get" action="/credit" role="search">
  <div><label for="f-division">街道</label><select id="f-division" name="divisionCode">${options(v.choices.streets, f.divisionCode, '全部')}</select></div>
  <div><label for="f-level">信用等级</label><select id="f-level" name="level">${options(v.choices.levels, f.level, '全部')}</select></div>
  <div><label for="f-dishonest">失信认定</label><select id="f-dishonest" name="dishonest">${options(v.choices.dishonest, f.dishonest, '全部')}</select></div>
  <div><label for="f-due">检查频次</label><select id="f-due" name="due">${options(v.choices.due, f.due, '全部')}</select></div>
  <div><button class="primary" type="submit">筛选</button></div>
</form>
<p><a href="${v.csvHref}">导出 CSV（当前筛选）</a></p>
<section aria-labelledby="cr-list-h"><h2 id="cr-list-h">各机构</h2>${summary}
${v.list.items.length === 0 ? html`<div class="empty">没有符合条件的机构。</div>` : html`<div class="table-wrap"><table class="data"><caption class="visually-hidden">各机构信用等级</caption>
<thead><tr><th scope="col">机构</th><th scope="col">街道</th><th scope="col">信用分</th><th scope="col">等级</th><th scope="col">失信认定</th><th scope="col">抽查分层</th><th scope="col">每年检查</th><th scope="col">本年已检 / 应检</th><th scope="col">运营补贴</th></tr></thead>
<tbody>${v.list.items.map((r) => html`<tr${r.dishonestText || r.level === 'D' ? html` class="attention"` : ''}><th scope="row"><a href="${r.href}">${r.name}</a></th>
<td>${r.divisionName}</td><td>${r.points}</td><td>${r.levelLabel}</td><td>${r.dishonestText ? html`<b class="warn-text">${r.dishonestText}</b>` : '无'}</td>
<td>${r.stratumLabel}</td><td>${r.inspectionsPerYear} 次</td><td>${r.due ? html`<b class="warn-text">${r.frequencyText} 应安排</b>` : r.frequencyText}</td><td>${r.subsidyText}</td></tr>`)}</tbody></table></div>`}
${nav}</section>`;
}

function ledgerTable(v: CreditLedgerView): Html {
  return html`<div class="table-wrap"><table class="data"><caption>计分明细（计分期 ${v.windowStart} 至 ${v.asOf}）</caption>
<thead><tr><th scope="col">日期</th><th scope="col">说明</th><th scope="col">来源记录</th><th scope="col">分值</th></tr></thead>
<tbody><tr><td></td><td>基础分</td><td></td><td>${v.base}</td></tr>
${v.entries.map((e) => html`<tr><td>${e.on}</td><td>${e.explanation}</td><td>${e.sourceHref ? html`<a href="${e.sourceHref}">${e.sourceLabel}</a>` : e.sourceLabel}</td><td>${e.negative ? html`<b class="warn-text">${e.points}</b>` : e.points}</td></tr>`)}
<tr><th scope="row" colspan="3">合计（${v.levelLabel}）</th><td><b>${v.total}</b></td></tr></tbody></table></div>
${v.entries.length === 0 ? html`<p class="muted">计分期内没有加分或扣分记录。</p>` : ''}`;
}

function decisionCard(v: CreditLedgerView, d: DecisionView): Html {
  const base = `/credit/dishonesty/${d.id}`;
  const hidden = html`<input type="hidden" name="_csrf" value="${v.csrf}">`;
  return html`<section class="card" aria-labelledby="d-${d.id}-h"><h3 id="d-${d.id}-h" class="first">失信认定 · ${d.decidedOn} <span class="tag${d.inForce ? ' warn' : ''}">${d.statusLabel}</span></h3>
<dl class="profile">
  <dt>认定理由</dt><dd>${d.reason}</dd>
  <dt>认定依据</dt><dd>${d.legalBasis}</dd>
  <dt>认定人</dt><dd>${d.decidedByName}</dd>
  <dt>申辩期限</dt><dd>${d.objectionDueOn} 前（含当日）</dd>
  <dt>公示</dt><dd>${d.published ? '生效期间在公示页公开' : '不公示'}</dd>
  ${d.objection ? html`<dt>陈述申辩</dt><dd>${d.objection}</dd>` : ''}
  ${d.reviewNote ? html`<dt>申辩处理意见</dt><dd>${d.reviewNote}</dd>` : ''}
  ${d.repairReason ? html`<dt>信用修复</dt><dd>${d.repairedOn}：${d.repairReason}</dd>` : d.inForce ? html`<dt>信用修复</dt><dd>最早 ${d.repairableFrom} 可申请（连续 ${v.repairCleanMonths} 个月无新的扣分记录）</dd>` : ''}
</dl>
${d.may.object ? html`<form method="post" action="${base}/objection">${hidden}
  ${field(`obj-${d.id}`, '陈述申辩', html`<textarea id="obj-${d.id}" name="objection" rows="3" maxlength="2000" required></textarea>`, `请在 ${d.objectionDueOn} 前提交；申辩期间认定仍然有效。`)}
  <button class="primary" type="submit">提交申辩</button></form>` : ''}
${d.may.review ? html`<form method="post" action="${base}/review">${hidden}
  ${field(`rev-${d.id}`, '处理意见', html`<textarea id="rev-${d.id}" name="note" rows="2" maxlength="2000" required></textarea>`)}
  <label class="check" for="rev-confirm-${d.id}"><input id="rev-confirm-${d.id}" type="checkbox" name="confirm" value="true" required> 我已核对申辩内容，处理结果不能撤回</label>
  <div class="actions"><button class="primary" type="submit" name="outcome" value="uphold">申辩不成立，维持认定</button>
  <button class="primary secondary" type="submit" name="outcome" value="withdraw">申辩成立，撤销认定</button></div></form>` : ''}
${d.may.repair ? html`<form method="post" action="${base}/repair">${hidden}
  ${field(`rep-${d.id}`, '信用修复理由', html`<textarea id="rep-${d.id}" name="reason" rows="2" maxlength="2000" required></textarea>`)}
  <label class="check" for="rep-confirm-${d.id}"><input id="rep-confirm-${d.id}" type="checkbox" name="confirm" value="true" required> 确认作出信用修复决定（不能撤回）</label>
  <button class="primary" type="submit">信用修复</button></form>` : ''}
</section>`;
}

function decideSection(v: CreditLedgerView): Html {
  const action = `/institutions/${v.institution.id}/credit/dishonesty`;
  const hidden = html`<input type="hidden" name="_csrf" value="${v.csrf}">`;
  if (v.confirming) {
    const c = v.confirming;
    return html`<section class="card confirm" aria-labelledby="decide-h"><h2 id="decide-h" class="first">失信认定：请核对</h2>
<p>认定自 ${c.decidedOn} 起生效：该机构列入“失信主体”抽查分层、按失信措施执行检查频次与运营补贴，直至撤销或信用修复。机构可在 ${v.objectionDays} 日内陈述申辩。</p>
<dl class="profile"><dt>机构</dt><dd>${v.institution.name}</dd><dt>认定理由</dt><dd>${c.reason}</dd><dt>认定依据</dt><dd>${c.legalBasis}</dd><dt>认定日期</dt><dd>${c.decidedOn}</dd></dl>
<form method="post" action="${action}">${hidden}
  <input type="hidden" name="reason" value="${c.reason}"><input type="hidden" name="legalBasis" value="${c.legalBasis}"><input type="hidden" name="decidedOn" value="${c.decidedOn}">
  <label class="check" for="decide-confirm"><input id="decide-confirm" type="checkbox" name="confirm" value="true" required> 我已核对，确认作出失信认定</label>
  <div class="actions"><button class="primary" type="submit" name="step" value="commit">作出失信认定</button>
  <button class="primary secondary" type="submit" name="step" value="edit">返回修改</button></div>
</form></section>`;
  }
  const d = v.draft;
  return html`<section class="card" aria-labelledby="decide-h"><h2 id="decide-h" class="first">作出失信认定</h2>
<p class="muted">由局方依据本地失信管理办法作出；请填写文件名称和条款。认定在公示页公开（按信用评价规则）。</p>
<form method="post" action="${action}">${hidden}
  ${field('decide-reason', '认定理由', html`<textarea id="decide-reason" name="reason" rows="3" maxlength="2000" required>${d.reason ?? ''}</textarea>`)}
  ${field('decide-basis', '认定依据', html`<textarea id="decide-basis" name="legalBasis" rows="2" maxlength="1000" required>${d.legalBasis ?? ''}</textarea>`, '如：《××市养老服务市场失信联合惩戒对象名单管理办法》第×条')}
  ${field('decide-date', '认定日期', html`<input type="date" id="decide-date" name="decidedOn" value="${d.decidedOn ?? v.today}" max="${v.today}" required>`)}
  <button class="primary wide" type="submit" name="step" value="review">下一步：核对并确认</button>
</form></section>`;
}

/** One institution's level with its explained ledger, the consequences, the 失信 decisions and their forms. */
export function creditLedgerPage(v: CreditLedgerView): Html {
  return html`${v.back ? html`<p><a href="${v.back.href}">← ${v.back.label}</a></p>` : ''}
<h1>信用等级 · ${v.institution.name}</h1>
${flashBlock(v.flash)}
<section class="card" aria-labelledby="cr-sum-h"><h2 id="cr-sum-h" class="first">${v.levelLabel}，信用分 ${v.total}</h2>
<dl class="profile">
  ${v.dishonest ? html`<dt>失信认定</dt><dd><b class="warn-text">生效中</b>：按失信措施执行</dd>` : ''}
  <dt>抽查分层</dt><dd>${v.stratumLabel}${v.stratumRatioText ? `，${v.stratumRatioText}` : ''}（被抽中与否仍由公开可复现的随机抽取决定）</dd>
  ${v.draws.length ? html`<dt>已公示的差异化抽查</dt><dd><ul class="plain">${v.draws.map((d) => html`<li>${d.name}（${d.on} 公示）：所在分层 ${d.label}；${d.rateText}</li>`)}</ul></dd>` : ''}
  <dt>每年计划检查</dt><dd>${v.inspectionsPerYear} 次</dd>
  <dt>检查频次</dt><dd>${v.frequencyDue ? html`<b class="warn-text">${v.frequencyText}</b>` : v.frequencyText}<br><span class="muted">计入：${v.frequencyKindsText}（按提交日所在年度；未办结的视为已安排）</span></dd>
  <dt>运营补贴</dt><dd>${v.subsidyText}</dd>
  <dt>评价规则</dt><dd>${v.rulesText}，评价日 ${v.asOf}</dd>
</dl></section>
<section aria-labelledby="cr-ledger-h"><h2 id="cr-ledger-h">计分明细</h2>${ledgerTable(v)}</section>
<section aria-labelledby="cr-dec-h"><h2 id="cr-dec-h">失信认定</h2>
${v.decisions.length === 0 ? html`<div class="empty">没有失信认定记录。</div>` : v.decisions.map((d) => decisionCard(v, d))}
</section>
${v.mayDecide ? decideSection(v) : ''}`;
}
