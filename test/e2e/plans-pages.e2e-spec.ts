import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { shanghaiDate } from '../../src/common/calendar';
import { ScoringService } from '../../src/scoring/scoring.service';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 检查计划 pages and the API they share: who may open them, the form's refusals naming the field, editing before
 * publication (a changed draw input draws again, the same seed re-runs to the shown result), the 409 once
 * published, and the audit trail of create / edit / publish.
 */
describe('the plan pages and PATCH /api/inspection-plans/:id', () => {
  let t: TestApp;
  let officer: TestAccount;
  let officerToken: string;
  let inspectorAccount: TestAccount;
  let institutionAccount: TestAccount;
  const inspectors: TestAccount[] = [];
  const institutions: string[] = [];

  const session = async (account: TestAccount) => {
    const res = await t.http().post('/api/auth/login').send({ username: account.username, password: account.password }).expect(200);
    return (res.headers['set-cookie'][0] as string).split(';')[0];
  };
  const csrfIn = (text: string) => /name="_csrf" value="([^"]+)"/.exec(text)![1];
  const auth = () => ({ Authorization: `Bearer ${officerToken}` });
  const planBody = (seed: string) => ({
    name: '2026年12月双随机抽查', kind: 'random', divisionCode: '320402', sampleCount: 2, inspectorIds: inspectors.map((i) => i.id), seed,
    scheduledFrom: '2026-12-01', scheduledTo: '2026-12-31',
  });

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    officerToken = await tokenFor(t, officer);
    for (let i = 0; i < 4; i++) inspectors.push(await createAccount(t, 'inspector', { divisionCode: '320402' }));
    inspectorAccount = inspectors[0];
    for (let i = 0; i < 4; i++) {
      institutions.push((await t.http().post('/api/institutions').set(auth()).send(institutionInput({ name: `计划页测试第${i + 1}养老院`, kind: i < 3 ? 'nursing_home' : 'day_care' })).expect(201)).body.id);
    }
    institutionAccount = await createAccount(t, 'institution', { institutionId: institutions[0] });
  });
  afterAll(() => t?.close());

  it('answers 200 to officers and 403 to inspectors and institutions on every plan page', async () => {
    const plan = (await t.http().post('/api/inspection-plans').set(auth()).send(planBody('pages-200')).expect(201)).body;
    const cookie = await session(officer);
    for (const path of ['/plans', '/plans/new', `/plans/${plan.id}`, `/plans/${plan.id}/verify`, `/plans/${plan.id}/edit`, `/plans/${plan.id}/publish`]) {
      const res = await t.http().get(path).set('Cookie', cookie).set('Accept', 'text/html');
      expect([path, res.status]).toEqual([path, 200]);
    }
    for (const account of [inspectorAccount, institutionAccount]) {
      const c = await session(account);
      for (const path of ['/plans', '/plans/new', `/plans/${plan.id}`]) {
        const res = await t.http().get(path).set('Cookie', c).set('Accept', 'text/html');
        expect([account.role, path, res.status]).toEqual([account.role, path, 403]);
      }
    }
    const list = await t.http().get('/plans?status=drawn&kind=random').set('Cookie', cookie).set('Accept', 'text/html').expect(200);
    expect(list.text).toContain('2026年12月双随机抽查');
    const none = await t.http().get('/plans?kind=complaint').set('Cookie', cookie).set('Accept', 'text/html').expect(200);
    expect(none.text).toContain('没有符合筛选条件的检查计划');
    await t.http().get('/plans?kind=bogus').set('Cookie', cookie).set('Accept', 'text/html').expect(400);
  });

  it('refuses a bad form with 400 naming the field, and creates from a good one (303 to the plan)', async () => {
    const cookie = await session(officer);
    const form = await t.http().get('/plans/new').set('Cookie', cookie).set('Accept', 'text/html').expect(200);
    const csrf = csrfIn(form.text);
    expect(form.text).toContain('专项整治');
    expect(form.text).toContain(inspectors[0].displayName);
    const bad = await t.http().post('/plans').set('Cookie', cookie).type('form')
      .send({ _csrf: csrf, name: '', kind: 'random', divisionCode: '320402', teamSize: 'abc', conflictMonths: '12', scheduledFrom: '2026-12-10', scheduledTo: '2026-12-01' }).expect(400);
    expect(bad.text).toContain('计划名称：');
    expect(bad.text).toContain('每组人数：');
    expect(bad.text).toContain('检查人员：');
    // The service's refusal (the period) names its field too.
    const reversed = await t.http().post('/plans').set('Cookie', cookie).type('form')
      .send(`_csrf=${csrf}&name=x&kind=random&divisionCode=320402&sampleCount=1&teamSize=2&conflictMonths=12&scheduledFrom=2026-12-10&scheduledTo=2026-12-01&${inspectors.map((i) => `inspectorIds=${i.id}`).join('&')}`).expect(400);
    expect(reversed.text).toContain('检查期间止：不能早于检查期间的开始日期 2026-12-10');
    const noCount = await t.http().post('/plans').set('Cookie', cookie).type('form')
      .send(`_csrf=${csrf}&name=x&kind=random&divisionCode=320402&teamSize=2&${inspectors.map((i) => `inspectorIds=${i.id}`).join('&')}`).expect(400);
    expect(noCount.text).toContain('抽取机构数：');
    const ok = await t.http().post('/plans').set('Cookie', cookie).type('form')
      .send(`_csrf=${csrf}&name=${encodeURIComponent('专项整治：日间照料')}&kind=special&divisionCode=320402&institutionKinds=day_care&teamSize=2&conflictMonths=12&seed=special-1&${inspectors.map((i) => `inspectorIds=${i.id}`).join('&')}`).expect(303);
    const id = /\/plans\/([0-9a-f-]{36})\?ok=created/.exec(ok.headers.location)![1];
    const plan = (await t.http().get(`/api/inspection-plans/${id}`).set(auth()).expect(200)).body;
    expect(plan).toMatchObject({ kind: 'special', seed: 'special-1', teamSize: 2, conflictMonths: 12, pool: { institutionKinds: ['day_care'] } });
    expect(plan.drawResult.selected).toEqual([expect.objectContaining({ institutionId: institutions[3] })]);
    const page = await t.http().get(`/plans/${id}`).set('Cookie', cookie).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('special-1');
    expect(page.text).toContain('yian-draw-v1');
    expect(page.text).toContain('计划页测试第4养老院');
    const [audit] = await t.db.query(`SELECT action, after FROM audit_event WHERE entity_id = $1 AND action = 'inspection_plan.create'`, [id]);
    expect(audit.after).toMatchObject({ kind: 'special', seed: 'special-1', pool: { institutionKinds: ['day_care'] } });
  });

  it('edits a draft plan: name only keeps the draw; a changed pool draws again with the same seed, and verify still reproduces it', async () => {
    const plan = (await t.http().post('/api/inspection-plans').set(auth()).send(planBody('edit-1')).expect(201)).body;
    const renamed = (await t.http().patch(`/api/inspection-plans/${plan.id}`).set(auth()).send({ version: plan.version, name: '2026年12月双随机抽查（改）' }).expect(200)).body;
    expect(renamed).toMatchObject({ name: '2026年12月双随机抽查（改）', redrawn: false, seed: 'edit-1', version: plan.version + 1 });
    expect(renamed.drawResult).toEqual(plan.drawResult);
    // Stale version: 409.
    await t.http().patch(`/api/inspection-plans/${plan.id}`).set(auth()).send({ version: plan.version, name: 'x' }).expect(409);
    const redrawn = (await t.http().patch(`/api/inspection-plans/${plan.id}`).set(auth()).send({ version: renamed.version, institutionKinds: ['nursing_home'], sampleCount: 3 }).expect(200)).body;
    expect(redrawn).toMatchObject({ redrawn: true, seed: 'edit-1', sampleCount: 3, pool: { institutionKinds: ['nursing_home'] } });
    expect(redrawn.drawResult.selected.map((s: { institutionId: string }) => s.institutionId).sort()).toEqual(institutions.slice(0, 3).sort());
    const rows = await t.db.query('SELECT institution_id FROM inspection WHERE plan_id = $1', [plan.id]);
    expect(rows.map((r: { institution_id: string }) => r.institution_id).sort()).toEqual(institutions.slice(0, 3).sort());
    const verify = (await t.http().get(`/api/inspection-plans/${plan.id}/verify`).set(auth()).expect(200)).body;
    expect(verify).toMatchObject({ reproducible: true, seed: 'edit-1' });
    // The page's edit form: clearing the kinds filter clears it.
    const cookie = await session(officer);
    const form = await t.http().get(`/plans/${plan.id}/edit`).set('Cookie', cookie).set('Accept', 'text/html').expect(200);
    const sent = await t.http().post(`/plans/${plan.id}/edit`).set('Cookie', cookie).type('form')
      .send(`_csrf=${csrfIn(form.text)}&version=${redrawn.version}&name=${encodeURIComponent('页面编辑')}&kind=random&divisionCode=320402&sampleCount=4&teamSize=2&conflictMonths=12&${inspectors.map((i) => `inspectorIds=${i.id}`).join('&')}`).expect(303);
    expect(sent.headers.location).toBe(`/plans/${plan.id}?ok=redrawn`);
    const after = (await t.http().get(`/api/inspection-plans/${plan.id}`).set(auth()).expect(200)).body;
    expect(after).toMatchObject({ name: '页面编辑', seed: 'edit-1', pool: {} });
    expect(after.drawResult.selected).toHaveLength(4);
    const audits = await t.db.query(`SELECT after FROM audit_event WHERE entity_id = $1 AND action = 'inspection_plan.update' ORDER BY occurred_at`, [plan.id]);
    expect(audits.map((a: { after: { redrawn: boolean } }) => a.after.redrawn)).toEqual([false, true, true]);
    expect(audits[0].after).toMatchObject({ name: '2026年12月双随机抽查（改）' });
  });

  it('refuses a redraw once an assigned inspection holds a draft or a photo (nothing deleted, nothing left behind)', async () => {
    const plan = (await t.http().post('/api/inspection-plans').set(auth()).send({ ...planBody('touched-1'), sampleCount: 1 }).expect(201)).body;
    const [insp] = await t.db.query(`SELECT id FROM inspection WHERE plan_id = $1`, [plan.id]);
    // A team member's draft saved while the inspection is still 'assigned' (as the form does before the first answer is sent).
    await t.db.query(`UPDATE inspection SET draft = '{"answers":{}}'::jsonb WHERE id = $1`, [insp.id]);
    const refused = await t.http().patch(`/api/inspection-plans/${plan.id}`).set(auth()).send({ version: plan.version, sampleCount: 2 }).expect(409);
    expect(refused.body).toMatchObject({ code: 'plan.started', details: [expect.objectContaining({ field: 'status', reason: 'planStarted' })] });
    expect(await t.db.query(`SELECT id FROM inspection WHERE plan_id = $1`, [plan.id])).toEqual([{ id: insp.id }]);
  });

  it('refuses to edit a started plan and a published one (409, naming the field); publishing is audited', async () => {
    const plan = (await t.http().post('/api/inspection-plans').set(auth()).send({ ...planBody('publish-1'), sampleCount: 1 }).expect(201)).body;
    await t.db.query(`UPDATE inspection SET status = 'in_progress', started_at = now() WHERE plan_id = $1`, [plan.id]);
    const started = await t.http().patch(`/api/inspection-plans/${plan.id}`).set(auth()).send({ version: plan.version, sampleCount: 2 }).expect(409);
    expect(started.body.code).toBe('plan.started');
    expect(started.body.details).toEqual([expect.objectContaining({ field: 'status', reason: 'planStarted' })]);
    await t.db.query(`UPDATE inspection SET status = 'cancelled' WHERE plan_id = $1`, [plan.id]);
    const cookie = await session(officer);
    const confirm = await t.http().get(`/plans/${plan.id}/publish`).set('Cookie', cookie).set('Accept', 'text/html').expect(200);
    expect(confirm.text).toContain('确认公示');
    expect(confirm.text).toContain('此操作不可撤销');
    // Without the confirmation box: refused, nothing published.
    await t.http().post(`/plans/${plan.id}/publish`).set('Cookie', cookie).type('form').send({ _csrf: csrfIn(confirm.text) }).expect(400);
    expect((await t.http().get(`/api/inspection-plans/${plan.id}`).set(auth()).expect(200)).body.status).toBe('drawn');
    const shown = /name="version" value="(\d+)"/.exec(confirm.text)![1];
    // A version other than the one the confirmation showed is refused, and nothing is published.
    await t.http().post(`/plans/${plan.id}/publish`).set('Cookie', cookie).type('form').send({ _csrf: csrfIn(confirm.text), confirm: 'yes', version: String(Number(shown) + 1) }).expect(409);
    await t.http().post(`/plans/${plan.id}/publish`).set('Cookie', cookie).type('form').send({ _csrf: csrfIn(confirm.text), confirm: 'yes', version: shown }).expect(303);
    const published = (await t.http().get(`/api/inspection-plans/${plan.id}`).set(auth()).expect(200)).body;
    expect(published.status).toBe('published');
    const refused = await t.http().patch(`/api/inspection-plans/${plan.id}`).set(auth()).send({ version: published.version, name: '改名' }).expect(409);
    expect(refused.body.code).toBe('plan.published');
    expect(refused.body.details).toEqual([expect.objectContaining({ field: 'status', reason: 'planPublished', message: expect.stringContaining('公示') })]);
    const page = await t.http().get(`/plans/${plan.id}`).set('Cookie', cookie).set('Accept', 'text/html').expect(200);
    expect(page.text).not.toContain(`href="/plans/${plan.id}/edit"`);
    await t.http().get(`/plans/${plan.id}/edit`).set('Cookie', cookie).set('Accept', 'text/html').expect(303).expect('Location', `/plans/${plan.id}`);
    const [audit] = await t.db.query(`SELECT after FROM audit_event WHERE entity_id = $1 AND action = 'inspection_plan.publish'`, [plan.id]);
    expect(audit.after).toMatchObject({ status: 'published' });
  });

  it('lets only bureau roles PATCH, and validates the body naming the field', async () => {
    const plan = (await t.http().post('/api/inspection-plans').set(auth()).send(planBody('patch-roles')).expect(201)).body;
    const inspectorToken = await tokenFor(t, inspectorAccount);
    await t.http().patch(`/api/inspection-plans/${plan.id}`).set('Authorization', `Bearer ${inspectorToken}`).send({ version: plan.version, name: 'x' }).expect(403);
    const bad = await t.http().patch(`/api/inspection-plans/${plan.id}`).set(auth()).send({ version: plan.version, teamSize: 0, riskLevels: ['extreme'] }).expect(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['riskLevels', 'teamSize']);
    await t.http().patch('/api/inspection-plans/00000000-0000-4000-8000-000000000000').set(auth()).send({ version: 1, name: 'x' }).expect(404);
  });

  it('filters the pool by risk band (the current safety score) and by last inspection', async () => {
    await t.app.get(ScoringService).recomputeAll('/');
    await t.db.query(`UPDATE institution_score SET score = CASE WHEN institution_id = $1 THEN 55 ELSE 95 END WHERE institution_id = ANY($2)`, [institutions[0], institutions]);
    const risky = (await t.http().post('/api/inspection-plans').set(auth()).send({ ...planBody('risk-1'), kind: 'routine', riskLevels: ['high'] }).expect(201)).body;
    expect(risky.drawResult.selected.map((s: { institutionId: string }) => s.institutionId)).toEqual([institutions[0]]);
    const normal = (await t.http().post('/api/inspection-plans').set(auth()).send({ ...planBody('risk-2'), kind: 'routine', riskLevels: ['normal', 'elevated'] }).expect(201)).body;
    expect(normal.drawResult.selected.map((s: { institutionId: string }) => s.institutionId).sort()).toEqual(institutions.slice(1).sort());
    // Inspected today: not "last inspected before" today; never inspected: always in.
    await t.db.query(`UPDATE inspection SET status = 'submitted', submitted_at = now(), submission_id = gen_random_uuid() WHERE id = (SELECT id FROM inspection WHERE institution_id = $1 AND status = 'assigned' LIMIT 1)`, [institutions[1]]);
    const stale = (await t.http().post('/api/inspection-plans').set(auth()).send({ ...planBody('last-1'), kind: 'routine', lastInspectedBefore: shanghaiDate(new Date()) }).expect(201)).body;
    expect(stale.drawResult.selected.map((s: { institutionId: string }) => s.institutionId)).not.toContain(institutions[1]);
    expect(stale.drawResult.selected.length + stale.drawResult.unstaffed.length).toBe(institutions.length - 1);
  });
});
