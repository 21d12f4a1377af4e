import { addDays, shanghaiDate } from '../../src/common/calendar';
import type { ChartData } from '../../src/web/dashboard-view';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, FormItem, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 监管看板 page: the chart data embedded as JSON is the caller's scope only, and every number a bar links to is the
 * ledger's count for the same filters (the bar's link, asked of GET /api/hazards). The charting library is served
 * from the app.
 */
describe('the dashboard page', () => {
  let t: TestApp;
  let tianning: TestAccount;
  let zhonglou: TestAccount;
  const tokens = new Map<TestAccount, string>();
  const hazards: Record<string, string[]> = {};

  const session = async (account: TestAccount) => {
    const res = await t.http().post('/api/auth/login').send({ username: account.username, password: account.password }).expect(200);
    return (res.headers['set-cookie'][0] as string).split(';')[0];
  };
  const page = async (account: TestAccount, query = '', status = 200) =>
    (await t.http().get(`/dashboard${query}`).set('Cookie', await session(account)).set('Accept', 'text/html').expect(status)).text;
  /** The `#dash-data` JSON block of a page. */
  const chartsOf = (text: string): ChartData[] => {
    const m = /<script type="application\/json" id="dash-data">([^<]*)<\/script>/.exec(text);
    if (!m) throw new Error('no #dash-data block');
    return JSON.parse(m[1]).charts;
  };
  const chart = (charts: ChartData[], id: string) => charts.find((c) => c.id === id)!;
  const ledgerTotal = async (account: TestAccount, href: string) => {
    const url = new URL(href, 'http://x');
    expect(url.pathname).toBe('/hazards');
    const res = await t.http().get(`/api/hazards${url.search}&pageSize=1`).set('Authorization', `Bearer ${tokens.get(account)}`).expect(200);
    return res.body.total as number;
  };

  /** An inspection of `institutionId` by `team`, submitted with `fail` (item indexes among the general items) failing. */
  async function inspect(officer: TestAccount, team: TestAccount[], institutionId: string, fail: number[]): Promise<string[]> {
    const created = await t.http().post('/api/inspections').set('Authorization', `Bearer ${tokens.get(officer)}`)
      .send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201);
    const lead = await tokenFor(t, team[0]);
    const items = await formItems(t, lead, created.body.id);
    const general = items.filter((i: FormItem) => i.severity === 'general');
    const failed: Record<string, string[]> = {};
    for (const k of fail) failed[general[k].code] = general[k].evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, lead, created.body.id, general[k].code)] : [];
    const res = await t.http().post(`/api/inspections/${created.body.id}/submit`).set('Authorization', `Bearer ${lead}`).send(submission(items, failed, team)).expect(201);
    return res.body.hazards.map((h: { id: string }) => h.id);
  }

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    tianning = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    zhonglou = await createAccount(t, 'bureau_officer', { divisionCode: '320404' });
    for (const a of [tianning, zhonglou]) tokens.set(a, await tokenFor(t, a));
    const teamT = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    const teamZ = [await createAccount(t, 'inspector', { divisionCode: '320404' }), await createAccount(t, 'inspector', { divisionCode: '320404' })];
    const own = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${tokens.get(tianning)}`)
      .send(institutionInput({ name: '天宁看板测试养老院' })).expect(201)).body.id;
    const far = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${tokens.get(zhonglou)}`)
      .send(institutionInput({ name: '钟楼看板测试养老院', divisionCode: '320404001', address: '常州市钟楼区五星街道测试路 2 号' })).expect(201)).body.id;
    // 天宁: three findings, then the second item found failing again (a repeat) with a new one.
    hazards.first = await inspect(tianning, teamT, own, [0, 1, 2]);
    hazards.second = await inspect(tianning, teamT, own, [1, 3]);
    // 钟楼: five findings, all overdue.
    hazards.far = await inspect(zhonglou, teamZ, far, [0, 1, 2, 3, 4]);
    const today = shanghaiDate(new Date());
    await t.db.query(`UPDATE hazard SET due_date = $2::date WHERE id = ANY($1)`, [[hazards.first[0], hazards.second[1]], addDays(today, -3)]);
    await t.db.query(`UPDATE hazard SET due_date = $2::date WHERE id = ANY($1)`, [[hazards.first[1]], addDays(today, -40)]);
    await t.db.query(`UPDATE hazard SET due_date = $2::date WHERE id = ANY($1)`, [hazards.far, addDays(today, -10)]);
    // One 天宁 finding closed (the state machine's steps), and the first inspection submitted at 00:30 Shanghai on the
    // first day of this month — still the previous month in UTC: the month follows the Shanghai day, as the ledger's found dates do.
    await t.db.query(`UPDATE hazard SET status = 'responded' WHERE id = $1`, [hazards.first[2]]);
    await t.db.query(`UPDATE hazard SET status = 'closed', closure_reason = 'verified', closed_at = now() WHERE id = $1`, [hazards.first[2]]);
    const firstOfMonth = `${today.slice(0, 7)}-01`;
    // (Its hazards were created by that submission, at that moment.)
    const [{ inspection_id: firstInspection }] = await t.db.query(`SELECT inspection_id FROM hazard WHERE id = $1`, [hazards.first[0]]);
    await t.db.query(`UPDATE inspection SET submitted_at = $2::timestamptz WHERE id = $1`, [firstInspection, `${firstOfMonth}T00:30:00+08:00`]);
    await t.db.query(`UPDATE hazard SET created_at = $2::timestamptz WHERE inspection_id = $1`, [firstInspection, `${firstOfMonth}T00:30:00+08:00`]);
  });
  afterAll(() => t?.close());

  it('embeds the officer’s own district only: another district’s officer sees none of its numbers, and may not ask for them', async () => {
    const own = chartsOf(await page(tianning));
    expect(chart(own, 'overdue-street').categories).toEqual(['红梅街道']);
    expect(chart(own, 'overdue-street').series[0].values).toEqual([3]);
    expect(chart(own, 'overdue-street').series[0].hrefs).toEqual(['/hazards?divisionCode=320402004&overdue=true']);
    expect(chart(own, 'repeats').series[0].values).toEqual([1]);
    const month = chart(own, 'trend');
    expect(month.categories).toHaveLength(12);
    expect(month.series.map((s) => s.values.at(-1))).toEqual([5, 1]); // found (3 + 2) and closed this month

    const farText = await page(zhonglou);
    const far = chartsOf(farText);
    expect(chart(far, 'overdue-street').categories).toEqual(['五星街道']);
    expect(chart(far, 'overdue-street').series[0].values).toEqual([5]);
    expect(far.find((c) => c.id === 'repeats')).toBeUndefined(); // no repeats there: no chart, the empty state instead
    expect(chart(far, 'trend').series.map((s) => s.values.at(-1))).toEqual([5, 0]);
    expect(farText).not.toContain('红梅街道');
    expect(farText).not.toContain('天宁看板测试养老院');
    // Asking for 天宁 from 钟楼 is refused, on the page as in the API.
    const refused = await page(zhonglou, '?divisionCode=320402', 400);
    expect(refused).not.toContain('dash-data');
  });

  it('every bar that links to the ledger counts exactly the ledger’s rows for the same filters', async () => {
    for (const account of [tianning, zhonglou]) {
      const charts = chartsOf(await page(account));
      let links = 0;
      for (const c of charts.filter((x) => ['trend', 'overdue-street', 'ageing'].includes(x.id))) {
        for (const s of c.series) {
          for (let i = 0; i < s.values.length; i++) {
            const href = s.hrefs[i];
            if (!href) continue;
            expect([c.id, s.name, c.categories[i], await ledgerTotal(account, href)]).toEqual([c.id, s.name, c.categories[i], s.values[i]]);
            links++;
          }
        }
      }
      expect(links).toBeGreaterThanOrEqual(3); // a month, a street, an age (bars of 0 link nowhere)
    }
    // The repeat chart links to the category's findings of the period: the table's count is the ledger's.
    const api = (await t.http().get('/api/dashboard').set('Authorization', `Bearer ${tokens.get(tianning)}`).expect(200)).body;
    const repeats = chart(chartsOf(await page(tianning)), 'repeats');
    expect(api.repeats).toHaveLength(1);
    expect(await ledgerTotal(tianning, repeats.series[0].hrefs[0]!)).toBe(api.repeats[0].hazards);
    expect(api.repeats[0]).toMatchObject({ repeats: 1, pairs: 1 });
    // And the KPI cards agree with the ledger too.
    expect(await ledgerTotal(tianning, '/hazards?divisionCode=320402&overdue=true')).toBe(api.totals.overdue);
  });

  it('serves Apache ECharts from the app, cacheable, without sign-in; the page loads it and its own module only', async () => {
    const res = await t.http().get('/static/vendor/echarts.esm.min.js').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=3600');
    expect(res.text.length).toBeGreaterThan(500_000);
    const text = await page(tianning);
    const scripts = [...text.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts).toEqual(['<script type="application/json" id="dash-data">', '<script type="module" src="/static/dashboard.js">']);
    // Without JavaScript the tables carry the numbers: one open table, with a caption, per chart.
    const charts = (text.match(/data-chart="/g) ?? []).length;
    expect(charts).toBeGreaterThanOrEqual(6);
    expect((text.match(/<details class="dash-table" open/g) ?? []).length).toBe(charts);
    expect((text.match(/<caption/g) ?? []).length).toBe(charts);
  });
});
