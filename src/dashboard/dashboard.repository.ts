import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { addDays } from '../common/calendar';
import { divisionScope, scopeCondition } from '../common/scope';
import { sqlLabelCase } from '../common/vocabulary';
import { overdueSql } from '../hazards/hazards.repository';
import { monthRange, monthsEnding } from './months';

export interface DashboardFilter {
  /** '/320400/320402/' — already checked to be inside the caller's scope */
  divisionPath: string;
  from: string;
  to: string;
  today: string;
}

/** How many months the opened-vs-closed chart covers (ending with the month of `to`). */
export const TREND_MONTHS = 12;

/** The first instant of a Shanghai calendar day (a `$n` date parameter or a date expression). */
const dayStart = (date: string) => `(${date}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`;
/**
 * 发现日期 — when a hazard was found: the moment its inspection was submitted (the ledger's `foundFrom`/`foundTo`
 * read `inspection.submitted_at`). A hazard is created by that submission, in its transaction, so `hazard.created_at`
 * is the same moment and the dashboard reads it without joining every hazard to its inspection.
 */
const FOUND_AT = 'h.created_at';
/** Found between two Shanghai days, both inclusive — the ledger's `foundFrom`/`foundTo`, on the timestamp. */
const foundWithin = (from: string, to: string) => `${FOUND_AT} >= ${dayStart(from)} AND ${FOUND_AT} < ${dayStart(`(${to}::date + 1)`)}`;

/** Aggregates for the bureau dashboard; every query is limited to one division subtree. */
@Injectable()
export class DashboardRepository {
  constructor(private readonly dataSource: DataSource) {}

  async summary(f: DashboardFilter) {
    const scope = divisionScope(f.divisionPath);
    /** One aggregate: `within(column)` renders the scope, `p(value)` any other parameter, each as its own `$n`. */
    const q = <T>(sql: (within: (column: string) => string, p: (value: unknown) => string) => string) => {
      const params: unknown[] = [];
      const text = sql((column) => scopeCondition(scope, { divisionPath: column }).bind(params), (value) => `$${params.push(value)}`);
      return this.dataSource.query(text, params) as Promise<T>;
    };
    const months = monthsEnding(f.to, TREND_MONTHS);
    const trendFrom = monthRange(months[0]).first;
    const trendEnd = monthRange(months[months.length - 1]).last;
    const [grades, bands, open, items, listed, inspections, [{ institutions }], trend, overdueByStreet, plans] = await Promise.all([
      q<{ label: string; n: number }[]>((within, p) => `
        SELECT ${sqlLabelCase('g.grade', 'grade')} AS label, count(*)::int AS n
          FROM institution i
          -- the grade in force today (grade_span: supersession, revocation and lowering applied; 0 = none)
          LEFT JOIN LATERAL (SELECT coalesce(max(s.grade), 0) AS grade FROM grade_span s
                              WHERE s.institution_id = i.id AND ${p(f.today)}::date BETWEEN s.valid_from AND s.valid_to) g ON true
         WHERE ${within('i.division_path')} AND i.status <> 'closed' GROUP BY 1 ORDER BY 1`),
      q<{ band: string; n: number }[]>((within) => `
        SELECT CASE WHEN s.score IS NULL THEN '无得分' WHEN s.score >= 90 THEN '90–100' WHEN s.score >= 75 THEN '75–89.9'
                    WHEN s.score >= 60 THEN '60–74.9' ELSE '60 以下' END AS band, count(*)::int AS n
          FROM institution i LEFT JOIN institution_score s ON s.institution_id = i.id
         WHERE ${within('i.division_path')} AND i.status <> 'closed' GROUP BY 1`),
      // One scan of the open hazards (partial covering index) feeds the category chart, the ageing and the totals.
      q<{ severity: string; category: string; bucket: string | null; listed: boolean; n: number }[]>((within, p) => {
        const today = `${p(f.today)}::date`;
        return `
        SELECT severity, category, listed,
               CASE WHEN NOT ${overdueSql('hazard', today)} THEN NULL  -- the one overdue definition
                    WHEN ${today} - due_date <= 7 THEN '1–7 天' WHEN ${today} - due_date <= 30 THEN '8–30 天'
                    WHEN ${today} - due_date <= 90 THEN '31–90 天' ELSE '90 天以上' END AS bucket, count(*)::int AS n
          FROM hazard WHERE ${within('division_path')} AND status <> 'closed' GROUP BY 1, 2, 3, 4`;
      }),
      // Hazards found in the period per item and institution: the most frequent items, and repeats (the same item
      // found failing again at the same institution). Two hash aggregates, no sort for count(DISTINCT); the inner one
      // (one group per item and institution: ~100,000 for a city) keeps only a count and one hazard's id — about half
      // the memory of carrying the title (a city still spills a little at the default work_mem) — and the item's title
      // and category are read from that hazard afterwards (one row per item).
      q<{ itemCode: string; category: string; title: string; n: number; institutions: number; repeats: number; repeatInstitutions: number }[]>((within, p) => `
        SELECT x.item_code AS "itemCode", t.category, t.title_zh AS title, x.n, x.institutions, x.repeats, x."repeatInstitutions"
          FROM (SELECT item_code, any_value(some_id) AS some_id, sum(n)::int AS n, count(*)::int AS institutions,
                       sum(n - 1)::int AS repeats, count(*) FILTER (WHERE n > 1)::int AS "repeatInstitutions"
                  FROM (SELECT h.item_code, h.institution_id, any_value(h.id) AS some_id, count(*) AS n
                          FROM hazard h WHERE ${within('h.division_path')} AND ${foundWithin(p(f.from), p(f.to))}
                         GROUP BY h.item_code, h.institution_id) per_institution
                 GROUP BY item_code) x
          JOIN hazard t ON t.id = x.some_id`),
      q<{ id: string; institutionName: string; itemCode: string; title: string; dueDate: string; status: string; overdue: boolean }[]>((within, p) => `
        SELECT h.id, i.name AS "institutionName", h.item_code AS "itemCode", h.title_zh AS title, h.due_date::text AS "dueDate", h.status,
               ${overdueSql('h', `${p(f.today)}::date`)} AS overdue
          FROM hazard h JOIN institution i ON i.id = h.institution_id
         WHERE ${within('h.division_path')} AND h.listed AND h.status <> 'closed' ORDER BY h.due_date LIMIT 20`),
      q<{ planned: number; done: number }[]>((within, p) => `
        SELECT count(*)::int AS planned, count(*) FILTER (WHERE status = 'submitted')::int AS done
          FROM inspection WHERE ${within('division_path')} AND status <> 'cancelled'
           AND coalesce(scheduled_date, created_at::date) BETWEEN ${p(f.from)} AND ${p(f.to)}`),
      q<{ institutions: number }[]>((within) => `SELECT count(*)::int AS institutions FROM institution WHERE ${within('division_path')} AND status <> 'closed'`),
      // Found and closed per Shanghai month, in one scan: width_bucket finds each instant's month among the months'
      // first instants (Shanghai midnight; 0 = before, 13 = after), so no time-zone arithmetic runs per row. At most
      // 14 × 15 (found, closed) pairs come back; the months are summed below.
      q<{ found: number; closed: number | null; n: number }[]>((within, p) => {
        const bounds = p([...months.map((m) => monthRange(m).first), addDays(trendEnd, 1)].map((d) => `${d}T00:00:00+08:00`));
        return `
        SELECT width_bucket(${FOUND_AT}, ${bounds}::timestamptz[]) AS found, width_bucket(h.closed_at, ${bounds}::timestamptz[]) AS closed, count(*)::int AS n
          FROM hazard h WHERE ${within('h.division_path')} AND (${FOUND_AT} >= ${dayStart(p(trendFrom))} OR h.closed_at >= ${dayStart(p(trendFrom))})
         GROUP BY 1, 2`;
      }),
      // Overdue per street: counted per division path on the open-hazard index, then folded into the path's street
      // (its 9-digit segment; null: an institution registered above street level) — the pattern runs per path, not per hazard.
      q<{ code: string | null; name: string | null; n: number }[]>((within, p) => `
        SELECT x.code, d.name, sum(x.n)::int AS n
          FROM (SELECT substring(division_path from '/([0-9]{9})/') AS code, n
                  FROM (SELECT division_path, count(*) AS n FROM hazard
                         WHERE ${within('division_path')} AND status <> 'closed' AND ${overdueSql('hazard', `${p(f.today)}::date`)}
                         GROUP BY division_path) per_path) x
          LEFT JOIN division d ON d.code = x.code
         GROUP BY x.code, d.name ORDER BY n DESC, x.code`),
      // The latest plans of the period and where their inspections stand (inspections inside the subtree only).
      q<{ id: string; name: string; status: string; scheduledTo: string | null; assigned: number; started: number; submitted: number; overdue: number }[]>((within, p) => {
        const today = `${p(f.today)}::date`;
        return `
        SELECT pl.id, pl.name, pl.status, pl.scheduled_to::text AS "scheduledTo",
               count(*) FILTER (WHERE i.status = 'assigned')::int AS assigned,
               count(*) FILTER (WHERE i.status = 'in_progress')::int AS started,
               count(*) FILTER (WHERE i.status = 'submitted')::int AS submitted,
               count(*) FILTER (WHERE i.status IN ('assigned','in_progress') AND coalesce(i.scheduled_date, pl.scheduled_to) < ${today})::int AS overdue
          FROM (SELECT id, name, status, scheduled_to, created_at FROM inspection_plan
                 WHERE ${within('division_path')} AND coalesce(scheduled_to, created_at::date) >= ${p(f.from)}
                   AND coalesce(scheduled_from, created_at::date) <= ${p(f.to)}
                 ORDER BY created_at DESC LIMIT 12) pl
          JOIN inspection i ON i.plan_id = pl.id AND i.status <> 'cancelled' AND ${within('i.division_path')}
         GROUP BY pl.id, pl.name, pl.status, pl.scheduled_to, pl.created_at
         ORDER BY pl.created_at DESC`;
      }),
    ]);
    const sum = (rows: typeof open) => rows.reduce((s, r) => s + r.n, 0);
    const hazards = [...groupSum(open, (r) => `${r.severity}|${r.category}`)].map(([k, n]) => ({ severity: k.split('|')[0], category: k.split('|')[1], n }));
    const ageing = [...groupSum(open.filter((r) => r.bucket), (r) => r.bucket!)].map(([bucket, n]) => ({ bucket, n }));
    const totals = { institutions, openHazards: sum(open), overdue: sum(open.filter((r) => r.bucket)), listed: sum(open.filter((r) => r.listed)) };
    const topItems = [...items].sort((a, b) => b.n - a.n || a.itemCode.localeCompare(b.itemCode)).slice(0, 10)
      .map(({ itemCode, title, n, institutions }) => ({ itemCode, title, n, institutions }));
    // bucket k (1…TREND_MONTHS) is months[k - 1]
    const opened = months.map(() => 0);
    const closed = months.map(() => 0);
    for (const r of trend) {
      if (r.found >= 1 && r.found <= months.length) opened[r.found - 1] += r.n;
      if (r.closed !== null && r.closed >= 1 && r.closed <= months.length) closed[r.closed - 1] += r.n;
    }
    return {
      totals, grades, bands, hazards: hazards.sort((a, b) => b.n - a.n), ageing, topItems, listed, inspections: inspections[0],
      trend: months.map((month, i) => ({ month, opened: opened[i], closed: closed[i] })),
      overdueByStreet,
      repeats: repeatsByCategory(items),
      plans,
    };
  }
}

/**
 * Per category: repeat findings (a finding of an item already found at the same institution in the period), the
 * item–institution pairs that repeated, and all findings of the category in the period (the ledger's count).
 */
function repeatsByCategory(items: { category: string; n: number; repeats: number; repeatInstitutions: number }[]) {
  const out = new Map<string, { category: string; repeats: number; pairs: number; hazards: number }>();
  for (const r of items) {
    const c = out.get(r.category) ?? { category: r.category, repeats: 0, pairs: 0, hazards: 0 };
    c.repeats += r.repeats;
    c.pairs += r.repeatInstitutions;
    c.hazards += r.n;
    out.set(r.category, c);
  }
  return [...out.values()].filter((c) => c.repeats > 0).sort((a, b) => b.repeats - a.repeats || a.category.localeCompare(b.category));
}

function groupSum<T extends { n: number }>(rows: T[], key: (row: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + r.n);
  return out;
}
