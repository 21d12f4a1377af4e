import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { createAccount, institutionInput, rowCount, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

/** Bad input answers 4xx in the one error shape, names the field, and writes nothing. */
describe('hostile input: 4xx, never 500', () => {
  let t: TestApp;
  let officer: string;
  let admin: string;
  let institutionId: string;
  let institutionVersion: number;
  const team: TestAccount[] = [];
  const teamTokens: string[] = [];
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const written = async () => ({ audit: await rowCount(t.db, 'audit_event'), institutions: await rowCount(t.db, 'institution'), users: await rowCount(t.db, 'app_user') });

  function refused(res: Response, status: number, field: string, reason?: string): void {
    expect(res.status).toBe(status);
    const { requestId, ...rest } = res.body;
    expect(rest).toEqual({ statusCode: status, code: expect.any(String), message: expect.any(String), details: expect.any(Array) });
    expect(requestId === null || typeof requestId === 'string').toBe(true);
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, ...(reason ? { reason } : {}), message: expect.stringContaining(`${field}: `) })]));
  }
  /** Runs `send` and checks nothing was written by it. */
  async function nothingWritten(send: () => Promise<Response>): Promise<Response> {
    const before = await written();
    const res = await send();
    expect(await written()).toEqual(before);
    return res;
  }

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    admin = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320400' }));
    officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    for (let i = 0; i < 2; i++) {
      team.push(await createAccount(t, 'inspector', { divisionCode: '320402' }));
      teamTokens.push(await tokenFor(t, team[i]));
    }
    const created = await t.http().post('/api/institutions').set(as(officer)).send(institutionInput()).expect(201);
    institutionId = created.body.id;
    institutionVersion = created.body.version;
  });
  afterAll(() => t.close());

  describe('JSON nested thousands deep', () => {
    it('answers 400 naming the field, on a body and inside a free-form draft', async () => {
      const deep = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
      const res = await nothingWritten(() => t.http().post('/api/institutions').set(as(officer)).set('Content-Type', 'application/json').send(`{"name":${deep(5000)}}`));
      refused(res, 400, 'name', 'nestedTooDeep');
      const inspection = await t.http().post('/api/inspections').set(as(officer)).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201);
      const draft = await t.http().put(`/api/inspections/${inspection.body.id}/draft`).set(as(teamTokens[0])).set('Content-Type', 'application/json')
        .send(`{"savedAt":"2026-11-23T10:00:00+08:00","draft":${deep(20000)}}`);
      refused(draft, 400, 'draft', 'nestedTooDeep');
      // A real draft passes: one as the previous release's phone form saved it (every field its answers and photos had),
      // and one with a markup layer (a few levels deep).
      const legacyPhoto = { key: 'p0', evidenceId: null, url: null, takenAt: '2026-11-23T10:00:00+08:00', lat: null, lng: null, bytes: 1000, sha256: 'a'.repeat(64), missing: false };
      await t.http().put(`/api/inspections/${inspection.body.id}/draft`).set(as(teamTokens[0]))
        .send({ savedAt: '2026-11-23T10:00:00+08:00', draft: { answers: { 'ESC-002': { result: 'fail', note: '堵塞', location: '一楼', severity: 'general', majorCriterion: null, scope: 'single', suspectedMajor: false, suspectedReason: '', photos: [legacyPhoto], answeredAt: '2026-11-23T10:00:00+08:00' } } } }).expect(200);
      await t.http().put(`/api/inspections/${inspection.body.id}/draft`).set(as(teamTokens[0]))
        .send({ savedAt: '2026-11-23T10:01:00+08:00', draft: { answers: { 'ESC-001': { result: 'fail', photos: [{ key: 'p1', evidenceId: null, markup: { v: 1, w: 10, h: 10, shapes: [{ t: 'circle', x: 0.5, y: 0.5, r: 0.1 }] } }] } } } }).expect(200);
    });
  });

  describe('NUL and unpaired surrogates', () => {
    it.each([
      ['a NUL in a text field', { name: 'a\u0000b' }, 'name'],
      ['a lone high surrogate', { address: 'x\uD800y' }, 'address'],
      ['a lone low surrogate', { contactName: '\uDC00' }, 'contactName'],
    ])('%s in a body answers 400 naming the field', async (_label, patch, field) => {
      const res = await nothingWritten(() => t.http().post('/api/institutions').set(as(officer)).send({ ...institutionInput(), ...patch }));
      refused(res, 400, field, 'invalidCharacters');
    });

    it('a valid surrogate pair (an emoji) is fine', async () => {
      await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '康乐😀颐养院' })).expect(201);
    });

    it('in a nested field, a key, a query string and a login', async () => {
      const inspection = await t.http().post('/api/inspections').set(as(officer)).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201);
      const items = await formItems(t, teamTokens[0], inspection.body.id);
      const body = submission(items, {}, team);
      body.responses[3] = { ...body.responses[3], note: '走道\u0000堆物' } as never;
      const before = await rowCount(t.db, 'inspection_signature');
      refused(await t.http().post(`/api/inspections/${inspection.body.id}/submit`).set(as(teamTokens[0])).send(body), 400, 'responses.3.note', 'invalidCharacters');
      expect(await rowCount(t.db, 'inspection_signature')).toBe(before);
      refused(await t.http().put(`/api/inspections/${inspection.body.id}/draft`).set(as(teamTokens[0]))
        .send({ savedAt: '2026-11-23T10:00:00+08:00', draft: { 'k\u0000': 1 } }), 400, 'draft.k\uFFFD', 'invalidCharacters');
      refused(await t.http().get('/api/institutions?name=%00').set(as(officer)), 400, 'name', 'invalidCharacters');
      refused(await t.http().get('/api/audit/events?entityType=institution%00').set(as(admin)), 400, 'entityType', 'invalidCharacters');
      // A surrogate cannot be percent-encoded as UTF-8: the query parser reads those bytes as U+FFFD, which is storable.
      await t.http().get('/api/audit/events?entityId=a%ED%A0%80').set(as(admin)).expect(200);
      refused(await t.http().post('/api/auth/tokens').send({ username: 'admin\u0000', password: 'x' }), 400, 'username', 'invalidCharacters');
      refused(await t.http().post('/api/auth/login').send({ username: 'admin', password: '\uDFFF' }), 400, 'password', 'invalidCharacters');
    });
  });

  describe('numbers out of range', () => {
    it.each(['-1', '0', '1e309', 'abc', '100001', '99999999999999999999', '1.5'])('page=%s answers 400', async (page) => {
      refused(await t.http().get(`/api/institutions?page=${page}`).set(as(officer)), 400, 'page');
    });
    it.each(['-5', '0', '101', '1e309', 'NaN'])('pageSize=%s answers 400', async (size) => {
      refused(await t.http().get(`/api/hazards?pageSize=${size}`).set(as(officer)), 400, 'pageSize');
    });

    it('integers beyond their int4 column: version, beds, residents', async () => {
      refused(await nothingWritten(() => t.http().patch(`/api/institutions/${institutionId}`).set(as(officer)).send({ version: 2147483648, contactName: '王五' })), 400, 'version', 'max');
      refused(await nothingWritten(() => t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ approvedBeds: 2147483648 }))), 400, 'approvedBeds', 'max');
      refused(await nothingWritten(() => t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ residentsSelfCare: 2147483648 }))), 400, 'residentsSelfCare', 'max');
      refused(await nothingWritten(() => t.http().post('/api/institutions').set(as(officer)).send({ ...institutionInput(), occupiedBeds: 1e308 })), 400, 'occupiedBeds');
    });
  });

  it('a signature of under 4 bytes answers 400 naming it, and a whole submission still passes', async () => {
    const inspection = await t.http().post('/api/inspections').set(as(officer)).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201);
    const items = await formItems(t, teamTokens[0], inspection.body.id);
    const body = submission(items, {}, team);
    const evidence = await rowCount(t.db, 'evidence');
    for (const image of ['data:image/png;base64,AAA=', 'data:image/png;base64,', 'data:image/png;base64,iVBORw0KGgo=']) {
      body.signatures[1] = { ...body.signatures[1], image };
      refused(await nothingWritten(() => t.http().post(`/api/inspections/${inspection.body.id}/submit`).set(as(teamTokens[0])).send(body)), 400, 'signatures.1.image', 'signatureImageInvalid');
    }
    expect(await rowCount(t.db, 'evidence')).toBe(evidence);
    await t.http().post(`/api/inspections/${inspection.body.id}/submit`).set(as(teamTokens[0])).send(submission(items, {}, team)).expect(201);
  });

  describe('null where a value is needed', () => {
    it('password: null on login, token and account creation; null on an account update', async () => {
      refused(await t.http().post('/api/auth/login').send({ username: 'someone', password: null }), 400, 'password');
      refused(await t.http().post('/api/auth/tokens').send({ username: 'someone', password: null }), 400, 'password');
      refused(await nothingWritten(() => t.http().post('/api/users').set(as(admin)).send({ username: 'nullpw1', displayName: '空密码', role: 'bureau_officer', divisionCode: '320402', password: null })), 400, 'password');
      const user = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
      for (const patch of [{ password: null }, { displayName: null }, { status: null }]) {
        const res = await nothingWritten(() => t.http().patch(`/api/users/${user.id}`).set(as(admin)).send({ version: 1, ...patch }));
        refused(res, 400, Object.keys(patch)[0]);
      }
    });

    it('null for a required institution field on update answers 400; a nullable one is accepted as null', async () => {
      for (const field of ['name', 'insideOtherBuilding', 'lowestFloor', 'status']) {
        refused(await nothingWritten(() => t.http().patch(`/api/institutions/${institutionId}`).set(as(officer)).send({ version: institutionVersion, [field]: null })), 400, field);
      }
    });
  });

  it('a missing optional field the database needs takes its default: an institution without insideOtherBuilding', async () => {
    const { insideOtherBuilding: _i, lowestFloor: _l, residentsSelfCare: _r, status: _s, ...input } = institutionInput();
    const res = await t.http().post('/api/institutions').set(as(officer)).send(input).expect(201);
    expect(res.body).toMatchObject({ insideOtherBuilding: false, lowestFloor: 1, residentsSelfCare: 0, status: 'active' });
  });

  it('a non-string deduction note in a grade assessment answers 400 naming it', async () => {
    const opened = await t.http().post('/api/grade-assessments').set(as(admin)).send({ institutionId, noSeriousAccident: true, registrationInOrder: true }).expect(201);
    const before = await t.db.query('SELECT version, item_notes FROM grade_assessment WHERE id = $1', [opened.body.id]);
    for (const itemNotes of [{ 'A1.1': 5 }, { 'A1.1': { text: 'x' } }, { 'A1.1': null }, ['x']]) {
      refused(await nothingWritten(() => t.http().patch(`/api/grade-assessments/${opened.body.id}/scores`).set(as(admin)).send({ itemPoints: {}, itemNotes, version: opened.body.version })), 400, 'itemNotes', 'isTextRecord');
    }
    refused(await t.http().patch(`/api/grade-assessments/${opened.body.id}/scores`).set(as(admin)).send({ itemPoints: { 'A1.1': '5' }, version: opened.body.version }), 400, 'itemPoints', 'isNumberRecord');
    expect(await t.db.query('SELECT version, item_notes FROM grade_assessment WHERE id = $1', [opened.body.id])).toEqual(before);
  });

  describe('impossible dates', () => {
    it.each(['2026-02-30', '2026-13-01', '2026-W05-1', '20260203', '2026-02-03T00:00:00Z'])('a date-only field refuses %s', async (date) => {
      const res = await nothingWritten(() => t.http().post('/api/inspections').set(as(officer)).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id), scheduledDate: date }));
      refused(res, 400, 'scheduledDate', 'isCalendarDate');
    });
    it('a leap day is a date; a 29 February outside a leap year is not', async () => {
      await t.http().post('/api/inspections').set(as(officer)).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id), scheduledDate: '2028-02-29' }).expect(201);
      refused(await t.http().post('/api/subsidy-schedules').set(as(admin)).send({ divisionCode: '320402', periodStart: '2026-01-01', periodEnd: '2027-02-29' }), 400, 'periodEnd', 'isCalendarDate');
    });
    it('a moment in time needs a real day and an offset', async () => {
      const inspection = await t.http().post('/api/inspections').set(as(officer)).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201);
      for (const savedAt of ['2026-02-30T10:00:00Z', '2026-11-23T10:00:00', 'yesterday']) {
        refused(await t.http().put(`/api/inspections/${inspection.body.id}/draft`).set(as(teamTokens[0])).send({ savedAt, draft: {} }), 400, 'savedAt', 'isInstant');
      }
    });
  });

  describe('form-encoded bodies on the JSON API', () => {
    it('answer 415 on /api (login included), naming Content-Type', async () => {
      const before = await written();
      refused(await t.http().post('/api/institutions').set(as(officer)).type('form').send({ name: 'x' }), 415, 'Content-Type', 'unsupportedMediaType');
      refused(await t.http().post('/api/auth/login').type('form').send({ username: 'a', password: 'b' }), 415, 'Content-Type');
      refused(await t.http().post('/api/auth/tokens').set('Content-Type', 'text/plain').send('{"username":"a","password":"b"}'), 415, 'Content-Type');
      refused(await t.http().post(`/api/inspections/${randomUUID()}/submit`).set(as(teamTokens[0])).field('submissionId', randomUUID()), 415, 'Content-Type');
      expect(await written()).toEqual(before);
    });
    it('multipart stays accepted where a file is uploaded, and the pages keep their HTML form posts', async () => {
      const upload = await t.http().post('/api/evidence').set(as(teamTokens[0])).field('inspectionId', randomUUID()).field('itemCode', 'EXIT-001');
      expect(upload.status).not.toBe(415);
      expect(upload.status).toBeLessThan(500);
      const login = await t.http().post('/login').type('form').send({ username: 'nobody', password: 'x', _csrf: 'x' });
      expect(login.status).toBe(403); // the page's own CSRF check answers, not a 415
      expect(login.headers['content-type']).toMatch(/text\/html/);
    });
    it('a body-less POST needs no content type', async () => {
      const res = await t.http().post(`/api/notices/${randomUUID()}/acknowledge`).set(as(officer));
      expect(res.status).not.toBe(415);
      expect(res.status).toBeLessThan(500);
    });
  });
});
