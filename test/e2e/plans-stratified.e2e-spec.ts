import { shanghaiDate } from '../../src/common/calendar';
import { drawInspections } from '../../src/inspections/domain/random-draw';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 差异化抽查 (yian-draw-v2): a 双随机 plan drawn stratum by stratum from the institutions' credit standing, each at the
 * credit rules' ratio; it re-runs to the same draw, an old uniform (v1) plan still verifies with v1, and a 失信
 * decision moves the institution into the 失信 stratum of the next plan (drawn at ratio 1) and out of the subsidy.
 */
describe('stratified (risk-weighted) 双随机 plans', () => {
  let t: TestApp;
  let officer: string;
  let inspectors: TestAccount[];
  let ids: string[];
  let institutionToken: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const today = shanghaiDate(new Date());
  const plan = (over: object = {}) => ({
    name: '2026年12月差异化抽查', kind: 'random', divisionCode: '320402', stratified: true, inspectorIds: inspectors.map((i) => i.id),
    seed: 'stratified-2026-12', scheduledFrom: '2026-12-01', scheduledTo: '2026-12-31', ...over,
  });

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    inspectors = [];
    for (let i = 0; i < 4; i++) inspectors.push(await createAccount(t, 'inspector', { divisionCode: '320402' }));
    ids = [];
    for (let i = 0; i < 12; i++) ids.push((await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: `分层测试养老院${i + 1}` })).expect(201)).body.id);
    institutionToken = await tokenFor(t, await createAccount(t, 'institution', { institutionId: ids[0] }));
  });
  afterAll(() => t.close());

  it('draws each stratum at the credit rules’ ratio, records every institution’s stratum, and re-runs to the same draw', async () => {
    const created = (await t.http().post('/api/inspection-plans').set(as(officer)).send(plan()).expect(201)).body;
    expect(created).toMatchObject({ algorithm: 'yian-draw-v2', sampleCount: null, sampleRatio: null });
    const stored = (await t.http().get(`/api/inspection-plans/${created.id}`).set(as(officer)).expect(200)).body;
    // a clean record is level A: all 12 in stratum A, drawn at 5 % — at least one
    expect(stored.drawResult.strata).toEqual([
      { code: 'A', ratio: 0.05, poolSize: 12, drawn: 1 }, { code: 'B', ratio: 0.1, poolSize: 0, drawn: 0 }, { code: 'C', ratio: 0.2, poolSize: 0, drawn: 0 },
      { code: 'D', ratio: 0.5, poolSize: 0, drawn: 0 }, { code: 'X', ratio: 1, poolSize: 0, drawn: 0 },
    ]);
    expect(stored.drawInput.institutions.every((i: { stratum: string }) => i.stratum === 'A')).toBe(true);
    expect(stored.drawInput.creditRulesVersionId).toEqual(expect.any(String));
    const verify = (await t.http().get(`/api/inspection-plans/${created.id}/verify`).set(as(officer)).expect(200)).body;
    expect(verify).toMatchObject({ algorithm: 'yian-draw-v2', reproducible: true });
    // the plan page shows each stratum's ratio and count
    const page = (await t.http().get(`/plans/${created.id}`).set(as(officer)).expect(200)).text;
    expect(page).toContain('抽查分层（按抽取时的信用等级）');
    expect(page).toMatch(/<th scope="row">[^<]*A[^<]*<\/th><td class="num">5%<\/td><td class="num">12<\/td><td class="num">1<\/td>/);
  });

  it('still verifies an old uniform plan with yian-draw-v1', async () => {
    const uniform = (await t.http().post('/api/inspection-plans').set(as(officer)).send(plan({ stratified: undefined, sampleCount: 3, seed: 'uniform-2026-12' })).expect(201)).body;
    expect(uniform.algorithm).toBe('yian-draw-v1');
    const stored = (await t.http().get(`/api/inspection-plans/${uniform.id}`).set(as(officer)).expect(200)).body;
    expect(drawInspections(stored.drawInput)).toEqual(stored.drawResult);
    expect((await t.http().get(`/api/inspection-plans/${uniform.id}/verify`).set(as(officer)).expect(200)).body).toMatchObject({ algorithm: 'yian-draw-v1', reproducible: true });
    // a plan recorded by the previous release (no strata anywhere in its input) verifies the same way
    await t.db.query(`UPDATE inspection_plan SET draw_input = draw_input - 'strataLabels' WHERE id = $1`, [uniform.id]);
    expect((await t.http().get(`/api/inspection-plans/${uniform.id}/verify`).set(as(officer)).expect(200)).body.reproducible).toBe(true);
  });

  it('refuses a stratified plan of another kind or with a sample size, naming the field', async () => {
    const kind = await t.http().post('/api/inspection-plans').set(as(officer)).send(plan({ kind: 'routine' })).expect(400);
    expect(kind.body.details[0].field).toBe('stratified');
    const count = await t.http().post('/api/inspection-plans').set(as(officer)).send(plan({ sampleCount: 2 })).expect(400);
    expect(count.body.details[0].field).toBe('sampleCount');
    expect((await t.http().post('/api/inspection-plans').set(as(officer)).send(plan({ stratified: 'yes' })).expect(400)).body.details[0].field).toBe('stratified');
  });

  it('puts an institution under a 失信 decision in the 失信 stratum of the next plan — drawn at ratio 1 — and out of the subsidy', async () => {
    const target = ids[7];
    await t.http().post('/api/credit/dishonesty').set(as(officer)).send({
      institutionId: target, reason: '虚报床位骗取运营补贴，经核查属实', legalBasis: '（局方填写的认定依据）', decidedOn: today,
    }).expect(201);
    const next = (await t.http().post('/api/inspection-plans').set(as(officer)).send(plan({ seed: 'stratified-2026-12-b' })).expect(201)).body;
    const stored = (await t.http().get(`/api/inspection-plans/${next.id}`).set(as(officer)).expect(200)).body;
    expect(stored.drawInput.institutions.find((i: { id: string }) => i.id === target).stratum).toBe('X');
    expect(stored.drawResult.strata.find((s: { code: string }) => s.code === 'X')).toEqual({ code: 'X', ratio: 1, poolSize: 1, drawn: 1 });
    expect(stored.drawResult.selected.map((s: { institutionId: string }) => s.institutionId)).toContain(target);
    expect((await t.http().get(`/api/inspection-plans/${next.id}/verify`).set(as(officer)).expect(200)).body.reproducible).toBe(true);
    // the subsidy follows the policy: not eligible while the decision is in force
    const credit = (await t.http().get(`/api/credit/institutions/${target}`).set(as(officer)).expect(200)).body;
    expect(credit.consequence.subsidy).toMatchObject({ eligible: false });
  });

  it('keeps in a 按信用频次应检 pool only the institutions behind their level’s yearly inspection count, and records it with the draw', async () => {
    const list = (await t.http().get('/api/credit/institutions?pageSize=100').set(as(officer)).expect(200)).body;
    const byId = new Map<string, { frequency: { perYear: number; counted: number; expected: number; due: boolean }; dishonest: boolean }>(list.items.map((r: { institutionId: string }) => [r.institutionId, r]));
    // the 失信 institution asks for 4 a year: one open inspection so far is behind; a level-A one with an open inspection is not
    const target = byId.get(ids[7])!;
    expect(target.frequency).toMatchObject({ perYear: 4, due: true });
    expect(target.frequency.counted).toBeGreaterThanOrEqual(1);
    const inspected = [...byId.entries()].find(([id, r]) => id !== ids[7] && r.frequency.counted > 0)!;
    // (the earlier plans draw from random ids, so an institution may have been drawn once or twice)
    expect(inspected[1].frequency).toMatchObject({ perYear: 1, expected: 1, due: false });
    expect(inspected[1].frequency.counted).toBeGreaterThanOrEqual(1);
    const due = [...byId.entries()].filter(([, r]) => r.frequency.due).map(([id]) => id).sort();
    expect(due).toContain(ids[7]);
    expect((await t.http().get('/api/credit/institutions?due=yes&pageSize=100').set(as(officer)).expect(200)).body.items.map((r: { institutionId: string }) => r.institutionId).sort()).toEqual(due);

    const routine = (await t.http().post('/api/inspection-plans').set(as(officer)).send({
      name: '2026年12月按信用频次日常检查', kind: 'routine', divisionCode: '320402', creditDue: true, inspectorIds: inspectors.map((i) => i.id), seed: 'credit-due-2026-12',
    }).expect(201)).body;
    const stored = (await t.http().get(`/api/inspection-plans/${routine.id}`).set(as(officer)).expect(200)).body;
    expect(stored.pool).toMatchObject({ creditDue: true });
    expect(stored.drawInput.institutions.map((i: { id: string }) => i.id).sort()).toEqual(due);
    expect(stored.drawInput.creditDue).toEqual({ creditRulesVersionId: expect.any(String), asOf: today, countedKinds: ['routine', 'random', 'joint', 'special'], poolBefore: 12, due: due.length });
    expect((await t.http().get(`/api/inspection-plans/${routine.id}/verify`).set(as(officer)).expect(200)).body.reproducible).toBe(true);
    const page = (await t.http().get(`/plans/${routine.id}`).set(as(officer)).expect(200)).text;
    expect(page).toContain(`12 家中 ${due.length} 家本年检查次数未达到信用等级要求`);
    // the plan's open inspections count: nobody is behind now but the 失信 one (4 a year, and December asks for all 4)
    const after = (await t.http().get('/api/credit/institutions?due=yes&pageSize=100').set(as(officer)).expect(200)).body.items.map((r: { institutionId: string }) => r.institutionId);
    expect(after).toEqual(target.frequency.counted + 1 >= target.frequency.expected ? [] : [ids[7]]);
    // the credit page says it in words; the CSV has the columns
    const creditPage = (await t.http().get(`/institutions/${ids[7]}/credit`).set(as(officer)).expect(200)).text;
    expect(creditPage).toMatch(/检查频次<\/dt><dd>(<b class="warn-text">)?本年已检查 \d+ 次（含已安排），截至今日应 \d+ 次/);
    expect(creditPage).toContain('计入：日常检查、双随机抽查、联合检查、专项整治');
    const csv = (await t.http().get('/api/credit/institutions.csv').set(as(officer)).expect(200)).text;
    expect(csv.split('\n')[0]).toContain('本年已检查（含已安排）,按频次应安排检查');
    // an unticked box is no filter at all (and a non-boolean names the field)
    expect((await t.http().post('/api/inspection-plans').set(as(officer)).send({ name: 'x', kind: 'routine', divisionCode: '320402', creditDue: 'yes', inspectorIds: inspectors.map((i) => i.id) }).expect(400)).body.details[0].field).toBe('creditDue');
  });

  it('counts an open inspection for the year it is scheduled in: one left open since last year or planned for next year does not count', async () => {
    const counted = async (id: string) => ((await t.http().get('/api/credit/institutions?pageSize=100').set(as(officer)).expect(200)).body.items
      .find((r: { institutionId: string }) => r.institutionId === id).frequency.counted) as number;
    const id = ids[7];
    const planned: { id: string; d: string | null }[] = await t.db.query(`SELECT id, scheduled_date::text AS d FROM inspection WHERE institution_id = $1 AND status IN ('assigned','in_progress')`, [id]);
    expect(planned.length).toBeGreaterThanOrEqual(1);
    const before = await counted(id);
    const year = Number(today.slice(0, 4));
    await t.db.query(`UPDATE inspection SET scheduled_date = $2 WHERE institution_id = $1 AND status IN ('assigned','in_progress')`, [id, `${year - 1}-12-31`]);
    expect(await counted(id)).toBe(before - planned.length);
    await t.db.query(`UPDATE inspection SET scheduled_date = $2 WHERE institution_id = $1 AND status IN ('assigned','in_progress')`, [id, `${year + 1}-01-01`]);
    expect(await counted(id)).toBe(before - planned.length);
    // without a scheduled date, the year it was made in (this one)
    await t.db.query(`UPDATE inspection SET scheduled_date = NULL WHERE institution_id = $1 AND status IN ('assigned','in_progress')`, [id]);
    expect(await counted(id)).toBe(before);
    for (const p of planned) await t.db.query(`UPDATE inspection SET scheduled_date = $2 WHERE id = $1`, [p.id, p.d]);
  });

  it('draws a stratified plan from a 按信用频次应检 pool with the standings the pool was filtered by, and re-runs to the same draw', async () => {
    // a new institution has no inspection this year: level A, 1 a year, due
    const fresh = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '分层测试养老院新设' })).expect(201)).body.id as string;
    const due = ((await t.http().get('/api/credit/institutions?due=yes&pageSize=100').set(as(officer)).expect(200)).body.items as { institutionId: string; dishonest: boolean }[]);
    expect(due.map((r) => r.institutionId)).toContain(fresh);
    const created = (await t.http().post('/api/inspection-plans').set(as(officer)).send(plan({ seed: 'stratified-credit-due', creditDue: true })).expect(201)).body;
    const stored = (await t.http().get(`/api/inspection-plans/${created.id}`).set(as(officer)).expect(200)).body;
    expect(stored.algorithm).toBe('yian-draw-v2');
    expect(stored.drawInput.institutions.map((i: { id: string }) => i.id).sort()).toEqual(due.map((r) => r.institutionId).sort());
    expect(stored.drawInput.creditDue).toMatchObject({ asOf: today, poolBefore: 13, due: due.length });
    const stratumOf = new Map(stored.drawInput.institutions.map((i: { id: string; stratum: string }) => [i.id, i.stratum]));
    expect(stratumOf.get(fresh)).toBe('A');
    for (const r of due) expect(stratumOf.get(r.institutionId) === 'X').toBe(r.dishonest);
    expect((await t.http().get(`/api/inspection-plans/${created.id}/verify`).set(as(officer)).expect(200)).body).toMatchObject({ algorithm: 'yian-draw-v2', reproducible: true });
  });

  it('shows the institution its stratum and that stratum’s rate on its credit page', async () => {
    const page = (await t.http().get(`/institutions/${ids[0]}/credit`).set(as(institutionToken)).expect(200)).text;
    expect(page).toMatch(/抽查分层<\/dt><dd>[^<]*A[^<]*，抽查比例 5%（被抽中与否仍由公开可复现的随机抽取决定）/);
  });
});
