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

/** The first instant of a Shanghai calendar day (YYYY-MM-DD), as a timestamptz literal: bound as a parameter, not computed per row. */
const midnight = (day: string) => `${day}T00:00:00+08:00`;
/**
 * 发现日期 — when a hazard was found: the moment its inspection was submitted (the ledger's `foundFrom`/`foundTo`
 * read `inspection.submitted_at`). A hazard is created by that submission, in its transaction, so `hazard.created_at`
 * is the same moment and the dashboard reads it without joining every hazard to its inspection.
 */
const FOUND_AT = 'h.created_at';

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
    const [grades, bands, open, ageing, items, titles, listed, inspections, [{ institutions }], trend, overdueByStreet, plans] = await Promise.all([
      // The grade in force today per institution not closed, from the maintained grade spans per scope
      // (institution_grade_count, migration DashboardInstitutions; spans are non-overlapping per institution, so a sum
      // of the spans covering today counts institutions); 无等级 (0) is every institution of the scope minus the graded.
      q<{ label: string; n: number }[]>((_within, p) => {
        const scope = itemScope(p(f.divisionPath));
        const today = `${p(f.today)}::date`;
        return `
        WITH graded AS (SELECT grade, sum(n)::int AS n FROM institution_grade_count
                         WHERE ${scope} AND valid_to >= ${today} AND valid_from <= ${today} GROUP BY grade HAVING sum(n) <> 0),
             g AS (SELECT grade, n FROM graded
                   UNION ALL SELECT 0, (SELECT coalesce(sum(n), 0) FROM institution_band_count WHERE ${scope}) - (SELECT coalesce(sum(n), 0) FROM graded))
        SELECT ${sqlLabelCase('g.grade', 'grade')} AS label, n::int AS n FROM g WHERE n > 0 ORDER BY 1`;
      }),
      // Institutions not closed per band of their current safety score (institution_band_count, '无得分' without one).
      q<{ band: string; n: number }[]>((_within, p) => `
        SELECT band, sum(n)::int AS n FROM institution_band_count WHERE ${itemScope(p(f.divisionPath))} GROUP BY band HAVING sum(n) <> 0`),
      // Open hazards per severity, category and listed, from their maintained counts (hazard_open_count, migration
      // DashboardFlat: one row per division path and key once folded, plus the deltas since).
      q<{ severity: string; category: string; listed: boolean; n: number }[]>((within) => `
        SELECT severity, category, listed, sum(n)::int AS n FROM hazard_open_count WHERE ${within('division_path')}
         GROUP BY 1, 2, 3 HAVING sum(n) <> 0`),
      // Overdue hazards by how long they are overdue, as of today: the hazards that can be overdue (open or returned)
      // are counted per due date (hazard_due_count), and the clock is applied here — no write is needed as days pass.
      q<{ bucket: string; n: number }[]>((within, p) => {
        const today = `${p(f.today)}::date`;
        return `
        SELECT CASE WHEN ${today} - due_date <= 7 THEN '1–7 天' WHEN ${today} - due_date <= 30 THEN '8–30 天'
                    WHEN ${today} - due_date <= 90 THEN '31–90 天' ELSE '90 天以上' END AS bucket, sum(n)::int AS n
          FROM hazard_due_count WHERE ${within('division_path')} AND due_date < ${today} GROUP BY 1 HAVING sum(n) <> 0`;
      }),
      // Findings per item in the period, the institutions they were found at and those where they were found again.
      // From the monthly summary (hazard_item_month) when the period is whole months up to today; otherwise counted
      // from the period's hazards (itemsFromHazards).
      itemsFromSummaries(f) ? q<ItemRow[]>((_within, p) => `
        SELECT item_code AS "itemCode", min(category) AS category, NULL AS title, sum(found)::int AS n,
               (sum(found) - sum(prev))::int AS institutions, (sum(prev) - sum(pprev))::int AS "repeatInstitutions"
          FROM hazard_item_month WHERE ${itemScope(p(f.divisionPath))} AND month >= ${p(f.from)}::date
         GROUP BY item_code HAVING sum(found) <> 0`) : q<ItemRow[]>((within, p) => itemsFromHazards(within, p, f)),
      // The items' titles, from the checklists that define them (the latest published version of each code).
      itemsFromSummaries(f) ? q<{ itemCode: string; title: string }[]>(() => `
        SELECT DISTINCT ON (ci.code) ci.code AS "itemCode", ci.item->'title'->>'zh' AS title
          FROM checklist_item ci JOIN rule_set_version v ON v.id = ci.version_id ORDER BY ci.code, v.published_at DESC`) : Promise.resolve([]),
      q<{ id: string; institutionName: string; itemCode: string; title: string; dueDate: string; status: string; overdue: boolean }[]>((within, p) => `
        SELECT h.id, i.name AS "institutionName", h.item_code AS "itemCode", h.title_zh AS title, h.due_date::text AS "dueDate", h.status,
               ${overdueSql('h', `${p(f.today)}::date`)} AS overdue
          FROM hazard h JOIN institution i ON i.id = h.institution_id
         WHERE ${within('h.division_path')} AND h.listed AND h.status <> 'closed' ORDER BY h.due_date LIMIT 20`),
      // Inspections planned (not cancelled) and done (submitted) per day of their schedule (inspection_day_count).
      q<{ planned: number; done: number }[]>((within, p) => `
        SELECT coalesce(sum(planned), 0)::int AS planned, coalesce(sum(done), 0)::int AS done
          FROM inspection_day_count WHERE ${within('division_path')} AND day BETWEEN ${p(f.from)}::date AND ${p(f.to)}::date`),
      q<{ institutions: number }[]>((_within, p) => `SELECT coalesce(sum(n), 0)::int AS institutions FROM institution_band_count WHERE ${itemScope(p(f.divisionPath))}`),
      // Found and closed per Shanghai month, from the per-day counts the hazard triggers keep (hazard_day_count: one row
      // per division path and day once compacted, plus the deltas since) — not from the hazards themselves.
      q<{ month: string; opened: number; closed: number }[]>((within, p) => `
        SELECT to_char(m, 'YYYY-MM') AS month, opened, closed
          FROM (SELECT date_trunc('month', day) AS m, sum(found)::int AS opened, sum(closed)::int AS closed
                  FROM hazard_day_count WHERE ${within('division_path')} AND day BETWEEN ${p(trendFrom)}::date AND ${p(trendEnd)}::date
                 GROUP BY 1) per_month`),
      // Overdue per street: the due-date counts of the overdue dates per division path, folded into the path's street
      // (its 9-digit segment; null: an institution registered above street level).
      q<{ code: string | null; name: string | null; n: number }[]>((within, p) => `
        SELECT x.code, d.name, sum(x.n)::int AS n
          FROM (SELECT substring(division_path from '/([0-9]{9})/') AS code, n
                  FROM (SELECT division_path, sum(n) AS n FROM hazard_due_count
                         WHERE ${within('division_path')} AND due_date < ${p(f.today)}::date
                         GROUP BY division_path HAVING sum(n) <> 0) per_path) x
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
    const sum = (rows: { n: number }[]) => rows.reduce((s, r) => s + r.n, 0);
    const hazards = [...groupSum(open, (r) => `${r.severity}|${r.category}`)].map(([k, n]) => ({ severity: k.split('|')[0], category: k.split('|')[1], n }));
    const totals = { institutions, openHazards: sum(open), overdue: sum(ageing), listed: sum(open.filter((r) => r.listed)) };
    const titleOf = new Map(titles.map((t) => [t.itemCode, t.title]));
    const topItems = [...items].sort((a, b) => b.n - a.n || a.itemCode.localeCompare(b.itemCode)).slice(0, 10)
      .map(({ itemCode, title, n, institutions }) => ({ itemCode, title: title ?? titleOf.get(itemCode) ?? itemCode, n, institutions }));
    const byMonth = new Map(trend.map((r) => [r.month, r]));
    return {
      totals, grades, bands, hazards: hazards.sort((a, b) => b.n - a.n), ageing: AGEING.map((bucket) => ({ bucket, n: ageing.find((a) => a.bucket === bucket)?.n ?? 0 })).filter((a) => a.n > 0), topItems, listed, inspections: inspections[0],
      trend: months.map((month) => ({ month, opened: byMonth.get(month)?.opened ?? 0, closed: byMonth.get(month)?.closed ?? 0 })),
      overdueByStreet,
      repeats: repeatsByCategory(items),
      plans,
    };
  }
}

type ItemRow = { itemCode: string; category: string; title: string | null; n: number; institutions: number; repeatInstitutions: number };

/** The ageing buckets of overdue hazards, in the order the previous release produced them (first seen). */
const AGEING = ['1–7 天', '8–30 天', '31–90 天', '90 天以上'];

/** The rows of `hazard_item_month`, `institution_band_count` and `institution_grade_count` for a scope: its own (kept per ancestor path); above every division ('/'), the top-level divisions'. */
const itemScope = (path: string) => `(scope_path = ${path} OR (${path} = '/' AND scope_path ~ '^/[^/]+/$'))`;

/**
 * Whether the per-item figures of the period come from the monthly summary: the period starts on the first day of a
 * month and ends today or later (nothing is found after today), so "institutions whose previous finding is before
 * the period" is a difference of two monthly sums. The dashboard's default period is of that kind.
 */
export function itemsFromSummaries(f: Pick<DashboardFilter, 'from' | 'to' | 'today'>): boolean {
  return f.from.endsWith('-01') && f.to >= f.today;
}

/**
 * The per-item figures of any period, from the period's hazards, in one pass (no grouping by item and institution):
 * a finding whose previous finding of the same item at the same institution is before the period is that
 * institution's first in the period (so they count the institutions); one whose previous is inside the period and
 * whose second previous is not is the second (so they count the institutions where the item was found again). The
 * two previous findings are kept on each hazard (migration DashboardSummaries); the institution's history follows it
 * across a change of division. The item's title and category are read from one of its hazards afterwards.
 */
function itemsFromHazards(within: (column: string) => string, p: (value: unknown) => string, f: DashboardFilter): string {
  const from = p(midnight(f.from));
  return `
        SELECT x.item_code AS "itemCode", t.category, t.title_zh AS title, x.n, x.institutions, x."repeatInstitutions"
          FROM (SELECT h.item_code, any_value(h.id) AS some_id, count(*)::int AS n,
                       count(*) FILTER (WHERE h.previous_found_at IS NULL OR h.previous_found_at < ${from}::timestamptz)::int AS institutions,
                       count(*) FILTER (WHERE h.previous_found_at >= ${from}::timestamptz
                                          AND (h.second_previous_found_at IS NULL OR h.second_previous_found_at < ${from}::timestamptz))::int AS "repeatInstitutions"
                  FROM hazard h WHERE ${within('h.division_path')}
                   AND ${FOUND_AT} >= ${from}::timestamptz AND ${FOUND_AT} < ${p(midnight(addDays(f.to, 1)))}::timestamptz
                 GROUP BY h.item_code) x
          JOIN hazard t ON t.id = x.some_id`;
}

/**
 * Per category: repeat findings (a finding of an item already found at the same institution in the period), the
 * item–institution pairs that repeated, and all findings of the category in the period (the ledger's count).
 */
function repeatsByCategory(items: { category: string; n: number; institutions: number; repeatInstitutions: number }[]) {
  const out = new Map<string, { category: string; repeats: number; pairs: number; hazards: number }>();
  for (const r of items) {
    const c = out.get(r.category) ?? { category: r.category, repeats: 0, pairs: 0, hazards: 0 };
    c.repeats += r.n - r.institutions;
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
