import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { AuthUser, divisionScope, scopeCondition, scopeOf } from '../common/scope';
import { COUNTER_NEXT_SQL, DOCUMENT_NO_SQL, SEQUENCE_NEXT_SQL } from '../documents/document-counters.repository';
import { HAZARD_INSERT_SQL, hazardRowsJson, insertedHazards, NewHazardRow } from '../hazards/hazards.repository';
import { ConflictSide, DraftAnswer, ItemVersion, OpenConflict } from './domain/draft-merge';
import { Inspection, InspectionPlan, InspectionTeamMember } from './inspection.entity';
import { newInspectionCode } from './domain/inspection-code';

/** The team draft of inspection $1 as two JSON columns, items and (open) conflicts, each ordered by item code. */
const DRAFT_STATE_SQL = `(SELECT coalesce(json_agg(json_build_object('itemCode', item_code, 'answer', answer, 'by', answered_by, 'at', answered_at, 'rev', rev, 'own', own_texts) ORDER BY item_code), '[]')
                 FROM inspection_draft_item WHERE inspection_id = $1) AS items,
              (SELECT coalesce(json_agg(json_build_object('id', id, 'itemCode', item_code, 'sides', sides, 'createdAt', created_at) ORDER BY item_code), '[]')
                 FROM inspection_draft_conflict WHERE inspection_id = $1 AND status = 'open') AS conflicts`;

interface DraftStateRow {
  items: { itemCode: string; answer: DraftAnswer; by: string | null; at: string; rev: number; own: ItemVersion['own'] }[];
  conflicts: (OpenConflict & { createdAt: string })[];
}

function draftStateOf(row: DraftStateRow): { items: Map<string, ItemVersion>; conflicts: Map<string, OpenConflict & { createdAt: Date }> } {
  return {
    items: new Map(row.items.map((r) => [r.itemCode, { answer: r.answer, by: r.by, at: new Date(r.at).toISOString(), rev: r.rev, own: r.own ?? {} }])),
    conflicts: new Map(row.conflicts.map((c) => [c.itemCode, { ...c, createdAt: new Date(c.createdAt) }])),
  };
}

export interface TeamMemberView {
  userId: string;
  displayName: string;
  role: 'lead' | 'member';
}

export interface ResponseRow {
  itemCode: string;
  result: 'pass' | 'fail' | 'na';
  note: string | null;
  location: string | null;
  severity: 'general' | 'major' | null;
  majorCriterion: string | null;
  scope: 'single' | 'multiple' | 'widespread' | null;
}

/** The `Inspection` entity's columns (all but `draft`, as TypeORM selects them), named as its properties. */
export const INSPECTION_COLUMNS = `i.id, i.plan_id AS "planId", i.kind, i.institution_id AS "institutionId", i.division_path AS "divisionPath",
  i.checklist_version_id AS "checklistVersionId", i.status, to_char(i.scheduled_date, 'YYYY-MM-DD') AS "scheduledDate",
  i.started_at AS "startedAt", i.submitted_at AS "submittedAt", i.submission_id AS "submissionId", i.submitted_by AS "submittedBy",
  i.report_no AS "reportNo", i.report_status AS "reportStatus", i.report_sha256 AS "reportSha256", i.draft_saved_at AS "draftSavedAt",
  i.created_by AS "createdBy", i.created_at AS "createdAt", i.updated_at AS "updatedAt", i.parent_inspection_id AS "parentInspectionId",
  i.item_codes AS "itemCodes", i.product_policy_version_id AS "productPolicyVersionId", i.local_rule_set_version_id AS "localRuleSetVersionId",
  i.version`;

const INSPECTION_SCOPE = { divisionPath: 'i.division_path', institutionId: 'i.institution_id' } as const;
const PLAN_SCOPE = { divisionPath: 'p.division_path' } as const;

/**
 * Inspection SQL. Who sees an inspection: an inspector only those on whose team they are; an institution only its
 * own, and only once submitted (random inspections are unannounced); a bureau its division subtree.
 */
@Injectable()
export class InspectionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private scoped(user: AuthUser, em: EntityManager = this.dataSource.manager): SelectQueryBuilder<Inspection> {
    const qb = em.getRepository(Inspection).createQueryBuilder('i');
    switch (user.role) {
      case 'inspector':
        return qb.where('EXISTS (SELECT 1 FROM inspection_team_member m WHERE m.inspection_id = i.id AND m.user_id = :scopeUser)', { scopeUser: user.id });
      case 'institution': {
        const inScope = scopeCondition(scopeOf(user), INSPECTION_SCOPE);
        return qb.where(`${inScope.sql} AND i.status = 'submitted'`, inScope.params);
      }
      default: {
        const inScope = scopeCondition(scopeOf(user), INSPECTION_SCOPE);
        return qb.where(inScope.sql, inScope.params);
      }
    }
  }

  /**
   * One inspection in the user's scope (as `scoped`), optionally locked. Plain SQL: it runs twice on every
   * submission and TypeORM's query building and hydration cost more CPU than the statement itself.
   */
  async findById(user: AuthUser, id: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<Inspection | null> {
    const values: unknown[] = [id];
    let visible: string;
    switch (user.role) {
      case 'inspector':
        visible = `EXISTS (SELECT 1 FROM inspection_team_member m WHERE m.inspection_id = i.id AND m.user_id = $${values.push(user.id)})`;
        break;
      case 'institution':
        visible = `${scopeCondition(scopeOf(user), INSPECTION_SCOPE).bind(values)} AND i.status = 'submitted'`;
        break;
      default:
        visible = scopeCondition(scopeOf(user), INSPECTION_SCOPE).bind(values);
    }
    const [row]: Record<string, unknown>[] = await em.query(
      `SELECT ${INSPECTION_COLUMNS} FROM inspection i WHERE i.id = $1 AND ${visible}${lock ? ' FOR UPDATE' : ''}`, values);
    return row ? Object.assign(new Inspection(), row) : null;
  }

  page(user: AuthUser, filter: { status?: string; institutionId?: string; planId?: string; mine?: boolean }, offset: number, limit: number) {
    const qb = this.scoped(user);
    if (filter.status) qb.andWhere('i.status = :status', { status: filter.status });
    if (filter.institutionId) qb.andWhere('i.institution_id = :iid', { iid: filter.institutionId });
    if (filter.planId) qb.andWhere('i.plan_id = :pid', { pid: filter.planId });
    if (filter.mine) qb.andWhere('EXISTS (SELECT 1 FROM inspection_team_member mm WHERE mm.inspection_id = i.id AND mm.user_id = :me)', { me: user.id });
    return qb
      .orderBy(`CASE i.status WHEN 'in_progress' THEN 0 WHEN 'assigned' THEN 1 ELSE 2 END`)
      .addOrderBy('i.scheduled_date', 'ASC', 'NULLS LAST')
      .addOrderBy('i.created_at', 'DESC')
      .skip(offset).take(limit).getManyAndCount();
  }

  async teams(inspectionIds: string[], em: EntityManager = this.dataSource.manager): Promise<Map<string, TeamMemberView[]>> {
    const out = new Map<string, TeamMemberView[]>();
    if (!inspectionIds.length) return out;
    const rows: (TeamMemberView & { inspectionId: string })[] = await em.query(
      `SELECT m.inspection_id AS "inspectionId", m.user_id AS "userId", u.display_name AS "displayName", m.role
         FROM inspection_team_member m JOIN app_user u ON u.id = m.user_id
        WHERE m.inspection_id = ANY($1) ORDER BY m.role, u.display_name`,
      [inspectionIds],
    );
    for (const { inspectionId, ...member } of rows) out.set(inspectionId, [...(out.get(inspectionId) ?? []), member]);
    return out;
  }

  async insert(em: EntityManager, values: Partial<Inspection>, team: { userId: string; role: 'lead' | 'member' }[]): Promise<Inspection> {
    const result = await em.getRepository(Inspection).insert({ status: 'assigned', reportStatus: 'none', version: 1, ...values });
    const id = result.identifiers[0].id as string;
    await em.getRepository(InspectionTeamMember).insert(team.map((m) => ({ inspectionId: id, ...m })));
    await this.issueCode(em, id);
    return em.findOneByOrFail(Inspection, { id });
  }

  /**
   * 检查码: every inspection gets its code in the transaction that creates it (plans' draws, ad-hoc inspections,
   * re-inspections, complaint and incident follow-ups all come through `insert`), drawn again on the rare collision.
   */
  private async issueCode(em: EntityManager, inspectionId: string): Promise<string> {
    for (let attempt = 0; attempt < 8; attempt++) {
      const rows: { code: string }[] = await em.query(
        `INSERT INTO inspection_code (inspection_id, code) VALUES ($1, $2) ON CONFLICT (code) DO NOTHING RETURNING code`, [inspectionId, newInspectionCode()]);
      if (rows.length) return rows[0].code;
    }
    throw new Error(`no free inspection code for ${inspectionId}`);
  }

  /** Pairs (inspector, institution) where the inspector was on a team that inspected it since `since`. */
  async recentPairs(institutionIds: string[], since: Date): Promise<{ inspectorId: string; institutionId: string }[]> {
    if (!institutionIds.length) return [];
    return this.dataSource.query(
      `SELECT DISTINCT m.user_id AS "inspectorId", i.institution_id AS "institutionId"
         FROM inspection i JOIN inspection_team_member m ON m.inspection_id = i.id
        WHERE i.institution_id = ANY($1) AND i.status = 'submitted' AND i.submitted_at >= $2`,
      [institutionIds, since],
    );
  }

  boundPairs(userIds: string[]): Promise<{ inspectorId: string; institutionId: string }[]> {
    return this.dataSource.query(
      `SELECT user_id AS "inspectorId", institution_id AS "institutionId" FROM conflict_of_interest WHERE user_id = ANY($1)`,
      [userIds],
    );
  }

  async declareConflict(em: EntityManager, userId: string, institutionId: string, note: string): Promise<void> {
    await em.query(
      `INSERT INTO conflict_of_interest (user_id, institution_id, note) VALUES ($1, $2, $3)
       ON CONFLICT (user_id, institution_id) DO UPDATE SET note = EXCLUDED.note`,
      [userId, institutionId, note],
    );
  }

  async markStarted(em: EntityManager, id: string): Promise<boolean> {
    const r = await em.query(
      `UPDATE inspection SET status = 'in_progress', started_at = now(), updated_at = now(), version = version + 1
        WHERE id = $1 AND status = 'assigned'`, [id]);
    return r[1] === 1;
  }

  /** When a team member last saved the draft (the answers themselves are per item: `draftItems`). */
  async draftOf(id: string): Promise<{ draft: unknown; savedAt: Date | null }> {
    const [row] = await this.dataSource.query(`SELECT draft, draft_saved_at FROM inspection WHERE id = $1`, [id]);
    return { draft: row?.draft ?? null, savedAt: row?.draft_saved_at ?? null };
  }

  // ---- team drafts: per-item answers and their conflicts (domain/draft-merge.ts)

  async draftItems(id: string, em: EntityManager = this.dataSource.manager): Promise<Map<string, ItemVersion>> {
    const rows: { itemCode: string; answer: DraftAnswer; by: string | null; at: Date; rev: number; own: ItemVersion['own'] }[] = await em.query(
      `SELECT item_code AS "itemCode", answer, answered_by AS "by", answered_at AS "at", rev, own_texts AS "own"
         FROM inspection_draft_item WHERE inspection_id = $1 ORDER BY item_code`, [id]);
    return new Map(rows.map((r) => [r.itemCode, { answer: r.answer, by: r.by, at: new Date(r.at).toISOString(), rev: r.rev, own: r.own ?? {} }]));
  }

  async writeDraftItems(em: EntityManager, id: string, versions: Map<string, ItemVersion>): Promise<void> {
    if (!versions.size) return;
    await em.query(
      `INSERT INTO inspection_draft_item (inspection_id, item_code, answer, answered_by, answered_at, rev, own_texts)
       SELECT $1, r.item_code, r.answer, r.answered_by, r.answered_at, r.rev, coalesce(r.own_texts, '{}')
         FROM jsonb_to_recordset($2::jsonb) AS r(item_code text, answer jsonb, answered_by uuid, answered_at timestamptz, rev int, own_texts jsonb)
       ON CONFLICT (inspection_id, item_code) DO UPDATE
          SET answer = EXCLUDED.answer, answered_by = EXCLUDED.answered_by, answered_at = EXCLUDED.answered_at, rev = EXCLUDED.rev,
              own_texts = EXCLUDED.own_texts, updated_at = now()`,
      [id, JSON.stringify([...versions].map(([code, v]) => ({ item_code: code, answer: v.answer, answered_by: v.by, answered_at: v.at, rev: v.rev, own_texts: v.own ?? {} })))],
    );
  }

  /**
   * What a submission checks, in one statement: the team, the team draft's items and open conflicts (as
   * `draftState`), and the inspection's finding photos (id and item).
   */
  async submissionState(id: string, em: EntityManager): Promise<{ team: TeamMemberView[]; items: Map<string, ItemVersion>; conflicts: Map<string, OpenConflict & { createdAt: Date }>; photos: { id: string; itemCode: string | null }[] }> {
    const [row]: (DraftStateRow & { team: TeamMemberView[]; photos: { id: string; itemCode: string | null }[] })[] = await em.query(
      `SELECT (SELECT coalesce(json_agg(json_build_object('userId', m.user_id, 'displayName', u.display_name, 'role', m.role) ORDER BY m.role, u.display_name), '[]')
                 FROM inspection_team_member m JOIN app_user u ON u.id = m.user_id WHERE m.inspection_id = $1) AS team,
              ${DRAFT_STATE_SQL},
              (SELECT coalesce(json_agg(json_build_object('id', id, 'itemCode', item_code)), '[]')
                 FROM evidence WHERE inspection_id = $1 AND purpose = 'finding') AS photos`, [id]);
    return { team: row.team, photos: row.photos, ...draftStateOf(row) };
  }

  /** The team draft's items and open conflicts in one statement (what `draftItems` and `openDraftConflicts` answer). */
  async draftState(id: string, em: EntityManager = this.dataSource.manager): Promise<{ items: Map<string, ItemVersion>; conflicts: Map<string, OpenConflict & { createdAt: Date }> }> {
    const [row]: DraftStateRow[] = await em.query(`SELECT ${DRAFT_STATE_SQL}`, [id]);
    return draftStateOf(row);
  }

  async openDraftConflicts(id: string, em: EntityManager = this.dataSource.manager): Promise<Map<string, OpenConflict & { createdAt: Date }>> {
    const rows: (OpenConflict & { createdAt: Date })[] = await em.query(
      `SELECT id, item_code AS "itemCode", sides, created_at AS "createdAt"
         FROM inspection_draft_conflict WHERE inspection_id = $1 AND status = 'open' ORDER BY item_code`, [id]);
    return new Map(rows.map((r) => [r.itemCode, r]));
  }

  async insertDraftConflict(em: EntityManager, id: string, itemCode: string, sides: ConflictSide[]): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO inspection_draft_conflict (inspection_id, item_code, sides) VALUES ($1, $2, $3) RETURNING id`,
      [id, itemCode, JSON.stringify(sides)]);
    return row.id;
  }

  async updateDraftConflictSides(em: EntityManager, conflictId: string, sides: ConflictSide[]): Promise<void> {
    await em.query(`UPDATE inspection_draft_conflict SET sides = $2, updated_at = now() WHERE id = $1 AND status = 'open'`, [conflictId, JSON.stringify(sides)]);
  }

  /** Closes an open conflict: 'resolved' by a person choosing a side, or 'agreed' when every side came to say the same. */
  async closeDraftConflict(em: EntityManager, conflictId: string, close: { status: 'resolved'; chosenSide: number; by: string } | { status: 'agreed' }): Promise<boolean> {
    const r = await em.query(
      `UPDATE inspection_draft_conflict SET status = $2, chosen_side = $3, resolved_by = $4, resolved_at = now(), updated_at = now()
        WHERE id = $1 AND status = 'open'`,
      [conflictId, close.status, close.status === 'resolved' ? close.chosenSide : null, close.status === 'resolved' ? close.by : null]);
    return r[1] === 1;
  }

  async touchDraft(em: EntityManager, id: string, savedAt: Date): Promise<void> {
    await em.query(`UPDATE inspection SET draft_saved_at = $2 WHERE id = $1`, [id, savedAt]);
  }

  sectionAssignments(id: string, em: EntityManager = this.dataSource.manager): Promise<{ categoryCode: string; userId: string }[]> {
    return em.query(
      `SELECT category_code AS "categoryCode", user_id AS "userId" FROM inspection_section_assignment WHERE inspection_id = $1 ORDER BY category_code`, [id]);
  }

  async replaceSectionAssignments(em: EntityManager, id: string, rows: { categoryCode: string; userId: string }[], by: string): Promise<void> {
    await em.query(`DELETE FROM inspection_section_assignment WHERE inspection_id = $1`, [id]);
    if (!rows.length) return;
    await em.query(
      `INSERT INTO inspection_section_assignment (inspection_id, category_code, user_id, assigned_by)
       SELECT $1, r.category_code, r.user_id, $3 FROM jsonb_to_recordset($2::jsonb) AS r(category_code text, user_id uuid)`,
      [id, JSON.stringify(rows.map((r) => ({ category_code: r.categoryCode, user_id: r.userId }))), by]);
  }

  /**
   * The submission's responses with their trails (作答轨迹; '[]' when none), their evidence links and the hazards
   * they found, in one statement. Answers how many responses carry a trail, and the hazards (`insertedHazards`).
   */
  async insertResponses(em: EntityManager, inspectionId: string, responses: (ResponseRow & { evidenceIds: string[]; trail?: unknown[] })[], hazards: NewHazardRow[] = []): Promise<{ trailItems: number; hazards: { id: string; itemCode: string; dueDate: string }[] }> {
    if (!responses.length) return { trailItems: 0, hazards: [] };
    const links = responses.flatMap((r) => r.evidenceIds.map((e) => ({ item_code: r.itemCode, evidence_id: e })));
    const rows: { id: string; item_code: string; due_date: string }[] = await em.query(
      `WITH r AS (
         INSERT INTO inspection_response (inspection_id, item_code, result, note, location, severity, major_criterion, scope, answer_trail)
         SELECT $1, r.item_code, r.result, r.note, r.location, r.severity, r.major_criterion, r.scope, coalesce(r.trail, '[]'::jsonb)
           FROM jsonb_to_recordset($2::jsonb) AS r(item_code text, result text, note text, location text, severity text, major_criterion text, scope text, trail jsonb)
         RETURNING item_code),
       e AS (
         INSERT INTO response_evidence (inspection_id, item_code, evidence_id)
         SELECT $1, l.item_code, l.evidence_id::uuid
           FROM jsonb_to_recordset($3::jsonb) AS l(item_code text, evidence_id text) JOIN r ON r.item_code = l.item_code)
       ${HAZARD_INSERT_SQL('$4')}`,
      [inspectionId, JSON.stringify(responses.map((r) => ({
        item_code: r.itemCode, result: r.result, note: r.note, location: r.location, severity: r.severity, major_criterion: r.majorCriterion, scope: r.scope,
        trail: r.trail?.length ? r.trail : null,
      }))), JSON.stringify(links), hazardRowsJson(hazards)],
    );
    return { trailItems: responses.filter((r) => r.trail?.length).length, hazards: insertedHazards(rows) };
  }

  async insertSignatures(em: EntityManager, rows: { inspectionId: string; role: string; userId: string | null; signerName: string; evidenceId: string; signedAt: Date }[]): Promise<void> {
    if (!rows.length) return;
    await em.query(
      `INSERT INTO inspection_signature (inspection_id, role, user_id, signer_name, evidence_id, signed_at)
       SELECT r.inspection_id, r.role, r.user_id, r.signer_name, r.evidence_id, r.signed_at
         FROM jsonb_to_recordset($1::jsonb) AS r(inspection_id uuid, role text, user_id uuid, signer_name text, evidence_id uuid, signed_at timestamptz)`,
      [JSON.stringify(rows.map((r) => ({ inspection_id: r.inspectionId, role: r.role, user_id: r.userId, signer_name: r.signerName, evidence_id: r.evidenceId, signed_at: r.signedAt })))],
    );
  }

  /**
   * Files the inspection in one statement: its status, the report number taken here (`reportNo.gapless`: the
   * bureau's counter row, locked from here to commit — so this is the transaction's last write but its audit event;
   * otherwise the series' sequence, which never waits) and the team's draft rows deleted (the submission and its
   * audit keep what was filed). Answers the number and how many draft rows went.
   */
  async markSubmitted(em: EntityManager, id: string, v: { submissionId: string; submittedBy: string; at: Date; reportNo: { series: string; year: number; prefix: string; gapless: boolean } }): Promise<{ reportNo: string; draftRows: { items: number; conflicts: number } }> {
    const number = v.reportNo.gapless ? `${COUNTER_NEXT_SQL('$6', '$7')} RETURNING last AS v` : `SELECT ${SEQUENCE_NEXT_SQL('$6', '$7')} AS v`;
    // An UPDATE answers [rows, count] through TypeORM's query().
    const [[row]]: [{ reportNo: string; items: number; conflicts: number }[], number] = await em.query(
      `WITH items AS (DELETE FROM inspection_draft_item WHERE inspection_id = $1 RETURNING 1),
            conflicts AS (DELETE FROM inspection_draft_conflict WHERE inspection_id = $1 RETURNING 1),
            n AS (${number})
       UPDATE inspection SET status = 'submitted', submitted_at = $2, submission_id = $3, submitted_by = $4, report_no = ${DOCUMENT_NO_SQL('$5', 'n.v')},
              report_status = 'pending', started_at = coalesce(started_at, $2), draft = NULL, updated_at = now(), version = version + 1
         FROM n WHERE id = $1
       RETURNING report_no AS "reportNo", (SELECT count(*)::int FROM items) AS items, (SELECT count(*)::int FROM conflicts) AS conflicts`,
      [id, v.at, v.submissionId, v.submittedBy, v.reportNo.prefix, v.reportNo.series, v.reportNo.year],
    );
    return { reportNo: row.reportNo, draftRows: { items: row.items, conflicts: row.conflicts } };
  }

  responses(inspectionId: string): Promise<ResponseRow[]> {
    return this.dataSource.query(
      `SELECT item_code AS "itemCode", result, note, location, severity, major_criterion AS "majorCriterion", scope
         FROM inspection_response WHERE inspection_id = $1 ORDER BY item_code`, [inspectionId]);
  }

  async responseEvidence(inspectionId: string): Promise<Map<string, string[]>> {
    const rows: { itemCode: string; evidenceId: string }[] = await this.dataSource.query(
      `SELECT item_code AS "itemCode", evidence_id AS "evidenceId" FROM response_evidence WHERE inspection_id = $1`, [inspectionId]);
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(r.itemCode, [...(out.get(r.itemCode) ?? []), r.evidenceId]);
    return out;
  }

  signatures(inspectionId: string): Promise<{ role: string; userId: string | null; signerName: string; evidenceId: string; signedAt: Date }[]> {
    return this.dataSource.query(
      `SELECT role, user_id AS "userId", signer_name AS "signerName", evidence_id AS "evidenceId", signed_at AS "signedAt"
         FROM inspection_signature WHERE inspection_id = $1 ORDER BY role, signed_at`, [inspectionId]);
  }

  async setReport(id: string, status: 'rendered' | 'failed', sha256: string | null): Promise<void> {
    await this.dataSource.query(`UPDATE inspection SET report_status = $2, report_sha256 = $3 WHERE id = $1`, [id, status, sha256]);
  }

  findUnscoped(id: string): Promise<Inspection | null> {
    return this.dataSource.getRepository(Inspection).findOneBy({ id });
  }

  // ---- plans

  async insertPlan(em: EntityManager, values: Partial<InspectionPlan>): Promise<InspectionPlan> {
    const r = await em.getRepository(InspectionPlan).insert({ status: 'drawn', version: 1, ...values });
    return em.findOneByOrFail(InspectionPlan, { id: r.identifiers[0].id });
  }

  /** Plans are the bureau's: a plan is seen in the subtree of the user's division. */
  findPlan(user: AuthUser, id: string, em: EntityManager = this.dataSource.manager): Promise<InspectionPlan | null> {
    const inScope = scopeCondition(divisionScope(user.divisionPath), PLAN_SCOPE);
    return em.getRepository(InspectionPlan).createQueryBuilder('p')
      .where('p.id = :id', { id }).andWhere(inScope.sql, inScope.params).getOne();
  }

  pagePlans(user: AuthUser, offset: number, limit: number): Promise<[InspectionPlan[], number]> {
    const inScope = scopeCondition(divisionScope(user.divisionPath), PLAN_SCOPE);
    return this.dataSource.getRepository(InspectionPlan).createQueryBuilder('p')
      .where(inScope.sql, inScope.params)
      .orderBy('p.created_at', 'DESC').skip(offset).take(limit).getManyAndCount();
  }

  async planProgress(planId: string): Promise<{ total: number; done: number }> {
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS total, count(*) FILTER (WHERE status IN ('submitted','cancelled'))::int AS done FROM inspection WHERE plan_id = $1`, [planId]);
    return row;
  }

  async publishPlan(em: EntityManager, id: string, version: number): Promise<boolean> {
    const r = await em.query(
      `UPDATE inspection_plan SET status = 'published', published_at = now(), version = version + 1 WHERE id = $1 AND version = $2 AND status = 'drawn'`,
      [id, version]);
    return r[1] === 1;
  }
}
