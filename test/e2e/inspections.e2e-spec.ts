import { pdfText } from '../support/pdf';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createAccount, institutionInput, rowCount, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { jpegWithGps } from '../support/jpeg-with-gps';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { REPORTS_QUEUE } from '../../src/outbox/job-names';
import { waitForJob } from '../support/jobs';
import { createTestApp, TestApp } from '../support/test-app';

describe('field inspections', () => {
  let t: TestApp;
  let officer: string;
  const inspectors: TestAccount[] = [];
  const tokens: string[] = [];
  const institutions: string[] = [];

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_INTERVAL_MS: '200', DB_POOL_MAX: '3' });
    await seedDivisions(t.db);
    officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    for (let i = 0; i < 5; i++) {
      inspectors.push(await createAccount(t, 'inspector', { divisionCode: '320402' }));
      tokens.push(await tokenFor(t, inspectors[i]));
    }
    for (let i = 0; i < 10; i++) {
      const res = await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`)
        .send(institutionInput({ name: `天宁第${i + 1}养老院` })).expect(201);
      institutions.push(res.body.id);
    }
  });
  afterAll(() => t.close());

  describe('双随机 planning', () => {
    const planBody = (seed: string) => ({
      name: '2026年第四季度双随机抽查', kind: 'random', divisionCode: '320402', sampleCount: 4, teamSize: 2,
      inspectorIds: inspectors.map((i) => i.id), conflictMonths: 12, seed, scheduledFrom: '2026-12-01',
    });

    it('draws with a recorded seed; the same seed and rosters give the same result; teams respect size and exclusions', async () => {
      // inspectors[0] is related to the first three institutions: never teamed with them.
      for (const id of institutions.slice(0, 3)) {
        await t.http().post('/api/conflicts-of-interest').set('Authorization', `Bearer ${officer}`)
          .send({ userId: inspectors[0].id, institutionId: id, note: '亲属在该机构任职' }).expect(204);
      }
      const first = await t.http().post('/api/inspection-plans').set('Authorization', `Bearer ${officer}`).send(planBody('q4-2026-tianning')).expect(201);
      expect(first.body).toMatchObject({ seed: 'q4-2026-tianning', algorithm: 'yian-draw-v1', kind: 'random', teamSize: 2, progress: { total: 4, done: 0 } });
      const result = first.body.drawResult;
      expect(result.selected).toHaveLength(4);
      for (const s of result.selected) {
        expect(new Set(s.inspectorIds).size).toBe(2);
        if (institutions.slice(0, 3).includes(s.institutionId)) expect(s.inspectorIds).not.toContain(inspectors[0].id);
      }
      const loads = Object.values(result.load as Record<string, number>);
      expect(Math.max(...loads) - Math.min(...loads)).toBeLessThanOrEqual(1);
      const [stored] = await t.db.query('SELECT seed, algorithm, draw_result FROM inspection_plan WHERE id = $1', [first.body.id]);
      expect(stored.seed).toBe('q4-2026-tianning');
      expect(stored.draw_result).toEqual(result);
      const [{ n }] = await t.db.query('SELECT count(*)::int AS n FROM inspection WHERE plan_id = $1', [first.body.id]);
      expect(n).toBe(4);

      const again = await t.http().post('/api/inspection-plans').set('Authorization', `Bearer ${officer}`)
        .send({ ...planBody('q4-2026-tianning'), inspectorIds: [...inspectors.map((i) => i.id)].reverse() }).expect(201);
      expect(again.body.drawResult).toEqual(result);
      const verify = await t.http().get(`/api/inspection-plans/${first.body.id}/verify`).set('Authorization', `Bearer ${officer}`).expect(200);
      expect(verify.body).toMatchObject({ reproducible: true, seed: 'q4-2026-tianning', algorithm: 'yian-draw-v1' });
      const other = await t.http().post('/api/inspection-plans').set('Authorization', `Bearer ${officer}`).send(planBody('another-seed')).expect(201);
      expect(other.body.drawResult.selected.map((s: { institutionId: string }) => s.institutionId))
        .not.toEqual(result.selected.map((s: { institutionId: string }) => s.institutionId));
    });

    it('publishes (公示) a plan only once all its inspections are done', async () => {
      const plans = await t.http().get('/api/inspection-plans').set('Authorization', `Bearer ${officer}`).expect(200);
      const plan = plans.body.items[0];
      expect(plan.progress.total).toBeGreaterThan(plan.progress.done);
      const res = await t.http().post(`/api/inspection-plans/${plan.id}/publish`).set('Authorization', `Bearer ${officer}`).send({ version: plan.version }).expect(409);
      expect(res.body.code).toBe('plan.not_finished');
      await t.db.query(`UPDATE inspection SET status = 'cancelled' WHERE plan_id = $1`, [plan.id]);
      const ok = await t.http().post(`/api/inspection-plans/${plan.id}/publish`).set('Authorization', `Bearer ${officer}`).send({ version: plan.version }).expect(200);
      expect(ok.body).toMatchObject({ status: 'published', publishedAt: expect.any(String) });
    });

    it('refuses a team of one and names the field', async () => {
      const res = await t.http().post('/api/inspection-plans').set('Authorization', `Bearer ${officer}`).send({ ...planBody('x'), teamSize: 1 }).expect(400);
      expect(res.body.details[0]).toMatchObject({ field: 'teamSize', reason: 'teamTooSmall' });
      const tooMany = await t.http().post('/api/inspection-plans').set('Authorization', `Bearer ${officer}`).send({ ...planBody('x'), sampleCount: 99 }).expect(400);
      expect(tooMany.body.details[0]).toMatchObject({ field: 'sample.count', reason: 'drawInvalid' });
    });

    it('an inspector sees only the plan inspections they are on', async () => {
      const res = await t.http().get('/api/inspections?pageSize=100').set('Authorization', `Bearer ${tokens[1]}`).expect(200);
      expect(res.body.items.length).toBeGreaterThan(0);
      expect(res.body.items.every((i: { team: { userId: string }[] }) => i.team.some((m) => m.userId === inspectors[1].id))).toBe(true);
    });
  });

  describe('submission', () => {
    let inspectionId: string;
    let items: Awaited<ReturnType<typeof formItems>>;
    let photoItem: string;
    let otherItem: string;
    let otherPhoto: string;

    beforeAll(async () => {
      const created = await t.http().post('/api/inspections').set('Authorization', `Bearer ${officer}`)
        .send({ institutionId: institutions[9], kind: 'routine', teamUserIds: [inspectors[3].id, inspectors[4].id] }).expect(201);
      inspectionId = created.body.id;
      items = await formItems(t, tokens[3], inspectionId);
      photoItem = items.find((i) => i.evidence.photoRequiredWhenFailed && i.severity === 'general')!.code;
      otherItem = items.find((i) => i.code !== photoItem && i.severity === 'general')!.code;
    });

    it('the form holds only applicable items, pinned to the checklist version', async () => {
      const form = await t.http().get(`/api/inspections/${inspectionId}/form`).set('Authorization', `Bearer ${tokens[3]}`).expect(200);
      expect(form.body.checklist).toMatchObject({ code: 'fire-safety-inspection', versionNo: 1 });
      expect(items.length).toBeGreaterThan(60);
      expect(form.body.team.map((m: { userId: string }) => m.userId).sort()).toEqual([inspectors[3].id, inspectors[4].id].sort());
      expect(form.body.majorCriteria.length).toBe(7);
    });

    it('stores photos by content, with device time and GPS from EXIF; the same bytes give the same evidence', async () => {
      const jpeg = jpegWithGps();
      const res = await t.http().post('/api/evidence').set('Authorization', `Bearer ${tokens[3]}`)
        .field('inspectionId', inspectionId).field('itemCode', otherItem).field('takenAt', '2026-11-23T02:00:00Z')
        .attach('file', jpeg, { filename: 'IMG_0001.jpg', contentType: 'image/jpeg' }).expect(201);
      expect(res.body).toMatchObject({ mime: 'image/jpeg', gps: { source: 'exif' }, deviceTakenAt: '2026-11-23T02:00:00.000Z' });
      expect(res.body.gps.lat).toBeCloseTo(31.78, 2);
      otherPhoto = res.body.id;
      const again = await t.http().post('/api/evidence').set('Authorization', `Bearer ${tokens[3]}`)
        .field('inspectionId', inspectionId).field('itemCode', otherItem).attach('file', jpeg, { filename: 'again.jpg' }).expect(201);
      expect(again.body.id).toBe(res.body.id);
      const fake = await t.http().post('/api/evidence').set('Authorization', `Bearer ${tokens[3]}`)
        .field('inspectionId', inspectionId).field('itemCode', otherItem)
        .attach('file', Buffer.from('<html>not an image</html>'), { filename: 'x.jpg', contentType: 'image/jpeg' }).expect(400);
      expect(fake.body.details[0]).toMatchObject({ field: 'file', reason: 'imageTypeNotAllowed' });
      const unknownItem = await t.http().post('/api/evidence').set('Authorization', `Bearer ${tokens[3]}`)
        .field('inspectionId', inspectionId).field('itemCode', 'ZZZ-999').attach('file', jpeg, { filename: 'x.jpg' }).expect(400);
      expect(unknownItem.body.details[0]).toMatchObject({ field: 'itemCode', reason: 'itemNotApplicable' });
      // Photos are served only in scope: not to an inspector off the team.
      await t.http().get(`/api/evidence/${res.body.id}`).set('Authorization', `Bearer ${tokens[3]}`).expect(200).expect('Content-Type', 'image/jpeg');
      await t.http().get(`/api/evidence/${res.body.id}`).set('Authorization', `Bearer ${tokens[0]}`).expect(404);
    });

    it('a failed item without its required photo gets 422 naming that item, and nothing is written', async () => {
      const before = { hazards: await rowCount(t.db, 'hazard'), responses: await rowCount(t.db, 'inspection_response'), audit: await rowCount(t.db, 'audit_event') };
      const body = submission(items, { [photoItem]: [], [otherItem]: [] }, [inspectors[3], inspectors[4]]);
      const res = await t.http().post(`/api/inspections/${inspectionId}/submit`).set('Authorization', `Bearer ${tokens[3]}`).send(body).expect(422);
      expect(res.body.code).toBe('inspection.incomplete');
      expect(res.body.details).toContainEqual(expect.objectContaining({ field: `responses.${photoItem}.photos`, reason: 'photoRequired' }));
      expect(res.body.details.find((d: { field: string }) => d.field === `responses.${photoItem}.photos`).message).toContain(`${photoItem} 不合格：需要至少 1 张照片（已有 0 张）`);
      const unanswered = await t.http().post(`/api/inspections/${inspectionId}/submit`).set('Authorization', `Bearer ${tokens[3]}`)
        .send({ ...body, responses: body.responses.slice(1) }).expect(422);
      expect(unanswered.body.details).toContainEqual(expect.objectContaining({ field: `responses.${items[0].code}`, reason: 'unanswered' }));
      const after = { hazards: await rowCount(t.db, 'hazard'), responses: await rowCount(t.db, 'inspection_response'), audit: await rowCount(t.db, 'audit_event') };
      expect(after).toEqual(before);
    });

    it('an inspector not on the team gets 404', async () => {
      await t.http().get(`/api/inspections/${inspectionId}`).set('Authorization', `Bearer ${tokens[0]}`).expect(404);
      const res = await t.http().post(`/api/inspections/${inspectionId}/submit`).set('Authorization', `Bearer ${tokens[0]}`)
        .send(submission(items, {}, [inspectors[3], inspectors[4]])).expect(404);
      expect(res.body.code).toBe('inspection.not_found');
    });

    it('concurrent submissions of different inspections all complete, even with a 3-connection pool', async () => {
      const created: string[] = [];
      for (let i = 0; i < 6; i++) {
        created.push((await t.http().post('/api/inspections').set('Authorization', `Bearer ${officer}`)
          .send({ institutionId: institutions[i], kind: 'routine', teamUserIds: [inspectors[3].id, inspectors[4].id] }).expect(201)).body.id);
      }
      const forms = await Promise.all(created.map((id) => formItems(t, tokens[3], id)));
      const results = await Promise.all(created.map((id, i) => t.http().post(`/api/inspections/${id}/submit`).set('Authorization', `Bearer ${tokens[3]}`)
        .send(submission(forms[i], {}, [inspectors[3], inspectors[4]]))));
      expect(results.map((r) => r.status)).toEqual(Array(6).fill(201));
      const numbers = results.map((r) => r.body.reportNo).sort();
      expect(new Set(numbers).size).toBe(6);
    });

    it('submits once: hazards with due dates, audit, report; a retry with the same UUID returns the first result and creates nothing', async () => {
      const photo = await uploadPhoto(t, tokens[3], inspectionId, photoItem);
      const body = submission(items, { [photoItem]: [photo], [otherItem]: [otherPhoto] }, [inspectors[3], inspectors[4]]);
      const first = await t.http().post(`/api/inspections/${inspectionId}/submit`).set('Authorization', `Bearer ${tokens[3]}`).send(body);
      expect([first.status, first.body.details]).toEqual([201, undefined]);
      expect(first.body).toMatchObject({ inspectionId, submissionId: body.submissionId, hazardCount: 2, reportNo: expect.stringMatching(/^常天民安检〔\d{4}〕第\d{4}号$/) });
      const counts = { hazards: await rowCount(t.db, 'hazard'), responses: await rowCount(t.db, 'inspection_response'), signatures: await rowCount(t.db, 'inspection_signature'), audit: await rowCount(t.db, 'audit_event') };
      const [{ n: signatures }] = await t.db.query('SELECT count(*)::int AS n FROM inspection_signature WHERE inspection_id = $1', [inspectionId]);
      expect(signatures).toBe(3);

      const retry = await t.http().post(`/api/inspections/${inspectionId}/submit`).set('Authorization', `Bearer ${tokens[4]}`).send(body).expect(200);
      expect(retry.body).toEqual(first.body);
      expect({ hazards: await rowCount(t.db, 'hazard'), responses: await rowCount(t.db, 'inspection_response'), signatures: await rowCount(t.db, 'inspection_signature'), audit: await rowCount(t.db, 'audit_event') }).toEqual(counts);
      const other = await t.http().post(`/api/inspections/${inspectionId}/submit`).set('Authorization', `Bearer ${tokens[3]}`)
        .send({ ...body, submissionId: '00000000-0000-4000-8000-000000000000' }).expect(409);
      expect(other.body.code).toBe('inspection.already_submitted');

      const [hazard] = await t.db.query(`SELECT h.due_date::text AS due, h.deadline_days, h.status, i.submitted_at FROM hazard h JOIN inspection i ON i.id = h.inspection_id WHERE h.item_code = $1`, [photoItem]);
      expect(hazard.status).toBe('open');
      const expected = new Date(new Date(hazard.submitted_at).getTime() + 8 * 3600e3 + hazard.deadline_days * 86400e3).toISOString().slice(0, 10);
      expect(hazard.due).toBe(expected);
      const [audit] = await t.db.query(`SELECT after FROM audit_event WHERE action = 'inspection.submit' AND entity_id = $1`, [inspectionId]);
      expect(audit.after.hazards.sort()).toEqual([otherItem, photoItem].sort());
    });

    it('the hazards appear for the institution', async () => {
      const account = await createAccount(t, 'institution', { institutionId: institutions[9] });
      const token = await tokenFor(t, account);
      const res = await t.http().get('/api/hazards').set('Authorization', `Bearer ${token}`).expect(200);
      expect(res.body.items.map((h: { itemCode: string }) => h.itemCode).sort()).toEqual([otherItem, photoItem].sort());
      const elsewhere = await tokenFor(t, await createAccount(t, 'institution', { institutionId: institutions[8] }));
      expect((await t.http().get('/api/hazards').set('Authorization', `Bearer ${elsewhere}`).expect(200)).body.total).toBe(0);
    });

    it('renders the report PDF on the queue, with the institution and the failed item in Chinese', async () => {
      await waitForJob(t.app, REPORTS_QUEUE, `inspection-report-${inspectionId}`);
      const res = await t.http().get(`/api/inspections/${inspectionId}/report.pdf`).set('Authorization', `Bearer ${officer}`)
        .buffer(true).parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); })
        .expect(200).expect('Content-Type', 'application/pdf');
      const file = path.join(os.tmpdir(), `yian-report-${inspectionId}.pdf`);
      fs.writeFileSync(file, res.body as Buffer);
      const text = pdfText(file);
      expect(text).toContain('天宁第10养老院');
      const title = items.find((i) => i.code === photoItem)!.title.zh;
      expect(text.replace(/\s+/g, '')).toContain(title.replace(/\s+/g, ''));
      expect(text).toMatch(/第 1 页 \/ 共 \d+ 页/);
      // A report file lost from disk answers 404 in the one error shape, not an error page.
      fs.renameSync(path.join(t.config.DATA_DIR, 'reports', `inspection-${inspectionId}.pdf`), `${file}.moved`);
      const lost = await t.http().get(`/api/inspections/${inspectionId}/report.pdf`).set('Authorization', `Bearer ${officer}`).expect(404);
      expect(lost.body).toMatchObject({ statusCode: 404, code: 'inspection.not_found' });
      const [outbox] = await t.db.query(`SELECT dispatched_at FROM outbox WHERE job_id = $1`, [`inspection-report-${inspectionId}`]);
      expect(outbox.dispatched_at).not.toBeNull();
    });
  });
});
