/** 机构安全工作 (the bureau's view of institutions' own safety work): view decisions and the template. */
import { Html, html } from '../common/html';
import type { Page } from '../common/pagination';
import { label } from '../common/vocabulary';
import type { Column } from '../reports/tabular';
import type { SafetyWorkLine, SafetyWorkTotals } from '../safety-work/safety-work.service';
import { pager } from './components';

const pct = (r: number | null) => (r === null ? '未建立巡查' : `${Math.round(r * 1000) / 10}%`);
const drillText = (l: SafetyWorkLine) => `${label('drillState', l.drillState)}${l.drillDueBy && l.drillState !== 'not_started' ? `（期限 ${l.drillDueBy}）` : ''}`;
const complaintsText = (l: SafetyWorkLine) => (l.complaints ? `${l.complaints.within3} / ${l.complaints.within15} / ${l.complaints.older}` : '—');

/** The export's columns (the page shows the same figures). */
export const SAFETY_WORK_COLUMNS: Column<SafetyWorkLine>[] = [
  { key: 'name', header: '机构', value: (l) => l.name },
  { key: 'division', header: '所属区划', value: (l) => l.divisionName },
  { key: 'patrolCompletion', header: '近7天巡查完成率', value: (l) => pct(l.patrolCompletion) },
  { key: 'patrolDue', header: '近7天应巡次数', value: (l) => l.patrolDue },
  { key: 'patrolMissed', header: '漏巡或未完成', value: (l) => l.patrolMissed },
  { key: 'selfHazardsOpen', header: '自查隐患（整改中）', value: (l) => l.selfHazardsOpen },
  { key: 'drill', header: '实战演练', value: drillText },
  { key: 'certificatesExpired', header: '证书已过期', value: (l) => l.certificatesExpired },
  { key: 'certificatesExpiring', header: '证书将到期', value: (l) => l.certificatesExpiring },
  { key: 'testsExpired', header: '法定检测已过期', value: (l) => l.testsExpired },
  { key: 'testsExpiring', header: '法定检测将到期', value: (l) => l.testsExpiring },
  { key: 'complaints', header: '未办结投诉（3天内/4–15天/15天以上）', value: complaintsText },
  { key: 'incidents90', header: '近90天突发事件', value: (l) => l.incidents90 },
  { key: 'incidentsUnacknowledged', header: '突发事件待确认', value: (l) => l.incidentsUnacknowledged },
];

export function safetyWorkPage(v: { lines: Page<SafetyWorkLine>; totals: SafetyWorkTotals }): Html {
  const t = v.totals;
  const { summary, nav } = pager(v.lines, '/safety-work', {}, '家机构');
  const warn = (n: number, text: string) => (n > 0 ? html`<b class="warn-text">${text}</b>` : html`${text}`);
  return html`<link rel="stylesheet" href="/static/patrols.css">
<h1>机构安全工作</h1>
<p class="muted">辖区机构的日常巡查、演练、人员证书和设备法定检测，以及投诉举报和突发事件（截至 ${t.asOf}；“将到期”指 ${t.expiringDays} 天内）。<a href="/safety-work.csv">导出 CSV</a></p>
<section class="card" aria-labelledby="sw-total-h"><h2 id="sw-total-h" class="first">合计（${t.institutions} 家机构）</h2>
<dl class="profile">
<dt>近 7 天巡查</dt><dd>应巡 ${t.patrolDue} 次，${warn(t.patrolMissed, `漏巡或未完成 ${t.patrolMissed} 次`)}，完成率 <b>${pct(t.patrolCompletion)}</b>；${warn(t.institutions - t.withSchedule, `${t.institutions - t.withSchedule} 家尚未建立巡查点位`)}</dd>
<dt>自查隐患</dt><dd>整改中 ${t.selfHazardsOpen} 项</dd>
<dt>实战演练</dt><dd>${warn(t.drillsMissed, `${t.drillsMissed} 家逾期未演练`)}，${t.drillsDue} 家即将到期</dd>
<dt>人员证书</dt><dd>${warn(t.certificatesExpired, `已过期 ${t.certificatesExpired}`)}，将到期 ${t.certificatesExpiring}</dd>
<dt>设备法定检测</dt><dd>${warn(t.testsExpired, `已过期 ${t.testsExpired}`)}，将到期 ${t.testsExpiring}</dd>
${t.complaintsOpen !== null ? html`<dt>未办结投诉</dt><dd>${t.complaintsOpen} 件，其中 ${warn(t.complaintsOlder ?? 0, `超过 15 天 ${t.complaintsOlder ?? 0} 件`)} · <a href="/complaints">投诉举报</a></dd>` : ''}
<dt>突发事件</dt><dd>近 90 天 ${t.incidents90} 起，${warn(t.incidentsUnacknowledged, `待确认 ${t.incidentsUnacknowledged} 起`)} · <a href="/incidents">突发事件</a></dd>
</dl></section>
<section aria-labelledby="sw-list-h"><h2 id="sw-list-h">各机构</h2>${summary}
${v.lines.items.length === 0 ? html`<div class="empty">辖区内没有在册机构。</div>` : html`<div class="table-wrap"><table class="data"><caption class="visually-hidden">各机构安全工作</caption>
<thead><tr>${SAFETY_WORK_COLUMNS.filter((c) => c.key !== 'patrolDue').map((c) => html`<th scope="col">${c.header}</th>`)}</tr></thead>
<tbody>${v.lines.items.map((l) => html`<tr${l.attention ? html` class="attention"` : ''}><th scope="row"><a href="/institutions/${l.id}/patrols">${l.name}</a></th>
<td>${l.divisionName}</td><td>${pct(l.patrolCompletion)}</td><td>${l.patrolMissed ? html`<b class="warn-text">${l.patrolMissed}</b>` : '0'}</td><td>${l.selfHazardsOpen}</td>
<td>${l.drillState === 'missed' ? html`<b class="warn-text">${drillText(l)}</b>` : drillText(l)}</td>
<td>${l.certificatesExpired ? html`<b class="warn-text">${l.certificatesExpired}</b>` : '0'}</td><td>${l.certificatesExpiring}</td>
<td>${l.testsExpired ? html`<b class="warn-text">${l.testsExpired}</b>` : '0'}</td><td>${l.testsExpiring}</td>
<td>${complaintsText(l)}</td><td>${l.incidents90}</td><td>${l.incidentsUnacknowledged ? html`<b class="warn-text">${l.incidentsUnacknowledged}</b>` : '0'}</td></tr>`)}</tbody></table></div>`}
${nav}</section>`;
}

/** The card on the institution page: the same figures for one institution. */
export function safetyWorkCard(l: SafetyWorkLine): Html {
  return html`<section class="card" aria-labelledby="sw-h"><h2 id="sw-h">安全工作</h2><dl class="profile">
  <dt>近 7 天巡查</dt><dd>${l.patrolCompletion === null ? '尚未建立巡查点位' : html`完成率 ${pct(l.patrolCompletion)}，应巡 ${l.patrolDue} 次，${l.patrolMissed ? html`<b class="warn-text">漏巡或未完成 ${l.patrolMissed} 次</b>` : '无漏巡'}`}（<a href="/institutions/${l.id}/patrols">巡查</a>）</dd>
  <dt>自查隐患</dt><dd>整改中 ${l.selfHazardsOpen} 项</dd>
  <dt>实战演练</dt><dd>${l.drillState === 'missed' ? html`<b class="warn-text">${drillText(l)}</b>` : drillText(l)}（<a href="/institutions/${l.id}/drills">演练与培训</a>）</dd>
  <dt>证书与法定检测</dt><dd>证书已过期 ${l.certificatesExpired}、将到期 ${l.certificatesExpiring}；检测已过期 ${l.testsExpired}、将到期 ${l.testsExpiring}（<a href="/institutions/${l.id}/registers">台账</a>）</dd>
  ${l.complaints ? html`<dt>未办结投诉</dt><dd>${l.complaints.within3 + l.complaints.within15 + l.complaints.older} 件（超过 15 天 ${l.complaints.older} 件）</dd>` : ''}
  <dt>突发事件</dt><dd>近 90 天 ${l.incidents90} 起，待确认 ${l.incidentsUnacknowledged} 起（<a href="/institutions/${l.id}/incidents">突发事件</a>）</dd>
</dl></section>`;
}
