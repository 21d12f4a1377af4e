import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import type { DrillForm, DrillKind, Evacuated, TrainingTopic } from './domain/drill-rules';

/** 演练记录, as stored, with the names the pages show. */
export interface DrillRow {
  id: string;
  institutionId: string;
  institutionName: string;
  heldOn: string;
  kind: DrillKind;
  form: DrillForm;
  participantsStaff: number;
  participantsNote: string | null;
  evacuated: Evacuated;
  evacuationSeconds: number | null;
  lessons: string;
  recordedByName: string;
  recordedAt: Date;
  safetyWorkPolicyVersionId: string;
  /** the drill's photos (evidence ids), in the order they were added */
  photoIds: string[];
}

/** 培训记录 of one staff member: the latest training and how many. */
export interface TraineeRow {
  name: string;
  idLast4: string | null;
  role: string | null;
  lastTrainedOn: string;
  lastTopic: TrainingTopic;
  trainings: number;
}

/** What a drill's rules read of its institution: the opening day and the residents by care level. */
export interface DrillInstitution {
  id: string;
  name: string;
  divisionPath: string;
  /** institution.status: 筹建中 ('preparing') has not opened yet */
  status: string;
  openedOn: string;
  residents: Evacuated;
}

export interface NewDrill {
  institutionId: string;
  heldOn: string;
  kind: DrillKind;
  form: DrillForm;
  participantsStaff: number;
  participantsNote: string | null;
  evacuated: Evacuated;
  evacuationSeconds: number | null;
  lessons: string;
  recordedBy: string;
  policyVersionId: string;
}

export interface NewTraining {
  institutionId: string;
  heldOn: string;
  topic: TrainingTopic;
  hours: number;
  trainer: string | null;
  trainee: { name: string; idLast4: string | null; role: string | null };
  recordedBy: string;
  policyVersionId: string;
}

const DRILL_COLUMNS = `d.id, d.institution_id AS "institutionId", i.name AS "institutionName", d.held_on::text AS "heldOn", d.kind, d.form,
  d.participants_staff AS "participantsStaff", d.participants_note AS "participantsNote",
  json_build_object('selfCare', d.evacuated_self_care, 'mildlyDisabled', d.evacuated_mildly_disabled,
    'moderatelyDisabled', d.evacuated_moderately_disabled, 'severelyDisabled', d.evacuated_severely_disabled) AS evacuated,
  d.evacuation_seconds AS "evacuationSeconds", d.lessons, u.display_name AS "recordedByName", d.recorded_at AS "recordedAt",
  d.safety_work_policy_version_id AS "safetyWorkPolicyVersionId",
  array(SELECT p.evidence_id::text FROM drill_photo p WHERE p.drill_id = d.id ORDER BY p.position) AS "photoIds"`;
const DRILL_FROM = `FROM drill d JOIN institution i ON i.id = d.institution_id JOIN app_user u ON u.id = d.recorded_by`;

/**
 * The only SQL of drills and training records. Every read is limited to the caller's scope through the record's
 * institution (its division path is the institution's, so a record follows its institution to another division).
 */
@Injectable()
export class DrillsRepository {
  constructor(private readonly dataSource: DataSource) {}

  private scopeSql(scope: Scope, params: unknown[], alias: string): string {
    return scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: `${alias}.institution_id` }).bind(params);
  }

  /** The institution as the drill rules read it, if in scope. */
  async institution(scope: Scope, institutionId: string, em: EntityManager = this.dataSource.manager): Promise<DrillInstitution | null> {
    const params: unknown[] = [institutionId];
    const where = scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: 'i.id' }).bind(params);
    const [row] = await em.query(
      `SELECT i.id, i.name, i.division_path AS "divisionPath", i.status, i.opened_on::text AS "openedOn",
         json_build_object('selfCare', i.residents_self_care, 'mildlyDisabled', i.residents_mildly_disabled,
           'moderatelyDisabled', i.residents_moderately_disabled, 'severelyDisabled', i.residents_severely_disabled) AS residents
       FROM institution i WHERE i.id = $1 AND ${where}`, params);
    return row ?? null;
  }

  async page(scope: Scope, institutionId: string, offset: number, limit: number): Promise<[DrillRow[], number]> {
    const params: unknown[] = [institutionId];
    const where = `d.institution_id = $1 AND ${this.scopeSql(scope, params, 'd')}`;
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM drill d JOIN institution i ON i.id = d.institution_id WHERE ${where}`, params);
    const rows = await this.dataSource.query(
      `SELECT ${DRILL_COLUMNS} ${DRILL_FROM} WHERE ${where} ORDER BY d.held_on DESC, d.recorded_at DESC LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset]);
    return [rows, n];
  }

  async findById(scope: Scope, id: string, em: EntityManager = this.dataSource.manager): Promise<DrillRow | null> {
    const params: unknown[] = [id];
    const [row] = await em.query(`SELECT ${DRILL_COLUMNS} ${DRILL_FROM} WHERE d.id = $1 AND ${this.scopeSql(scope, params, 'd')}`, params);
    return row ?? null;
  }

  /** Appends a photo to a drill at the next position; null when the drill already has `max`. Serialised per drill by a transaction advisory lock. */
  async addPhoto(em: EntityManager, drillId: string, evidenceId: string, addedBy: string, max: number): Promise<number | null> {
    await em.query(`SELECT pg_advisory_xact_lock(hashtextextended('drill_photo:' || $1, 0))`, [drillId]);
    const [{ n }] = await em.query(`SELECT count(*)::int AS n FROM drill_photo WHERE drill_id = $1`, [drillId]);
    if (n >= max) return null;
    await em.query(`INSERT INTO drill_photo (drill_id, evidence_id, position, added_by) VALUES ($1, $2, $3, $4)`, [drillId, evidenceId, n + 1, addedBy]);
    return n + 1;
  }

  /** A photo of a drill, as stored. */
  async photo(drillId: string, evidenceId: string): Promise<{ sha256: string; mime: string } | null> {
    const [row] = await this.dataSource.query(`SELECT trim(e.sha256) AS sha256, e.mime FROM drill_photo p JOIN evidence e ON e.id = p.evidence_id
      WHERE p.drill_id = $1 AND p.evidence_id = $2`, [drillId, evidenceId]);
    return row ?? null;
  }

  /** The day of the institution's latest live drill (实战演练), if any. */
  async lastLiveDrillOn(institutionId: string, em: EntityManager = this.dataSource.manager): Promise<string | null> {
    const [row] = await em.query(`SELECT max(held_on)::text AS "on" FROM drill WHERE institution_id = $1 AND form = 'live'`, [institutionId]);
    return row?.on ?? null;
  }

  /** Per operating institution in scope: its opening day and latest live drill (the dashboard applies the rule). */
  async liveDrillFacts(scope: Scope): Promise<{ institutionId: string; openedOn: string | null; lastLiveDrillOn: string | null }[]> {
    const params: unknown[] = [];
    const where = scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: 'i.id' }).bind(params);
    return this.dataSource.query(
      `SELECT i.id AS "institutionId", i.opened_on::text AS "openedOn",
         (SELECT max(d.held_on)::text FROM drill d WHERE d.institution_id = i.id AND d.form = 'live') AS "lastLiveDrillOn"
       FROM institution i WHERE i.status = 'active' AND ${where}`, params);
  }

  async insert(em: EntityManager, d: NewDrill): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO drill (institution_id, held_on, kind, form, participants_staff, participants_note, evacuated_self_care, evacuated_mildly_disabled,
         evacuated_moderately_disabled, evacuated_severely_disabled, evacuation_seconds, lessons, recorded_by, safety_work_policy_version_id)
       VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
      [d.institutionId, d.heldOn, d.kind, d.form, d.participantsStaff, d.participantsNote, d.evacuated.selfCare, d.evacuated.mildlyDisabled,
        d.evacuated.moderatelyDisabled, d.evacuated.severelyDisabled, d.evacuationSeconds, d.lessons, d.recordedBy, d.policyVersionId]);
    return row.id;
  }

  async insertTraining(em: EntityManager, t: NewTraining): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO staff_training (institution_id, held_on, topic, hours, trainer, trainee_name, trainee_id_last4, trainee_role, recorded_by, safety_work_policy_version_id)
       VALUES ($1, $2::date, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
      [t.institutionId, t.heldOn, t.topic, t.hours, t.trainer, t.trainee.name, t.trainee.idLast4, t.trainee.role, t.recordedBy, t.policyVersionId]);
    return row.id;
  }

  /**
   * 培训记录 by staff member (name and, when recorded, the last 4 of the ID number), the longest untrained first:
   * until the staff register links a record to a person, the pair identifies them.
   */
  async traineesPage(scope: Scope, institutionId: string, offset: number, limit: number): Promise<[TraineeRow[], number]> {
    const params: unknown[] = [institutionId];
    const where = `t.institution_id = $1 AND ${this.scopeSql(scope, params, 't')}`;
    const grouped = `SELECT t.trainee_name AS name, t.trainee_id_last4 AS "idLast4",
        (array_agg(t.trainee_role ORDER BY t.held_on DESC, t.recorded_at DESC))[1] AS role,
        max(t.held_on)::text AS "lastTrainedOn",
        (array_agg(t.topic ORDER BY t.held_on DESC, t.recorded_at DESC))[1] AS "lastTopic",
        count(*)::int AS trainings
      FROM staff_training t JOIN institution i ON i.id = t.institution_id WHERE ${where}
      GROUP BY t.trainee_name, t.trainee_id_last4`;
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n FROM (${grouped}) g`, params);
    const rows = await this.dataSource.query(`${grouped} ORDER BY max(t.held_on), t.trainee_name, t.trainee_id_last4 NULLS FIRST LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, limit, offset]);
    return [rows, n];
  }
}
