import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { divisionScope, scopeCondition } from '../common/scope';
import { sqlLabelCase } from '../common/vocabulary';
import { overdueSql } from '../hazards/hazards.repository';

export interface DashboardFilter {
  /** '/320400/320402/' — already checked to be inside the caller's scope */
  divisionPath: string;
  from: string;
  to: string;
  today: string;
}

/** Aggregates for the bureau dashboard; every query is limited to one division subtree. */
@Injectable()
export class DashboardRepository {
  constructor(private readonly dataSource: DataSource) {}

  async summary(f: DashboardFilter) {
    const scope = divisionScope(f.divisionPath);
    /** One aggregate: `within(column)` renders the scope as its $1, `more` are $2, $3. */
    const q = <T>(sql: (within: (column: string) => string) => string, more: unknown[] = []) => {
      const params: unknown[] = [];
      const text = sql((column) => scopeCondition(scope, { divisionPath: column }).bind(params));
      return this.dataSource.query(text, [...params, ...more]) as Promise<T>;
    };
    const [grades, bands, open, topItems, listed, inspections, [{ institutions }]] = await Promise.all([
      q<{ label: string; n: number }[]>((within) => `
        SELECT ${sqlLabelCase('g.grade', 'grade')} AS label, count(*)::int AS n
          FROM institution i
          -- the grade in force today (grade_span: supersession, revocation and lowering applied; 0 = none)
          LEFT JOIN LATERAL (SELECT coalesce(max(s.grade), 0) AS grade FROM grade_span s
                              WHERE s.institution_id = i.id AND $2::date BETWEEN s.valid_from AND s.valid_to) g ON true
         WHERE ${within('i.division_path')} AND i.status <> 'closed' GROUP BY 1 ORDER BY 1`, [f.today]),
      q<{ band: string; n: number }[]>((within) => `
        SELECT CASE WHEN s.score IS NULL THEN '无得分' WHEN s.score >= 90 THEN '90–100' WHEN s.score >= 75 THEN '75–89.9'
                    WHEN s.score >= 60 THEN '60–74.9' ELSE '60 以下' END AS band, count(*)::int AS n
          FROM institution i LEFT JOIN institution_score s ON s.institution_id = i.id
         WHERE ${within('i.division_path')} AND i.status <> 'closed' GROUP BY 1`),
      // One scan of the open hazards (partial covering index) feeds the category chart, the ageing and the totals.
      q<{ severity: string; category: string; bucket: string | null; listed: boolean; n: number }[]>((within) => `
        SELECT severity, category, listed,
               CASE WHEN NOT ${overdueSql('hazard', '$2::date')} THEN NULL  -- the one overdue definition
                    WHEN $2::date - due_date <= 7 THEN '1–7 天' WHEN $2::date - due_date <= 30 THEN '8–30 天'
                    WHEN $2::date - due_date <= 90 THEN '31–90 天' ELSE '90 天以上' END AS bucket, count(*)::int AS n
          FROM hazard WHERE ${within('division_path')} AND status <> 'closed' GROUP BY 1, 2, 3, 4`, [f.today]),
      q<{ itemCode: string; title: string; n: number; institutions: number }[]>((within) => `
        SELECT item_code AS "itemCode", min(title) AS title, sum(n)::int AS n, count(*)::int AS institutions
          FROM (SELECT item_code, institution_id, min(title_zh) AS title, count(*) AS n
                  FROM hazard WHERE ${within('division_path')} AND created_at >= $2::date AND created_at < $3::date + 1
                 GROUP BY item_code, institution_id) per_institution  -- two hash aggregates instead of a sort for count(DISTINCT)
         GROUP BY item_code ORDER BY n DESC, item_code LIMIT 10`, [f.from, f.to]),
      q<{ id: string; institutionName: string; itemCode: string; title: string; dueDate: string; status: string; overdue: boolean }[]>((within) => `
        SELECT h.id, i.name AS "institutionName", h.item_code AS "itemCode", h.title_zh AS title, h.due_date::text AS "dueDate", h.status,
               ${overdueSql('h', '$2::date')} AS overdue
          FROM hazard h JOIN institution i ON i.id = h.institution_id
         WHERE ${within('h.division_path')} AND h.listed AND h.status <> 'closed' ORDER BY h.due_date LIMIT 20`, [f.today]),
      q<{ planned: number; done: number }[]>((within) => `
        SELECT count(*)::int AS planned, count(*) FILTER (WHERE status = 'submitted')::int AS done
          FROM inspection WHERE ${within('division_path')} AND status <> 'cancelled'
           AND coalesce(scheduled_date, created_at::date) BETWEEN $2 AND $3`, [f.from, f.to]),
      q<{ institutions: number }[]>((within) => `SELECT count(*)::int AS institutions FROM institution WHERE ${within('division_path')} AND status <> 'closed'`),
    ]);
    const sum = (rows: typeof open) => rows.reduce((s, r) => s + r.n, 0);
    const hazards = [...groupSum(open, (r) => `${r.severity}|${r.category}`)].map(([k, n]) => ({ severity: k.split('|')[0], category: k.split('|')[1], n }));
    const ageing = [...groupSum(open.filter((r) => r.bucket), (r) => r.bucket!)].map(([bucket, n]) => ({ bucket, n }));
    const totals = { institutions, openHazards: sum(open), overdue: sum(open.filter((r) => r.bucket)), listed: sum(open.filter((r) => r.listed)) };
    return { totals, grades, bands, hazards: hazards.sort((a, b) => b.n - a.n), ageing, topItems, listed, inspections: inspections[0] };
  }
}

function groupSum<T extends { n: number }>(rows: T[], key: (row: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + r.n);
  return out;
}
