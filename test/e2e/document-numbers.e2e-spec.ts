import { DataSource } from 'typeorm';
import { SubmissionPath1765200200000 } from '../../migrations/1765200200000-SubmissionPath';
import { shanghaiDate } from '../../src/common/calendar';
import { DOCUMENT_NO_SQL } from '../../src/documents/document-counters.repository';
import { formatDocumentNo } from '../../src/documents/document-numbers';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * Document numbers (docs/adr/0002-document-numbers.md): notices (民安整) are gapless per issuing bureau and year —
 * many issuances at once get unique, consecutive numbers, and one rolled back gives its number back; inspection
 * records (民安检) come from a sequence that continues after the counter of the previous release.
 */
describe('document numbers', () => {
  let t: TestApp;
  let officerToken: string;
  let team: TestAccount[];
  const year = Number(shanghaiDate(new Date()).slice(0, 4));
  const noticeCounter = async () => ((await t.db.query(`SELECT last FROM document_counter WHERE series = '320400/320402:notice' AND year = $1`, [year]))[0]?.last ?? 0) as number;
  const numberOf = (no: string) => Number(/^常天民安整〔\d{4}〕第(\d+)号$/.exec(no)![1]);

  /** A submitted inspection of a new institution of 天宁区 with one failed general item (its photo if required). */
  async function submitted(officer: string, signers: TestAccount[], divisionCode = '320402004'): Promise<{ id: string; institutionId: string; reportNo: string }> {
    const institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`).send(institutionInput({ divisionCode })).expect(201)).body.id;
    const id = (await t.http().post('/api/inspections').set('Authorization', `Bearer ${officer}`)
      .send({ institutionId, kind: 'routine', teamUserIds: signers.map((m) => m.id) }).expect(201)).body.id;
    const lead = await tokenFor(t, signers[0]);
    const items = await formItems(t, lead, id);
    const item = items.find((i) => i.severity === 'general')!;
    const photos = item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, lead, id, item.code)] : [];
    const res = await t.http().post(`/api/inspections/${id}/submit`).set('Authorization', `Bearer ${lead}`).send(submission(items, { [item.code]: photos }, signers)).expect(201);
    return { id, institutionId, reportNo: res.body.reportNo };
  }

  /** A table's columns that take a value (not generated). */
  const columns = async (table: string) => ((await t.db.query(
    `SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) AS c, string_agg('r.' || quote_ident(attname), ', ' ORDER BY attnum) AS r FROM pg_attribute
      WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''`, [table]))[0] as { c: string; r: string });

  /** n more submitted inspections like `template` (copied in the database, with its hazards; `institutionId` to move them). */
  async function copies(template: string, n: number, institutionId?: string): Promise<string[]> {
    const [ic, hc] = [await columns('inspection'), await columns('hazard')];
    const rows: { id: string }[] = await t.db.query(
      `WITH src AS (SELECT to_jsonb(i) AS j FROM inspection i WHERE id = $1),
            ins AS (INSERT INTO inspection (${ic.c})
                    SELECT ${ic.r} FROM src, generate_series(1, $2) AS g,
                           jsonb_populate_record(NULL::inspection, src.j || jsonb_build_object('copy', g, 'id', gen_random_uuid(), 'submission_id', gen_random_uuid(),
                             'report_no', 'copy-' || gen_random_uuid(), 'institution_id', coalesce($3::uuid, (src.j->>'institution_id')::uuid))) AS r
                    RETURNING id, institution_id)
       INSERT INTO hazard (${hc.c})
       SELECT ${hc.r} FROM ins, hazard h,
              jsonb_populate_record(NULL::hazard, to_jsonb(h) || jsonb_build_object('id', gen_random_uuid(), 'inspection_id', ins.id, 'institution_id', ins.institution_id)) AS r
        WHERE h.inspection_id = $1 RETURNING inspection_id AS id`,
      [template, n, institutionId ?? null]);
    return [...new Set(rows.map((r) => r.id))];
  }

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_INTERVAL_MS: '200' });
    await seedDivisions(t.db);
    officerToken = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
  });
  afterAll(() => t?.close());

  it('gives 12 notices issued at once in one district unique, consecutive numbers', async () => {
    const { id } = await submitted(officerToken, team);
    const inspections = [id, ...(await copies(id, 11))];
    const first = (await noticeCounter()) + 1;
    const results = await Promise.all(inspections.map((i) => t.http().post(`/api/inspections/${i}/notice`).set('Authorization', `Bearer ${officerToken}`)));
    expect(results.map((r) => r.status)).toEqual(Array(12).fill(201));
    const numbers = results.map((r) => numberOf(r.body.noticeNo)).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, k) => first + k));
    expect(await noticeCounter()).toBe(first + 11);
    expect(results[0].body.noticeNo).toBe(formatDocumentNo('常天', '民安整', year, numberOf(results[0].body.noticeNo)));
  });

  it('gives the number of an issuance that fails after taking it back: the next notice has it', async () => {
    const { id, institutionId } = await submitted(officerToken, team);
    const [poisoned] = await copies(id, 1, (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officerToken}`).send(institutionInput()).expect(201)).body.id);
    const poisonedInstitution = (await t.db.query('SELECT institution_id FROM inspection WHERE id = $1', [poisoned]))[0].institution_id as string;
    // A fault after the numbered insert: the institution's notification (written after the number) is refused.
    await t.ownerQuery(`CREATE FUNCTION test_refuse_notification() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused by the test'; END $$`);
    await t.ownerQuery(`CREATE TRIGGER test_refuse_notification BEFORE INSERT ON notification FOR EACH ROW
      WHEN (NEW.institution_id = '${poisonedInstitution}'::uuid) EXECUTE FUNCTION test_refuse_notification()`);
    try {
      const before = await noticeCounter();
      const failed = await t.http().post(`/api/inspections/${poisoned}/notice`).set('Authorization', `Bearer ${officerToken}`);
      expect(failed.status).toBeGreaterThanOrEqual(500);
      expect(await noticeCounter()).toBe(before);
      expect(await t.db.query('SELECT 1 FROM rectification_notice WHERE inspection_id = $1', [poisoned])).toHaveLength(0);
      const ok = await t.http().post(`/api/inspections/${id}/notice`).set('Authorization', `Bearer ${officerToken}`).expect(201);
      expect(numberOf(ok.body.noticeNo)).toBe(before + 1);
      expect(ok.body.institutionId).toBe(institutionId);
    } finally {
      await t.ownerQuery('DROP TRIGGER test_refuse_notification ON notification');
      await t.ownerQuery('DROP FUNCTION test_refuse_notification()');
    }
  });

  it('numbers inspection records from a sequence that continues after the previous release’s counter', async () => {
    const farOfficer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320404' }));
    const farTeam = [await createAccount(t, 'inspector', { divisionCode: '320404' }), await createAccount(t, 'inspector', { divisionCode: '320404' })];
    // 钟楼区 numbered 41 records before the upgrade (the counter row is all the previous release kept).
    await t.db.query(`INSERT INTO document_counter (series, year, last) VALUES ('320400/320404:inspection-report', $1, 41)`, [year]);
    const a = await submitted(farOfficer, farTeam, '320404001');
    const b = await submitted(farOfficer, farTeam, '320404001');
    expect([a.reportNo, b.reportNo]).toEqual([`常钟民安检〔${year}〕第0042号`, `常钟民安检〔${year}〕第0043号`]);
    // The SQL twin of formatDocumentNo, short and long numbers.
    for (const n of [7, 12345]) {
      const [{ v }] = await t.db.query(`SELECT ${DOCUMENT_NO_SQL('$1', '$2::bigint')} AS v`, [`常钟民安检〔${year}〕第`, n]);
      expect(v).toBe(formatDocumentNo('常钟', '民安检', year, n));
    }
  });
  it('migration SubmissionPath down writes each sequence back into its counter row; up again continues after it', async () => {
    await t.db.query(`INSERT INTO document_counter (series, year, last) VALUES ('x/y:inspection-report', 2026, 5)`);
    const next = async (series: string, y: number) => Number((await t.db.query('SELECT yian_next_document_number($1, $2) AS n', [series, y]))[0].n);
    expect([await next('x/y:inspection-report', 2026), await next('x/y:inspection-report', 2026), await next('a/b:inspection-report', 2027)]).toEqual([6, 7, 1]);
    const owner = new DataSource({ type: 'postgres', url: t.ownerUrl });
    await owner.initialize();
    const qr = owner.createQueryRunner();
    try {
      await new SubmissionPath1765200200000().down(qr);
      expect(await owner.query(`SELECT series, year, last FROM document_counter WHERE series IN ('x/y:inspection-report', 'a/b:inspection-report') ORDER BY series`))
        .toEqual([{ series: 'a/b:inspection-report', year: 2027, last: 1 }, { series: 'x/y:inspection-report', year: 2026, last: 7 }]);
      expect(await owner.query(`SELECT relname FROM pg_class WHERE relname LIKE 'document\\_seq\\_%'`)).toEqual([]);
      await new SubmissionPath1765200200000().up(qr);
    } finally {
      await qr.release();
      await owner.destroy();
    }
    expect(await next('x/y:inspection-report', 2026)).toBe(8);
  });
});
