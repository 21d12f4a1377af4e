import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

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
    const p = `${f.divisionPath}%`;
    const q = <T>(sql: string, params: unknown[] = [p]) => this.dataSource.query(sql, params) as Promise<T>;
    const [grades, bands, hazards, ageing, topItems, listed, inspections, totals] = await Promise.all([
      q<{ label: string; n: number }[]>(`
        SELECT coalesce(g.grade_label, '未评级') AS label, count(*)::int AS n
          FROM institution i
          LEFT JOIN LATERAL (SELECT grade_label FROM grade_assessment a WHERE a.institution_id = i.id AND a.status = 'finalized' AND a.valid_until >= $2
                              ORDER BY a.finalized_at DESC LIMIT 1) g ON true
         WHERE i.division_path LIKE $1 AND i.status <> 'closed' GROUP BY 1 ORDER BY 1`, [p, f.today]),
      q<{ band: string; n: number }[]>(`
        SELECT CASE WHEN s.score IS NULL THEN '无得分' WHEN s.score >= 90 THEN '90–100' WHEN s.score >= 75 THEN '75–89.9'
                    WHEN s.score >= 60 THEN '60–74.9' ELSE '60 以下' END AS band, count(*)::int AS n
          FROM institution i LEFT JOIN institution_score s ON s.institution_id = i.id
         WHERE i.division_path LIKE $1 AND i.status <> 'closed' GROUP BY 1`),
      q<{ severity: string; category: string; n: number }[]>(`
        SELECT severity, category, count(*)::int AS n FROM hazard WHERE division_path LIKE $1 AND status <> 'closed' GROUP BY 1, 2 ORDER BY 3 DESC`),
      q<{ bucket: string; n: number }[]>(`
        SELECT CASE WHEN $2::date - due_date <= 7 THEN '1–7 天' WHEN $2::date - due_date <= 30 THEN '8–30 天'
                    WHEN $2::date - due_date <= 90 THEN '31–90 天' ELSE '90 天以上' END AS bucket, count(*)::int AS n
          FROM hazard WHERE division_path LIKE $1 AND status IN ('open','returned') AND due_date < $2 GROUP BY 1`, [p, f.today]),
      q<{ itemCode: string; title: string; n: number; institutions: number }[]>(`
        SELECT item_code AS "itemCode", min(title) AS title, sum(n)::int AS n, count(*)::int AS institutions
          FROM (SELECT item_code, institution_id, min(title_zh) AS title, count(*) AS n
                  FROM hazard WHERE division_path LIKE $1 AND created_at >= $2::date AND created_at < $3::date + 1
                 GROUP BY item_code, institution_id) per_institution  -- two hash aggregates instead of a sort for count(DISTINCT)
         GROUP BY item_code ORDER BY n DESC, item_code LIMIT 10`, [p, f.from, f.to]),
      q<{ id: string; institutionName: string; itemCode: string; title: string; dueDate: string; status: string; overdue: boolean }[]>(`
        SELECT h.id, i.name AS "institutionName", h.item_code AS "itemCode", h.title_zh AS title, h.due_date::text AS "dueDate", h.status, h.overdue
          FROM hazard h JOIN institution i ON i.id = h.institution_id
         WHERE h.division_path LIKE $1 AND h.listed AND h.status <> 'closed' ORDER BY h.due_date LIMIT 20`),
      q<{ planned: number; done: number }[]>(`
        SELECT count(*)::int AS planned, count(*) FILTER (WHERE status = 'submitted')::int AS done
          FROM inspection WHERE division_path LIKE $1 AND status <> 'cancelled'
           AND coalesce(scheduled_date, created_at::date) BETWEEN $2 AND $3`, [p, f.from, f.to]),
      q<{ institutions: number; openHazards: number; overdue: number; listed: number }[]>(`
        SELECT (SELECT count(*)::int FROM institution WHERE division_path LIKE $1 AND status <> 'closed') AS institutions,
               (SELECT count(*)::int FROM hazard WHERE division_path LIKE $1 AND status <> 'closed') AS "openHazards",
               (SELECT count(*)::int FROM hazard WHERE division_path LIKE $1 AND status IN ('open','returned') AND due_date < $2) AS overdue,
               (SELECT count(*)::int FROM hazard WHERE division_path LIKE $1 AND listed AND status <> 'closed') AS listed`, [p, f.today]),
    ]);
    return { totals: totals[0], grades, bands, hazards, ageing, topItems, listed, inspections: inspections[0] };
  }
}
