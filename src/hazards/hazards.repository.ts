import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import { Hazard } from './hazard.entity';

/** The ledger's filters (HazardQuery without paging): see {@link hazardLedgerWhere}. */
export interface HazardFilter {
  /** 全文检索: a substring of the item title, the note or the institution name */
  q?: string;
  overdue?: boolean;
  /** a division subtree (a street, a district) */
  divisionCode?: string;
  status?: string;
  severity?: string;
  category?: string;
  institutionId?: string;
  inspectionId?: string;
  listed?: boolean;
  /** YYYY-MM-DD, inclusive: the due date */
  dueFrom?: string;
  dueTo?: string;
  /** YYYY-MM-DD, inclusive: the Shanghai day the inspection that found it was submitted */
  foundFrom?: string;
  foundTo?: string;
  sort?: HazardLedgerSort;
}

export type HazardLedgerSort = '-found' | 'found' | 'due' | '-due' | 'institution' | 'severity';

/**
 * Writes a value into a query: as a named or positional parameter, or as an escaped literal (COPY takes no
 * parameters). Returns the SQL that stands for it.
 */
export type Bind = (value: string) => string;

/** The ledger's tables: the hazard `h`, its institution `i`, the inspection that found it `ins`. */
export const LEDGER_FROM = `hazard h JOIN institution i ON i.id = h.institution_id JOIN inspection ins ON ins.id = h.inspection_id`;

/** 发现日期: the Shanghai day the inspection that found the hazard was submitted (the export's "发现日期"). */
export const FOUND_ON_SQL = `(ins.submitted_at AT TIME ZONE 'Asia/Shanghai')::date`;

/** The street (街道) a division path runs through: its 9-digit segment, if any. */
const STREET_CODE = /\/(\d{9})\//;

/** A LIKE pattern matching `text` anywhere, with `%`, `_` and the escape character taken literally. */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * THE ledger condition: the viewer's scope and every HazardQuery filter, as one SQL condition over LEDGER_FROM.
 * The ledger page, the API list and both exports build their WHERE here, so an export holds exactly the rows of
 * the ledger it was started from. Dates compare as Shanghai days, both ends inclusive.
 *
 * 全文检索 `q` (ILIKE, escaped) is a union of three index-friendly branches — the item title and the note (pg_trgm
 * GIN indexes on hazard) and the institution name (pg_trgm GIN on institution, then hazard_institution_idx) — so
 * each can use its own index instead of one OR over two tables (migration HazardLedgerSearch).
 */
export function hazardLedgerWhere(scope: Scope, f: HazardFilter, bind: Bind): string {
  const inScope = scopeCondition(scope, HAZARD_SCOPE);
  const [[name, value]] = Object.entries(inScope.params);
  const where = [inScope.sql.replace(`:${name}`, bind(String(value)))];
  if (f.status) where.push(`h.status = ${bind(f.status)}`);
  if (f.severity) where.push(`h.severity = ${bind(f.severity)}`);
  if (f.category) where.push(`h.category = ${bind(f.category)}`);
  if (f.institutionId) where.push(`h.institution_id = ${bind(f.institutionId)}::uuid`);
  if (f.inspectionId) where.push(`h.inspection_id = ${bind(f.inspectionId)}::uuid`);
  if (f.listed !== undefined) where.push(f.listed ? 'h.listed' : 'NOT h.listed');
  if (f.overdue !== undefined) where.push(f.overdue ? overdueSql('h') : `NOT ${overdueSql('h')}`);
  if (f.divisionCode) where.push(`h.division_path LIKE ${bind(`%/${f.divisionCode}/%`)}`);
  if (f.dueFrom) where.push(`h.due_date >= ${bind(f.dueFrom)}::date`);
  if (f.dueTo) where.push(`h.due_date <= ${bind(f.dueTo)}::date`);
  // On the timestamp (Shanghai midnight to midnight), not on the day expression: an index on submitted_at stays usable.
  if (f.foundFrom) where.push(`ins.submitted_at >= (${bind(f.foundFrom)}::date::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  if (f.foundTo) where.push(`ins.submitted_at < ((${bind(f.foundTo)}::date + 1)::timestamp AT TIME ZONE 'Asia/Shanghai')`);
  const q = f.q?.trim();
  if (q) {
    const p = bind(containsPattern(q));
    where.push(`h.id IN (SELECT s.id FROM hazard s WHERE s.title_zh ILIKE ${p}
      UNION SELECT s.id FROM hazard s WHERE s.note ILIKE ${p}
      UNION SELECT s.id FROM hazard s JOIN institution si ON si.id = s.institution_id WHERE si.name ILIKE ${p})`);
  }
  return where.join(' AND ');
}

/** The ledger's orders; each ends in the row's id so pages never overlap. */
export const LEDGER_ORDER: Record<HazardLedgerSort, string> = {
  '-found': 'ins.submitted_at DESC, h.item_code, h.id',
  found: 'ins.submitted_at, h.item_code, h.id',
  due: 'h.due_date, ins.submitted_at DESC, h.id',
  '-due': 'h.due_date DESC, ins.submitted_at DESC, h.id',
  institution: 'i.name, ins.submitted_at DESC, h.item_code, h.id',
  severity: `CASE h.severity WHEN 'major' THEN 0 ELSE 1 END, h.due_date, h.id`,
};

/** A ledger row: the hazard, its institution and street by name, and when it was found. */
export type LedgerHazard = Hazard & { institutionName: string; streetCode: string | null; streetName: string | null; foundAt: Date };

/**
 * A hazard found by a submitted inspection, as it is first stored (status open). `listed` is always stored false:
 * a major hazard is listed (挂牌督办) only by the sweep, once its objection window has closed with no objection
 * pending (hazard-lifecycle.ts, action `list`).
 */
export type NewHazardRow = Pick<Hazard,
  'inspectionId' | 'institutionId' | 'divisionPath' | 'checklistVersionId' | 'itemCode' | 'category' | 'titleZh' | 'severity'
  | 'majorCriterion' | 'scope' | 'location' | 'note' | 'deadlineDays' | 'dueDate' | 'planDueDate' | 'listed'
  | 'productPolicyVersionId' | 'majorStatus' | 'suspectedReason' | 'suspectedBy' | 'majorConfirmDue'>
  /** the submission time (the inspection's submitted_at): the day a hazard was found is one value everywhere */
  & Partial<Pick<Hazard, 'createdAt'>>;

/** "Today" as the database reads it: the Asia/Shanghai calendar date of now(). */
export const SHANGHAI_TODAY_SQL = `(now() AT TIME ZONE 'Asia/Shanghai')::date`;

/**
 * 逾期 — THE overdue definition, as SQL: still waiting for the institution (open or returned) after its due date
 * (a responded hazard waits for the bureau, not the institution). `alias` is the hazard table's alias; `today` a
 * date expression or parameter (default: the database's Shanghai today). Used by the hazard entity (`overdue`,
 * computed on every read), the ledger filter, the exports, the dashboard and the sweep; its TypeScript twin is
 * `isOverdue` (rectification/domain/hazard-lifecycle.ts).
 */
export function overdueSql(alias: string, today: string = SHANGHAI_TODAY_SQL): string {
  return `(${alias}.status IN ('open','returned') AND ${alias}.due_date < ${today})`;
}

/**
 * New hazards (status open, not listed) from a jsonb array parameter of `hazardRowsJson`, in one multi-row INSERT
 * (a statement of its own, or the last of a submission's CTE); RETURNING what `insertedHazards` reads.
 */
export const HAZARD_INSERT_SQL = (rows: string) => `INSERT INTO hazard (inspection_id, institution_id, division_path, checklist_version_id, item_code, category, title_zh,
         severity, major_criterion, scope, location, note, deadline_days, due_date, plan_due_date, listed, product_policy_version_id,
         major_status, suspected_reason, suspected_by, major_confirm_due, created_at, status, overdue, version)
       SELECT h.inspection_id, h.institution_id, h.division_path, h.checklist_version_id, h.item_code, h.category, h.title_zh,
              h.severity, h.major_criterion, h.scope, h.location, h.note, h.deadline_days, h.due_date, h.plan_due_date, false, h.product_policy_version_id,
              h.major_status, h.suspected_reason, h.suspected_by, h.major_confirm_due, coalesce(h.created_at, now()), 'open', false, 1
         FROM jsonb_to_recordset(${rows}::jsonb) AS h(inspection_id uuid, institution_id uuid, division_path text, checklist_version_id uuid, item_code text,
              category text, title_zh text, severity text, major_criterion text, scope text, location text, note text, deadline_days int, due_date date,
              plan_due_date date, product_policy_version_id uuid, major_status text, suspected_reason text, suspected_by uuid, major_confirm_due date, created_at timestamptz)
       RETURNING id, item_code, due_date::text AS due_date`;

/** The parameter of `HAZARD_INSERT_SQL`. */
export function hazardRowsJson(rows: NewHazardRow[]): string {
  return JSON.stringify(rows.map((r) => ({
    inspection_id: r.inspectionId, institution_id: r.institutionId, division_path: r.divisionPath, checklist_version_id: r.checklistVersionId,
    item_code: r.itemCode, category: r.category, title_zh: r.titleZh, severity: r.severity, major_criterion: r.majorCriterion, scope: r.scope,
    location: r.location, note: r.note, deadline_days: r.deadlineDays, due_date: r.dueDate, plan_due_date: r.planDueDate ?? null,
    product_policy_version_id: r.productPolicyVersionId ?? null, major_status: r.majorStatus ?? null, suspected_reason: r.suspectedReason ?? null,
    suspected_by: r.suspectedBy ?? null, major_confirm_due: r.majorConfirmDue ?? null, created_at: r.createdAt ?? null,
  })));
}

/** The hazards `HAZARD_INSERT_SQL` returned, ordered like forInspection() (C collation: byte order), so a replayed submission answers identically. */
export function insertedHazards(rows: { id: string; item_code: string; due_date: string }[]): { id: string; itemCode: string; dueDate: string }[] {
  return rows.map((r) => ({ id: r.id, itemCode: r.item_code, dueDate: r.due_date }))
    .sort((a, b) => (a.itemCode < b.itemCode ? -1 : a.itemCode > b.itemCode ? 1 : 0));
}

/** Hazard columns of the scope condition. */
export const HAZARD_SCOPE = { divisionPath: 'h.division_path', institutionId: 'h.institution_id' } as const;

/** Hazard SQL, scoped: an institution sees its own hazards, a bureau or inspector the division subtree. */
@Injectable()
export class HazardsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertMany(em: EntityManager, rows: NewHazardRow[]): Promise<{ id: string; itemCode: string; dueDate: string }[]> {
    if (!rows.length) return [];
    return insertedHazards(await em.query(HAZARD_INSERT_SQL('$1'), [hazardRowsJson(rows)]));
  }

  forInspection(inspectionId: string, em: EntityManager = this.dataSource.manager): Promise<Hazard[]> {
    return em.getRepository(Hazard).find({ where: { inspectionId }, order: { itemCode: 'ASC' } });
  }

  /**
   * One page of the ledger (hazardLedgerWhere) in the filter's order — without one, open hazards first by due date
   * (the home page's list) — with the institution's and the street's names and the day it was found.
   */
  async page(scope: Scope, filter: HazardFilter, offset: number, limit: number): Promise<[LedgerHazard[], number]> {
    const params: Record<string, unknown> = {};
    let n = 0;
    const where = hazardLedgerWhere(scope, filter, (value) => {
      const name = `hq${n++}`;
      params[name] = value;
      return `:${name}`;
    });
    const qb = this.dataSource.getRepository(Hazard).createQueryBuilder('h')
      .innerJoin('institution', 'i', 'i.id = h.institution_id')
      .innerJoin('inspection', 'ins', 'ins.id = h.inspection_id')
      .addSelect('i.name', 'institution_name').addSelect('ins.submitted_at', 'found_at')
      .where(where, params);
    const order = filter.sort ? LEDGER_ORDER[filter.sort] : `CASE h.status WHEN 'closed' THEN 1 ELSE 0 END, h.due_date, h.item_code, h.id`;
    // The joins are one-to-one: a plain count(*) (TypeORM's getCount would count DISTINCT ids, a sort of every row).
    const countParams: string[] = [];
    const countWhere = hazardLedgerWhere(scope, filter, (value) => `$${countParams.push(value)}`);
    const [{ raw, entities }, [{ total }]] = await Promise.all([
      qb.orderBy(order).offset(offset).limit(limit).getRawAndEntities(),
      this.dataSource.query(`SELECT count(*)::int AS total FROM ${LEDGER_FROM} WHERE ${countWhere}`, countParams) as Promise<{ total: number }[]>,
    ]);
    const extra = new Map((raw as { h_id: string; institution_name: string; found_at: Date }[]).map((r) => [r.h_id, r]));
    // Street names for this page's rows only (a join on the path's street segment would run a regex on every filtered row).
    const streetOf = (path: string) => STREET_CODE.exec(path)?.[1] ?? null;
    const codes = [...new Set(entities.map((e) => streetOf(e.divisionPath)).filter((c): c is string => !!c))];
    const streets = new Map<string, string>(codes.length
      ? (await this.dataSource.query(`SELECT code, name FROM division WHERE code = ANY($1)`, [codes]) as { code: string; name: string }[]).map((d) => [d.code, d.name])
      : []);
    return [entities.map((e) => {
      const r = extra.get(e.id)!;
      const streetCode = streetOf(e.divisionPath);
      return Object.assign(e, { institutionName: r.institution_name, streetCode, streetName: streetCode ? streets.get(streetCode) ?? null : null, foundAt: r.found_at });
    }), total];
  }
}
