import { Html, html } from '../common/html';
import { flashBlock, pager } from './components';
import type { ComparePage, ScheduleListPage, SchedulePage, TotalRow } from './subsidy-view';

/** 运营补贴 pages: render only (decisions are in subsidy-view.ts). */

const css = html`<link rel="stylesheet" href="/static/subsidies.css">`;
const csrfInput = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;

export function scheduleListPage(v: ScheduleListPage): Html {
  const p = pager(v.page, '/subsidies', v.filters, '份');
  return html`${css}
<h1>运营补贴发放表</h1>
${flashBlock(v.flash)}
${v.compute ? html`<section class="card" aria-labelledby="compute-h">
  <h2 id="compute-h">生成发放表</h2>
  <p class="muted">按区划和期间计算每家已开业机构的运营补贴（期间须在同一年度内，通常为上一个自然月）。生成的是草稿，可重新计算；管理员审批后冻结。</p>
  <form method="post" action="/subsidies" class="sub-compute">
    ${csrfInput(v.csrf)}
    <div class="field"><label for="c-division">区划</label><select id="c-division" name="divisionCode" required>
      ${v.compute.divisions.map((d) => html`<option value="${d.code}" ${d.selected ? html`selected` : ''}>${d.label}</option>`)}</select></div>
    <div class="field"><label for="c-start">期间起</label><input id="c-start" type="date" name="periodStart" value="${v.compute.form.periodStart}" required></div>
    <div class="field"><label for="c-end">期间止（含）</label><input id="c-end" type="date" name="periodEnd" value="${v.compute.form.periodEnd}" required></div>
    <div class="field"><button class="primary" type="submit">生成发放表</button></div>
  </form>
</section>` : ''}
<form class="card filters" method="get" action="/subsidies" role="search" aria-label="筛选发放表">
  <div><label for="f-status">状态</label><select id="f-status" name="status"><option value="">全部</option>
    ${v.statusOptions.map((o) => html`<option value="${o.value}" ${o.selected ? html`selected` : ''}>${o.label}</option>`)}</select></div>
  <div><label for="f-division">区划</label><select id="f-division" name="divisionCode"><option value="">全部</option>
    ${v.divisions.map((d) => html`<option value="${d.code}" ${d.selected ? html`selected` : ''}>${d.label}</option>`)}</select></div>
  <div><button class="primary" type="submit">筛选</button></div>
</form>
${p.summary}
${v.rows.length === 0
    ? html`<div class="empty">${v.emptyHint}${Object.keys(v.filters).length ? html` <a href="/subsidies">清除筛选</a>` : ''}</div>`
    : html`<div class="table-wrap"><table class="data">
  <caption class="visually-hidden">运营补贴发放表</caption>
  <thead><tr><th scope="col">区划</th><th scope="col">期间</th><th scope="col">版本</th><th scope="col">状态</th><th scope="col" class="num">机构数</th><th scope="col" class="num">合计（元）</th><th scope="col">生成时间</th><th scope="col">审批</th></tr></thead>
  <tbody>${v.rows.map((r) => html`<tr>
    <td>${r.division}</td><td><a href="${r.href}">${r.period}</a></td><td>${r.version}</td>
    <td><span class="tag ${r.approved ? 'sub-approved' : 'sub-draft'}">${r.status}</span></td>
    <td class="num">${r.institutions}</td><td class="num">${r.total}</td><td>${r.created}</td><td>${r.approval}</td></tr>`)}</tbody>
</table></div>`}
${p.nav}`;
}

const totals = (id: string, caption: string, head: string, rows: TotalRow[]) => html`<section class="card" aria-labelledby="${id}">
  <h2 id="${id}">${caption}</h2>
  <div class="table-wrap"><table class="data"><thead><tr><th scope="col">${head}</th><th scope="col" class="num">机构数</th><th scope="col" class="num">金额（元）</th></tr></thead>
  <tbody>${rows.map((r) => html`<tr><td>${r.label}</td><td class="num">${r.count}</td><td class="num">${r.amount}</td></tr>`)}</tbody></table></div>
</section>`;

export function schedulePage(v: SchedulePage): Html {
  return html`${css}
<p><a href="/subsidies">← 运营补贴发放表</a></p>
<h1>${v.heading}</h1>
${flashBlock(v.flash)}
${v.banner ? html`<div class="sub-frozen" role="note"><strong>已审批 · 已冻结</strong><p>${v.banner}</p></div>` : ''}
<section class="card" aria-labelledby="facts-h">
  <h2 id="facts-h">概况</h2>
  <dl class="profile">${v.facts.map((f) => html`<dt>${f.term}</dt><dd>${f.value}</dd>`)}</dl>
  <p class="sub-total">合计 <strong>${v.total}</strong> 元</p>
  <div class="sub-actions">
    <a class="button" href="${v.downloads.xlsx}" download>下载 Excel（XLSX）</a>
    <a class="button" href="${v.downloads.pdf}">下载 PDF</a>
    <a class="button secondary" href="${v.compareHref}">与上一期对比</a>
    ${v.actions.recompute ? html`<form method="post" action="/subsidies/${v.id}/recompute" class="inline">${csrfInput(v.csrf)}<button class="secondary" type="submit">重新计算</button></form>` : ''}
    ${v.actions.approve && !v.confirming ? html`<a class="button" href="/subsidies/${v.id}?step=approve#approve">审批…</a>` : ''}
  </div>
  ${v.actions.recompute ? html`<p class="muted">重新计算：按当前登记的数据和现行规则重算本草稿（原合计记入审计日志）。</p>` : ''}
  ${v.actions.approveHint ? html`<p class="muted">${v.actions.approveHint}</p>` : ''}
</section>
${v.confirming ? html`<section class="card sub-confirm" id="approve" aria-labelledby="approve-h">
  <h2 id="approve-h">确认审批</h2>
  <p>即将批准本发放表：${v.confirming.institutions} 家机构${v.confirming.ineligible ? `（${v.confirming.ineligible} 家不符合条件，金额 0）` : ''}，合计 <strong>${v.confirming.total}</strong> 元。</p>
  <p><strong>批准后不可修改</strong>：金额、每一行的计算过程和所依据的规则版本将冻结，系统拒绝重新计算或修改；如需更正，只能生成新的版本。</p>
  <form method="post" action="/subsidies/${v.id}/approve">
    ${csrfInput(v.csrf)}<input type="hidden" name="reviewed" value="${v.confirming.token}">
    <div class="field"><label class="check" for="a-confirm"><input id="a-confirm" type="checkbox" name="confirm" value="yes"> 我已逐项核对发放表，确认批准（批准后不可修改）</label></div>
    <button class="primary" type="submit">确认批准</button>
    <a class="button secondary" href="/subsidies/${v.id}">取消</a>
  </form>
</section>` : ''}
<section class="card" aria-labelledby="lines-h">
  <h2 id="lines-h">逐机构明细</h2>
  <p class="muted">点击每行下方的“计算过程”查看该机构金额的每一步：依据的政策版本、计补的天数与分段、暂停与停发、等级系数和安全系数。</p>
  <div class="table-wrap"><table class="data sub-lines">
    <caption class="visually-hidden">逐机构补贴明细</caption>
    <thead><tr><th scope="col" class="num">序号</th><th scope="col">机构</th><th scope="col">街道</th><th scope="col">类型</th><th scope="col" class="num">入住床位（期末）</th>
      <th scope="col">等级（期末）</th><th scope="col" class="num">安全分</th><th scope="col">系数</th><th scope="col" class="num">计补天数</th><th scope="col" class="num">金额（元）</th></tr></thead>
    ${v.lines.map((l) => html`<tbody class="sub-line${l.eligible ? '' : ' sub-ineligible'}">
      <tr><td class="num">${l.no}</td><td><a href="${l.href}">${l.name}</a>${l.suspended ? html` <span class="tag warn">有停发</span>` : ''}${l.eligible ? '' : html` <span class="tag">不符合条件</span>`}</td>
        <td>${l.street}</td><td>${l.kind}</td><td class="num">${l.beds}</td><td>${l.grade}</td><td class="num">${l.safety}</td><td>${l.rate}</td><td class="num">${l.days}</td><td class="num"><strong>${l.amount}</strong></td></tr>
      <tr class="sub-working-row"><td></td><td colspan="9"><details class="sub-working">
        <summary>计算过程：${l.name}</summary>
        <ul class="sub-facts">${l.working.facts.map((f) => html`<li>${f}</li>`)}</ul>
        ${l.working.segments.length ? html`<p class="sub-h">按天分段</p><ol class="sub-segments">${l.working.segments.map((g) => html`<li>${g}</li>`)}</ol>` : ''}
        <table class="data sub-formula"><caption class="visually-hidden">${l.name} 的计算明细</caption>
          <thead><tr><th scope="col">项目</th><th scope="col">算式</th><th scope="col" class="num">金额（元）</th></tr></thead>
          <tbody>${l.working.lines.map((x) => html`<tr class="${x.zero ? 'sub-zero' : ''}"><td>${x.label}</td><td>${x.formula}</td><td class="num">${x.amount}</td></tr>`)}
          <tr class="sub-sum"><td colspan="2">合计</td><td class="num">${l.amount}</td></tr></tbody></table>
        ${l.working.notes.map((n) => html`<p class="muted">${n}</p>`)}
      </details></td></tr>
    </tbody>`)}
    <tfoot><tr><td></td><th scope="row" colspan="8">合计</th><td class="num"><strong>${v.total}</strong></td></tr></tfoot>
  </table></div>
</section>
<div class="grid2">
${totals('street-h', '按街道合计', '街道', v.byStreet)}
${totals('kind-h', '按机构类型合计', '类型', v.byKind)}
</div>
${v.placesNote ? html`<p class="muted">${v.placesNote}</p>` : ''}`;
}

export function comparePage(v: ComparePage): Html {
  return html`${css}
<p><a href="${v.current.href}">← 返回发放表</a></p>
<h1>发放表对比</h1>
<section class="card" aria-labelledby="cmp-h">
  <h2 id="cmp-h">对比对象</h2>
  <dl class="profile"><dt>本表</dt><dd><a href="${v.current.href}">${v.current.text}</a></dd>
    <dt>对比表</dt><dd>${v.other ? html`<a href="${v.other.href}">${v.other.text}</a>` : '无'}</dd></dl>
  ${v.choices.length ? html`<form method="get" action="${v.current.href}/compare" class="filters">
    <div><label for="cmp-with">改为对比</label><select id="cmp-with" name="with"><option value="previous">同一区划上一期（默认）</option>
      ${v.choices.map((c) => html`<option value="${c.id}" ${c.selected ? html`selected` : ''}>${c.label}</option>`)}</select></div>
    <div><button class="primary" type="submit">对比</button></div></form>` : ''}
</section>
${!v.summary ? html`<div class="empty">${v.emptyHint}</div>` : html`
<section class="card" aria-labelledby="sum-h">
  <h2 id="sum-h">合计</h2>
  <p>对比表 ${v.summary.before} 元 → 本表 ${v.summary.after} 元，差额 <strong>${v.summary.delta}</strong> 元。</p>
  <p>${v.summary.counts.map((c) => html`<span class="tag">${c.label} ${c.n}</span>`)}</p>
  ${v.notes.map((n) => html`<p class="muted">${n}</p>`)}
</section>
<section class="card" aria-labelledby="diff-h">
  <h2 id="diff-h">逐机构差异</h2>
  ${v.rows.length === 0 ? html`<div class="empty">两表每家机构的金额都相同。</div>` : html`<div class="table-wrap"><table class="data sub-diff">
    <caption class="visually-hidden">逐机构差异</caption>
    <thead><tr><th scope="col">机构</th><th scope="col">变化</th><th scope="col" class="num">对比表（元）</th><th scope="col" class="num">本表（元）</th><th scope="col" class="num">差额（元）</th><th scope="col">原因（来自计算过程）</th></tr></thead>
    <tbody>${v.rows.map((r) => html`<tr class="sub-${r.kind}"><td><a href="${r.href}">${r.name}</a></td><td><span class="tag">${r.change}</span></td>
      <td class="num">${r.before}</td><td class="num">${r.after}</td><td class="num">${r.delta}</td><td><ul class="sub-reasons">${r.reasons.map((x) => html`<li>${x}</li>`)}</ul></td></tr>`)}</tbody>
  </table></div>`}
  ${v.unchanged.length ? html`<details><summary>金额未变的机构（${v.unchanged.length} 家）</summary><ul>${v.unchanged.map((u) => html`<li><a href="${u.href}">${u.name}</a> ${u.amount} 元</li>`)}</ul></details>` : ''}
</section>`}`;
}
