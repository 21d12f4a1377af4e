import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';

interface Guidance { basis: string[]; suggestionOnly: boolean; howToCheck: { zh: string } | null; interim: { zh: string } | null }
interface Item { code: string; basisText: string; guidance: Guidance; previousFinding: Record<string, unknown> | null }
type Form = { previousInspection: Record<string, unknown> | null; categories: { items: Item[] }[]; labels: Record<string, Record<string, string>> };

/** The on-site form's guidance (检查要点与依据) and the previous inspection's findings on the same items (上次检查发现). */
describe('the form payload: guidance and the previous inspection’s findings', () => {
  let t: TestApp;
  let officer: string;
  let team: TestAccount[];
  let tokens: string[];
  let outsider: string;
  let institutionId: string;
  let otherInstitutionId: string;

  const newInspection = async (instId: string) => (await t.http().post('/api/inspections').set('Authorization', `Bearer ${officer}`)
    .send({ institutionId: instId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id as string;
  const form = async (token: string, id: string): Promise<Form> =>
    (await t.http().get(`/api/inspections/${id}/form`).set('Authorization', `Bearer ${token}`).expect(200)).body;
  const items = (f: Form) => f.categories.flatMap((c) => c.items);

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    tokens = await Promise.all(team.map((m) => tokenFor(t, m)));
    outsider = await tokenFor(t, await createAccount(t, 'inspector', { divisionCode: '320402' }));
    institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`).send(institutionInput({ name: '天宁区复查颐养院' })).expect(201)).body.id;
    otherInstitutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`).send(institutionInput({ name: '天宁区邻近颐养院' })).expect(201)).body.id;
  });
  afterAll(() => t?.close());

  it('each item carries its guidance from the checklist file only: printable citations, how to check, the interim measure', async () => {
    const f = await form(tokens[0], await newInspection(institutionId));
    expect(f.previousInspection).toBeNull();
    const all = items(f);
    expect(all.every((i) => i.previousFinding === null)).toBe(true);
    const esc = all.find((i) => i.code === 'ESC-001')!;
    // 消防法 第二十八条 and 公安部令第61号 第二十五条: the same citations the records print (basisText), one per line.
    expect(esc.guidance.basis.join('；')).toBe(esc.basisText);
    expect(esc.guidance.basis[0]).toBe('消防法 第二十八条');
    expect(esc.guidance.howToCheck?.zh).toContain('走道、楼梯间及平台无堆放物品');
    // ESC-003 cites GB 50016 with a clause marked 未核实: the title alone, never the unverified clause.
    const exits = all.find((i) => i.code === 'ESC-003');
    if (exits) expect(exits.guidance.basis.some((b) => b.includes('老年人照料设施安全出口规定'))).toBe(false);
    // An item with an interim measure (临时管控措施) sends it; nothing says "what counts as failure" (the files have no such text).
    expect(all.some((i) => i.guidance.interim && i.guidance.interim.zh)).toBe(true);
    expect(all.every((i) => !('failWhen' in i.guidance))).toBe(true);
    // A product proposal is labelled as such, not dressed up as law.
    for (const i of all.filter((x) => x.guidance.suggestionOnly)) expect(i.guidance.basis).toEqual(['本系统建议项（非法定要求）']);
    expect(f.labels.hazardStatus.closed).toBe('已销号');
  });

  it('the previous submitted inspection of the same institution shows its failed items, with the hazard status; nothing of another institution', async () => {
    const first = await newInspection(institutionId);
    const list = await formItems(t, tokens[0], first);
    const failed = list.find((i) => i.evidence.photoRequiredWhenFailed && i.severity === 'general')!;
    const photo = await uploadPhoto(t, tokens[0], first, failed.code);
    await t.http().post(`/api/inspections/${first}/submit`).set('Authorization', `Bearer ${tokens[0]}`)
      .send(submission(list, { [failed.code]: [photo] }, team)).expect(201);
    // Another institution's inspection, with its own failure on a different item: never shown on this one.
    const neighbour = await newInspection(otherInstitutionId);
    const nList = await formItems(t, tokens[0], neighbour);
    const nFailed = nList.find((i) => i.code !== failed.code && i.evidence.photoRequiredWhenFailed && i.severity === 'general')!;
    await t.http().post(`/api/inspections/${neighbour}/submit`).set('Authorization', `Bearer ${tokens[0]}`)
      .send(submission(nList, { [nFailed.code]: [await uploadPhoto(t, tokens[0], neighbour, nFailed.code)] }, team)).expect(201);

    const second = await newInspection(institutionId);
    const f = await form(tokens[1], second);
    expect(f.previousInspection).toMatchObject({ id: first, failedCount: 1 });
    expect(f.previousInspection!.dateText).toMatch(/^\d{4}年\d{1,2}月\d{1,2}日$/);
    const withFinding = items(f).filter((i) => i.previousFinding);
    expect(withFinding.map((i) => i.code)).toEqual([failed.code]);
    expect(withFinding[0].previousFinding).toMatchObject({
      note: `${failed.title.zh}：现场发现问题`, location: '2号楼3层东侧走廊', severity: 'general', scope: 'single', hazardStatus: 'open',
    });
    // The bureau looking on sees the same; an inspector off the team sees no form at all.
    expect(items(await form(officer, second)).filter((i) => i.previousFinding).map((i) => i.code)).toEqual([failed.code]);
    await t.http().get(`/api/inspections/${second}/form`).set('Authorization', `Bearer ${outsider}`).expect(404);

    // The first inspection's own form (submitted) has no "previous" — nothing before it.
    expect((await form(tokens[0], first)).previousInspection).toBeNull();
  });
});
