import { addDays, formatChineseDate } from '../common/calendar';
import type { DashboardService } from '../dashboard/dashboard.service';
import { monthRange } from '../dashboard/months';
import type { Division } from '../divisions/division.entity';

export type Dashboard = Awaited<ReturnType<DashboardService['dashboard']>>;

/** A colour role of a series or a bar (dashboard.js maps it to a colour; the tables do not need it). */
export type Tone = 'primary' | 'good' | 'info' | 'muted' | 'warn';

/** One series of a chart: a value per category, and where clicking each bar goes (null: nowhere). */
export interface ChartSeries {
  name: string;
  tone: Tone;
  /** bars of the same stack are drawn on top of each other */
  stack?: string;
  values: number[];
  hrefs: (string | null)[];
  /** per bar: drawn in the warning colour whatever the series' tone */
  warn?: boolean[];
}

/** A table cell: text or a number, optionally a link. */
export interface Cell {
  text: string;
  href?: string | null;
  num?: boolean;
}

/**
 * A chart and its table fallback. The chart is drawn by /static/dashboard.js from `categories` and `series`; the
 * table carries the same numbers (and links) for screen readers and for a browser without JavaScript.
 */
export interface ChartModel {
  id: string;
  title: string;
  /** the chart's aria-label: what it shows, in one or two sentences */
  summary: string;
  /** where clicking a bar goes, said once under the chart (null: the bars are not links) */
  clickHint: string | null;
  /** 'vertical' columns (months, bands) or 'horizontal' bars (names) */
  orientation: 'vertical' | 'horizontal';
  categories: string[];
  /** shorter axis labels (default: the categories) */
  axisLabels?: string[];
  series: ChartSeries[];
  /** shown instead of the chart when there is nothing to draw */
  empty: string | null;
  table: { head: string[]; rows: Cell[][] };
  /** a wide chart spans both columns of the grid */
  wide?: boolean;
}

/** What dashboard.js needs of a chart (embedded in the page as JSON). */
export type ChartData = Pick<ChartModel, 'id' | 'orientation' | 'categories' | 'axisLabels' | 'series'>;

export interface DashboardView {
  filter: { divisionCode: string; from: string; to: string; divisions: { code: string; label: string }[] };
  period: string;
  kpis: { value: string; label: string; href: string }[];
  charts: ChartModel[];
  /** the charts to draw (those with data) */
  chartData: ChartData[];
  topItems: Dashboard['topItems'];
  listed: (Dashboard['listed'][number] & { dueLabel: string })[];
  exports: { href: string; label: string }[];
}

const GRADE_ORDER = ['五级', '四级', '三级', '二级', '一级', '未达等级', '未评级'];
const BANDS = ['90–100', '75–89.9', '60–74.9', '60 以下', '无得分'];
/** Overdue age buckets and the due dates each one covers, as days before today (inclusive). */
const AGEING: { bucket: string; days: [number, number | null] }[] = [
  { bucket: '1–7 天', days: [1, 7] }, { bucket: '8–30 天', days: [8, 30] }, { bucket: '31–90 天', days: [31, 90] }, { bucket: '90 天以上', days: [91, null] },
];

/** A link to the ledger with the contract's filters (the dashboard's division first). */
export function ledgerHref(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `/hazards?${s}` : '/hazards';
}

const monthLabel = (month: string) => `${Number(month.slice(0, 4))}年${Number(month.slice(5))}月`;
const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);

/** The largest entry of a list, for the summaries ("最多的是…"). */
function top(labels: string[], values: number[]): { label: string; value: number } | null {
  let best = -1;
  values.forEach((v, i) => { if (v > 0 && (best < 0 || v > values[best])) best = i; });
  return best < 0 ? null : { label: labels[best], value: values[best] };
}

/** Two columns (name, count) with the count linked where the bar is. */
function simpleTable(head: [string, string], categories: string[], s: ChartSeries): ChartModel['table'] {
  return { head, rows: categories.map((c, i) => [{ text: c }, { text: String(s.values[i]), href: s.hrefs[i], num: true }]) };
}

export function trendChart(d: Dashboard): ChartModel {
  const dc = d.divisionCode;
  const categories = d.trend.map((m) => monthLabel(m.month));
  const opened: ChartSeries = {
    name: '发现', tone: 'primary', values: d.trend.map((m) => m.opened),
    hrefs: d.trend.map((m) => { const r = monthRange(m.month); return m.opened ? ledgerHref({ divisionCode: dc, foundFrom: r.first, foundTo: r.last }) : null; }),
  };
  const closed: ChartSeries = { name: '销号', tone: 'good', values: d.trend.map((m) => m.closed), hrefs: d.trend.map(() => null) };
  const peak = top(categories, opened.values);
  const n = d.trend.length;
  return {
    id: 'trend', title: `隐患发现与销号（近 ${n} 个月）`, orientation: 'vertical', wide: true,
    summary: `近 ${n} 个月共发现隐患 ${sum(opened.values)} 项、销号 ${sum(closed.values)} 项${peak ? `；发现最多的月份是 ${peak.label}（${peak.value} 项）` : ''}。`,
    clickHint: '点击“发现”柱查看该月发现的隐患台账。',
    categories, axisLabels: d.trend.map((m) => (m.month.endsWith('-01') || m === d.trend[0] ? monthLabel(m.month) : `${Number(m.month.slice(5))}月`)),
    series: [opened, closed],
    empty: sum(opened.values) + sum(closed.values) ? null : `近 ${n} 个月没有发现或销号的隐患。`,
    table: {
      head: ['月份', '发现（项）', '销号（项）'],
      rows: d.trend.map((_, i) => [{ text: categories[i] }, { text: String(opened.values[i]), href: opened.hrefs[i], num: true }, { text: String(closed.values[i]), num: true }]),
    },
  };
}

export function overdueByStreetChart(d: Dashboard): ChartModel {
  const categories = d.overdueByStreet.map((r) => r.name ?? (r.code ? r.code : '未落到街道的机构'));
  const s: ChartSeries = {
    name: '逾期未整改', tone: 'warn', values: d.overdueByStreet.map((r) => r.n),
    hrefs: d.overdueByStreet.map((r) => (r.code ? ledgerHref({ divisionCode: r.code, overdue: 'true' }) : null)),
  };
  const peak = top(categories, s.values);
  return {
    id: 'overdue-street', title: '逾期未整改隐患（按街道）', orientation: 'horizontal',
    summary: peak ? `逾期未整改隐患 ${sum(s.values)} 项，分布在 ${categories.length} 个街道；最多的是 ${peak.label}（${peak.value} 项）。` : '没有逾期未整改的隐患。',
    clickHint: '点击街道的柱查看该街道逾期未整改的隐患台账。',
    categories, series: [s], empty: categories.length ? null : '没有逾期未整改的隐患。',
    table: simpleTable(['街道', '逾期未整改（项）'], categories, s),
  };
}

export function ageingChart(d: Dashboard): ChartModel {
  const categories = AGEING.map((a) => a.bucket);
  const s: ChartSeries = {
    name: '逾期隐患', tone: 'warn', values: AGEING.map((a) => d.ageing.find((x) => x.bucket === a.bucket)?.n ?? 0),
    hrefs: AGEING.map((a) => ledgerHref({
      divisionCode: d.divisionCode, overdue: 'true',
      dueFrom: a.days[1] === null ? undefined : addDays(d.today, -a.days[1]), dueTo: addDays(d.today, -a.days[0]),
    })),
  };
  s.hrefs = s.hrefs.map((h, i) => (s.values[i] ? h : null)); // no link to an empty ledger
  return {
    id: 'ageing', title: '逾期隐患账龄', orientation: 'vertical',
    summary: `逾期未整改隐患 ${sum(s.values)} 项：${categories.map((c, i) => `逾期 ${c} ${s.values[i]} 项`).join('，')}。`,
    clickHint: '点击柱查看该账龄段的逾期隐患台账。',
    categories, series: [s], empty: sum(s.values) ? null : '没有逾期未整改的隐患。',
    table: simpleTable(['逾期天数', '隐患（项）'], categories, s),
  };
}

export function openByCategoryChart(d: Dashboard): ChartModel {
  const totals = new Map<string, number>();
  for (const h of d.hazards) totals.set(h.category, (totals.get(h.category) ?? 0) + h.n);
  const codes = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([c]) => c);
  const categories = codes.map((c) => d.categoryNames[c] ?? c);
  const of = (severity: string) => codes.map((c) => d.hazards.find((h) => h.category === c && h.severity === severity)?.n ?? 0);
  const general: ChartSeries = { name: '一般隐患', tone: 'primary', stack: 'severity', values: of('general'), hrefs: codes.map(() => null) };
  const major: ChartSeries = { name: '重大隐患', tone: 'warn', stack: 'severity', values: of('major'), hrefs: codes.map(() => null) };
  const total = sum(general.values) + sum(major.values);
  const peak = top(categories, codes.map((c) => totals.get(c)!));
  return {
    id: 'open-category', title: '未销号隐患（按类别）', orientation: 'horizontal',
    summary: total ? `未销号隐患 ${total} 项，其中重大隐患 ${sum(major.values)} 项；最多的类别是 ${peak!.label}（${peak!.value} 项）。` : '没有未销号的隐患。',
    clickHint: null, categories, series: [general, major], empty: total ? null : '没有未销号的隐患。',
    table: { head: ['类别', '一般隐患（项）', '重大隐患（项）'], rows: categories.map((c, i) => [{ text: c }, { text: String(general.values[i]), num: true }, { text: String(major.values[i]), num: true }]) },
  };
}

export function repeatsChart(d: Dashboard): ChartModel {
  const categories = d.repeats.map((r) => d.categoryNames[r.category] ?? r.category);
  const hrefs = d.repeats.map((r) => ledgerHref({ divisionCode: d.divisionCode, category: r.category, foundFrom: d.from, foundTo: d.to }));
  const s: ChartSeries = { name: '重复发现', tone: 'warn', values: d.repeats.map((r) => r.repeats), hrefs };
  const peak = top(categories, s.values);
  return {
    id: 'repeats', title: '重复发生的问题（按类别）', orientation: 'horizontal',
    summary: peak
      ? `统计期间内同一机构同一检查项再次不合格 ${sum(s.values)} 次，涉及 ${categories.length} 个类别；最多的是 ${peak.label}（${peak.value} 次）。`
      : '统计期间内没有同一机构同一检查项再次不合格的情况。',
    clickHint: '点击柱查看该类别在统计期间内发现的全部隐患。',
    categories, series: [s], empty: categories.length ? null : '统计期间内没有同一机构同一检查项再次不合格的情况。',
    table: {
      head: ['类别', '重复（次）', '机构·检查项（组）', '该类隐患（项）'],
      rows: d.repeats.map((r, i) => [{ text: categories[i] }, { text: String(r.repeats), num: true }, { text: String(r.pairs), num: true }, { text: String(r.hazards), href: hrefs[i], num: true }]),
    },
  };
}

export function planProgressChart(d: Dashboard): ChartModel {
  const categories = d.plans.map((p) => p.name);
  const hrefs = d.plans.map((p) => `/plans/${p.id}`);
  const series: ChartSeries[] = [
    { name: '已提交', tone: 'good', stack: 'progress', values: d.plans.map((p) => p.submitted), hrefs },
    { name: '进行中', tone: 'info', stack: 'progress', values: d.plans.map((p) => p.started), hrefs },
    { name: '未开始', tone: 'muted', stack: 'progress', values: d.plans.map((p) => p.assigned), hrefs },
    { name: '其中逾期', tone: 'warn', values: d.plans.map((p) => p.overdue), hrefs },
  ];
  const total = (i: number) => d.plans[i].submitted + d.plans[i].started + d.plans[i].assigned;
  const done = sum(series[0].values);
  const all = sum(d.plans.map((_, i) => total(i)));
  return {
    id: 'plans', title: '检查计划进度', orientation: 'horizontal',
    summary: d.plans.length
      ? `${d.plans.length} 个检查计划共 ${all} 次检查，已提交 ${done} 次，进行中 ${sum(series[1].values)} 次，未开始 ${sum(series[2].values)} 次，逾期 ${sum(series[3].values)} 次。`
      : '统计期间内没有检查计划。',
    clickHint: '点击计划的柱打开该计划。',
    categories, series, empty: d.plans.length ? null : '统计期间内没有检查计划。可在“检查计划”中新建计划并抽取。',
    table: {
      head: ['计划', '已提交', '进行中', '未开始', '其中逾期', '合计'],
      rows: d.plans.map((p, i) => [{ text: p.name, href: hrefs[i] }, ...series.map((s) => ({ text: String(s.values[i]), num: true })), { text: String(total(i)), num: true }]),
    },
  };
}

export function scoreChart(d: Dashboard): ChartModel {
  const s: ChartSeries = { name: '机构', tone: 'primary', values: BANDS.map((b) => d.bands.find((x) => x.band === b)?.n ?? 0), hrefs: BANDS.map(() => null), warn: BANDS.map((b) => b === '60 以下') };
  const total = sum(s.values);
  return {
    id: 'scores', title: '安全得分分布', orientation: 'vertical',
    summary: `${total} 家机构的安全得分：${BANDS.map((b, i) => `${b} ${s.values[i]} 家`).join('，')}。`,
    clickHint: null, categories: BANDS, series: [s], empty: total ? null : '还没有机构。',
    table: simpleTable(['得分', '机构（家）'], BANDS, s),
  };
}

export function gradeChart(d: Dashboard): ChartModel {
  const grades = [...d.grades].sort((a, b) => GRADE_ORDER.indexOf(a.label) - GRADE_ORDER.indexOf(b.label));
  const categories = grades.map((g) => g.label);
  const s: ChartSeries = { name: '机构', tone: 'info', values: grades.map((g) => g.n), hrefs: grades.map(() => null) };
  return {
    id: 'grades', title: '机构等级分布', orientation: 'vertical',
    summary: `${sum(s.values)} 家机构的现行等级：${categories.map((c, i) => `${c} ${s.values[i]} 家`).join('，')}。`,
    clickHint: null, categories, series: [s], empty: categories.length ? null : '还没有机构。',
    table: simpleTable(['等级', '机构（家）'], categories, s),
  };
}

/** The dashboard page's view model: the filter, the KPI cards, every chart with its table, the lists and exports. */
export function dashboardView(d: Dashboard, divisions: Division[]): DashboardView {
  const dc = d.divisionCode;
  const scoped = (href: string) => `${href}${href.includes('?') ? '&' : '?'}divisionCode=${encodeURIComponent(dc)}`;
  const pct = d.inspections.planned ? Math.round((100 * d.inspections.done) / d.inspections.planned) : 0;
  const charts = [trendChart(d), overdueByStreetChart(d), ageingChart(d), openByCategoryChart(d), repeatsChart(d), planProgressChart(d), scoreChart(d), gradeChart(d)];
  return {
    filter: {
      divisionCode: dc, from: d.from, to: d.to,
      divisions: divisions.map((v) => ({ code: v.code, label: `${v.level === 'street' ? '　' : ''}${v.name}` })),
    },
    period: `统计期间 ${formatChineseDate(d.from)} 至 ${formatChineseDate(d.to)}；隐患与等级为截至今日（${formatChineseDate(d.today)}）的状态。`,
    kpis: [
      { value: String(d.totals.institutions), label: '机构', href: '/institutions' },
      { value: String(d.totals.openHazards), label: '未销号隐患', href: ledgerHref({ divisionCode: dc, status: 'open' }) },
      { value: String(d.totals.overdue), label: '逾期未整改', href: ledgerHref({ divisionCode: dc, overdue: 'true' }) },
      { value: String(d.totals.listed), label: '挂牌督办', href: ledgerHref({ divisionCode: dc, listed: 'true' }) },
      { value: `${d.inspections.done}/${d.inspections.planned}`, label: `检查完成（${pct}%）`, href: '/inspections' },
    ],
    charts,
    chartData: charts.filter((c) => !c.empty).map(({ id, orientation, categories, axisLabels, series }) => ({ id, orientation, categories, axisLabels, series })),
    topItems: d.topItems,
    listed: d.listed.map((l) => ({ ...l, dueLabel: formatChineseDate(l.dueDate) })),
    exports: [
      { href: scoped('/api/exports/compliance.xlsx'), label: '导出合规得分（Excel）' },
      { href: scoped('/api/exports/compliance.csv'), label: '导出（CSV）' },
      { href: scoped('/api/exports/hazards.csv'), label: '导出隐患台账' },
    ],
  };
}

/**
 * The chart data as the text of a `<script type="application/json">` element: JSON with `<`, `>`, `&` and the
 * line separators escaped, so no value can close the element or start markup (the browser does not decode entities there).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
