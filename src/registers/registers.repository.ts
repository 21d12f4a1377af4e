import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import type { CertificateType, EquipmentKind, RegisterItemKind, StaffRole, TestKind } from './domain/register-rules';

/** 在岗人员 — a staff member with their safety posts. */
export interface StaffRow {
  id: string;
  institutionId: string;
  name: string;
  roles: StaffRole[];
  post: string | null;
  phone: string | null;
  retiredAt: Date | null;
  createdAt: Date;
  version: number;
}

/** 证书 — dates as YYYY-MM-DD. */
export interface CertificateRow {
  id: string;
  institutionId: string;
  staffId: string;
  staffName: string;
  certType: CertificateType;
  certNo: string;
  issuedOn: string;
  expiresOn: string | null;
  photoEvidenceId: string | null;
  retiredAt: Date | null;
  version: number;
}

/** 法定检验 — one statutory date of one equipment. */
export interface TestRow {
  id: string;
  equipmentId: string;
  institutionId: string;
  equipmentKind: EquipmentKind;
  testKind: TestKind;
  lastDoneOn: string | null;
  expiresOn: string;
  reportNo: string | null;
  version: number;
}

/** 设备 with its statutory dates. */
export interface EquipmentRow {
  id: string;
  institutionId: string;
  kind: EquipmentKind;
  name: string;
  location: string | null;
  registrationNo: string | null;
  retiredAt: Date | null;
  version: number;
  tests: TestRow[];
}

/** A current certificate or statutory test with an expiry date, as the alert job and the finding candidates see it. */
export interface ExpiringItem {
  itemKind: RegisterItemKind;
  id: string;
  institutionId: string;
  institutionName: string;
  divisionPath: string;
  expiresOn: string;
  /** the certificate's holder, or the equipment's name */
  holder: string;
  certType: CertificateType | null;
  certNo: string | null;
  equipmentKind: EquipmentKind | null;
  testKind: TestKind | null;
}

export interface BoardContactRow {
  institutionId: string;
  supervisorName: string;
  supervisorPhone: string;
  hotline: string;
  updatedAt: Date;
  version: number;
}

type State = 'current' | 'retired';
const stateSql = (alias: string, state: State) => (state === 'current' ? `${alias}.retired_at IS NULL` : `${alias}.retired_at IS NOT NULL`);

const STAFF = `s.id, s.institution_id AS "institutionId", s.name, s.roles, s.post, s.phone, s.retired_at AS "retiredAt", s.created_at AS "createdAt", s.version`;
const CERT = `c.id, c.institution_id AS "institutionId", c.staff_id AS "staffId", s.name AS "staffName", c.cert_type AS "certType", c.cert_no AS "certNo",
  to_char(c.issued_on, 'YYYY-MM-DD') AS "issuedOn", to_char(c.expires_on, 'YYYY-MM-DD') AS "expiresOn", c.photo_evidence_id AS "photoEvidenceId",
  c.retired_at AS "retiredAt", c.version`;
const EQUIPMENT = `e.id, e.institution_id AS "institutionId", e.kind, e.name, e.location, e.registration_no AS "registrationNo", e.retired_at AS "retiredAt", e.version`;
const TEST = `t.id, t.equipment_id AS "equipmentId", t.institution_id AS "institutionId", t.equipment_kind AS "equipmentKind", t.test_kind AS "testKind",
  to_char(t.last_done_on, 'YYYY-MM-DD') AS "lastDoneOn", to_char(t.expires_on, 'YYYY-MM-DD') AS "expiresOn", t.report_no AS "reportNo", t.version`;

/**
 * The only SQL of the registers. Every read in a caller's scope joins the institution (alias i) and goes through
 * scopeCondition: an institution account sees its own register, bureau and inspector accounts their subtree's.
 */
@Injectable()
export class RegistersRepository {
  constructor(private readonly dataSource: DataSource) {}

  private scoped(scope: Scope, alias: string, params: unknown[]): string {
    return scopeCondition(scope, { divisionPath: 'i.division_path', institutionId: `${alias}.institution_id` }).bind(params);
  }

  // ------------------------------------------------------------------ staff (在岗人员)

  async staffPage(scope: Scope, institutionId: string, state: State, offset: number, limit: number): Promise<[StaffRow[], number]> {
    const params: unknown[] = [institutionId];
    const where = `s.institution_id = $1 AND ${stateSql('s', state)} AND ${this.scoped(scope, 's', params)}`;
    const from = `FROM register_staff s JOIN institution i ON i.id = s.institution_id WHERE ${where}`;
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n ${from}`, params);
    const rows = await this.dataSource.query(`SELECT ${STAFF} ${from} ORDER BY s.created_at, s.id LIMIT ${Number(limit)} OFFSET ${Number(offset)}`, params);
    return [rows, n];
  }

  /** Every current staff member of an institution (the certificate form's holder list: bounded by the institution's staff). */
  async currentStaff(institutionId: string, em: EntityManager = this.dataSource.manager): Promise<StaffRow[]> {
    return em.query(`SELECT ${STAFF} FROM register_staff s WHERE s.institution_id = $1 AND s.retired_at IS NULL ORDER BY s.created_at, s.id LIMIT 500`, [institutionId]);
  }

  async staffById(scope: Scope, id: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<StaffRow | null> {
    const params: unknown[] = [id];
    const rows = await em.query(`SELECT ${STAFF} FROM register_staff s JOIN institution i ON i.id = s.institution_id
      WHERE s.id = $1 AND ${this.scoped(scope, 's', params)}${lock ? ' FOR UPDATE OF s' : ''}`, params);
    return rows[0] ?? null;
  }

  async insertStaff(em: EntityManager, s: { institutionId: string; name: string; roles: string[]; post: string | null; phone: string | null; createdBy: string }): Promise<string> {
    const [row] = await em.query(`INSERT INTO register_staff (institution_id, name, roles, post, phone, created_by) VALUES ($1, $2, $3::text[], $4, $5, $6) RETURNING id`,
      [s.institutionId, s.name, s.roles, s.post, s.phone, s.createdBy]);
    return row.id;
  }

  async updateStaffIfVersion(em: EntityManager, id: string, version: number, s: { name: string; roles: string[]; post: string | null; phone: string | null }): Promise<boolean> {
    const rows = await em.query(`WITH u AS (UPDATE register_staff SET name = $3, roles = $4::text[], post = $5, phone = $6, updated_at = now(), version = version + 1
      WHERE id = $1 AND version = $2 AND retired_at IS NULL RETURNING id) SELECT id FROM u`, [id, version, s.name, s.roles, s.post, s.phone]);
    return rows.length === 1;
  }

  async retireStaffIfVersion(em: EntityManager, id: string, version: number): Promise<boolean> {
    const rows = await em.query(`WITH u AS (UPDATE register_staff SET retired_at = now(), updated_at = now(), version = version + 1
      WHERE id = $1 AND version = $2 AND retired_at IS NULL RETURNING id) SELECT id FROM u`, [id, version]);
    return rows.length === 1;
  }

  /** A leaving staff member's current certificates leave with them; returns their ids. */
  async retireCertificatesOf(em: EntityManager, staffId: string): Promise<string[]> {
    const rows: { id: string }[] = await em.query(`WITH u AS (UPDATE register_certificate SET retired_at = now(), updated_at = now(), version = version + 1
      WHERE staff_id = $1 AND retired_at IS NULL RETURNING id) SELECT id FROM u`, [staffId]);
    return rows.map((r) => r.id);
  }

  // ------------------------------------------------------------------ certificates (证书)

  async certificatePage(scope: Scope, institutionId: string, state: State, offset: number, limit: number): Promise<[CertificateRow[], number]> {
    const params: unknown[] = [institutionId];
    const from = `FROM register_certificate c JOIN register_staff s ON s.id = c.staff_id JOIN institution i ON i.id = c.institution_id
      WHERE c.institution_id = $1 AND ${stateSql('c', state)} AND ${this.scoped(scope, 'c', params)}`;
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n ${from}`, params);
    // soonest expiry first: what needs doing is on top
    const rows = await this.dataSource.query(`SELECT ${CERT} ${from} ORDER BY c.expires_on NULLS LAST, c.id LIMIT ${Number(limit)} OFFSET ${Number(offset)}`, params);
    return [rows, n];
  }

  async certificateById(scope: Scope, id: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<CertificateRow | null> {
    const params: unknown[] = [id];
    const rows = await em.query(`SELECT ${CERT} FROM register_certificate c JOIN register_staff s ON s.id = c.staff_id JOIN institution i ON i.id = c.institution_id
      WHERE c.id = $1 AND ${this.scoped(scope, 'c', params)}${lock ? ' FOR UPDATE OF c' : ''}`, params);
    return rows[0] ?? null;
  }

  async insertCertificate(em: EntityManager, c: { institutionId: string; staffId: string; certType: string; certNo: string; issuedOn: string; expiresOn: string | null; photoEvidenceId: string | null; createdBy: string }): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO register_certificate (institution_id, staff_id, cert_type, cert_no, issued_on, expires_on, photo_evidence_id, created_by)
       VALUES ($1, $2, $3, $4, $5::date, $6::date, $7, $8) RETURNING id`,
      [c.institutionId, c.staffId, c.certType, c.certNo, c.issuedOn, c.expiresOn, c.photoEvidenceId, c.createdBy]);
    return row.id;
  }

  async updateCertificateIfVersion(em: EntityManager, id: string, version: number, c: { certNo: string; issuedOn: string; expiresOn: string | null; photoEvidenceId: string | null }): Promise<boolean> {
    const rows = await em.query(`WITH u AS (UPDATE register_certificate SET cert_no = $3, issued_on = $4::date, expires_on = $5::date, photo_evidence_id = $6,
      updated_at = now(), version = version + 1 WHERE id = $1 AND version = $2 AND retired_at IS NULL RETURNING id) SELECT id FROM u`,
    [id, version, c.certNo, c.issuedOn, c.expiresOn, c.photoEvidenceId]);
    return rows.length === 1;
  }

  async retireCertificateIfVersion(em: EntityManager, id: string, version: number): Promise<boolean> {
    const rows = await em.query(`WITH u AS (UPDATE register_certificate SET retired_at = now(), updated_at = now(), version = version + 1
      WHERE id = $1 AND version = $2 AND retired_at IS NULL RETURNING id) SELECT id FROM u`, [id, version]);
    return rows.length === 1;
  }

  /** A certificate photo uploaded for this institution's register (any other evidence is not accepted). */
  async photoOf(em: EntityManager, evidenceId: string, institutionId: string): Promise<{ id: string; sha256: string; mime: string } | null> {
    const rows = await em.query(`SELECT id, trim(sha256) AS sha256, mime FROM evidence WHERE id = $1 AND institution_id = $2 AND purpose = 'register_cert'`, [evidenceId, institutionId]);
    return rows[0] ?? null;
  }

  // ------------------------------------------------------------------ equipment (设备) and statutory tests (法定检验)

  async equipmentPage(scope: Scope, institutionId: string, state: State, offset: number, limit: number): Promise<[EquipmentRow[], number]> {
    const params: unknown[] = [institutionId];
    const from = `FROM register_equipment e JOIN institution i ON i.id = e.institution_id WHERE e.institution_id = $1 AND ${stateSql('e', state)} AND ${this.scoped(scope, 'e', params)}`;
    const [{ n }] = await this.dataSource.query(`SELECT count(*)::int AS n ${from}`, params);
    const rows: Omit<EquipmentRow, 'tests'>[] = await this.dataSource.query(`SELECT ${EQUIPMENT} ${from} ORDER BY e.created_at, e.id LIMIT ${Number(limit)} OFFSET ${Number(offset)}`, params);
    const tests: TestRow[] = rows.length
      ? await this.dataSource.query(`SELECT ${TEST} FROM register_statutory_test t WHERE t.equipment_id = ANY($1::uuid[]) ORDER BY t.test_kind`, [rows.map((r) => r.id)])
      : [];
    return [rows.map((r) => ({ ...r, tests: tests.filter((t) => t.equipmentId === r.id) })), n];
  }

  async equipmentById(scope: Scope, id: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<EquipmentRow | null> {
    const params: unknown[] = [id];
    const rows = await em.query(`SELECT ${EQUIPMENT} FROM register_equipment e JOIN institution i ON i.id = e.institution_id
      WHERE e.id = $1 AND ${this.scoped(scope, 'e', params)}${lock ? ' FOR UPDATE OF e' : ''}`, params);
    if (!rows[0]) return null;
    const tests = await em.query(`SELECT ${TEST} FROM register_statutory_test t WHERE t.equipment_id = $1 ORDER BY t.test_kind`, [id]);
    return { ...rows[0], tests };
  }

  async insertEquipment(em: EntityManager, e: { institutionId: string; kind: string; name: string; location: string | null; registrationNo: string | null; createdBy: string }): Promise<string> {
    const [row] = await em.query(`INSERT INTO register_equipment (institution_id, kind, name, location, registration_no, created_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [e.institutionId, e.kind, e.name, e.location, e.registrationNo, e.createdBy]);
    return row.id;
  }

  async updateEquipmentIfVersion(em: EntityManager, id: string, version: number, e: { name: string; location: string | null; registrationNo: string | null }): Promise<boolean> {
    const rows = await em.query(`WITH u AS (UPDATE register_equipment SET name = $3, location = $4, registration_no = $5, updated_at = now(), version = version + 1
      WHERE id = $1 AND version = $2 AND retired_at IS NULL RETURNING id) SELECT id FROM u`, [id, version, e.name, e.location, e.registrationNo]);
    return rows.length === 1;
  }

  async retireEquipmentIfVersion(em: EntityManager, id: string, version: number): Promise<boolean> {
    const rows = await em.query(`WITH u AS (UPDATE register_equipment SET retired_at = now(), updated_at = now(), version = version + 1
      WHERE id = $1 AND version = $2 AND retired_at IS NULL RETURNING id) SELECT id FROM u`, [id, version]);
    return rows.length === 1;
  }

  async insertTest(em: EntityManager, t: { equipmentId: string; institutionId: string; equipmentKind: string; testKind: string; lastDoneOn: string | null; expiresOn: string; reportNo: string | null; createdBy: string }): Promise<string> {
    const [row] = await em.query(
      `INSERT INTO register_statutory_test (equipment_id, institution_id, equipment_kind, test_kind, last_done_on, expires_on, report_no, created_by)
       VALUES ($1, $2, $3, $4, $5::date, $6::date, $7, $8) RETURNING id`,
      [t.equipmentId, t.institutionId, t.equipmentKind, t.testKind, t.lastDoneOn, t.expiresOn, t.reportNo, t.createdBy]);
    return row.id;
  }

  async updateTestIfVersion(em: EntityManager, id: string, version: number, t: { lastDoneOn: string | null; expiresOn: string; reportNo: string | null }): Promise<boolean> {
    const rows = await em.query(`WITH u AS (UPDATE register_statutory_test SET last_done_on = $3::date, expires_on = $4::date, report_no = $5, updated_at = now(), version = version + 1
      WHERE id = $1 AND version = $2 RETURNING id) SELECT id FROM u`, [id, version, t.lastDoneOn, t.expiresOn, t.reportNo]);
    return rows.length === 1;
  }

  async testById(id: string, em: EntityManager = this.dataSource.manager): Promise<TestRow | null> {
    const rows = await em.query(`SELECT ${TEST} FROM register_statutory_test t WHERE t.id = $1`, [id]);
    return rows[0] ?? null;
  }

  // ------------------------------------------------------------------ expiries: alerts and finding candidates

  /**
   * Current certificates and statutory tests (of current equipment, staff and operating institutions) expiring
   * between `from` and `to` inclusive, optionally of one institution and in a scope. Unscoped for the system job.
   */
  async expiring(from: string | null, to: string, filter: { scope?: Scope; institutionId?: string } = {}, em: EntityManager = this.dataSource.manager): Promise<ExpiringItem[]> {
    const params: unknown[] = [to];
    const range = (col: string) => `${col} <= $1::date${from ? ` AND ${col} >= $${params.push(from)}::date` : ''}`;
    const certRange = range('c.expires_on');
    const testRange = range('t.expires_on');
    const extra = (alias: string) => [
      filter.institutionId ? `${alias}.institution_id = $${params.push(filter.institutionId)}` : '',
      filter.scope ? this.scoped(filter.scope, alias, params) : '',
    ].filter(Boolean).map((c) => ` AND ${c}`).join('');
    const certExtra = extra('c');
    const testExtra = extra('t');
    return em.query(
      `SELECT 'certificate' AS "itemKind", c.id, c.institution_id AS "institutionId", i.name AS "institutionName", i.division_path AS "divisionPath",
              to_char(c.expires_on, 'YYYY-MM-DD') AS "expiresOn", s.name AS holder, c.cert_type AS "certType", c.cert_no AS "certNo",
              NULL AS "equipmentKind", NULL AS "testKind"
         FROM register_certificate c JOIN register_staff s ON s.id = c.staff_id JOIN institution i ON i.id = c.institution_id
        WHERE c.retired_at IS NULL AND s.retired_at IS NULL AND i.status <> 'closed' AND c.expires_on IS NOT NULL AND ${certRange}${certExtra}
       UNION ALL
       SELECT 'statutory_test', t.id, t.institution_id, i.name, i.division_path, to_char(t.expires_on, 'YYYY-MM-DD'), e.name, NULL, NULL, t.equipment_kind, t.test_kind
         FROM register_statutory_test t JOIN register_equipment e ON e.id = t.equipment_id JOIN institution i ON i.id = t.institution_id
        WHERE e.retired_at IS NULL AND i.status <> 'closed' AND ${testRange}${testExtra}
       ORDER BY "expiresOn", id LIMIT 10000`, params);
  }

  /** Claims one alert (item, expiry date, threshold); false when it was sent before. */
  async claimAlert(em: EntityManager, a: { itemKind: RegisterItemKind; itemId: string; institutionId: string; expiresOn: string; thresholdDays: number; policyVersionId: string }): Promise<boolean> {
    const rows = await em.query(
      `INSERT INTO register_expiry_alert (item_kind, item_id, institution_id, expires_on, threshold_days, safety_work_policy_version_id)
       VALUES ($1, $2, $3, $4::date, $5, $6) ON CONFLICT (item_kind, item_id, expires_on, threshold_days) DO NOTHING RETURNING id`,
      [a.itemKind, a.itemId, a.institutionId, a.expiresOn, a.thresholdDays, a.policyVersionId]);
    return rows.length === 1;
  }

  // ------------------------------------------------------------------ 公示牌

  /** The current staff holding a post printed on the board (bounded: an institution names a few). */
  async boardPeople(institutionId: string): Promise<StaffRow[]> {
    return this.dataSource.query(`SELECT ${STAFF} FROM register_staff s WHERE s.institution_id = $1 AND s.retired_at IS NULL
      AND s.roles && ARRAY['safety_responsible','safety_officer']::text[] ORDER BY s.created_at, s.id LIMIT 50`, [institutionId]);
  }

  async boardContact(institutionId: string, em: EntityManager = this.dataSource.manager, lock = false): Promise<BoardContactRow | null> {
    const rows = await em.query(`SELECT institution_id AS "institutionId", supervisor_name AS "supervisorName", supervisor_phone AS "supervisorPhone", hotline,
      updated_at AS "updatedAt", version FROM register_board_contact WHERE institution_id = $1${lock ? ' FOR UPDATE' : ''}`, [institutionId]);
    return rows[0] ?? null;
  }

  async insertBoardContact(em: EntityManager, c: { institutionId: string; supervisorName: string; supervisorPhone: string; hotline: string; updatedBy: string }): Promise<boolean> {
    const rows = await em.query(`INSERT INTO register_board_contact (institution_id, supervisor_name, supervisor_phone, hotline, updated_by) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (institution_id) DO NOTHING RETURNING institution_id`, [c.institutionId, c.supervisorName, c.supervisorPhone, c.hotline, c.updatedBy]);
    return rows.length === 1;
  }

  async updateBoardContactIfVersion(em: EntityManager, institutionId: string, version: number, c: { supervisorName: string; supervisorPhone: string; hotline: string; updatedBy: string }): Promise<boolean> {
    const rows = await em.query(`WITH u AS (UPDATE register_board_contact SET supervisor_name = $3, supervisor_phone = $4, hotline = $5, updated_by = $6, updated_at = now(),
      version = version + 1 WHERE institution_id = $1 AND version = $2 RETURNING institution_id) SELECT institution_id FROM u`,
    [institutionId, version, c.supervisorName, c.supervisorPhone, c.hotline, c.updatedBy]);
    return rows.length === 1;
  }
}
