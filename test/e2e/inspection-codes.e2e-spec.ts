import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InspectionCodes1765301000000 } from '../../migrations/1765301000000-InspectionCodes';
import { REPORTS_QUEUE } from '../../src/outbox/job-names';
import { createAccount, institutionInput, rowCount, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { waitForJob } from '../support/jobs';
import { pdfText, squash } from '../support/pdf';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 检查码 (issue 17, item 4): every inspection gets a code at creation; the institution confirms it on arrival (its own
 * inspections only, wrong guesses limited), a start without the confirmation says so on the record, the institution
 * rates the submitted visit once, and the bureau reads the ratings of its subtree and exports them in Chinese.
 */
describe('inspection codes (检查码) and ratings (评价)', () => {
  let t: TestApp;
  let admin: string;
  let officer: string; // 天宁区
  let farOfficer: string; // 钟楼区
  const inspectors: TestAccount[] = [];
  const tokens: string[] = [];
  let instA: string; // 天宁区红梅街道
  let instB: string; // 钟楼区
  let instC: string; // 天宁区, for the guess limit
  let a1: TestAccount;
  let a2: TestAccount;
  let tokA1: string;
  let tokA2: string;
  let tokB: string;
  let planId: string;

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const CODE = /^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}$/;

  async function adHoc(institutionId: string, team = [inspectors[0], inspectors[1]], kind = 'routine'): Promise<string> {
    const res = await t.http().post('/api/inspections').set(as(officer)).send({ institutionId, kind, teamUserIds: team.map((m) => m.id), scheduledDate: '2026-12-10' }).expect(201);
    return res.body.id;
  }
  const codeOf = async (id: string, token = tokens[0]) => (await t.http().get(`/api/inspections/${id}/code`).set(as(token)).expect(200)).body;
  const lookup = (token: string, code: string) => t.http().post('/api/inspection-codes/lookup').set(as(token)).send({ code });
  const confirm = (token: string, code: string) => t.http().post('/api/inspection-codes/confirm').set(as(token)).send({ code });
  const rate = (token: string, id: string, body: object) => t.http().post(`/api/inspections/${id}/rating`).set(as(token)).send(body);
  async function submit(id: string, token = tokens[0], fails: Record<string, string[]> = {}) {
    const items = await formItems(t, token, id);
    await t.http().post(`/api/inspections/${id}/submit`).set(as(token)).send(submission(items, fails, [inspectors[0], inspectors[1]])).expect(201);
  }
  async function session(account: TestAccount): Promise<string> {
    const res = await t.http().post('/api/auth/login').send({ username: account.username, password: account.password }).expect(200);
    return (res.headers['set-cookie'][0] as string).split(';')[0];
  }
  const page = async (account: TestAccount, p: string, status = 200) => (await t.http().get(p).set('Cookie', await session(account)).set('Accept', 'text/html').expect(status)).text;
  async function reportText(id: string): Promise<string> {
    await waitForJob(t.app, REPORTS_QUEUE, `inspection-report-${id}`);
    const res = await t.http().get(`/api/inspections/${id}/report.pdf`).set(as(officer))
      .buffer(true).parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); })
      .expect(200);
    const file = path.join(os.tmpdir(), `yian-code-report-${id}.pdf`);
    fs.writeFileSync(file, res.body as Buffer);
    return squash(pdfText(file));
  }

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_INTERVAL_MS: '200' });
    await seedDivisions(t.db);
    admin = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320402' }));
    officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    farOfficer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320404' }));
    for (let i = 0; i < 3; i++) {
      inspectors.push(await createAccount(t, 'inspector', { divisionCode: '320402' }));
      tokens.push(await tokenFor(t, inspectors[i]));
    }
    instA = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '红梅颐养院' })).expect(201)).body.id;
    instC = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '天宁第三养老院' })).expect(201)).body.id;
    const zl = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320404' }));
    instB = (await t.http().post('/api/institutions').set(as(zl)).send(institutionInput({ name: '五星敬老院', divisionCode: '320404001' })).expect(201)).body.id;
    a1 = await createAccount(t, 'institution', { institutionId: instA });
    a2 = await createAccount(t, 'institution', { institutionId: instA });
    tokA1 = await tokenFor(t, a1);
    tokA2 = await tokenFor(t, a2);
    tokB = await tokenFor(t, await createAccount(t, 'institution', { institutionId: instB }));
    // A plan drawn before anyone inspected (no recent-visit conflicts): every drawn inspection gets its code too.
    planId = (await t.http().post('/api/inspection-plans').set(as(officer)).send({
      name: '2026年12月红梅街道日常检查', kind: 'routine', divisionCode: '320402004', teamSize: 2, inspectorIds: inspectors.slice(0, 2).map((i) => i.id), seed: 'codes-1',
    }).expect(201)).body.id;
  });
  afterAll(() => t.close());

  describe('执法证号', () => {
    it('is set by the admin for an account that inspects, shown as 未登记 when missing, and refused for an institution account', async () => {
      const [u] = (await t.http().get(`/api/users?q=${inspectors[0].username}`).set(as(admin)).expect(200)).body.items;
      expect(u.warrantNo).toBeNull();
      const set = await t.http().patch(`/api/users/${u.id}`).set(as(admin)).send({ warrantNo: '苏32040200017', version: u.version }).expect(200);
      expect(set.body.warrantNo).toBe('苏32040200017');
      const [audit] = await t.db.query(`SELECT before, after FROM audit_event WHERE entity_id = $1 AND action = 'user.update' ORDER BY id DESC LIMIT 1`, [u.id]);
      expect(audit).toEqual({ before: expect.objectContaining({ warrantNo: null }), after: expect.objectContaining({ warrantNo: '苏32040200017' }) });
      const bad = await t.http().patch(`/api/users/${u.id}`).set(as(admin)).send({ warrantNo: '32040 2000;17', version: set.body.version }).expect(400);
      expect(bad.body.details).toEqual([expect.objectContaining({ field: 'warrantNo', reason: 'matches' })]);
      const [inst] = (await t.http().get(`/api/users?q=${a1.username}`).set(as(admin)).expect(200)).body.items;
      const refused = await t.http().patch(`/api/users/${inst.id}`).set(as(admin)).send({ warrantNo: 'X1', version: inst.version }).expect(400);
      expect(refused.body.details).toEqual([expect.objectContaining({ field: 'warrantNo', reason: 'warrantNoForInstitution' })]);
      const created = await t.http().post('/api/users').set(as(admin)).send({ username: 'warranted-inspector', displayName: '持证检查员', role: 'inspector', divisionCode: '320402', warrantNo: 'ZF-0042' }).expect(201);
      expect(created.body.warrantNo).toBe('ZF-0042');
    });
  });

  describe('issued at creation', () => {
    it('gives every inspection a unique 8-character code: ad hoc, drawn by a plan, a re-inspection; only the team sees it', async () => {
      const id = await adHoc(instA);
      const c = await codeOf(id);
      expect(c).toMatchObject({ inspectionId: id, display: expect.stringMatching(CODE), confirmation: null, verification: { state: 'pending', text: '被检查机构尚未核验检查码' } });
      expect(c.verifyUrl).toMatch(new RegExp(`/inspection-codes\\?code=${c.display}$`));
      const [row] = await t.db.query(`SELECT code FROM inspection_code WHERE inspection_id = $1`, [id]);
      expect(row.code).toBe(c.display.replace('-', ''));
      // not on the team: the bureau sees the inspection but not its code; the institution does not see it at all
      await t.http().get(`/api/inspections/${id}/code`).set(as(officer)).expect(403);
      await t.http().get(`/api/inspections/${id}/code`).set(as(tokens[2])).expect(404);
      await t.http().get(`/api/inspections/${id}/code`).set(as(tokA1)).expect(404);
      // the form payload and the offline bundle carry it for the team
      const form = (await t.http().get(`/api/inspections/${id}/form`).set(as(tokens[1])).expect(200)).body;
      expect(form.code.display).toBe(c.display);
      expect((await t.http().get(`/api/inspections/${id}/form`).set(as(officer)).expect(200)).body.code).toBeNull();
      const bundle = (await t.http().get('/api/inspections/offline-bundle').set(as(tokens[0])).expect(200)).body;
      expect(bundle.inspections.find((i: { id: string }) => i.id === id).form.code.display).toBe(c.display);

      const drawn: { id: string }[] = await t.db.query(`SELECT id FROM inspection WHERE plan_id = $1`, [planId]);
      expect(drawn.length).toBeGreaterThanOrEqual(2);
      const [{ coded }] = await t.db.query(`SELECT count(*)::int AS coded FROM inspection_code WHERE inspection_id = ANY($1)`, [drawn.map((d) => d.id)]);
      expect(coded).toBe(drawn.length);
      const [{ n, distinct }] = await t.db.query(`SELECT count(*)::int AS n, count(DISTINCT code)::int AS distinct FROM inspection_code`);
      expect(distinct).toBe(n);
    });

    it('a re-inspection of the open findings gets its own code', async () => {
      const parent = await adHoc(instC);
      const items = await formItems(t, tokens[0], parent);
      const general = items.find((i) => i.severity === 'general')!;
      const photos = general.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, tokens[0], parent, general.code)] : [];
      await submit(parent, tokens[0], { [general.code]: photos });
      const re = await t.http().post(`/api/inspections/${parent}/reinspection`).set(as(officer)).send({ teamUserIds: [inspectors[0].id, inspectors[1].id] }).expect(201);
      const c = await codeOf(re.body.id);
      expect(c.display).toMatch(CODE);
      expect(c.display).not.toBe((await codeOf(parent)).display);
    });
  });

  describe('核验 on arrival', () => {
    let id: string;
    let code: string;

    beforeAll(async () => {
      id = await adHoc(instA);
      code = (await codeOf(id)).display;
    });

    it('shows the institution the inspection: kind, dates, the team with divisions and 执法证号 (未登记 when missing); the code typed loosely', async () => {
      const loose = ` ${code.toLowerCase().replace('-', ' ')} `;
      const res = await lookup(tokA1, loose).expect(200);
      expect(res.body).toMatchObject({
        inspectionId: id, code, kind: 'routine', kindLabel: '日常检查', status: 'assigned', scheduledDate: '2026-12-10', bureauName: '常州市天宁区民政局',
        institution: { id: instA, name: '红梅颐养院' }, confirmation: null, may: { confirm: true, rate: false }, ratingState: 'pending',
      });
      const team = res.body.team as { name: string; warrantNo: string | null; divisionName: string; roleLabel: string }[];
      expect(team).toEqual(expect.arrayContaining([
        expect.objectContaining({ name: inspectors[0].displayName, warrantNo: '苏32040200017', divisionName: '天宁区' }),
        expect.objectContaining({ name: inspectors[1].displayName, warrantNo: null, divisionName: '天宁区' }),
      ]));
      expect(team.map((m) => m.roleLabel).sort()).toEqual(['组员', '组长']);
      // looking up changes nothing
      expect((await t.db.query(`SELECT confirmed_at FROM inspection_code WHERE inspection_id = $1`, [id]))[0].confirmed_at).toBeNull();
    });

    it('answers a wrong code 400 naming `code` and counts it; a malformed one is 400 too but no guess', async () => {
      const guesses = await rowCount(t.db, 'inspection_code_guess');
      const malformed = await lookup(tokA1, 'abc').expect(400);
      expect(malformed.body.details).toEqual([expect.objectContaining({ field: 'code', reason: 'inspectionCodeMalformed' })]);
      expect(malformed.body.details[0].message).toMatch(/8 位/);
      expect(await rowCount(t.db, 'inspection_code_guess')).toBe(guesses);
      const wrong = code.startsWith('Z') ? `Y${code.slice(1)}` : `Z${code.slice(1)}`;
      const res = await lookup(tokA1, wrong).expect(400);
      expect(res.body).toMatchObject({ code: 'validation.failed', details: [expect.objectContaining({ field: 'code', reason: 'inspectionCodeUnknown' })] });
      expect(await rowCount(t.db, 'inspection_code_guess')).toBe(guesses + 1);
      const [guess] = await t.db.query(`SELECT * FROM inspection_code_guess ORDER BY at DESC LIMIT 1`);
      expect(Object.keys(guess).sort()).toEqual(['at', 'institution_id', 'user_id']); // the code typed is never kept
    });

    it('answers another institution’s code exactly like a wrong one, and confirms nothing', async () => {
      const other = await lookup(tokB, code).expect(400);
      const wrong = await lookup(tokB, code.startsWith('Z') ? `Y${code.slice(1)}` : `Z${code.slice(1)}`).expect(400);
      const { requestId: _a, ...otherBody } = other.body;
      const { requestId: _b, ...wrongBody } = wrong.body;
      expect(otherBody).toEqual(wrongBody);
      await confirm(tokB, code).expect(400);
      expect((await t.db.query(`SELECT confirmed_at FROM inspection_code WHERE inspection_id = $1`, [id]))[0].confirmed_at).toBeNull();
      // only institution accounts verify codes
      await lookup(officer, code).expect(403);
      await lookup(tokens[0], code).expect(403);
      await confirm(officer, code).expect(403);
    });

    it('records who confirmed and when (audited); confirming again answers the first confirmation', async () => {
      const audits = await rowCount(t.db, 'audit_event');
      const res = await confirm(tokA1, code.replace('-', '')).expect(201);
      expect(res.body).toMatchObject({ alreadyConfirmed: false, confirmation: { byName: a1.displayName, byInstitution: '红梅颐养院' }, may: { confirm: false } });
      const [row] = await t.db.query(`SELECT confirmed_by, confirmed_at FROM inspection_code WHERE inspection_id = $1`, [id]);
      expect(row.confirmed_by).toBe(a1.id);
      const [audit] = await t.db.query(`SELECT actor_id, before, after FROM audit_event WHERE entity_id = $1 AND action = 'inspection.code_confirm'`, [id]);
      expect(audit).toMatchObject({ actor_id: a1.id, before: { confirmedAt: null }, after: { confirmedBy: a1.id, confirmedByName: a1.displayName, inspectionStatus: 'assigned', afterStart: false } });
      expect(await rowCount(t.db, 'audit_event')).toBe(audits + 1);

      const again = await confirm(tokA2, code).expect(200);
      expect(again.body).toMatchObject({ alreadyConfirmed: true, confirmation: { byName: a1.displayName } });
      expect(await rowCount(t.db, 'audit_event')).toBe(audits + 1);
      // the team sees it on its code card
      expect((await codeOf(id)).confirmation).toMatchObject({ byName: a1.displayName, byInstitution: '红梅颐养院' });
      // the database keeps a confirmation as it was written
      await expect(t.db.query(`UPDATE inspection_code SET confirmed_by = $2 WHERE inspection_id = $1`, [id, a2.id])).rejects.toThrow(/fixed/);
      // the institution now sees the visit it confirmed among its visits (not before: unannounced inspections stay hidden)
      const visits = (await t.http().get('/api/inspection-codes/visits').set(as(tokA2)).expect(200)).body;
      expect(visits.items.map((v: { inspectionId: string }) => v.inspectionId)).toContain(id);
      expect((await t.http().get('/api/inspection-codes/visits').set(as(tokB)).expect(200)).body.total).toBe(0);
    });

    it('refuses a confirmation once the inspection is cancelled or submitted (409 naming `code`)', async () => {
      const cancelled = await adHoc(instA);
      const cc = (await codeOf(cancelled)).display;
      await t.db.query(`UPDATE inspection SET status = 'cancelled' WHERE id = $1`, [cancelled]);
      const looked = await lookup(tokA1, cc).expect(200);
      expect(looked.body).toMatchObject({ status: 'cancelled', statusLabel: '已取消', may: { confirm: false } });
      const res = await confirm(tokA1, cc).expect(409);
      expect(res.body).toMatchObject({ code: 'inspection_code.cancelled', details: [expect.objectContaining({ field: 'code', reason: 'inspectionCancelled' })] });

      const filed = await adHoc(instA);
      const fc = (await codeOf(filed)).display;
      await submit(filed);
      const late = await confirm(tokA1, fc).expect(409);
      expect(late.body).toMatchObject({ code: 'inspection_code.visit_closed', details: [expect.objectContaining({ field: 'code' })] });
    });

    it('a plan whose inspection was confirmed is not drawn again (the team was there)', async () => {
      const plan = (await t.http().get(`/api/inspection-plans/${planId}`).set(as(officer)).expect(200)).body;
      const [drawnA] = await t.db.query(`SELECT id FROM inspection WHERE plan_id = $1 AND institution_id = $2`, [planId, instA]);
      await confirm(tokA1, (await codeOf(drawnA.id)).display).expect(201);
      const res = await t.http().patch(`/api/inspection-plans/${planId}`).set(as(officer)).send({ version: plan.version, seed: 'codes-2' }).expect(409);
      expect(res.body.code).toBe('plan.started');
    });
  });

  describe('wrong guesses', () => {
    it('are limited per account (5 in 15 minutes) and per institution (20 a day): 429, even for the right code', async () => {
      const id = await adHoc(instC);
      const code = (await codeOf(id)).display;
      const wrong = code.startsWith('Z') ? `Y${code.slice(1)}` : `Z${code.slice(1)}`;
      const accounts = await Promise.all([0, 1, 2, 3, 4].map(async () => tokenFor(t, await createAccount(t, 'institution', { institutionId: instC }))));
      for (let i = 0; i < 5; i++) await lookup(accounts[0], wrong).expect(400);
      const limited = await lookup(accounts[0], code).expect(429);
      expect(limited.body).toMatchObject({ statusCode: 429, code: 'inspection_code.rate_limited' });
      expect(limited.body.message).toMatch(/\d+ 分钟后再试/);
      await confirm(accounts[0], code).expect(429);
      // another account of the institution still may, until the institution's day is used up
      await lookup(accounts[1], code).expect(200);
      for (const tok of accounts.slice(1, 4)) for (let i = 0; i < 5; i++) await lookup(tok, wrong).expect(400);
      await lookup(accounts[4], code).expect(429);
      // another institution is not affected
      await lookup(tokA1, 'ZZZZ-ZZZZ').expect(400);
      // a day later the window is free again
      await t.db.query(`UPDATE inspection_code_guess SET at = at - interval '25 hours' WHERE institution_id = $1`, [instC]);
      await lookup(accounts[0], code).expect(200);
    });
  });

  describe('a start without the confirmation', () => {
    it('is not refused, and says so on the record: the start, the inspection page, the submission and the PDF', async () => {
      const id = await adHoc(instA);
      const started = await t.http().post(`/api/inspections/${id}/start`).set(as(tokens[0])).expect(200);
      expect(started.body).toMatchObject({ status: 'in_progress', codeConfirmed: false });
      const [audit] = await t.db.query(`SELECT after FROM audit_event WHERE entity_id = $1 AND action = 'inspection.start'`, [id]);
      expect(audit.after).toEqual({ status: 'in_progress', codeConfirmed: false });
      expect((await codeOf(id)).verification).toEqual({ state: 'unconfirmed', text: '未经被检查机构核验检查码' });
      const [officerAccount] = await Promise.all([createAccount(t, 'bureau_officer', { divisionCode: '320402' })]);
      expect(await page(officerAccount, `/inspections/${id}`)).toContain('未经被检查机构核验检查码');
      await submit(id);
      const [sub] = await t.db.query(`SELECT after FROM audit_event WHERE entity_id = $1 AND action = 'inspection.submit'`, [id]);
      expect(sub.after.codeConfirmed).toBe(false);
      const review = await page(officerAccount, `/inspections/${id}`);
      expect(review).toContain('检查码核验');
      expect(review).toContain('未经被检查机构核验检查码');
      const text = await reportText(id);
      expect(text).toContain('检查码核验');
      expect(text).toContain('未经被检查机构核验检查码');
      expect(text).toContain(squash('执法证号 苏32040200017'));
      expect(text).toContain(squash('执法证号未登记'));
    });

    it('a confirmation before the start reads 检查码已于 … 由 … 核验; one after the start says so', async () => {
      const before = await adHoc(instA);
      await confirm(tokA2, (await codeOf(before)).display).expect(201);
      expect((await t.http().post(`/api/inspections/${before}/start`).set(as(tokens[0])).expect(200)).body.codeConfirmed).toBe(true);
      await submit(before);
      const text = await reportText(before);
      expect(text).toContain(squash(`由 ${a2.displayName}（红梅颐养院） 核验`));
      expect(text).not.toContain('未经被检查机构核验检查码');

      const after = await adHoc(instA);
      await t.http().post(`/api/inspections/${after}/start`).set(as(tokens[0])).expect(200);
      await confirm(tokA1, (await codeOf(after)).display).expect(201);
      const [audit] = await t.db.query(`SELECT after FROM audit_event WHERE entity_id = $1 AND action = 'inspection.code_confirm'`, [after]);
      expect(audit.after).toMatchObject({ inspectionStatus: 'in_progress', afterStart: true });
      expect((await codeOf(after)).verification).toMatchObject({ state: 'confirmed_after_start', text: expect.stringContaining('（在开始检查之后）') });
    });
  });

  describe('评价 after the submission', () => {
    let confirmed: string;
    let rated: string;

    beforeAll(async () => {
      confirmed = await adHoc(instA);
      await confirm(tokA1, (await codeOf(confirmed)).display).expect(201);
      rated = await adHoc(instA, [inspectors[0], inspectors[2]]);
    });

    it('is refused before the submission (409 naming inspectionId); an unconfirmed open inspection is not even found', async () => {
      const res = await rate(tokA1, confirmed, { conduct: 5, clarity: 5 }).expect(409);
      expect(res.body).toMatchObject({ code: 'inspection_rating.not_submitted', details: [expect.objectContaining({ field: 'inspectionId', reason: 'ratingBeforeSubmission' })] });
      await rate(tokA1, rated, { conduct: 5, clarity: 5 }).expect(404);
      expect(await rowCount(t.db, 'inspection_rating')).toBe(0);
    });

    it('tells the institution after the submission that it may rate; checks the scores and the comment; once; audited', async () => {
      const items = await formItems(t, tokens[0], rated);
      await t.http().post(`/api/inspections/${rated}/submit`).set(as(tokens[0])).send(submission(items, {}, [inspectors[0], inspectors[2]])).expect(201);
      const inbox = (await t.http().get('/api/notifications/inbox').set(as(tokA2)).expect(200)).body;
      const invite = inbox.items.find((n: { kind: string; entityId: string }) => n.kind === 'inspection.rating_invited' && n.entityId === rated);
      expect(invite).toMatchObject({ title: '请评价本次检查：日常检查', href: `/inspection-codes/visits/${rated}` });
      expect(invite.body).toContain(inspectors[2].displayName);
      expect((await t.http().get('/api/notifications/inbox').set(as(tokB)).expect(200)).body.items.filter((n: { entityId: string }) => n.entityId === rated)).toEqual([]);

      const six = await rate(tokA1, rated, { conduct: 6, clarity: 3 }).expect(400);
      expect(six.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'conduct', reason: 'max' })]));
      expect(six.body.details.every((d: { field: string }) => d.field === 'conduct')).toBe(true);
      const none = await rate(tokA1, rated, { clarity: 3 }).expect(400);
      expect(none.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'conduct' })]));
      const long = await rate(tokA1, rated, { conduct: 3, clarity: 3, comment: '很'.repeat(501) }).expect(400);
      expect(long.body.details).toEqual([expect.objectContaining({ field: 'comment', reason: 'maxLength' })]);
      await rate(tokB, rated, { conduct: 1, clarity: 1 }).expect(404);
      await rate(officer, rated, { conduct: 1, clarity: 1 }).expect(403);
      expect(await rowCount(t.db, 'inspection_rating')).toBe(0);

      const res = await rate(tokA1, rated, { conduct: 2, clarity: 4, comment: '=HYPERLINK("http://x") 检查人员未出示执法证件 ' }).expect(201);
      expect(res.body).toMatchObject({ ratingState: 'rated', rating: { conduct: 2, clarity: 4, comment: '=HYPERLINK("http://x") 检查人员未出示执法证件', ratedByName: a1.displayName }, may: { rate: false } });
      const [audit] = await t.db.query(`SELECT actor_id, after FROM audit_event WHERE entity_id = $1 AND action = 'inspection.rate'`, [rated]);
      expect(audit).toMatchObject({ actor_id: a1.id, after: { conduct: 2, clarity: 4, ratedBy: a1.id } });
      const again = await rate(tokA2, rated, { conduct: 5, clarity: 5 }).expect(409);
      expect(again.body).toMatchObject({ code: 'inspection_rating.already_rated', details: [expect.objectContaining({ field: 'inspectionId', reason: 'alreadyRated' })] });
      await expect(t.db.query(`UPDATE inspection_rating SET conduct = 5 WHERE inspection_id = $1`, [rated])).rejects.toThrow(/written once/);
      const visit = (await t.http().get(`/api/inspection-codes/visits/${rated}`).set(as(tokA2)).expect(200)).body;
      expect(visit).toMatchObject({ ratingState: 'rated', rating: { conduct: 2 }, code: null }); // never confirmed: the code is not shown
    });

    it('closes 30 days after the submission', async () => {
      await submit(confirmed);
      await t.db.query(`UPDATE inspection SET submitted_at = now() - interval '31 days' WHERE id = $1`, [confirmed]);
      const res = await rate(tokA1, confirmed, { conduct: 4, clarity: 4 }).expect(409);
      expect(res.body).toMatchObject({ code: 'inspection_rating.window_closed', details: [expect.objectContaining({ field: 'inspectionId', reason: 'ratingWindowClosed' })] });
      expect(res.body.message).toContain('30 天');
      await t.db.query(`UPDATE inspection SET submitted_at = now() WHERE id = $1`, [confirmed]);
      await rate(tokA1, confirmed, { conduct: 5, clarity: 4 }).expect(201);
    });

    it('the bureau reads the ratings of its subtree with averages, filters and a per-inspector table; others may not', async () => {
      const list = (await t.http().get('/api/inspection-ratings').set(as(officer)).expect(200)).body;
      expect(list).toMatchObject({ total: 2, page: 1, pageSize: 20, summary: { count: 2, avgConduct: 3.5, avgClarity: 4, low: 1, commented: 1 } });
      expect(list.summary.submitted).toBeGreaterThanOrEqual(2);
      expect(list.items.map((r: { inspectionId: string }) => r.inspectionId).sort()).toEqual([confirmed, rated].sort());
      expect(list.items.find((r: { inspectionId: string }) => r.inspectionId === rated)).toMatchObject({ institutionName: '红梅颐养院', divisionName: '红梅街道', conduct: 2, hasCode: true, confirmedAt: null });
      const lead = list.byInspector.find((r: { userId: string }) => r.userId === inspectors[0].id);
      expect(lead).toMatchObject({ count: 2, avgConduct: 3.5 });
      expect(list.byInspector.find((r: { userId: string }) => r.userId === inspectors[2].id)).toMatchObject({ count: 1, avgConduct: 2, low: 1 });

      const low = (await t.http().get('/api/inspection-ratings?maxScore=2').set(as(officer)).expect(200)).body;
      expect(low.items.map((r: { inspectionId: string }) => r.inspectionId)).toEqual([rated]);
      expect((await t.http().get('/api/inspection-ratings?minScore=4').set(as(officer)).expect(200)).body.total).toBe(1);
      expect((await t.http().get(`/api/inspection-ratings?inspectorId=${inspectors[2].id}`).set(as(officer)).expect(200)).body.total).toBe(1);
      expect((await t.http().get('/api/inspection-ratings?divisionCode=320402004').set(as(officer)).expect(200)).body.total).toBe(2);
      expect((await t.http().get('/api/inspection-ratings?from=2020-01-01&to=2020-12-31').set(as(officer)).expect(200)).body.total).toBe(0);
      const reversed = await t.http().get('/api/inspection-ratings?from=2026-12-31&to=2026-01-01').set(as(officer)).expect(400);
      expect(reversed.body.details).toEqual([expect.objectContaining({ field: 'to' })]);
      const outside = await t.http().get('/api/inspection-ratings?divisionCode=320404').set(as(officer)).expect(400);
      expect(outside.body.details).toEqual([expect.objectContaining({ field: 'divisionCode', reason: 'divisionOutOfScope' })]);
      await t.http().get('/api/inspection-ratings?maxScore=9').set(as(officer)).expect(400);

      const far = (await t.http().get('/api/inspection-ratings').set(as(farOfficer)).expect(200)).body;
      expect(far).toMatchObject({ total: 0, summary: { count: 0, avgConduct: null } });
      await t.http().get('/api/inspection-ratings').set(as(tokens[0])).expect(403);
      await t.http().get('/api/inspection-ratings').set(as(tokA1)).expect(403);
    });

    it('exports the filtered ratings as a Chinese CSV (csv-safe) and XLSX, in scope', async () => {
      const res = await t.http().get('/api/exports/inspection-ratings.csv').set(as(officer)).expect(200).expect('Content-Type', /text\/csv/);
      expect(res.headers['content-disposition']).toContain(encodeURIComponent('检查评价_'));
      const text = res.text.replace(/^\uFEFF/, '');
      const [header, ...rows] = text.trim().split('\n');
      expect(header).toBe('检查日期,机构名称,所在区划,检查类型,记录编号,检查组,检查码核验,核验时间,检查人员执法规范（1-5分）,问题指出清楚（1-5分）,评价意见,评价时间');
      expect(rows).toHaveLength(2);
      const low = rows.find((r) => r.includes('HYPERLINK'))!;
      expect(low).toContain('红梅颐养院,红梅街道,日常检查');
      expect(low).toContain('未经机构核验');
      expect(low).toContain(`"'=HYPERLINK(""http://x"") 检查人员未出示执法证件"`);
      expect(low).toContain(`${inspectors[0].displayName}（组长）`);
      expect(rows.find((r) => !r.includes('HYPERLINK'))).toContain(',已核验,');
      const filtered = await t.http().get('/api/exports/inspection-ratings.csv?minScore=4').set(as(officer)).expect(200);
      expect(filtered.text.trim().split('\n')).toHaveLength(2);
      const far = await t.http().get('/api/exports/inspection-ratings.csv').set(as(farOfficer)).expect(200);
      expect(far.text.trim().split('\n')).toHaveLength(1);
      await t.http().get('/api/exports/inspection-ratings.csv?divisionCode=320404').set(as(officer)).expect(400);
      await t.http().get('/api/exports/inspection-ratings.csv').set(as(tokA1)).expect(403);
      await t.http().get('/api/exports/inspection-ratings.xlsx').set(as(officer)).expect(200).expect('Content-Type', /spreadsheetml/);
    });

    it('the pages: the institution’s 核验检查码 (pre-filled from the QR address), the bureau’s 检查评价 and the rating on the review page', async () => {
      const entry = await page(a1, '/inspection-codes?code=7k2m-qx9d');
      expect(entry).toContain('value="7k2m-qx9d"');
      expect(entry).toContain('本机构的检查');
      const officerAccount = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
      const ratings = await page(officerAccount, '/inspection-ratings?maxScore=2');
      expect(ratings).toContain('检查人员未出示执法证件');
      expect(ratings).toContain('/api/exports/inspection-ratings.csv?maxScore=2');
      const review = await page(officerAccount, `/inspections/${rated}`);
      expect(review).toContain('机构评价');
      expect(review).toContain('检查人员未出示执法证件');
      // the team does not read the institution's comment
      const teamReview = await page(inspectors[2], `/inspections/${rated}`);
      expect(teamReview).not.toContain('检查人员未出示执法证件');
      await page(inspectors[2], '/inspection-ratings', 403);
      await page(a1, '/inspection-ratings', 403);
      await page(officerAccount, '/inspection-codes', 403);
    });
  });

  describe('the migration', () => {
    it('backfills a code for every inspection not yet submitted, and none for a submitted one', async () => {
      await t.asOwner(async (runner) => {
        const m = new InspectionCodes1765301000000();
        await m.down(runner);
        await m.up(runner);
      });
      const rows: { status: string; coded: boolean }[] = await t.db.query(
        `SELECT i.status, (c.inspection_id IS NOT NULL) AS coded FROM inspection i LEFT JOIN inspection_code c ON c.inspection_id = i.id`);
      expect(rows.filter((r) => r.status === 'assigned' || r.status === 'in_progress').every((r) => r.coded)).toBe(true);
      expect(rows.filter((r) => r.status === 'submitted' || r.status === 'cancelled').some((r) => r.coded)).toBe(false);
      const [{ bad }] = await t.db.query(`SELECT count(*)::int AS bad FROM inspection_code WHERE code !~ '^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$'`);
      expect(bad).toBe(0);
    });
  });
});
