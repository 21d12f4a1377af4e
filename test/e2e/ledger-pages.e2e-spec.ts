import ExcelJS from 'exceljs';
import { addDays, shanghaiDate } from '../../src/common/calendar';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { binary, parseCsv } from '../support/exports';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 隐患台账: one HazardQuery for the API list, the ledger page and the exports — filters, search (item, note,
 * institution name), sort, scope, and an export holding exactly the rows of the filtered ledger (CSV and XLSX).
 */
describe('the hazard ledger (page, API, exports)', () => {
  let t: TestApp;
  let cityOfficer: TestAccount;
  let officer: TestAccount;
  let officerToken: string;
  let farToken: string;
  const inst: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  const insp: Record<'a' | 'b' | 'c', string> = { a: '', b: '', c: '' };
  const hz: Record<'a' | 'b' | 'c', { id: string; itemCode: string }[]> = { a: [], b: [], c: [] };
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  /** A submitted inspection of `institutionId` failing `fails` general items; the first failed item's note is `note`. */
  async function inspect(token: string, team: TestAccount[], teamToken: string, institutionId: string, fails: number, note?: string) {
    const created = await t.http().post('/api/inspections').set(as(token)).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201);
    const items = (await formItems(t, teamToken, created.body.id)).filter((i) => i.severity === 'general').slice(0, fails);
    const failed: Record<string, string[]> = {};
    for (const item of items) failed[item.code] = item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, teamToken, created.body.id, item.code)] : [];
    const body = submission(await formItems(t, teamToken, created.body.id), failed, team);
    if (note) body.responses = body.responses.map((r) => (r.itemCode === items[0].code ? { ...r, note } : r)) as typeof body.responses;
    const res = await t.http().post(`/api/inspections/${created.body.id}/submit`).set(as(teamToken)).send(body).expect(201);
    return { id: created.body.id as string, hazards: res.body.hazards as { id: string; itemCode: string }[] };
  }

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    cityOfficer = await createAccount(t, 'bureau_officer', { divisionCode: '320400' });
    const cityToken = await tokenFor(t, cityOfficer);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    officerToken = await tokenFor(t, officer);
    farToken = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320404' }));
    const team = [await createAccount(t, 'inspector', { divisionCode: '320400' }), await createAccount(t, 'inspector', { divisionCode: '320400' })];
    const lead = await tokenFor(t, team[0]);
    inst.a = (await t.http().post('/api/institutions').set(as(cityToken)).send(institutionInput({ name: '红梅颐康养老院' })).expect(201)).body.id;
    inst.b = (await t.http().post('/api/institutions').set(as(cityToken)).send(institutionInput({ name: '天宁福寿护理院' })).expect(201)).body.id;
    inst.c = (await t.http().post('/api/institutions').set(as(cityToken)).send(institutionInput({
      name: '五星安康养老院', divisionCode: '320404001', address: '常州市钟楼区五星街道测试路 2 号',
    })).expect(201)).body.id;
    for (const [k, fails, note] of [['a', 3, '东侧楼梯间堆放50%旧床垫'], ['b', 2, undefined], ['c', 2, undefined]] as const) {
      const r = await inspect(cityToken, team, lead, inst[k], fails, note);
      insp[k] = r.id;
      hz[k] = r.hazards;
    }
    // B's inspection was found in January (the found-date filter and sort read the inspection's submission).
    await t.db.query(`UPDATE inspection SET submitted_at = '2026-01-10T09:00:00+08:00' WHERE id = $1`, [insp.b]);
  });
  afterAll(() => t?.close());

  const list = async (query: string, token = officerToken) => {
    const res = await t.http().get(`/api/hazards?pageSize=100&${query}`).set(as(token)).expect(200);
    return res.body as { total: number; items: { id: string; institutionId: string; institutionName: string; streetName: string | null; category: string; dueDate: string; inspectionId: string }[] };
  };
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

  it('names the institution and the street on every row, and filters by institution, inspection, category and status', async () => {
    const all = await list('');
    expect(all.total).toBe(5); // A's three and B's two; C lies in 钟楼区
    for (const row of all.items) {
      expect(row.institutionName).toMatch(/红梅颐康养老院|天宁福寿护理院/);
      expect(row.streetName).toBe('红梅街道');
    }
    expect(ids((await list(`institutionId=${inst.a}`)).items)).toEqual(ids(hz.a));
    expect(ids((await list(`inspectionId=${insp.b}`)).items)).toEqual(ids(hz.b));
    const category = all.items[0].category;
    const byCategory = await list(`category=${category}`);
    expect(byCategory.items.length).toBeGreaterThan(0);
    expect(byCategory.items.every((r) => r.category === category)).toBe(true);
    expect((await list('status=open')).total).toBe(5);
    expect((await list('status=closed')).total).toBe(0);
    expect((await list('divisionCode=320402004')).total).toBe(5);
    expect((await list('severity=major')).total).toBe(0);
  });

  it('searches the item title, the note and the institution name (substrings, LIKE characters taken literally)', async () => {
    expect(ids((await list(`q=${encodeURIComponent('福寿')}`)).items)).toEqual(ids(hz.b));
    const byNote = await list(`q=${encodeURIComponent('旧床垫')}`);
    expect(byNote.items.map((r) => r.id)).toEqual([hz.a[0].id]);
    expect((await list(`q=${encodeURIComponent('50%旧')}`)).total).toBe(1);
    expect((await list(`q=${encodeURIComponent('%')}`)).total).toBe(1); // only the note that holds a "%"
    expect((await list(`q=${encodeURIComponent('_')}`)).total).toBe(0);
    const [{ title_zh: title }] = await t.db.query(`SELECT title_zh FROM hazard WHERE id = $1`, [hz.b[1].id]);
    const byTitle = await list(`q=${encodeURIComponent(title.slice(0, 4))}`);
    expect(byTitle.items.map((r) => r.id)).toContain(hz.b[1].id);
    // pg_trgm indexes the Chinese text of the database (its trigrams are not empty)
    const [{ n }] = await t.db.query(`SELECT array_length(show_trgm('消防通道堵塞'), 1) AS n`);
    expect(n).toBeGreaterThan(0);
  });

  it('filters by due and found date ranges (Shanghai days, inclusive) and sorts', async () => {
    const target = addDays(shanghaiDate(new Date()), 3);
    await t.http().post(`/api/hazards/${hz.a[1].id}/deadline`).set(as(officerToken)).send({ dueDate: target, reason: '设备采购周期' }).expect(200);
    expect((await list(`dueFrom=${target}&dueTo=${target}`)).items.map((r) => r.id)).toContain(hz.a[1].id);
    expect((await list(`dueFrom=${target}&dueTo=${target}`)).items.every((r) => r.dueDate === target)).toBe(true);
    expect(ids((await list('foundFrom=2026-01-10&foundTo=2026-01-10')).items)).toEqual(ids(hz.b));
    expect((await list('foundFrom=2026-01-11&foundTo=2026-01-31')).total).toBe(0);
    const found = await list('sort=found');
    expect(ids(found.items.slice(0, 2))).toEqual(ids(hz.b));
    const newest = await list('');
    expect(ids(newest.items.slice(3))).toEqual(ids(hz.b)); // default: newest found first
    const byName = (await list('sort=institution')).items.map((r) => r.institutionName);
    expect(byName).toEqual([...byName].sort((x, y) => (Buffer.from(x) < Buffer.from(y) ? -1 : 1)));
    const due = (await list('sort=-due')).items.map((r) => r.dueDate);
    expect(due).toEqual([...due].sort().reverse());
  });

  it('is scoped: an officer of another district sees none of these, and only his own', async () => {
    expect((await list(`institutionId=${inst.a}`, farToken)).total).toBe(0);
    expect(ids((await list('', farToken)).items)).toEqual(ids(hz.c));
    expect((await list(`q=${encodeURIComponent('福寿')}`, farToken)).total).toBe(0);
    const page = await t.http().get('/hazards').set('Cookie', await session({ username: officer.username, password: officer.password })).expect(200);
    expect(page.text).not.toContain('五星安康养老院');
  });

  const session = async (account: { username: string; password: string }) => {
    const res = await t.http().post('/api/auth/login').send(account).expect(200);
    return (res.headers['set-cookie'][0] as string).split(';')[0];
  };

  /** The export's 隐患编号 column of a CSV or XLSX export. */
  async function exported(url: string): Promise<string[]> {
    const res = await t.http().get(url).set(as(officerToken)).buffer(true).parse(binary).expect(200);
    if (url.includes('.csv')) {
      const rows = parseCsv((res.body as Buffer).toString('utf8').slice(1)).filter((r) => r.length > 1);
      return rows.slice(1).map((r) => r[rows[0].indexOf('隐患编号')]).sort();
    }
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as never);
    const ws = wb.worksheets[0];
    const header = (ws.getRow(2).values as unknown[]).slice(1);
    const col = header.indexOf('隐患编号') + 1;
    const out: string[] = [];
    ws.eachRow((row, n) => { if (n > 2) out.push(String(row.getCell(col).value)); });
    return out.sort();
  }

  it('exports exactly the rows of the filtered ledger, as CSV and as XLSX; the page links carry the filters', async () => {
    const cases = [`q=${encodeURIComponent('福寿')}`, `institutionId=${inst.a}`, 'foundFrom=2026-01-01&foundTo=2026-01-31', `status=open&sort=due`, ''];
    for (const query of cases) {
      const expected = ids((await list(query)).items);
      expect(await exported(`/api/exports/hazards.csv?${query}`)).toEqual(expected);
      expect(await exported(`/api/exports/hazards.xlsx?${query}`)).toEqual(expected);
    }
    const cookie = await session({ username: officer.username, password: officer.password });
    const page = (await t.http().get(`/hazards?q=${encodeURIComponent('福寿')}`).set('Cookie', cookie).expect(200)).text;
    const link = /href="(\/api\/exports\/hazards\.csv\?[^"]+)"/.exec(page)![1].replace(/&amp;/g, '&');
    expect(new URLSearchParams(link.split('?')[1]).get('q')).toBe('福寿');
    const res = await t.http().get(link).set('Cookie', cookie).buffer(true).parse(binary).expect(200);
    const rows = parseCsv((res.body as Buffer).toString('utf8').slice(1)).filter((r) => r.length > 1);
    expect(rows.slice(1).map((r) => r[rows[0].indexOf('隐患编号')]).sort()).toEqual(ids(hz.b));
    expect((page.match(/<tr data-hazard-id=/g) ?? []).length).toBe(2);
  });

  it('answers a bad filter with 400 naming the field (API, page and exports)', async () => {
    const field = async (url: string) => {
      const res = await t.http().get(url).set(as(officerToken)).expect(400);
      return (res.body.details ?? []).map((e: { field: string }) => e.field);
    };
    expect(await field('/api/hazards?dueFrom=2026-02-30')).toContain('dueFrom');
    expect(await field('/api/hazards?sort=name')).toContain('sort');
    expect(await field('/api/hazards?dueFrom=2026-03-01&dueTo=2026-02-01')).toContain('dueTo');
    expect(await field('/api/exports/hazards.csv?foundFrom=2026-03-01&foundTo=2026-02-01')).toContain('foundTo');
    expect(await field('/api/exports/hazards.xlsx?overdue=maybe')).toContain('overdue');
    const cookie = await session({ username: officer.username, password: officer.password });
    const page = await t.http().get('/hazards?dueTo=2026-13-01').set('Cookie', cookie).set('Accept', 'text/html').expect(400);
    expect(page.text).toContain('dueTo');
  });
});
