import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COMPLAINT_ADDRESS_KEY_FILE, ComplaintsService } from '../../src/complaints/complaints.service';
import { exifGps } from '../../src/evidence/exif-gps';
import { createAccount, institutionInput, rowCount, seedDivisions, tokenFor } from '../support/factories';
import { tinyPng } from '../support/images';
import { jpegWithGps } from '../support/jpeg-with-gps';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 投诉举报: the public form's abuse limits (per address, under the app's trust-proxy setting; sizes), refusals that
 * write nothing, the tracking code, the bureau's triage, and the complainant's contact kept out of every public or
 * shared place (lists, tracking, the public pages and feed, audit payloads).
 */
describe('public complaints: abuse limits, nothing half written, the contact kept private', () => {
  let t: TestApp;
  let officer: string; // 天宁区
  let zhonglouOfficer: string;
  let inspector: string;
  let inspectorIds: string[];
  let institutionId: string;
  let zhonglouInstitution: string;
  let evidenceDir: string;
  let addressSeq = 0;
  const CONTACT = '13912345678';

  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  /** A fresh client address each time unless given (documentation range 203.0.113.0/24, via X-Forwarded-For from loopback). */
  const nextAddress = () => `203.0.113.${++addressSeq}`;
  const file = (fields: Record<string, string>, photos: { data: Buffer; name: string }[] = [], address = nextAddress()) => {
    let req = t.http().post('/public/complaints').set('X-Forwarded-For', address);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    for (const p of photos) req = req.attach('photos', p.data, p.name);
    return req;
  };
  const valid = (over: Record<string, string> = {}) => ({ institutionId, category: 'fire_safety', description: '二楼楼道堆放床垫，安全出口被锁。', ...over });
  const storedFiles = (): string[] => {
    const out: string[] = [];
    const walk = (d: string) => {
      if (!fs.existsSync(d)) return;
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else out.push(p);
      }
    };
    walk(evidenceDir);
    return out.sort();
  };
  const written = async () => ({
    complaints: await rowCount(t.db, 'complaint'), photos: await rowCount(t.db, 'complaint_photo'), contacts: await rowCount(t.db, 'complaint_contact'),
    hits: await rowCount(t.db, 'complaint_address_hit'), audit: (await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE entity_type = 'complaint'`))[0].n,
    files: storedFiles(),
  });

  beforeAll(async () => {
    // a small pool: a double click that made a transaction wait for a second connection would time out
    t = await createTestApp({ DB_POOL_MAX: '3' });
    evidenceDir = t.config.EVIDENCE_DIR ?? path.join(t.config.DATA_DIR, 'evidence');
    await seedDivisions(t.db);
    officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    zhonglouOfficer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320404' }));
    const inspectors = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    inspector = await tokenFor(t, inspectors[0]);
    inspectorIds = inspectors.map((i) => i.id);
    institutionId = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '红梅颐养院' })).expect(201)).body.id;
    zhonglouInstitution = (await t.http().post('/api/institutions').set(as(zhonglouOfficer)).send(institutionInput({ name: '五星敬老院', divisionCode: '320404001' })).expect(201)).body.id;
  });
  afterAll(() => t?.close());

  it('files anonymously with a photo: a tracking code (hash stored only), deadlines on working days, the photo re-encoded without GPS', async () => {
    const res = await file(valid(), [{ data: jpegWithGps(), name: 'IMG_0001.jpg' }]).expect(201);
    const code: string = res.body.trackingCode;
    expect(code).toMatch(/^([0-9A-Z]{4}-){4}[0-9A-Z]{4}$/);
    const [row] = await t.db.query(`SELECT c.*, to_jsonb(c)::text AS json FROM complaint c ORDER BY received_at DESC LIMIT 1`);
    expect(row).toMatchObject({ institution_id: institutionId, status: 'received', category: 'fire_safety' });
    expect(row.json).not.toContain(code);
    expect(row.json).not.toContain(code.replace(/-/g, ''));
    expect(row.safety_work_policy_version_id).toBeTruthy();
    expect(res.body.triageDueOn <= res.body.replyDueOn).toBe(true);
    const [photo] = await t.db.query(`SELECT trim(sha256) AS sha256, mime FROM complaint_photo WHERE complaint_id = $1`, [row.id]);
    expect(photo.mime).toBe('image/jpeg');
    const stored = fs.readFileSync(path.join(evidenceDir, photo.sha256.slice(0, 2), photo.sha256.slice(2, 4), photo.sha256));
    expect(exifGps(jpegWithGps())).not.toBeNull();
    expect(exifGps(stored)).toBeNull();
    expect(await rowCount(t.db, 'complaint_contact')).toBe(0);

    const tracked = await t.http().post('/public/complaints/track').send({ code: code.toLowerCase() }).expect(200);
    expect(tracked.body).toMatchObject({ institutionName: '红梅颐养院', status: 'received', reply: null });
    await t.http().post('/public/complaints/track').send({ code: '0000-0000-0000-0000-0000' }).expect(404);
    const bad = await t.http().post('/public/complaints/track').send({ code: 'abc' }).expect(400);
    expect(bad.body.details).toEqual([expect.objectContaining({ field: 'code' })]);
  });

  it('rate-limits per client address as Express sees it behind the trusted proxy: 5 an hour, 20 a day', async () => {
    const address = nextAddress();
    for (let i = 0; i < 5; i++) await file(valid({ description: `第 ${i + 1} 次反映` }), [], address).expect(201);
    const before = await written();
    const refused = await file(valid(), [{ data: jpegWithGps(), name: 'a.jpg' }], address).expect(429);
    expect(refused.body.code).toBe('complaint.rate_limited');
    expect(refused.body.message).toContain('60 分钟');
    expect(await written()).toEqual(before);
    // another address is not affected
    await file(valid(), [], nextAddress()).expect(201);

    // a day's share: 20 filings earlier today (none in the last hour) from one address
    const busy = nextAddress();
    await t.db.query(`INSERT INTO complaint_address_hit (address_hash, at) SELECT $1, now() - (n || ' minutes')::interval FROM generate_series(61, 80) n`, [t.app.get(ComplaintsService).addressHash(busy)]);
    const daily = await file(valid(), [], busy).expect(429);
    expect(daily.body.message).toContain('1440 分钟');
    // hits older than a day do not count
    const yesterday = nextAddress();
    await t.db.query(`INSERT INTO complaint_address_hit (address_hash, at) SELECT $1, now() - interval '25 hours' FROM generate_series(1, 30)`, [t.app.get(ComplaintsService).addressHash(yesterday)]);
    await file(valid(), [], yesterday).expect(201);
    // the address itself is never stored in clear
    const hits = await t.db.query(`SELECT encode(address_hash, 'escape') AS raw FROM complaint_address_hit`);
    expect(hits.some((h: { raw: string }) => h.raw.includes('203.0.113'))).toBe(false);
    // nor as a plain hash anyone could recompute over all addresses: keyed by this installation's own secret file
    const plain = createHash('sha256').update(`yian-complaint-address:${yesterday}`).digest('hex');
    const stored = (await t.db.query(`SELECT encode(address_hash, 'hex') AS h FROM complaint_address_hit`)).map((h: { h: string }) => h.h);
    expect(stored).toContain(t.app.get(ComplaintsService).addressHash(yesterday).toString('hex'));
    expect(stored).not.toContain(plain);
    const keyFile = path.join(t.config.DATA_DIR, COMPLAINT_ADDRESS_KEY_FILE);
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses bad input with a 4xx naming the field, and writes nothing: no row, no photo file, no count, no audit event', async () => {
    const photo = { data: jpegWithGps(), name: 'ok.jpg' };
    const cases: { fields: Record<string, string>; photos: { data: Buffer; name: string }[]; status: number; field: string }[] = [
      { fields: valid({ description: '长'.repeat(2001) }), photos: [photo], status: 400, field: 'description' },
      { fields: valid({ description: '' }), photos: [photo], status: 400, field: 'description' },
      { fields: valid({ category: 'gossip' }), photos: [photo], status: 400, field: 'category' },
      { fields: valid({ institutionId: 'not-a-uuid' }), photos: [photo], status: 400, field: 'institutionId' },
      { fields: valid({ institutionId: '00000000-0000-4000-8000-000000000000' }), photos: [photo], status: 400, field: 'institutionId' },
      { fields: valid({ contact: 'x'.repeat(101) }), photos: [photo], status: 400, field: 'contact' },
      { fields: valid(), photos: [photo, { data: tinyPng(8, 8, [1, 2, 3]), name: 'b.png' }, { data: tinyPng(9, 9, [1, 2, 3]), name: 'c.png' }, { data: tinyPng(10, 10, [1, 2, 3]), name: 'd.png' }], status: 413, field: 'photos' },
      { fields: valid(), photos: [{ data: Buffer.alloc(5 * 1024 * 1024 + 10, 7), name: 'huge.jpg' }], status: 413, field: 'photos' },
      { fields: valid(), photos: [{ data: Buffer.from('not an image at all, just text'), name: 'fake.jpg' }], status: 400, field: 'photos' },
      { fields: valid({ surprise: '1' }), photos: [photo], status: 400, field: 'surprise' },
      { fields: valid({ description: 'NUL \u0000 in text' }), photos: [photo], status: 400, field: 'description' },
    ];
    for (const c of cases) {
      const before = await written();
      const res = await file(c.fields, c.photos);
      expect({ field: c.field, status: res.status }).toEqual({ field: c.field, status: c.status });
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(c.field);
      expect(await written()).toEqual(before);
    }
    // The page version: the form again with the error summary linking to the field, in Chinese.
    const page = await file(valid({ description: '' })).set('Accept', 'text/html').expect(400);
    expect(page.text).toContain('href="#c-description"');
    expect(page.text).toContain('问题描述：');
    // not multipart at all
    await t.http().post('/public/complaints').set('X-Forwarded-For', nextAddress()).send(valid()).expect(415);
    // another site's form posting here is refused before anything is read
    await t.http().post('/public/complaints').set('Origin', 'https://evil.example').field('institutionId', institutionId).expect(403);
  });

  it('the contact reaches only the handling bureau: never a list, the tracking answer, a public page, the feed or an audit payload', async () => {
    const res = await file(valid({ contact: CONTACT, description: '夜间无人值守' })).expect(201);
    const id = (await t.db.query(`SELECT complaint_id AS id FROM complaint_contact WHERE contact = $1`, [CONTACT]))[0].id;

    const detail = await t.http().get(`/api/complaints/${id}`).set(as(officer)).expect(200);
    expect(detail.body).toMatchObject({ contact: CONTACT, contactGiven: true, institutionName: '红梅颐养院' });
    expect(detail.body.divisionPath).toBeUndefined();

    const list = await t.http().get('/api/complaints?pageSize=100').set(as(officer)).expect(200);
    expect(list.body.items.some((c: { id: string }) => c.id === id)).toBe(true);
    expect(JSON.stringify(list.body)).not.toContain(CONTACT);
    // outside the institution's division subtree: not found, not listed; inspectors and institutions may not read at all
    await t.http().get(`/api/complaints/${id}`).set(as(zhonglouOfficer)).expect(404);
    expect((await t.http().get('/api/complaints').set(as(zhonglouOfficer)).expect(200)).body.total).toBe(0);
    await t.http().get('/api/complaints').set(as(inspector)).expect(403);

    const tracked = await t.http().post('/public/complaints/track').send({ code: res.body.trackingCode }).expect(200);
    expect(JSON.stringify(tracked.body)).not.toContain(CONTACT);
    const trackedPage = await t.http().post('/public/complaints/track').set('Accept', 'text/html').type('form').send({ code: res.body.trackingCode }).expect(200);
    expect(trackedPage.text).toContain('红梅颐养院');
    expect(trackedPage.text).not.toContain(CONTACT);
    for (const url of ['/public', '/public/feed.json', '/public/complaints/new', `/public/complaints/new?institution=${institutionId}`, '/public/complaints/track']) {
      const r = await t.http().get(url).set('Accept', 'text/html').expect(200);
      expect(r.text).not.toContain(CONTACT);
    }
    const audit = await t.db.query(`SELECT action, after FROM audit_event WHERE entity_type = 'complaint' AND entity_id = $1`, [id]);
    expect(audit).toEqual([expect.objectContaining({ action: 'complaint.file', after: expect.objectContaining({ contactGiven: true }) })]);
    const leaked = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE coalesce(before::text, '') || coalesce(after::text, '') LIKE $1`, [`%${CONTACT}%`]);
    expect(leaked[0].n).toBe(0);

    // The bureau's list page has no contact either; its detail page shows it to the handling bureau.
    const officerAccount = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    const session = await t.http().post('/api/auth/login').send({ username: officerAccount.username, password: officerAccount.password }).expect(200);
    const cookie = (session.headers['set-cookie'][0] as string).split(';')[0];
    const agent = { get: (url: string) => t.http().get(url).set('Cookie', cookie) };
    const listPage = await agent.get('/complaints').set('Accept', 'text/html').expect(200);
    expect(listPage.text).toContain('红梅颐养院');
    expect(listPage.text).not.toContain(CONTACT);
    const page = await agent.get(`/complaints/${id}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain(CONTACT);
  });

  it('triage: accept and reply, merge a duplicate, refer, reject with a reason; overdue complaints are listed as such', async () => {
    const codeOf = async (fields = valid()) => (await file(fields).expect(201)).body.trackingCode as string;
    const idOf = async (_code: string) => (await t.http().get('/api/complaints?pageSize=100').set(as(officer)).expect(200)).body.items as { id: string; description: string }[];
    const first = await codeOf(valid({ description: '厨房燃气软管老化' }));
    const dup = await codeOf(valid({ description: '厨房燃气软管老化（重复）' }));
    const other = await codeOf(valid({ description: '收费不透明' }));
    const silly = await codeOf(valid({ description: '投诉邻居停车' }));
    const items = await idOf(first);
    const id = (d: string) => items.find((c) => c.description === d)!.id;
    const [a, b, c, d] = [id('厨房燃气软管老化'), id('厨房燃气软管老化（重复）'), id('收费不透明'), id('投诉邻居停车')];

    await t.http().post(`/api/complaints/${a}/accept`).set(as(officer)).send({ version: 1 }).expect(200);
    await t.http().post(`/api/complaints/${a}/accept`).set(as(officer)).send({ version: 2 }).expect(409);
    await t.http().post(`/api/complaints/${b}/merge`).set(as(officer)).send({ version: 1, intoId: b }).expect(400);
    await t.http().post(`/api/complaints/${b}/merge`).set(as(officer)).send({ version: 1, intoId: a }).expect(200);
    await t.http().post(`/api/complaints/${c}/refer`).set(as(officer)).send({ version: 1, agency: '天宁区市场监督管理局' }).expect(200);
    const noReason = await t.http().post(`/api/complaints/${d}/reject`).set(as(officer)).send({ version: 1, reason: ' ' }).expect(400);
    expect(noReason.body.details[0].field).toBe('reason');
    await t.http().post(`/api/complaints/${d}/reject`).set(as(officer)).send({ version: 1, reason: '不属于养老机构安全监管范围' }).expect(200);
    await t.http().post(`/api/complaints/${a}/reply`).set(as(inspector)).send({ version: 2, reply: 'x' }).expect(403);
    const replied = await t.http().post(`/api/complaints/${a}/reply`).set(as(officer)).send({ version: 2, reply: '已责令机构更换燃气软管，复查合格。' }).expect(200);
    expect(replied.body).toMatchObject({ status: 'replied', version: 3 });

    const track = async (code: string) => (await t.http().post('/public/complaints/track').send({ code }).expect(200)).body;
    expect(await track(first)).toMatchObject({ status: 'replied', reply: '已责令机构更换燃气软管，复查合格。' });
    expect(await track(dup)).toMatchObject({ status: 'merged', mergedInto: { status: 'replied', reply: '已责令机构更换燃气软管，复查合格。' } });
    expect(await track(other)).toMatchObject({ status: 'referred', referredTo: '天宁区市场监督管理局' });
    expect(await track(silly)).toMatchObject({ status: 'rejected', rejectReason: '不属于养老机构安全监管范围' });
    for (const code of [first, dup, other, silly]) expect(JSON.stringify(await track(code))).not.toMatch(/测试监管员/);

    // overdue: a received complaint past its triage day (set back in time) is listed by ?overdue=true, with nothing else open in time
    const late = await codeOf(valid({ description: '消防通道堵塞多日' }));
    const lateId = (await idOf(late)).find((x) => x.description === '消防通道堵塞多日')!.id;
    await t.db.query(`UPDATE complaint SET received_at = now() - interval '10 days', triage_due_on = current_date - 5, reply_due_on = current_date + 5 WHERE id = $1`, [lateId]);
    const overdue = await t.http().get('/api/complaints?overdue=true').set(as(officer)).expect(200);
    expect(overdue.body.items.map((x: { id: string }) => x.id)).toEqual([lateId]);
    const old = await t.http().get('/api/complaints?olderThanDays=7&status=open').set(as(officer)).expect(200);
    expect(old.body.items.map((x: { id: string }) => x.id)).toEqual([lateId]);
    const paged = await t.http().get('/api/complaints?pageSize=2&page=2').set(as(officer)).expect(200);
    expect(paged.body).toMatchObject({ page: 2, pageSize: 2 });
    expect(paged.body.items).toHaveLength(2);
    const audit = await t.db.query(`SELECT action FROM audit_event WHERE entity_type = 'complaint' AND entity_id = ANY($1) ORDER BY id`, [[a, b, c, d]]);
    expect(audit.map((r: { action: string }) => r.action)).toEqual(expect.arrayContaining(['complaint.accept', 'complaint.merge', 'complaint.refer', 'complaint.reject', 'complaint.reply']));
  });

  it('opens one complaint inspection (kind complaint) through the inspections feature, and only one, even on a double click', async () => {
    const code = (await file(valid({ description: '护理员夜间离岗' })).expect(201)).body.trackingCode as string;
    const items = (await t.http().get('/api/complaints?status=received&pageSize=100').set(as(officer)).expect(200)).body.items as { id: string; description: string }[];
    const id = items.find((c) => c.description === '护理员夜间离岗')!.id;
    const small = await t.http().post(`/api/complaints/${id}/inspection`).set(as(officer)).send({ version: 1, teamUserIds: [inspectorIds[0]] }).expect(400);
    expect(small.body.details[0].field).toBe('teamUserIds');
    expect((await t.db.query(`SELECT inspection_id FROM complaint WHERE id = $1`, [id]))[0].inspection_id).toBeNull();
    const both = await Promise.all([1, 2].map(() => t.http().post(`/api/complaints/${id}/inspection`).set(as(officer)).send({ version: 1, teamUserIds: inspectorIds })));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const [linked] = await t.db.query(`SELECT c.status, i.kind, i.institution_id AS "institutionId" FROM complaint c JOIN inspection i ON i.id = c.inspection_id WHERE c.id = $1`, [id]);
    expect(linked).toEqual({ status: 'accepted', kind: 'complaint', institutionId });
    expect((await t.db.query(`SELECT count(*)::int AS n FROM inspection WHERE kind = 'complaint' AND institution_id = $1`, [institutionId]))[0].n).toBe(1);
    expect((await t.http().post('/public/complaints/track').send({ code }).expect(200)).body).toMatchObject({ status: 'accepted', inspectionOpened: true });
  });

  it('the public form pre-selects the institution of a safety board\'s QR code', async () => {
    const page = await t.http().get(`/public/complaints/new?institution=${zhonglouInstitution}`).set('Accept', 'text/html').expect(200);
    expect(page.text).toContain('被投诉机构：<b>五星敬老院</b>');
    expect(page.text).toContain(`name="institutionId" value="${zhonglouInstitution}"`);
    const plain = await t.http().get('/public/complaints/new?institution=nonsense').set('Accept', 'text/html').expect(200);
    expect(plain.text).toContain('<select id="c-institutionId"');
  });
});
