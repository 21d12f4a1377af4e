import { formatChineseDate } from '../common/calendar';
import { Html, html } from '../common/html';
import type { Division } from '../divisions/division.entity';
import type { DashboardService } from '../dashboard/dashboard.service';

type Dashboard = Awaited<ReturnType<DashboardService['dashboard']>>;

/** A horizontal bar chart as inline SVG, with the numbers written out so it reads without colour or hover. */
export function barChart(title: string, rows: { label: string; value: number; warn?: boolean }[]): Html {
  if (!rows.length) return html`<p class="muted">${title}：暂无数据</p>`;
  const max = Math.max(...rows.map((r) => r.value), 1);
  const rowH = 30;
  const labelW = 120;
  const width = 360;
  return html`<figure class="card"><figcaption><b>${title}</b></figcaption>
<svg class="chart" viewBox="0 0 ${width} ${rows.length * rowH + 8}" role="img" aria-label="${title}">
${rows.map((r, i) => {
  const w = Math.max(2, ((width - labelW - 50) * r.value) / max);
  const y = i * rowH + 4;
  return html`<g><title>${r.label}：${r.value}</title><text x="0" y="${y + 18}">${r.label}</text>
  <rect class="bar ${r.warn ? 'warn' : ''}" x="${labelW}" y="${y + 4}" width="${w.toFixed(1)}" height="${rowH - 10}" rx="3"></rect>
  <text x="${(labelW + w + 6).toFixed(1)}" y="${y + 18}">${r.value}</text></g>`;
})}
</svg></figure>`;
}

export function dashboardPage(d: Dashboard, divisions: Division[]): Html {
  const order = ['五级', '四级', '三级', '二级', '一级', '未达等级', '未评级'];
  const grades = [...d.grades].sort((a, b) => order.indexOf(a.label) - order.indexOf(b.label));
  const bands = ['90–100', '75–89.9', '60–74.9', '60 以下', '无得分'].map((b) => ({ label: b, value: d.bands.find((x) => x.band === b)?.n ?? 0, warn: b === '60 以下' }));
  const byCategory = new Map<string, number>();
  for (const h of d.hazards) byCategory.set(h.category, (byCategory.get(h.category) ?? 0) + h.n);
  const major = d.hazards.filter((h) => h.severity === 'major').reduce((s, h) => s + h.n, 0);
  const ageing = ['1–7 天', '8–30 天', '31–90 天', '90 天以上'].map((b) => ({ label: b, value: d.ageing.find((x) => x.bucket === b)?.n ?? 0, warn: true }));
  const pct = d.inspections.planned ? Math.round((100 * d.inspections.done) / d.inspections.planned) : 0;
  return html`<h1>监管看板</h1>
<form class="card filters" method="get" action="/dashboard">
  <div><label for="d-div">区域</label><select id="d-div" name="divisionCode">
    ${divisions.map((v) => html`<option value="${v.code}" ${d.divisionCode === v.code ? html`selected` : ''}>${v.level === 'street' ? '　' : ''}${v.name}</option>`)}</select></div>
  <div><label for="d-from">起始日期</label><input type="date" id="d-from" name="from" value="${d.from}"></div>
  <div><label for="d-to">截止日期</label><input type="date" id="d-to" name="to" value="${d.to}"></div>
  <div><button class="primary" type="submit">查看</button></div>
</form>
<p class="muted">统计期间 ${formatChineseDate(d.from)} 至 ${formatChineseDate(d.to)}；隐患与等级为截至今日的状态。</p>
<div class="kpis">
  <a class="stat" href="/institutions"><b>${d.totals.institutions}</b>机构</a>
  <a class="stat" href="/hazards?status=open"><b>${d.totals.openHazards}</b>未销号隐患</a>
  <a class="stat" href="/hazards?overdue=true"><b>${d.totals.overdue}</b>逾期未整改</a>
  <a class="stat" href="/hazards?listed=true"><b>${d.totals.listed}</b>挂牌督办</a>
  <a class="stat" href="/inspections"><b>${d.inspections.done}/${d.inspections.planned}</b>检查完成（${pct}%）</a>
</div>
<div class="grid2">
${barChart('机构等级分布', grades.map((g) => ({ label: g.label, value: g.n })))}
${barChart('安全得分分布', bands)}
${barChart(`未销号隐患（按类别，其中重大 ${major} 项）`, [...byCategory.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => ({ label: d.categoryNames[c] ?? c, value: n })))}
${barChart('逾期隐患账龄', ageing)}
</div>
<section aria-labelledby="top-h"><h2 id="top-h">高发问题（期间内发现次数最多的检查项）</h2>
${d.topItems.length ? html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">检查项</th><th scope="col" class="num">次数</th><th scope="col" class="num">涉及机构</th></tr></thead>
<tbody>${d.topItems.map((t) => html`<tr><td>${t.itemCode} ${t.title}</td><td class="num">${t.n}</td><td class="num">${t.institutions}</td></tr>`)}</tbody></table></div>` : html`<div class="empty">期间内没有发现隐患。</div>`}</section>
<section aria-labelledby="listed-h"><h2 id="listed-h">挂牌督办的重大隐患</h2>
${d.listed.length ? html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">机构</th><th scope="col">隐患</th><th scope="col">期限</th></tr></thead>
<tbody>${d.listed.map((l) => html`<tr><td>${l.institutionName}</td><td><a href="/hazards/${l.id}">${l.itemCode} ${l.title}</a></td><td>${formatChineseDate(l.dueDate)}${l.overdue ? html` <span class="tag warn">逾期</span>` : ''}</td></tr>`)}</tbody></table></div>` : html`<div class="empty">没有挂牌督办中的重大隐患。</div>`}</section>
<p><a class="button" href="/api/exports/compliance.xlsx${d.divisionCode ? `?divisionCode=${d.divisionCode}` : ''}">导出合规得分（Excel）</a>
<a class="button" href="/api/exports/compliance.csv${d.divisionCode ? `?divisionCode=${d.divisionCode}` : ''}">导出（CSV）</a>
<a class="button" href="/api/exports/hazards.csv${d.divisionCode ? `?divisionCode=${d.divisionCode}` : ''}">导出隐患台账</a></p>`;
}
