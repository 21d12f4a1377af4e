import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { FormItem, formItems, submission } from '../support/inspection-fixtures';
import { jpegWithGps } from '../support/jpeg-with-gps';
import { createTestApp, TestApp } from '../support/test-app';

/** 照片标注 (a layer beside the untouched original) and 作答轨迹 (when and where each answer was given) — issue 14, item 4. */
describe('evidence worth having: photo markup and the answer trail', () => {
  let t: TestApp;
  let officer: TestAccount;
  let team: TestAccount[];
  let lead: string;
  let outsider: string;
  let officerToken: string;
  let inspectionId: string;
  let items: FormItem[];
  let photoItem: FormItem;
  let photo: { id: string; sha256: string };
  let institutionId: string;

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const putMarkup = (token: string, markup: unknown, ev = photo.id, id = inspectionId) =>
    t.http().put(`/api/inspections/${id}/photos/${ev}/markup`).set(as(token)).send({ markup });
  const layer = { v: 1, w: 1600, h: 1200, shapes: [{ t: 'arrow', x1: 0.2, y1: 0.2, x2: 0.5, y2: 0.55 }, { t: 'text', x: 0.1, y: 0.12, s: '灭火器压力不足' }] };
  const storedHash = (sha: string) => createHash('sha256').update(fs.readFileSync(path.join(t.config.DATA_DIR, 'evidence', sha.slice(0, 2), sha.slice(2, 4), sha))).digest('hex');

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    officerToken = await tokenFor(t, officer);
    team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    lead = await tokenFor(t, team[0]);
    outsider = await tokenFor(t, await createAccount(t, 'inspector', { divisionCode: '320402' }));
    institutionId = (await t.http().post('/api/institutions').set(as(officerToken)).send(institutionInput({ name: '标注测试颐养院' })).expect(201)).body.id;
    inspectionId = (await t.http().post('/api/inspections').set(as(officerToken)).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    items = await formItems(t, lead, inspectionId);
    photoItem = items.find((i) => i.evidence.photoRequiredWhenFailed && i.severity === 'general')!;
    // A camera photo with its position in EXIF (常州: 31°46'48" N, 119°57' E).
    const up = await t.http().post('/api/evidence').set(as(lead)).field('inspectionId', inspectionId).field('itemCode', photoItem.code)
      .field('takenAt', new Date().toISOString()).attach('file', jpegWithGps(), { filename: 'camera.jpg', contentType: 'image/jpeg' }).expect(201);
    photo = { id: up.body.id, sha256: up.body.sha256 };
  });
  afterAll(() => t.close());

  it('saves a markup layer beside the photo, audited, the original bytes and hash unchanged', async () => {
    const res = await putMarkup(lead, layer).expect(200);
    expect(res.body).toMatchObject({ evidenceId: photo.id, sha256: photo.sha256, markup: layer });
    const [row] = await t.db.query('SELECT sha256, markup, markup_updated_by FROM evidence WHERE id = $1', [photo.id]);
    expect(row.sha256.trim()).toBe(photo.sha256);
    expect(row.markup).toEqual(layer);
    expect(row.markup_updated_by).toBe(team[0].id);
    expect(storedHash(photo.sha256)).toBe(photo.sha256);
    const [audit] = await t.db.query(`SELECT before, after FROM audit_event WHERE entity_id = $1 AND action = 'evidence.markup'`, [photo.id]);
    expect(audit.before).toEqual({ shapes: { arrow: 0, circle: 0, text: 0 }, layer: null });
    expect(audit.after).toMatchObject({ itemCode: photoItem.code, sha256: photo.sha256, shapes: { arrow: 1, circle: 0, text: 1 }, layer, afterSubmission: false });
  });

  it.each([
    ['a coordinate outside the photo', { ...layer, shapes: [{ t: 'arrow', x1: 0.2, y1: 0.2, x2: 1.4, y2: 0.5 }] }, 400, 'markup.shapes.0.x2'],
    ['an unknown shape', { ...layer, shapes: [{ t: 'script', x: 0.1, y: 0.1 }] }, 400, 'markup.shapes.0.t'],
    ['too many shapes', { ...layer, shapes: Array.from({ length: 31 }, () => ({ t: 'circle', x: 0.5, y: 0.5, r: 0.1 })) }, 400, 'markup.shapes'],
    ['too many bytes', { ...layer, note: 'x'.repeat(9000) }, 400, 'markup'],
    ['no layer at all', undefined, 400, 'markup'],
  ])('refuses %s with a 4xx naming the field, the saved layer kept', async (_what, markup, status, field) => {
    const res = await putMarkup(lead, markup).expect(status);
    expect(res.body.details).toEqual([expect.objectContaining({ field })]);
    expect(res.body.details[0].message).toContain(field);
    expect((await t.db.query('SELECT markup FROM evidence WHERE id = $1', [photo.id]))[0].markup).toEqual(layer);
  });

  it('is scoped: only the team, only a finding photo of this inspection', async () => {
    await putMarkup(outsider, layer).expect(404); // not in their scope: not found
    await putMarkup(officerToken, layer).expect(403); // sees the inspection, is not on its team
    await putMarkup(lead, layer, '00000000-0000-4000-8000-000000000000').expect(404);
    const other = (await t.http().post('/api/inspections').set(as(officerToken))
      .send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    await putMarkup(lead, layer, photo.id, other).expect(404);
  });

  it('keeps the answer trail with the submission and shows it, with the markup over the original, on the review page', async () => {
    const base = Date.parse('2026-12-01T02:40:00Z');
    const at = (s: number) => new Date(base + s * 1000).toISOString();
    const site = { lat: 31.78, lng: 119.95 };
    const body = submission(items, { [photoItem.code]: [photo.id] }, team);
    body.responses = body.responses.map((r, i) => ({
      ...r,
      // The first item was answered 2.4 km away; one item comes from an old client without a trail; the third by 本节其余合格.
      ...(i === 1 ? {} : { trail: [{ at: at(i * 40), f: i === 2 ? 'bulkPass' : 'result', lat: i === 0 ? site.lat + 0.0216 : site.lat, lng: site.lng, acc: 20 }] }),
    }));
    const bad = structuredClone(body);
    (bad.responses[0] as { trail?: unknown[] }).trail = [{ at: 'yesterday', f: 'result' }];
    const refused = await t.http().post(`/api/inspections/${inspectionId}/submit`).set(as(lead)).send(bad).expect(400);
    expect(refused.body.details[0].field).toBe('responses.0.trail.0.at');
    await t.http().post(`/api/inspections/${inspectionId}/submit`).set(as(lead)).send(body).expect(201);

    const rows: { item_code: string; answer_trail: unknown[] }[] = await t.db.query('SELECT item_code, answer_trail FROM inspection_response WHERE inspection_id = $1', [inspectionId]);
    const byCode = new Map(rows.map((r) => [r.item_code, r.answer_trail]));
    expect(byCode.get(items[0].code)).toEqual([{ at: at(0), f: 'result', lat: site.lat + 0.0216, lng: site.lng, acc: 20 }]);
    expect(byCode.get(items[1].code)).toEqual([]);
    const [audit] = await t.db.query(`SELECT after FROM audit_event WHERE entity_id = $1 AND action = 'inspection.submit'`, [inspectionId]);
    expect(audit.after.trailItems).toBe(items.length - 1);

    const login = await t.http().post('/api/auth/login').send({ username: officer.username, password: officer.password }).expect(200);
    const page = (await t.http().get(`/inspections/${inspectionId}`).set('Cookie', login.headers['set-cookie'][0].split(';')[0]).set('Accept', 'text/html').expect(200)).text;
    expect(page).toContain('/static/evidence.css');
    expect(page).toMatch(/作答时间 10:40–\d\d:\d\d（\d+ 分钟），共 \d+\/\d+ 项记录了轨迹；\d+ 项有定位，与现场照片定位最远相距 2\.4\u00a0km/);
    expect(page).toContain(`1 项在距现场照片定位 2.4\u00a0km 以外作答：${items[0].code}`);
    expect(page).toMatch(new RegExp(`trail-item trail-far">作答 10:40 · 距现场 2\\.4\u00a0km`));
    expect(page).toMatch(/<svg class="markup-overlay" viewBox="0 0 1600 1200"[^>]*aria-label="[^"]+的标注">/);
    expect(page).toContain('灭火器压力不足');
    expect(page).toContain('标注：箭头 1、文字 1（原图未改动）');
    expect(page).toContain('1 项批量作答（本节其余合格 1 / 本节不适用 0）');
    expect(storedHash(photo.sha256)).toBe(photo.sha256);

    // The institution reads its own review page, but not how the bureau checks its inspectors.
    const inst = await createAccount(t, 'institution', { institutionId });
    const instLogin = await t.http().post('/api/auth/login').send({ username: inst.username, password: inst.password }).expect(200);
    const own = (await t.http().get(`/inspections/${inspectionId}`).set('Cookie', instLogin.headers['set-cookie'][0].split(';')[0]).set('Accept', 'text/html').expect(200)).text;
    expect(own).toContain('检查记录审阅');
    expect(own).not.toContain('作答轨迹');
    expect(own).not.toContain('trail-');
    expect(own).not.toContain('以外作答');
  });

  it('after the submission a layer changes only within 24 h and before a notice, audited with the whole layer', async () => {
    const corrected = { ...layer, shapes: [{ t: 'circle', x: 0.5, y: 0.5, r: 0.2 }] };
    await putMarkup(lead, corrected).expect(200);
    const [audit] = await t.db.query(`SELECT before, after FROM audit_event WHERE entity_id = $1 AND action = 'evidence.markup' ORDER BY id DESC LIMIT 1`, [photo.id]);
    expect(audit.before.layer).toEqual(layer);
    expect(audit.after).toMatchObject({ layer: corrected, afterSubmission: true, shapes: { arrow: 0, circle: 1, text: 0 } });

    await t.db.query(`UPDATE inspection SET submitted_at = submitted_at - interval '25 hours' WHERE id = $1`, [inspectionId]);
    const late = await putMarkup(lead, layer).expect(409);
    expect(late.body.code).toBe('evidence.markup_locked');
    expect(JSON.stringify(late.body)).toContain('24 小时');
    await t.db.query(`UPDATE inspection SET submitted_at = submitted_at + interval '25 hours' WHERE id = $1`, [inspectionId]);
    await putMarkup(lead, layer).expect(200);

    await t.http().post(`/api/inspections/${inspectionId}/notice`).set(as(officerToken)).expect(201);
    expect((await putMarkup(lead, corrected).expect(409)).body.code).toBe('evidence.markup_locked');
    expect((await t.db.query('SELECT markup FROM evidence WHERE id = $1', [photo.id]))[0].markup).toEqual(layer);
  });
});
