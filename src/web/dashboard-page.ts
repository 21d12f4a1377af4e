import { medianText } from './device-view';
import { Html, html } from '../common/html';
import { Cell, ChartModel, DashboardView, jsonForScript } from './dashboard-view';

/** Where the page loads Apache ECharts from (served by DashboardWebController from node_modules). */
export const ECHARTS_PATH = '/static/vendor/echarts.esm.min.js';

function cell(c: Cell, header = false): Html {
  const inner = c.href ? html`<a href="${c.href}">${c.text}</a>` : c.text;
  return header ? html`<th scope="row">${inner}</th>` : html`<td${c.num ? html` class="num"` : ''}>${inner}</td>`;
}

/**
 * A chart: the container dashboard.js draws into (role="img" with the summary as its name; hidden until drawn, so
 * without JavaScript only the table shows), the click hint, and the table of the same numbers — open until the
 * chart is drawn, then one click away.
 */
export function chartFigure(c: ChartModel): Html {
  const h = `chart-${c.id}-h`;
  return html`<figure class="card dash-figure${c.wide ? ' dash-wide' : ''}" aria-labelledby="${h}">
<figcaption id="${h}"><b>${c.title}</b></figcaption>
${c.empty ? html`<div class="empty">${c.empty}</div>` : html`<div class="dash-chart dash-${c.orientation}" id="chart-${c.id}" data-chart="${c.id}" role="img" aria-label="${c.title}：${c.summary}" hidden></div>
${c.clickHint ? html`<p class="muted dash-hint" data-chart-hint hidden>${c.clickHint}</p>` : ''}
<details class="dash-table" open data-chart-table="${c.id}"><summary>数据表</summary>
<div class="table-wrap"><table class="data"><caption class="visually-hidden">${c.title}：${c.summary}</caption>
<thead><tr>${c.table.head.map((t, i) => html`<th scope="col"${i ? html` class="num"` : ''}>${t}</th>`)}</tr></thead>
<tbody>${c.table.rows.map((r) => html`<tr>${r.map((x, i) => cell(x, i === 0))}</tr>`)}</tbody></table></div>
</details>`}
</figure>`;
}

/** 机构安全工作 on the dashboard: the scope's counts that need action, and the way to the full view. */
function safetySection(s: DashboardSafety): Html {
  const n = (count: number, text: string) => (count > 0 ? html`<b class="warn-text">${text} ${count}</b>` : html`${text} 0`);
  return html`<section class="card" aria-labelledby="safety-h"><h2 id="safety-h" class="first">机构安全工作（全辖区）</h2>
<p>${n(s.incidentsUnacknowledged, '突发事件待确认')}${s.complaintsOpen !== null ? html` · 未办结投诉 ${s.complaintsOpen}（${n(s.complaintsOlder ?? 0, '超过 15 天')}）` : ''}
 · 自查隐患整改中 ${s.selfHazardsOpen} · ${n(s.certificatesExpired, '证书已过期')} · ${n(s.testsExpired, '法定检测已过期')}</p>
<p><a class="button" href="/safety-work">各机构巡查完成率、漏巡、演练与到期情况</a> <a href="/safety-work.csv">导出 CSV</a></p></section>`;
}

/** 物联网值班 on the dashboard: the window's alarms and answers, the impaired devices, the way to the on-call inbox. */
function dutySection(d: DashboardDuty): Html {
  const n = (count: number, text: string) => (count > 0 ? html`<b class="warn-text">${text} ${count}</b>` : html`${text} 0`);
  const t = d.totals;
  return html`<section class="card" aria-labelledby="duty-h"><h2 id="duty-h" class="first">消防物联网值班（近 ${d.windowDays} 天）</h2>
<p>接入机构 ${t.institutions} · 报警 ${t.alarms}（${d.confirmMinutes} 分钟内确认 ${t.confirmedInTime}）· ${n(t.unconfirmed, '未确认')} · ${n(t.escalated, '超时上报')}${t.medianMinutes !== null ? html` · 确认用时中位数 ${medianText(t.medianMinutes)}` : ''}
 · 设备 ${t.devices} 台，${n(t.impaired, `离线或故障超过 ${d.impairmentHours} 小时`)}</p>
<p><a class="button" href="/alarms">报警与各机构响应情况</a> <a href="/alarms/duty.csv">导出 CSV</a></p></section>`;
}

/** 差异化抽查 on the dashboard: the latest stratified plan's strata, and the way to the credit levels by street. */
function strataSection(p: DashboardStrata): Html {
  return html`<section class="card" aria-labelledby="strata-h"><h2 id="strata-h" class="first">信用与抽查分层</h2>
${p ? html`<p>最近一次差异化抽查：<a href="/plans/${p.id}">${p.name}</a></p>
<div class="table-wrap"><table class="data"><thead><tr><th scope="col">分层</th><th scope="col" class="num">抽查比例</th><th scope="col" class="num">机构池</th><th scope="col" class="num">抽中</th></tr></thead>
<tbody>${p.strata.map((x) => html`<tr><td>${x.label}</td><td class="num">${Math.round(x.ratio * 1000) / 10}%</td><td class="num">${x.poolSize}</td><td class="num">${x.drawn}</td></tr>`)}</tbody></table></div>`
    : html`<p class="muted">还没有差异化抽查计划：在“检查计划”中制定双随机抽查时勾选“差异化抽查”，即按信用等级分层抽取。</p>`}
<p><a class="button" href="/credit">各街道信用等级</a> <a href="/api/credit/institutions.csv">导出 CSV</a></p></section>`;
}

export type DashboardStrata = { id: string; name: string; strata: { label: string; ratio: number; poolSize: number; drawn: number }[] } | null;

export type DashboardDuty = { windowDays: number; confirmMinutes: number; impairmentHours: number; totals: { institutions: number; devices: number; impaired: number; alarms: number; unconfirmed: number; escalated: number; confirmedInTime: number; medianMinutes: number | null } };

export type DashboardSafety = { incidentsUnacknowledged: number; complaintsOpen: number | null; complaintsOlder: number | null; selfHazardsOpen: number; certificatesExpired: number; testsExpired: number };

export function dashboardPage(v: DashboardView, safety: DashboardSafety | null = null, duty: DashboardDuty | null = null, strata: DashboardStrata | undefined = undefined): Html {
  const f = v.filter;
  return html`<link rel="stylesheet" href="/static/dashboard.css">
<h1>监管看板</h1>
<form class="card filters" method="get" action="/dashboard">
  <div><label for="d-div">区域</label><select id="d-div" name="divisionCode">
    ${f.divisions.map((d) => html`<option value="${d.code}"${f.divisionCode === d.code ? html` selected` : ''}>${d.label}</option>`)}</select></div>
  <div><label for="d-from">起始日期</label><input type="date" id="d-from" name="from" value="${f.from}"></div>
  <div><label for="d-to">截止日期</label><input type="date" id="d-to" name="to" value="${f.to}"></div>
  <div><button class="primary" type="submit">查看</button></div>
</form>
<p class="muted">${v.period}</p>
<div class="kpis">
  ${v.kpis.map((k) => html`<a class="stat" href="${k.href}"><b>${k.value}</b>${k.label}</a>`)}
</div>
<div class="grid2 dash-grid">
${v.charts.map(chartFigure)}
</div>
<section aria-labelledby="top-h"><h2 id="top-h">高发问题（期间内发现次数最多的检查项）</h2>
${v.topItems.length ? html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">检查项</th><th scope="col" class="num">次数</th><th scope="col" class="num">涉及机构</th></tr></thead>
<tbody>${v.topItems.map((t) => html`<tr><td>${t.itemCode} ${t.title}</td><td class="num">${t.n}</td><td class="num">${t.institutions}</td></tr>`)}</tbody></table></div>` : html`<div class="empty">期间内没有发现隐患。</div>`}</section>
<section aria-labelledby="listed-h"><h2 id="listed-h">挂牌督办的重大隐患</h2>
${v.listed.length ? html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">机构</th><th scope="col">隐患</th><th scope="col">期限</th></tr></thead>
<tbody>${v.listed.map((l) => html`<tr><td>${l.institutionName}</td><td><a href="/hazards/${l.id}">${l.itemCode} ${l.title}</a></td><td>${l.dueLabel}${l.overdue ? html` <span class="tag warn">逾期</span>` : ''}</td></tr>`)}</tbody></table></div>` : html`<div class="empty">没有挂牌督办中的重大隐患。</div>`}</section>
${safety ? safetySection(safety) : ''}
${duty ? dutySection(duty) : ''}
${strata !== undefined ? strataSection(strata) : ''}
<p class="dash-exports">${v.exports.map((e) => html`<a class="button" href="${e.href}">${e.label}</a> `)}</p>
<script type="application/json" id="dash-data">${new Html(jsonForScript({ charts: v.chartData }))}</script>
<link rel="modulepreload" href="${ECHARTS_PATH}">
<script type="module" src="/static/dashboard.js"></script>`;
}
