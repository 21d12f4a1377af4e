import { Injectable } from '@nestjs/common';
import { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import QueryStream from 'pg-query-stream';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { sqlLabelCase } from '../common/vocabulary';
import { Scope } from '../common/scope';
import { HazardFilter, hazardLedgerWhere, LEDGER_FROM, LEDGER_ORDER, overdueSql } from '../hazards/hazards.repository';
import { RATING_FROM, RatingFilter, ratingsWhere, TEAM_NAMES_SQL } from '../inspections/inspection-codes.repository';

/** A division path is digits and slashes only, so it can be written into COPY (which takes no bind parameters). */
function pathLiteral(divisionPath: string): string {
  if (!/^\/(\d{6,12}\/)+$/.test(divisionPath)) throw new Error('invalid division path');
  return `'${divisionPath}%'`;
}

/** A query for one export: `p` is the division path prefix (a literal or `$1`), `csv` whether it feeds COPY … CSV. */
export type ExportSql = (p: string, csv: boolean) => string;

/**
 * Free text in a CSV cell gets the guard of `csv_safe` (migration CsvSafe): a cell starting with = + - @ TAB or CR
 * gets a leading apostrophe, so Excel and WPS show it instead of running it as a formula. XLSX cells are typed
 * strings and never evaluated, so the cursor path reads the text as stored.
 * The guard is written out here, the same expression as the function's body: `csv_safe` is STRICT, and PostgreSQL
 * does not inline a STRICT SQL function whose body (a CASE) is not itself strict, so every cell paid a function call
 * (measured: 150,000 rows × 7 cells, 760 ms through csv_safe, 100 ms inline, 25 ms bare). NULL stays NULL either way.
 */
const text = (expr: string, csv: boolean): string =>
  (csv ? `CASE WHEN left(${expr}, 1) IN ('=', '+', '-', '@', E'\\t', E'\\r') THEN '''' || ${expr} ELSE ${expr} END` : expr);

/**
 * The export queries. Each is written once and used by both the CSV (COPY) and the XLSX (cursor) paths. Enumerated
 * columns are labelled in SQL by `sqlLabelCase` from the one vocabulary (common/vocabulary.ts): constant literals,
 * so COPY stays a single streamed statement, and a value without a label shows as itself.
 */
@Injectable()
export class ExportsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Compliance per institution: score, grade, open/overdue hazards, last inspection. `$1` = division path prefix. */
  complianceSql(p: string, csv = false): string {
    return `
      SELECT ${text('i.name', csv)} AS "机构名称", ${text('i.credit_code', csv)} AS "统一社会信用代码", ${text('d.name', csv)} AS "所在区划",
             ${sqlLabelCase('i.kind', 'institutionKind')} AS "机构类型", ${sqlLabelCase('i.status', 'institutionStatus')} AS "状态",
             s.score AS "安全得分", to_char(s.computed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS "得分计算时间",
             ${text(sqlLabelCase('g.grade', 'grade'), csv)} AS "等级", g.valid_to AS "等级有效期至",
             coalesce(hz.open, 0) AS "未销号隐患", coalesce(hz.overdue, 0) AS "逾期隐患", coalesce(hz.major, 0) AS "未销号重大隐患",
             (SELECT (max(ins.submitted_at) AT TIME ZONE 'Asia/Shanghai')::date FROM inspection ins WHERE ins.institution_id = i.id AND ins.status = 'submitted') AS "最近检查日期"
        FROM institution i
        JOIN division d ON d.code = i.division_code
        LEFT JOIN institution_score s ON s.institution_id = i.id
        -- the grade in force today (grade_span: supersession, revocation and lowering applied; 0 = none)
        LEFT JOIN LATERAL (SELECT coalesce(max(s.grade), 0) AS grade, max(s.valid_to) AS valid_to FROM grade_span s
                            WHERE s.institution_id = i.id AND (now() AT TIME ZONE 'Asia/Shanghai')::date BETWEEN s.valid_from AND s.valid_to) g ON true
        LEFT JOIN LATERAL (SELECT count(*) FILTER (WHERE h.status <> 'closed') AS open,
                                  count(*) FILTER (WHERE ${overdueSql('h')}) AS overdue,
                                  count(*) FILTER (WHERE h.status <> 'closed' AND h.severity = 'major') AS major
                             FROM hazard h WHERE h.institution_id = i.id) hz ON true
       WHERE i.division_path LIKE ${p}
       ORDER BY i.division_path, i.name`;
  }

  /**
   * Every hazard with its status history (from the audit log), oldest institution first (or in the ledger's
   * `sort`). `where` is the ledger's condition (hazardLedgerWhere: scope and HazardQuery filters), so the export
   * holds exactly the rows of the filtered ledger; without it, the division path prefix `p` (the benchmark's form).
   * 处理记录 gets no guard: it always starts with the submission time (a digit), and the guard names its expression
   * three times (a correlated subquery would run three times). A hazard's events all come after the submission
   * that found it; the lower bound on occurred_at lets the audit log's monthly partitions before it be skipped.
   */
  hazardLedgerSql(p: string, csv = false, where?: string, sort?: HazardFilter['sort']): string {
    return `
      SELECT ${text('i.name', csv)} AS "机构名称", ${text('d.name', csv)} AS "所在区划", ${text('h.item_code', csv)} AS "检查项", ${text('h.title_zh', csv)} AS "隐患",
             ${text('h.location', csv)} AS "位置", ${text('h.note', csv)} AS "情况说明",
             ${sqlLabelCase('h.severity', 'severity')} AS "等级", ${text('h.major_criterion', csv)} AS "判定标准",
             (ins.submitted_at AT TIME ZONE 'Asia/Shanghai')::date AS "发现日期", h.due_date AS "整改期限", ${sqlLabelCase('h.status', 'hazardStatus')} AS "状态",
             CASE WHEN ${overdueSql('h')} THEN '是' ELSE '否' END AS "逾期", CASE WHEN h.listed THEN '是' ELSE '否' END AS "挂牌督办",
             (h.closed_at AT TIME ZONE 'Asia/Shanghai')::date AS "销号日期",
             concat_ws('；', to_char(ins.submitted_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ' 发现',
               (SELECT string_agg(to_char(e.occurred_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') || ' ' || ${sqlLabelCase('e.action', 'hazardAuditAction')}, '；' ORDER BY e.id)
                  FROM audit_event e WHERE e.entity_type = 'hazard' AND e.entity_id = h.id::text
                   AND e.occurred_at >= ins.submitted_at - interval '1 day')) AS "处理记录",
             h.id AS "隐患编号"
        FROM ${LEDGER_FROM}
        JOIN division d ON d.code = i.division_code
       WHERE ${where ?? `h.division_path LIKE ${p}`}
       ORDER BY ${sort ? LEDGER_ORDER[sort] : 'i.division_path, i.name, ins.submitted_at, h.item_code'}`;
  }

  /** The filtered ledger as CSV straight from COPY (the filter's values written as escaped literals: COPY takes no parameters). */
  async copyHazardLedger(scope: Scope, filter: HazardFilter): Promise<Readable> {
    const client = await this.client();
    const where = hazardLedgerWhere(scope, filter, (v) => client.escapeLiteral(v));
    return this.copyOn(client, this.hazardLedgerSql('', true, where, filter.sort));
  }

  /** The filtered ledger through a server-side cursor, for XLSX. */
  async cursorHazardLedger(scope: Scope, filter: HazardFilter): Promise<AsyncIterable<Record<string, unknown>> & Readable> {
    const client = await this.client();
    const params: string[] = [];
    const where = hazardLedgerWhere(scope, filter, (v) => `$${params.push(v)}`);
    return this.cursorOn(client, this.hazardLedgerSql('', false, where, filter.sort), params);
  }

  /**
   * 检查评价: every rating with its visit (day, institution, street, kind, record number, team, whether the 检查码 was
   * confirmed) and the institution's scores and comment, newest visit first. `where` is the ratings list's condition
   * (ratingsWhere: scope and RatingQuery filters), so the export holds exactly the filtered list; without it, the
   * division path prefix `p`. The comment is the institution's free text: guarded in CSV.
   */
  inspectionRatingsSql(p: string, csv = false, where?: string): string {
    return `
      SELECT (i.submitted_at AT TIME ZONE 'Asia/Shanghai')::date AS "检查日期", ${text('inst.name', csv)} AS "机构名称", ${text('d.name', csv)} AS "所在区划",
             ${sqlLabelCase('i.kind', 'inspectionKind')} AS "检查类型", ${text('i.report_no', csv)} AS "记录编号", ${text('tm.names', csv)} AS "检查组",
             CASE WHEN c.inspection_id IS NULL THEN '无检查码' WHEN c.confirmed_at IS NULL THEN '未经机构核验'
                  WHEN i.started_at IS NOT NULL AND c.confirmed_at > i.started_at THEN '开始检查后核验' ELSE '已核验' END AS "检查码核验",
             to_char(c.confirmed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS "核验时间",
             r.conduct AS "检查人员执法规范（1-5分）", r.clarity AS "问题指出清楚（1-5分）", ${text('r.comment', csv)} AS "评价意见",
             to_char(r.rated_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI') AS "评价时间"
        ${RATING_FROM}
        JOIN division d ON d.code = inst.division_code
        LEFT JOIN inspection_code c ON c.inspection_id = r.inspection_id
        LEFT JOIN LATERAL (${TEAM_NAMES_SQL}) tm ON true
       WHERE ${where ?? `r.division_path LIKE ${p}`}
       ORDER BY i.submitted_at DESC, r.inspection_id`;
  }

  /** The filtered ratings as CSV straight from COPY (the filter's values as escaped literals). */
  async copyInspectionRatings(scope: Scope, filter: RatingFilter): Promise<Readable> {
    const client = await this.client();
    const where = ratingsWhere(scope, filter, (v) => client.escapeLiteral(v));
    return this.copyOn(client, this.inspectionRatingsSql('', true, where));
  }

  /** The filtered ratings through a server-side cursor, for XLSX. */
  async cursorInspectionRatings(scope: Scope, filter: RatingFilter): Promise<AsyncIterable<Record<string, unknown>> & Readable> {
    const client = await this.client();
    const params: string[] = [];
    const where = ratingsWhere(scope, filter, (v) => `$${params.push(v)}`);
    return this.cursorOn(client, this.inspectionRatingsSql('', false, where), params);
  }

  /**
   * Streams `COPY (sql) TO STDOUT` as CSV with a header; the client is released when the stream ends. Backpressure
   * holds end to end: pg-copy-streams reads pg's socket only while the stream is read, so a slow client stops the
   * reading from PostgreSQL instead of growing the heap (test/e2e/exports-backpressure.e2e-spec.ts).
   */
  async copyCsv(sqlFor: ExportSql, divisionPath: string): Promise<Readable> {
    return this.copyOn(await this.client(), sqlFor(pathLiteral(divisionPath), true));
  }

  /** Streams rows through a server-side cursor (constant memory), for XLSX. */
  async cursor(sqlFor: ExportSql, divisionPath: string): Promise<AsyncIterable<Record<string, unknown>> & Readable> {
    return this.cursorOn(await this.client(), sqlFor('$1', false), [`${divisionPath}%`]);
  }

  /**
   * A COPY stream on `client`. Closed before its end (the client went away, a write failed) the connection is still
   * in COPY OUT, with nobody reading it: it is destroyed, not returned to the pool, where the next query would wait
   * on it forever.
   */
  private copyOn(client: PoolClient, sql: string): Readable {
    const stream = client.query(copyTo(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER true)`));
    const release = once((err?: Error) => client.release(err));
    stream.once('end', () => release())
      .once('error', (err: Error) => release(err))
      .once('close', () => release(stream.readableEnded ? undefined : new Error('COPY abandoned before its end')));
    return stream;
  }

  private cursorOn(client: PoolClient, sql: string, params: unknown[]): AsyncIterable<Record<string, unknown>> & Readable {
    const stream = client.query(new QueryStream(sql, params, { batchSize: 500 }));
    const release = once(() => client.release());
    stream.once('end', release).once('error', release).once('close', release);
    return stream as unknown as AsyncIterable<Record<string, unknown>> & Readable;
  }

  /** The column names (and order) of a query, without reading any row. */
  async fields(sqlFor: ExportSql): Promise<{ name: string }[]> {
    const client = await this.client();
    try {
      const r = await client.query(`SELECT * FROM (${sqlFor("'/'", false)}) q LIMIT 0`);
      return r.fields.map((f) => ({ name: f.name }));
    } finally {
      client.release();
    }
  }

  private async client(): Promise<PoolClient> {
    const driver = this.dataSource.driver as unknown as { master: { connect(): Promise<PoolClient> } };
    return driver.master.connect();
  }
}

function once<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void {
  let done = false;
  return (...args: A) => {
    if (!done) {
      done = true;
      fn(...args);
    }
  };
}
