import { formatChineseDate } from '../common/calendar';
import { Html, html } from '../common/html';
import { label } from '../common/vocabulary';

const HAZARD_STATUS: Record<string, string> = { open: '整改中', responded: '整改中', returned: '整改中', closed: '已销号' };

/** A column of a 公示 table: its heading, and the cell of one row. */
interface Column<T> {
  head: string;
  cell: (row: T) => Html | string | number;
  /** numbers align right on a desktop */
  num?: boolean;
}

/**
 * One table for both screens: a table on a desktop; on a phone (app.css `table.cards`) each row becomes a card with
 * its first cell as the card's heading and the others labelled by their column (`data-label`).
 */
function cardTable<T>(caption: string, columns: Column<T>[], rows: T[]): Html {
  return html`<div class="table-wrap cards-wrap"><table class="data cards"><caption class="visually-hidden">${caption}</caption>
<thead><tr>${columns.map((c) => html`<th scope="col"${c.num ? html` class="num"` : ''}>${c.head}</th>`)}</tr></thead>
<tbody>${rows.map((r) => html`<tr>${columns.map((c, i) => i === 0
    ? html`<th scope="row" class="card-head" data-label="${c.head}">${c.cell(r)}</th>`
    : html`<td data-label="${c.head}"${c.num ? html` class="num"` : ''}>${c.cell(r)}</td>`)}</tr>`)}</tbody></table></div>`;
}

export interface DisclosureData {
  major: { institutionName: string; itemCode: string; title: string; listedOn: string; dueDate: string; status: string; closedOn: string | null }[];
  results: { planName: string; kind: string; divisionName: string; institutionName: string; gradeLabel: string; inspectedOn: string; hazards: number; closed: number }[];
  decisions: { institutionName: string; decision: string; assessedGradeLabel: string; newGradeLabel: string | null; effectiveOn: string; reason: string; basis: string }[];
  /** 失信认定 in force and published */
  dishonesty?: { institutionName: string; decidedOn: string; reason: string; legalBasis: string; statusLabel: string }[];
}

/** 结果公示: the listed major hazards, the published draw results and the grade decisions (no personal data). */
export function disclosurePage({ major, results, decisions, dishonesty = [] }: DisclosureData): Html {
  return html`<h1>养老机构安全检查结果公示</h1>
<p class="muted">依据“双随机、一公开”要求公开抽查结果和重大事故隐患挂牌督办情况。本页不含个人信息。<a href="/public/feed.json">数据下载（JSON）</a></p>
<section class="card" aria-labelledby="pub-complaint"><h2 id="pub-complaint">投诉举报</h2>
<p>发现养老机构存在安全隐患或服务问题，可在线投诉举报，无需注册，可匿名。提交后获得查询码，凭码查看处理结果。</p>
<p><a class="button" href="/public/complaints/new">我要投诉举报</a> <a class="button secondary" href="/public/complaints/track">查询处理结果</a></p></section>
<section aria-labelledby="pub-major"><h2 id="pub-major">重大事故隐患挂牌督办</h2>
${major.length ? cardTable('重大事故隐患挂牌督办', [
    { head: '机构', cell: (m) => m.institutionName },
    { head: '隐患', cell: (m) => `${m.itemCode} ${m.title}` },
    { head: '挂牌日期', cell: (m) => formatChineseDate(m.listedOn) },
    { head: '整改期限', cell: (m) => formatChineseDate(m.dueDate) },
    { head: '状态', cell: (m) => m.status === 'closed' ? html`<span class="tag">已销号${m.closedOn ? `（${formatChineseDate(m.closedOn)}）` : ''}</span>` : html`<span class="tag warn">${HAZARD_STATUS[m.status]}</span>` },
  ], major) : html`<div class="empty">目前没有挂牌督办的重大事故隐患。</div>`}</section>
<section aria-labelledby="pub-results"><h2 id="pub-results">抽查结果</h2>
${results.length ? cardTable('抽查结果', [
    { head: '机构', cell: (r) => r.institutionName },
    { head: '计划', cell: (r) => `${r.planName}（${label('inspectionKind', r.kind)}）` },
    { head: '区域', cell: (r) => r.divisionName },
    { head: '现行等级', cell: (r) => r.gradeLabel },
    { head: '检查日期', cell: (r) => formatChineseDate(r.inspectedOn) },
    { head: '发现隐患', cell: (r) => r.hazards, num: true },
    { head: '已销号', cell: (r) => r.closed, num: true },
  ], results) : html`<div class="empty">暂无已公示的抽查结果。</div>`}</section>
<section aria-labelledby="pub-grades"><h2 id="pub-grades">等级撤销与降级</h2>
${decisions.length ? cardTable('等级撤销与降级', [
    { head: '机构', cell: (d) => d.institutionName },
    { head: '决定', cell: (d) => d.decision },
    { head: '等级', cell: (d) => d.newGradeLabel ? `${d.assessedGradeLabel} → ${d.newGradeLabel}` : `${d.assessedGradeLabel}（已撤销）` },
    { head: '生效日期', cell: (d) => formatChineseDate(d.effectiveOn) },
    { head: '理由', cell: (d) => d.reason },
    { head: '依据', cell: (d) => d.basis },
  ], decisions) : html`<div class="empty">目前没有撤销或降级的等级。</div>`}</section>
<section aria-labelledby="pub-dishonesty"><h2 id="pub-dishonesty">失信认定</h2>
${dishonesty.length ? cardTable('失信认定', [
    { head: '机构', cell: (d) => d.institutionName },
    { head: '认定日期', cell: (d) => formatChineseDate(d.decidedOn) },
    { head: '状态', cell: (d) => d.statusLabel },
    { head: '理由', cell: (d) => d.reason },
    { head: '依据', cell: (d) => d.legalBasis },
  ], dishonesty) : html`<div class="empty">目前没有生效的失信认定。</div>`}</section>`;
}
