import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import { COUNTER_NEXT_SQL, DOCUMENT_NO_SQL } from '../documents/document-counters.repository';
import { Hazard } from '../hazards/hazard.entity';
import { HAZARD_SCOPE, overdueSql } from '../hazards/hazards.repository';
import { NotificationsRepository } from '../notifications/notifications.repository';

export interface NoticeRow {
  id: string;
  inspectionId: string;
  institutionId: string;
  institutionName: string;
  divisionPath: string;
  noticeNo: string;
  issuedBy: string;
  issuedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  verifyToken: string;
  pdfStatus: 'pending' | 'rendered' | 'failed';
}

const NOTICE_COLUMNS = `n.id, n.inspection_id AS "inspectionId", n.institution_id AS "institutionId", i.name AS "institutionName",
  n.division_path AS "divisionPath", n.notice_no AS "noticeNo", n.issued_by AS "issuedBy", n.issued_at AS "issuedAt",
  n.acknowledged_at AS "acknowledgedAt", n.acknowledged_by AS "acknowledgedBy", n.verify_token AS "verifyToken", n.pdf_status AS "pdfStatus"`;

const NOTICE_SCOPE = { divisionPath: 'n.division_path', institutionId: 'n.institution_id' } as const;

/** One audit event of a hazard's timeline (rectification.repository `timelineEvents`). */
export interface TimelineEvent {
  id: string;
  at: Date;
  actorName: string;
  actorRole: string;
  action: string;
  entityType: string;
  after: Record<string, unknown> | null;
}

/** SQL of the rectification loop. Hazards and notices are read within the caller's scope only. */
@Injectable()
export class RectificationRepository {
  constructor(private readonly dataSource: DataSource, private readonly inbox: NotificationsRepository) {}

  async hazard(scope: Scope, id: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<Hazard | null> {
    const inScope = scopeCondition(scope, HAZARD_SCOPE);
    const qb = em.getRepository(Hazard).createQueryBuilder('h').where('h.id = :id', { id }).andWhere(inScope.sql, inScope.params);
    if (lock) qb.setLock('pessimistic_write');
    return qb.getOne();
  }

  /** Moves a hazard only from the status it was read in (the row lock makes concurrent moves queue up). */
  async update(em: EntityManager, id: string, fromStatus: string, changes: Partial<Hazard>): Promise<boolean> {
    const result = await em.getRepository(Hazard).createQueryBuilder().update()
      .set({ ...changes, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :id AND status = :fromStatus', { id, fromStatus }).execute();
    return result.affected === 1;
  }

  /** An inspection still to be done (what a second re-inspection of the same hazards must wait for). */
  private static readonly OPEN_INSPECTION = `i.status IN ('assigned', 'in_progress')`;

  /**
   * Locks the parent inspection (so two schedulings of its re-inspection run one after the other) and returns the
   * open re-inspections (assigned, in progress) that already cover any of `hazardIds`.
   */
  async lockOpenReinspections(em: EntityManager, parentInspectionId: string, hazardIds: string[]): Promise<string[]> {
    await em.query(`SELECT 1 FROM inspection WHERE id = $1 FOR UPDATE`, [parentInspectionId]);
    const rows: { id: string }[] = await em.query(
      `SELECT DISTINCT i.id FROM hazard h JOIN inspection i ON i.id = h.reinspection_id
        WHERE h.id = ANY($1::uuid[]) AND ${RectificationRepository.OPEN_INSPECTION}`, [hazardIds]);
    return rows.map((r) => r.id);
  }

  /** Whether a re-inspection is still to be done (assigned, in progress). */
  async isOpenInspection(inspectionId: string, em: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows = await em.query(`SELECT 1 FROM inspection i WHERE i.id = $1 AND ${RectificationRepository.OPEN_INSPECTION}`, [inspectionId]);
    return rows.length > 0;
  }

  /** Marks the hazards a re-inspection will check on site. */
  async linkReinspection(em: EntityManager, hazardIds: string[], inspectionId: string): Promise<void> {
    await em.query(`UPDATE hazard SET reinspection_id = $1, updated_at = now() WHERE id = ANY($2)`, [inspectionId, hazardIds]);
  }

  /**
   * The facts the hazard lifecycle decides on (hazard-lifecycle.ts): everyone who responded, whether a response
   * awaits verification, the pending extension and the hazard's objection (at most one).
   */
  async lifecycleFacts(em: EntityManager, hazardId: string): Promise<{
    responderIds: string[]; awaitingResponse: boolean;
    pendingExtension: { id: string; requestedDueDate: string } | null;
    objection: { id: string; status: 'pending' | 'upheld' | 'rejected'; filedOn: string; round: 1 | 2 } | null;
  }> {
    const [row] = await em.query(
      `SELECT coalesce((SELECT array_agg(DISTINCT r.submitted_by) FROM hazard_response r WHERE r.hazard_id = $1), '{}') AS "responderIds",
              EXISTS (SELECT 1 FROM hazard_response r WHERE r.hazard_id = $1
                         AND NOT EXISTS (SELECT 1 FROM hazard_verification v WHERE v.response_id = r.id)) AS "awaitingResponse",
              (SELECT json_build_object('id', x.id, 'requestedDueDate', x.requested_due_date::text) FROM hazard_extension x
                WHERE x.hazard_id = $1 AND x.status = 'pending' LIMIT 1) AS "pendingExtension",
              (SELECT json_build_object('id', o.id, 'status', o.status, 'filedOn', (o.filed_at AT TIME ZONE 'Asia/Shanghai')::date::text, 'round', o.round) FROM hazard_objection o WHERE o.hazard_id = $1
                ORDER BY o.filed_at DESC LIMIT 1) AS "objection"`, [hazardId]);
    return row;
  }

  /** The hazard a request (extension or objection) belongs to, without locking (to load its policy before the transaction). */
  async requestHazardId(table: 'hazard_extension' | 'hazard_objection', id: string): Promise<string | null> {
    const [row] = await this.dataSource.query(`SELECT hazard_id AS "hazardId" FROM ${table} WHERE id = $1`, [id]);
    return row?.hazardId ?? null;
  }

  async insertResponse(em: EntityManager, r: { hazardId: string; whatWasFixed: string; otherPlacesChecked: string; lastingChange: string; responsiblePerson: string; completedOn: string; submittedBy: string; at: Date; evidenceIds: string[] }): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO hazard_response (hazard_id, what_was_fixed, other_places_checked, lasting_change, responsible_person, completed_on, submitted_by, submitted_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id`,
      [r.hazardId, r.whatWasFixed, r.otherPlacesChecked, r.lastingChange, r.responsiblePerson, r.completedOn, r.submittedBy, r.at]);
    if (r.evidenceIds.length) {
      await em.query(`INSERT INTO hazard_response_evidence (response_id, evidence_id) SELECT $1, unnest($2::uuid[])`, [row.id, r.evidenceIds]);
    }
    return row.id;
  }

  async latestResponse(em: EntityManager, hazardId: string): Promise<{ id: string; submittedBy: string } | null> {
    const [row] = await em.query(
      `SELECT r.id, r.submitted_by AS "submittedBy" FROM hazard_response r
        WHERE r.hazard_id = $1 AND NOT EXISTS (SELECT 1 FROM hazard_verification v WHERE v.response_id = r.id)
        ORDER BY r.submitted_at DESC LIMIT 1`, [hazardId]);
    return row ?? null;
  }

  async insertVerification(em: EntityManager, v: { hazardId: string; responseId: string; responderId: string; verifierId: string; accepted: boolean; reason: string | null; newDueDate: string | null; onSite: boolean; at: Date }): Promise<void> {
    await em.query(
      `INSERT INTO hazard_verification (hazard_id, response_id, responder_id, verifier_id, accepted, reason, new_due_date, on_site, verified_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)`,
      [v.hazardId, v.responseId, v.responderId, v.verifierId, v.accepted, v.reason, v.newDueDate, v.onSite, v.at]);
  }

  async insertExtension(em: EntityManager, e: { hazardId: string; requestedBy: string; at: Date; previousDueDate: string; requestedDueDate: string; reason: string }): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO hazard_extension (hazard_id, requested_by, requested_at, previous_due_date, requested_due_date, reason) VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`,
      [e.hazardId, e.requestedBy, e.at, e.previousDueDate, e.requestedDueDate, e.reason]);
    return row.id;
  }

  async extension(em: EntityManager, id: string): Promise<{ id: string; hazardId: string; status: string; requestedDueDate: string } | null> {
    const [row] = await em.query(
      `SELECT id, hazard_id AS "hazardId", status, requested_due_date::text AS "requestedDueDate" FROM hazard_extension WHERE id = $1 FOR UPDATE`, [id]);
    return row ?? null;
  }

  decideExtension(em: EntityManager, id: string, approved: boolean, by: string, reason: string, at: Date): Promise<boolean> {
    return this.decidePending(em, 'hazard_extension', id, approved ? 'approved' : 'refused', by, reason, at);
  }

  /** An objection; round 2 is the one against a later major confirmation (one per hazard and round). */
  async insertObjection(em: EntityManager, o: { hazardId: string; statement: string; filedBy: string; at: Date; round?: 1 | 2 }): Promise<string> {
    const [row] = await em.query(`INSERT INTO hazard_objection (hazard_id, statement, filed_by, filed_at, round) VALUES ($1,$2,$3,$4,$5) RETURNING id`,
      [o.hazardId, o.statement, o.filedBy, o.at, o.round ?? 1]);
    return row.id;
  }

  async objection(em: EntityManager, id: string): Promise<{ id: string; hazardId: string; status: string } | null> {
    const [row] = await em.query(`SELECT id, hazard_id AS "hazardId", status FROM hazard_objection WHERE id = $1 FOR UPDATE`, [id]);
    return row ?? null;
  }

  decideObjection(em: EntityManager, id: string, upheld: boolean, by: string, reason: string, at: Date): Promise<boolean> {
    return this.decidePending(em, 'hazard_objection', id, upheld ? 'upheld' : 'rejected', by, reason, at);
  }

  /** Decides a pending extension or objection; false when it was no longer pending. */
  private async decidePending(em: EntityManager, table: 'hazard_extension' | 'hazard_objection', id: string, status: string, by: string, reason: string, at: Date): Promise<boolean> {
    const r = await em.query(
      `UPDATE ${table} SET status = $2, decided_by = $3, decision_reason = $4, decided_at = $5 WHERE id = $1 AND status = 'pending'`,
      [id, status, by, reason, at]);
    return r[1] === 1;
  }

  async upsertPlan(em: EntityManager, p: { hazardId: string; interimMeasures: string; measures: string; funds: string; responsiblePerson: string; deadline: string; emergencyPlan: string; submittedBy: string; at: Date }): Promise<void> {
    await em.query(
      `INSERT INTO hazard_plan (hazard_id, interim_measures, measures, funds, responsible_person, deadline, emergency_plan, submitted_by, submitted_at)
       VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)
       ON CONFLICT (hazard_id) DO UPDATE SET interim_measures = EXCLUDED.interim_measures, measures = EXCLUDED.measures, funds = EXCLUDED.funds,
         responsible_person = EXCLUDED.responsible_person, deadline = EXCLUDED.deadline, emergency_plan = EXCLUDED.emergency_plan,
         submitted_by = EXCLUDED.submitted_by, submitted_at = EXCLUDED.submitted_at`,
      [p.hazardId, p.interimMeasures, p.measures, p.funds, p.responsiblePerson, p.deadline, p.emergencyPlan, p.submittedBy, p.at]);
  }

  /** Everything that happened to a hazard, oldest first, for its page and its audit trail. */
  async history(hazardId: string) {
    const q = (sql: string) => this.dataSource.query(sql, [hazardId]);
    const [responses, verifications, extensions, objections, plans] = await Promise.all([
      q(`SELECT r.id, r.what_was_fixed AS "whatWasFixed", r.other_places_checked AS "otherPlacesChecked", r.lasting_change AS "lastingChange",
                r.responsible_person AS "responsiblePerson", r.completed_on::text AS "completedOn", r.submitted_at AS "submittedAt", u.display_name AS "submittedByName",
                coalesce(array_agg(e.evidence_id) FILTER (WHERE e.evidence_id IS NOT NULL), '{}') AS "evidenceIds"
           FROM hazard_response r JOIN app_user u ON u.id = r.submitted_by LEFT JOIN hazard_response_evidence e ON e.response_id = r.id
          WHERE r.hazard_id = $1 GROUP BY r.id, u.display_name ORDER BY r.submitted_at`),
      q(`SELECT v.response_id AS "responseId", v.accepted, v.reason, v.new_due_date::text AS "newDueDate", v.on_site AS "onSite", v.verified_at AS "verifiedAt", u.display_name AS "verifierName"
           FROM hazard_verification v JOIN app_user u ON u.id = v.verifier_id WHERE v.hazard_id = $1 ORDER BY v.verified_at`),
      q(`SELECT x.id, x.status, x.requested_due_date::text AS "requestedDueDate", x.previous_due_date::text AS "previousDueDate", x.reason, x.decision_reason AS "decisionReason", x.requested_at AS "requestedAt", x.decided_at AS "decidedAt"
           FROM hazard_extension x WHERE x.hazard_id = $1 ORDER BY x.requested_at`),
      q(`SELECT o.id, o.status, o.statement, o.decision_reason AS "decisionReason", o.filed_at AS "filedAt", o.decided_at AS "decidedAt", o.round
           FROM hazard_objection o WHERE o.hazard_id = $1 ORDER BY o.filed_at`),
      q(`SELECT interim_measures AS "interimMeasures", measures, funds, responsible_person AS "responsiblePerson", deadline::text AS deadline, emergency_plan AS "emergencyPlan", submitted_at AS "submittedAt"
           FROM hazard_plan WHERE hazard_id = $1`),
    ]);
    return { responses, verifications, extensions, objections, plan: plans[0] ?? null };
  }

  /**
   * The audit events of a hazard's story, oldest first: its finding (the inspection's submission), its notice
   * (issued, acknowledged), every move on the hazard itself, and the re-inspection scheduled for it — with who did it.
   */
  timelineEvents(h: { id: string; inspectionId: string; reinspectionId: string | null }, noticeId: string | null): Promise<TimelineEvent[]> {
    return this.dataSource.query(
      `SELECT e.id, e.occurred_at AS "at", coalesce(u.display_name, e.actor_name) AS "actorName", e.actor_role AS "actorRole", e.action, e.entity_type AS "entityType", e.after
         FROM audit_event e LEFT JOIN app_user u ON u.id = e.actor_id
        WHERE (e.entity_type = 'hazard' AND e.entity_id = $1)
           OR (e.entity_type = 'inspection' AND e.entity_id = $2 AND e.action = 'inspection.submit')
           OR (e.entity_type = 'notice' AND e.entity_id = $3)
           OR (e.entity_type = 'inspection' AND e.entity_id = $4 AND e.action = 'hazard.reinspection_schedule')
        ORDER BY e.occurred_at, e.id`,
      [h.id, h.inspectionId, noticeId ?? '', h.reinspectionId ?? '']);
  }

  // ---- notices

  /**
   * Issues a notice with the next number of its gapless series (the bureau's counter row, taken in this statement
   * and locked from here to commit: the issuing transaction's last statements follow it) and answers it as read.
   */
  async insertNumberedNotice(em: EntityManager, n: { id: string; inspectionId: string; institutionId: string; divisionPath: string; issuedBy: string; at: Date; verifyToken: string; number: { series: string; year: number; prefix: string } }): Promise<NoticeRow> {
    const [row] = await em.query(
      `WITH c AS (${COUNTER_NEXT_SQL('$8', '$9')} RETURNING last),
            n AS (INSERT INTO rectification_notice (id, inspection_id, institution_id, division_path, notice_no, issued_by, issued_at, verify_token)
                  SELECT $1, $2, $3, $4, ${DOCUMENT_NO_SQL('$10', 'c.last')}, $5, $6, $7 FROM c
                  RETURNING *)
       SELECT ${NOTICE_COLUMNS} FROM n JOIN institution i ON i.id = n.institution_id`,
      [n.id, n.inspectionId, n.institutionId, n.divisionPath, n.issuedBy, n.at, n.verifyToken, n.number.series, n.number.year, n.number.prefix]);
    return row;
  }

  async noticeOfInspection(em: EntityManager, inspectionId: string): Promise<NoticeRow | null> {
    const [row] = await em.query(`SELECT ${NOTICE_COLUMNS} FROM rectification_notice n JOIN institution i ON i.id = n.institution_id WHERE n.inspection_id = $1`, [inspectionId]);
    return row ?? null;
  }

  async notice(scope: Scope, id: string, em: EntityManager = this.dataSource.manager): Promise<NoticeRow | null> {
    const params: unknown[] = [id];
    const [row] = await em.query(`SELECT ${NOTICE_COLUMNS} FROM rectification_notice n JOIN institution i ON i.id = n.institution_id
      WHERE n.id = $1 AND ${scopeCondition(scope, NOTICE_SCOPE).bind(params)}`, params);
    return row ?? null;
  }

  async noticeByToken(token: string): Promise<NoticeRow | null> {
    const [row] = await this.dataSource.query(`SELECT ${NOTICE_COLUMNS} FROM rectification_notice n JOIN institution i ON i.id = n.institution_id WHERE n.verify_token = $1`, [token]);
    return row ?? null;
  }

  async noticeUnscoped(id: string): Promise<NoticeRow | null> {
    const [row] = await this.dataSource.query(`SELECT ${NOTICE_COLUMNS} FROM rectification_notice n JOIN institution i ON i.id = n.institution_id WHERE n.id = $1`, [id]);
    return row ?? null;
  }

  async pageNotices(scope: Scope, offset: number, limit: number): Promise<[NoticeRow[], number]> {
    const params: unknown[] = [];
    const where = scopeCondition(scope, NOTICE_SCOPE).bind(params);
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query(`SELECT ${NOTICE_COLUMNS} FROM rectification_notice n JOIN institution i ON i.id = n.institution_id
        WHERE ${where} ORDER BY n.issued_at DESC OFFSET ${Number(offset)} LIMIT ${Number(limit)}`, params),
      this.dataSource.query(`SELECT count(*)::int AS total FROM rectification_notice n WHERE ${where}`, params),
    ]);
    return [rows, total];
  }

  async acknowledge(em: EntityManager, id: string, by: string, at: Date): Promise<boolean> {
    const r = await em.query(`UPDATE rectification_notice SET acknowledged_at = $3, acknowledged_by = $2 WHERE id = $1 AND acknowledged_at IS NULL`, [id, by, at]);
    return r[1] === 1;
  }

  async setNoticePdf(id: string, status: 'rendered' | 'failed', sha256: string | null): Promise<void> {
    await this.dataSource.query(`UPDATE rectification_notice SET pdf_status = $2, pdf_sha256 = $3 WHERE id = $1`, [id, status, sha256]);
  }

  // ---- queue sweeps

  /**
   * Escalates the hazards overdue as of `today` (the one definition, `overdueSql`), each once: escalated_at is set
   * at most once per deadline, and the `overdue` column records it for the safety score.
   */
  escalateOverdue(em: EntityManager, today: string, at: Date): Promise<Hazard[]> {
    return em.query(
      `UPDATE hazard SET overdue = true, escalated_at = $2, updated_at = now(), version = version + 1
        WHERE ${overdueSql('hazard', '$1::date')} AND escalated_at IS NULL
        RETURNING id, institution_id AS "institutionId", division_path AS "divisionPath", item_code AS "itemCode", title_zh AS "titleZh",
                  severity, listed, due_date::text AS "dueDate"`,
      [today, at]).then((r) => r[0]);
  }

  /** Hazards waiting for the institution that are due in exactly one of `days` days, with the policy they pin. */
  dueWithin(today: string, days: number[]): Promise<(Pick<Hazard, 'id' | 'institutionId' | 'divisionPath' | 'itemCode' | 'titleZh' | 'dueDate' | 'status' | 'productPolicyVersionId'>)[]> {
    return this.dataSource.query(
      `SELECT id, institution_id AS "institutionId", division_path AS "divisionPath", item_code AS "itemCode", title_zh AS "titleZh",
              due_date::text AS "dueDate", status, product_policy_version_id AS "productPolicyVersionId"
         FROM hazard WHERE status IN ('open','returned') AND (due_date - $1::date) = ANY($2)`, [today, days]);
  }

  /** The product policies pinned by hazards still waiting for the institution (null: before policies were versioned). */
  async openPolicyPins(): Promise<(string | null)[]> {
    const rows: { pin: string | null }[] = await this.dataSource.query(
      `SELECT DISTINCT product_policy_version_id AS pin FROM hazard WHERE status IN ('open','returned')`);
    return rows.map((r) => r.pin);
  }

  /**
   * 挂牌督办 candidates: open major hazards (not suspected or downgraded) not yet listed and without a pending
   * objection, whose inspection's notice was issued — with when the notice was served (acknowledged, else issued;
   * the window may open later, at a major confirmation: the service decides) and their objection, if any.
   */
  listingCandidates(): Promise<(Hazard & { servedAt: Date; objectionStatus: 'rejected' | 'upheld' | null; objectionFiledOn: string | null })[]> {
    return this.dataSource.getRepository(Hazard).createQueryBuilder('h')
      .innerJoin('rectification_notice', 'n', 'n.inspection_id = h.inspection_id')
      .addSelect('coalesce(n.acknowledged_at, n.issued_at)', 'served_at')
      .addSelect(`(SELECT o.status FROM hazard_objection o WHERE o.hazard_id = h.id ORDER BY o.filed_at DESC LIMIT 1)`, 'objection_status')
      .addSelect(`(SELECT (o.filed_at AT TIME ZONE 'Asia/Shanghai')::date::text FROM hazard_objection o WHERE o.hazard_id = h.id ORDER BY o.filed_at DESC LIMIT 1)`, 'objection_filed_on')
      .where(`h.severity = 'major' AND NOT h.listed AND h.status <> 'closed'`)
      .andWhere(`h.major_status IS DISTINCT FROM 'suspected' AND h.major_status IS DISTINCT FROM 'downgraded'`)
      .andWhere(`NOT EXISTS (SELECT 1 FROM hazard_objection o WHERE o.hazard_id = h.id AND o.status = 'pending')`)
      .getRawAndEntities()
      .then(({ raw, entities }) => entities.map((e) => {
        const r = raw.find((x: { h_id: string }) => x.h_id === e.id) as { served_at: Date; objection_status: 'rejected' | 'upheld' | null; objection_filed_on: string | null };
        return Object.assign(e, { servedAt: r.served_at, objectionStatus: r.objection_status, objectionFiledOn: r.objection_filed_on });
      }));
  }

  /** Lists a hazard (挂牌督办) if it still may be: its notice issued; the trigger refuses it while an objection is pending. */
  async setListed(em: EntityManager, id: string): Promise<boolean> {
    const r = await em.query(
      `UPDATE hazard h SET listed = true, updated_at = now(), version = version + 1
        WHERE h.id = $1 AND NOT h.listed AND h.status <> 'closed' AND h.severity = 'major'
          AND EXISTS (SELECT 1 FROM rectification_notice n WHERE n.inspection_id = h.inspection_id)
          AND NOT EXISTS (SELECT 1 FROM hazard_objection o WHERE o.hazard_id = h.id AND o.status = 'pending')`, [id]);
    return r[1] === 1;
  }

  /** An in-app notification (once per dedup key) and its pending SMS/e-mail deliveries (the one writer: NotificationsRepository.notify). */
  notify(em: EntityManager, n: { audience: 'institution' | 'bureau'; institutionId: string | null; divisionPath: string; kind: string; title: string; body: string; entityType: string; entityId: string; dedupKey: string }): Promise<boolean> {
    return this.inbox.notify(em, n);
  }
}
