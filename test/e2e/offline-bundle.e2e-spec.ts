import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

/** 下载今日任务: GET /api/inspections/offline-bundle, scoped to the inspector's own open assignments. */
describe('the inspector’s offline bundle', () => {
  let t: TestApp;
  let officer: string;
  let a: TestAccount; let b: TestAccount; let c: TestAccount;
  let tokenA: string; let tokenB: string;
  let institutionId: string;
  const ids: Record<string, string> = {};

  const assign = async (inst: string, team: TestAccount[]) => (await t.http().post('/api/inspections').set('Authorization', `Bearer ${officer}`)
    .send({ institutionId: inst, kind: 'random', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id as string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    [a, b, c] = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' }),
      await createAccount(t, 'inspector', { divisionCode: '320402' })];
    [tokenA, tokenB] = [await tokenFor(t, a), await tokenFor(t, b)];
    institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`)
      .send(institutionInput({ name: '青枫颐养院' })).expect(201)).body.id;
    const other = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`)
      .send(institutionInput({ name: '兰陵老年公寓' })).expect(201)).body.id;

    // Last month's inspection of 青枫颐养院, by B and C, with one failed item: the "previous finding".
    ids.earlier = await assign(institutionId, [b, c]);
    const items = await formItems(t, tokenB, ids.earlier);
    const failed = items[0];
    const photo = await uploadPhoto(t, tokenB, ids.earlier, failed.code);
    await t.http().post(`/api/inspections/${ids.earlier}/submit`).set('Authorization', `Bearer ${tokenB}`)
      .send(submission(items, { [failed.code]: [photo] }, [b, c])).expect(201);
    ids.failedCode = failed.code;

    ids.mineFirst = await assign(institutionId, [a, c]);
    ids.mineSecond = await assign(other, [a, b]);
    ids.notMine = await assign(other, [b, c]);
  });
  afterAll(() => t?.close());

  it('holds every open assignment of the caller with its form, checklist version, institution profile and previous findings', async () => {
    const res = await t.http().get('/api/inspections/offline-bundle').set('Authorization', `Bearer ${tokenA}`).expect(200);
    expect(Date.parse(res.body.generatedAt)).not.toBeNaN();
    const got = res.body.inspections.map((i: { id: string }) => i.id).sort();
    expect(got).toEqual([ids.mineFirst, ids.mineSecond].sort());

    const first = res.body.inspections.find((i: { id: string }) => i.id === ids.mineFirst);
    expect(first.pages).toEqual({ fill: `/inspections/${ids.mineFirst}/fill`, detail: `/inspections/${ids.mineFirst}` });
    // The same payload as the form endpoint, so the device can open the form from it.
    const form = await t.http().get(`/api/inspections/${ids.mineFirst}/form`).set('Authorization', `Bearer ${tokenA}`).expect(200);
    expect(first.form.checklist).toEqual(form.body.checklist);
    expect(first.form.categories).toEqual(form.body.categories);
    expect(first.form.requirements).toEqual(form.body.requirements);
    expect(first.institution).toMatchObject({ id: institutionId, name: '青枫颐养院' });
    expect(first.previousFindings).toMatchObject({ inspectionId: ids.earlier, items: [expect.objectContaining({ itemCode: ids.failedCode })] });
    expect(first.previousFindings.items).toHaveLength(1);
    expect(first.previousFindings.items[0].hazardStatusLabel).toBeTruthy();

    const second = res.body.inspections.find((i: { id: string }) => i.id === ids.mineSecond);
    expect(second.previousFindings).toBeNull(); // never inspected before
  });

  it('leaves out other inspectors’ inspections and submitted ones', async () => {
    const resA = await t.http().get('/api/inspections/offline-bundle').set('Authorization', `Bearer ${tokenA}`).expect(200);
    expect(resA.body.inspections.map((i: { id: string }) => i.id)).not.toContain(ids.notMine);
    const resB = await t.http().get('/api/inspections/offline-bundle').set('Authorization', `Bearer ${tokenB}`).expect(200);
    const mine = resB.body.inspections.map((i: { id: string }) => i.id).sort();
    expect(mine).toEqual([ids.mineSecond, ids.notMine].sort()); // not the submitted one, not A's other task
    expect(mine).not.toContain(ids.earlier);
    expect(mine).not.toContain(ids.mineFirst);
  });

  it('is the route, not an inspection id, and needs a session', async () => {
    await t.http().get('/api/inspections/offline-bundle').expect(401);
    const bureau = await t.http().get('/api/inspections/offline-bundle').set('Authorization', `Bearer ${officer}`).expect(200);
    expect(bureau.body.inspections).toEqual([]);
  });
});
