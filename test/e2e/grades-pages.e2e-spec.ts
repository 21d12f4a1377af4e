import { addDays, shanghaiDate } from '../../src/common/calendar';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { tinyPng } from '../support/images';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { pdfText, savePdf, squash } from '../support/pdf';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 等级评定 pages (issue 13, item 7): the list by standing and expiry, opening (residential institutions only), scoring
 * section by section with a note for every deduction, the live prerequisites naming an open major hazard, finalization
 * through a confirmation step (blocked while the hazard is open), the result PDF, and a lowering by decision.
 */
describe('grade pages', () => {
  let t: TestApp;
  let admin: TestAccount;
  let adminToken: string;
  let verifierToken: string;
  const team: TestAccount[] = [];
  let homeId: string;
  let mealId: string;
  let parts: { code: string; title: { zh: string }; maxPoints: number; items: { code: string; title: { zh: string }; maxPoints: number }[] }[];
  const today = shanghaiDate(new Date());
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  const session = async (account: TestAccount) => {
    const res = await t.http().post('/api/auth/login').send({ username: account.username, password: account.password }).expect(200);
    return (res.headers['set-cookie'][0] as string).split(';')[0];
  };
  let cookie: string;
  const get = (path: string, status = 200) => t.http().get(path).set('Cookie', cookie).set('Accept', 'text/html').expect(status);
  const csrfOn = async (path: string) => /name="_csrf" value="([^"]+)"/.exec((await get(path)).text)![1];
  const post = async (path: string, form: Record<string, string>, from = path) =>
    t.http().post(path).set('Cookie', cookie).set('Accept', 'text/html').type('form').send({ _csrf: await csrfOn(from), ...form });

  /** A submitted inspection with one failed item that is major by default: a confirmed major hazard (as grades.e2e-spec does). */
  async function majorHazard(institutionId: string): Promise<{ id: string; itemCode: string; title: string; inspectionId: string }> {
    const lead = await tokenFor(t, team[0]);
    const ins = (await t.http().post('/api/inspections').set(as(adminToken)).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    const form = await formItems(t, lead, ins);
    const item = form.find((i) => i.severity === 'major' && i.majorCriterion && !/\.X$/.test(i.majorCriterion))!;
    const photos = [];
    for (let k = 0; k < Math.max(2, item.evidence.minPhotos); k++) photos.push(await uploadPhoto(t, lead, ins, item.code, tinyPng(16 + k, 16, [200, 40 * k, 40])));
    const res = await t.http().post(`/api/inspections/${ins}/submit`).set(as(lead)).send(submission(form, { [item.code]: photos }, team));
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    const hazard = res.body.hazards.find((h: { itemCode: string }) => h.itemCode === item.code);
    return { id: hazard.id, itemCode: item.code, title: item.title.zh, inspectionId: ins };
  }

  /** 销号 through the rectification API (another area's pages): notice, the institution's response with a photo, verification by an officer off the team. */
  async function closeHazard(h: { id: string; inspectionId: string }, institutionToken: string) {
    await t.http().post(`/api/inspections/${h.inspectionId}/notice`).set(as(adminToken)).expect(201);
    const photo = (await t.http().post(`/api/hazards/${h.id}/photos`).set(as(institutionToken))
      .attach('file', tinyPng(24, 24, [40, 160, 40]), { filename: 'after.png', contentType: 'image/png' }).expect(201)).body.id;
    const responded = await t.http().post(`/api/hazards/${h.id}/responses`).set(as(institutionToken)).send({
      whatWasFixed: '已更换电梯并取得使用登记证', otherPlacesChecked: '排查全部电梯', lastingChange: '每月维保检查', responsiblePerson: '王主任', completedOn: today, evidenceIds: [photo],
    });
    if (responded.status !== 201) throw new Error(JSON.stringify(responded.body));
    const closed = await t.http().post(`/api/hazards/${h.id}/verifications`).set(as(verifierToken)).send({ accept: true, onSite: true });
    if (closed.status !== 201) throw new Error(JSON.stringify(closed.body));
    expect(closed.body.status).toBe('closed');
  }

  /** The form fields of one section: full marks, except `deduct` (item code → [points, note]). */
  const sectionForm = (part: (typeof parts)[number], version: number, deduct: Record<string, [number, string]> = {}) => ({
    part: part.code, version: String(version),
    ...Object.fromEntries(part.items.flatMap((i) => [[`p-${i.code}`, String(deduct[i.code]?.[0] ?? i.maxPoints)], [`n-${i.code}`, deduct[i.code]?.[1] ?? '']])),
  });
  const versionOf = async (id: string) => (await t.http().get(`/api/grade-assessments/${id}`).set(as(adminToken)).expect(200)).body.version as number;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    admin = await createAccount(t, 'bureau_admin', { divisionCode: '320402' });
    adminToken = await tokenFor(t, admin);
    verifierToken = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    for (let k = 0; k < 2; k++) team.push(await createAccount(t, 'inspector', { divisionCode: '320402' }));
    homeId = (await t.http().post('/api/institutions').set(as(adminToken)).send(institutionInput({ name: '红梅等级页面颐养院' })).expect(201)).body.id;
    mealId = (await t.http().post('/api/institutions').set(as(adminToken))
      .send(institutionInput({ name: '红梅社区助餐点', kind: 'meal_point', approvedBeds: 0, occupiedBeds: 0, residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null } as never))).body.id;
    const form = (await t.http().get('/api/checklists/GBT37276-2018/versions/1').set(as(adminToken)).expect(200)).body.content;
    parts = form.parts;
    cookie = await session(admin);
  });
  afterAll(() => t?.close());

  let id: string;
  let hazard: { id: string; itemCode: string; title: string; inspectionId: string };

  it('shows a helpful empty list, and the opening form offers residential institutions only, refusing others with the reason', async () => {
    const empty = (await get('/grades')).text;
    expect(empty).toContain('还没有等级评定');
    expect(empty).toContain('href="/grades/new"');
    const form = (await get('/grades/new')).text;
    expect(form).toContain(`<option value="${homeId}"`);
    expect(form).not.toContain(`<option value="${mealId}"`);
    if (mealId) expect(form).toMatch(/红梅社区助餐点<\/b>：GB\/T 37276 等级评定仅适用于提供住宿的养老机构/);
    expect(form).toMatch(/<label for="o-form">评分表版本<\/label>/);
    const none = await post('/grades/new', { noSeriousAccident: 'true', registrationInOrder: 'true' }, '/grades/new');
    expect(none.status).toBe(400);
    expect(none.text).toContain('养老机构：请选择要评定的机构');
    if (mealId) {
      const refused = await post('/grades/new', { institutionId: mealId, noSeriousAccident: 'true', registrationInOrder: 'true' }, '/grades/new');
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('该机构不适用 GB/T 37276 等级评定');
    }
    const badVersion = await t.http().post('/api/grade-assessments').set(as(adminToken)).send({ institutionId: homeId, noSeriousAccident: true, registrationInOrder: true, formVersionNo: 99 }).expect(400);
    expect(badVersion.body.details).toEqual([expect.objectContaining({ field: 'formVersionNo', reason: 'gradeFormVersionUnknown' })]);
  });

  it('opens an assessment from the page (PRG) and shows every section with each item\'s maximum', async () => {
    const opened = await post('/grades/new', { institutionId: homeId, formVersionNo: '1', noSeriousAccident: 'true', registrationInOrder: 'true' }, '/grades/new');
    expect(opened.status).toBe(303);
    const m = /^\/grades\/([0-9a-f-]{36})\?ok=opened$/.exec(opened.headers.location);
    expect(m).not.toBeNull();
    id = m![1];
    const page = (await get(opened.headers.location)).text;
    expect(page).toContain('已开启等级评定');
    for (const p of parts) expect(page).toContain(`href="/grades/${id}?part=${p.code}"`);
    // the first section is open: each item with its maximum and labelled fields
    for (const i of parts[0].items) {
      expect(page).toContain(`<label for="p-${i.code}">得分（满分 ${i.maxPoints}）</label>`);
      expect(page).toContain(`<label for="n-${i.code}">扣分说明`);
    }
    expect(page).toContain('0/4 个部分已完成');
    expect(page).toContain('无未销号的重大隐患');
  });

  it('a deduction without a note is refused naming the item, on the page and in the API (per-part save)', async () => {
    const env = parts[0];
    const item = env.items[0];
    const version = await versionOf(id);
    const refused = await post(`/grades/${id}/scores`, sectionForm(env, version, { [item.code]: [item.maxPoints - 5, ''] }), `/grades/${id}`);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(`${item.code} ${item.title.zh} 扣分说明：${item.code} 有扣分，须填写扣分说明`);
    expect(refused.text).toContain(`value="${item.maxPoints - 5}"`); // what was typed is kept
    expect(await versionOf(id)).toBe(version); // nothing saved
    const notNumber = await post(`/grades/${id}/scores`, sectionForm(env, version, { [item.code]: ['abc' as unknown as number, ''] }), `/grades/${id}`);
    expect(notNumber.status).toBe(400);
    expect(notNumber.text).toContain(`${item.code} 的得分须为数字`);
    const api = await t.http().patch(`/api/grade-assessments/${id}/scores`).set(as(adminToken))
      .send({ part: env.code, itemPoints: { [item.code]: item.maxPoints - 5 }, version }).expect(400);
    expect(api.body.details).toEqual([expect.objectContaining({ field: `itemNotes.${item.code}`, reason: 'gradeDeductionNote', message: expect.stringContaining(item.code) })]);
    const foreign = await t.http().patch(`/api/grade-assessments/${id}/scores`).set(as(adminToken))
      .send({ part: env.code, itemPoints: { [parts[1].items[0].code]: 1 }, version }).expect(400);
    expect(foreign.body.details[0]).toMatchObject({ field: `itemPoints.${parts[1].items[0].code}`, reason: 'gradeItemNotInPart' });
  });

  it('saves section by section (PRG to the next section) and shows the progress', async () => {
    const [env, ...rest] = parts;
    const item = env.items[0];
    const saved = await post(`/grades/${id}/scores`, sectionForm(env, await versionOf(id), { [item.code]: [item.maxPoints - 5, '选址临近主干道，噪声超标'] }), `/grades/${id}`);
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/grades/${id}?ok=saved&part=${rest[0].code}`);
    const next = (await get(saved.headers.location)).text;
    expect(next).toContain('已保存该部分评分');
    expect(next).toContain('1/4 个部分已完成');
    expect(next).toContain(`已完成 · ${env.maxPoints - 5}/${env.maxPoints} 分`);
    expect(next).toContain(`<label for="p-${rest[0].items[0].code}">`);
    for (const p of rest) {
      const r = await post(`/grades/${id}/scores`, sectionForm(p, await versionOf(id)), `/grades/${id}`);
      expect(r.status).toBe(303);
    }
    const done = (await get(`/grades/${id}`)).text;
    expect(done).toContain('4/4 个部分已完成');
    expect(done).toContain(`href="/grades/${id}/finalize"`);
  });

  it('names an open major hazard live on the page; finalization is blocked by it, on the page and with requireGrade in the API', async () => {
    hazard = await majorHazard(homeId);
    const page = (await get(`/grades/${id}`)).text;
    expect(page).toContain('存在未销号的重大隐患');
    expect(page).toContain(`<a href="/hazards/${hazard.id}">${hazard.itemCode} ${hazard.title}</a>`);
    const confirm = (await get(`/grades/${id}/finalize`)).text;
    expect(confirm).toContain('不能定稿：前提条件不满足');
    expect(confirm).toContain(`${hazard.itemCode} ${hazard.title}`);
    expect(confirm).not.toContain('>确认定稿</button>');
    const version = await versionOf(id);
    const blocked = await post(`/grades/${id}/finalize`, { version: String(version), mode: 'grade', confirm: 'true' }, `/grades/${id}/finalize`);
    expect(blocked.status).toBe(409);
    expect(blocked.text).toContain(`前提条件不满足，不能评定等级：存在未销号的重大隐患：${hazard.itemCode} ${hazard.title}，不予评定等级`);
    const api = await t.http().post(`/api/grade-assessments/${id}/finalize`).set(as(adminToken)).send({ version, requireGrade: true }).expect(409);
    expect(api.body.code).toBe('grade.prerequisites_unmet');
    expect((await t.http().get(`/api/grade-assessments/${id}`).set(as(adminToken)).expect(200)).body.status).toBe('open');
  });

  it('after the hazard is closed, the confirmation states the grade, validity and subsidy basis; finalizing needs the tick', async () => {
    const institutionToken = await tokenFor(t, await createAccount(t, 'institution', { institutionId: homeId }));
    await closeHazard(hazard, institutionToken);
    const page = (await get(`/grades/${id}`)).text;
    expect(page).toContain('无未销号的重大隐患');
    const confirm = (await get(`/grades/${id}/finalize`)).text;
    const until = addDays(`${Number(today.slice(0, 4)) + 3}${today.slice(4)}`, -1);
    const cn = (d: string) => `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;
    expect(confirm).toContain('定稿后将成为最终结论');
    expect(confirm).toContain(`评定结论为“五级”，有效期自 ${cn(today)} 至 ${cn(until)}`);
    expect(confirm).toContain('运营补贴');
    const version = await versionOf(id);
    const unticked = await post(`/grades/${id}/finalize`, { version: String(version), mode: 'grade' }, `/grades/${id}/finalize`);
    expect(unticked.status).toBe(400);
    expect(unticked.text).toContain('请勾选确认');
    const done = await post(`/grades/${id}/finalize`, { version: String(version), mode: 'grade', confirm: 'true' }, `/grades/${id}/finalize`);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe(`/grades/${id}?ok=finalized`);
    const result = (await get(done.headers.location)).text;
    expect(result).toContain('已定稿');
    expect(result).toContain('五级');
    expect(result).toContain(`href="/api/grade-assessments/${id}/result.pdf"`);
    // a finalized assessment offers no scoring form and refuses a late save
    expect(result).not.toContain(`action="/grades/${id}/scores"`);
    const late = await post(`/grades/${id}/scores`, sectionForm(parts[0], await versionOf(id)), `/grades/${id}`);
    expect(late.status).toBe(409);
    expect(late.text).toContain('该等级评定已定稿');
  });

  it('the result PDF names the institution, the grade, each part, validity, assessors and the criteria — never a research tag', async () => {
    const res = await t.http().get(`/api/grade-assessments/${id}/result.pdf`).set('Cookie', cookie).buffer(true)
      .parse((r, cb) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => cb(null, Buffer.concat(chunks))); }).expect(200);
    expect(res.headers['content-type']).toMatch(/application\/pdf/);
    const text = squash(pdfText(savePdf('grade-result.pdf', res.body as Buffer)));
    for (const s of ['红梅等级页面颐养院', '五级', '环境', '设施设备', '运营管理', '服务', '995', admin.displayName, 'GB/T37276-2018', '来源待核实', '运营补贴']) expect(text).toContain(squash(s));
    expect(text).not.toContain(squash('长沙'));
    expect(text).not.toMatch(/\bS5\b|\[S\d+/);
    const page = await t.http().get(`/grades/${id}/result.pdf`).set('Cookie', cookie).expect(200);
    expect(page.headers['content-type']).toMatch(/application\/pdf/);
    // an open assessment has no result yet
    const open = (await t.http().post('/api/grade-assessments').set(as(adminToken)).send({ institutionId: homeId, noSeriousAccident: true, registrationInOrder: true }).expect(201)).body.id;
    expect((await t.http().get(`/api/grade-assessments/${open}/result.pdf`).set(as(adminToken)).expect(409)).body.code).toBe('grade.not_finalized_result');
  });

  it('lists by standing and expiry: 即将到期 highlighted, filtered and sorted', async () => {
    const list = (await get('/grades')).text;
    expect(list).toContain('现行有效');
    expect(list).toContain('评定中');
    expect((await get('/grades?status=open')).text).not.toContain('现行有效</span>');
    expect((await get('/grades?expiring=true')).text).toContain('没有符合筛选条件的等级评定');
    // the grade in force ends in 30 days: 即将到期
    await t.db.query(`UPDATE grade_assessment SET valid_until = $2 WHERE id = $1`, [id, addDays(today, 30)]);
    const soon = (await get('/grades?expiring=true&sort=expiry')).text;
    expect(soon).toContain('即将到期（30 天后到期）');
    expect(soon).toContain(`href="/grades/${id}"`);
    expect(soon).toContain('name="expiring" value="true" checked');
    const api = (await t.http().get('/api/grade-assessments?expiring=true').set(as(adminToken)).expect(200)).body;
    expect(api.items.map((r: { id: string }) => r.id)).toEqual([id]);
    expect(api.items[0]).toMatchObject({ standing: 'in_force', expiring: true, currentGrade: 5 });
    await t.http().get('/api/grade-assessments?status=nonsense').set(as(adminToken)).expect(400);
    await t.db.query(`UPDATE grade_assessment SET valid_until = $2 WHERE id = $1`, [id, addDays(`${Number(today.slice(0, 4)) + 3}${today.slice(4)}`, -1)]);
  });

  it('lowers the grade by a decision through a confirmation step', async () => {
    const page = (await get(`/grades/${id}`)).text;
    expect(page).toContain('撤销或降级');
    const form = { kind: 'lower', newGrade: '3', reason: '消防设施长期停用，经复核降为三级', basis: '本局等级复核意见（测试）', effectiveOn: today };
    const missing = await post(`/grades/${id}/decision`, { ...form, reason: '', step: 'check' }, `/grades/${id}`);
    expect(missing.status).toBe(400);
    expect(missing.text).toContain('理由：');
    const check = await post(`/grades/${id}/decision`, { ...form, step: 'check' }, `/grades/${id}`);
    expect(check.status).toBe(200);
    expect(check.text).toContain('确认撤销或降级决定');
    expect(check.text).toContain('由“五级”降为“三级”');
    expect(check.text).toContain('不能修改或删除');
    const unticked = await post(`/grades/${id}/decision`, { ...form, step: 'commit' }, `/grades/${id}`);
    expect(unticked.status).toBe(400);
    const done = await post(`/grades/${id}/decision`, { ...form, step: 'commit', confirm: 'true' }, `/grades/${id}`);
    expect(done.status).toBe(303);
    const after = (await get(done.headers.location)).text;
    expect(after).toContain('决定已作出');
    expect(after).toContain('降级为三级');
    expect((await t.http().get(`/api/institutions/${homeId}/grade`).set(as(adminToken)).expect(200)).body.grade).toBe(3);
    expect((await get('/grades?status=in_force')).text).toContain('已降级：五级 → 三级');
  });

  it('keeps other districts out', async () => {
    const far = await createAccount(t, 'bureau_officer', { divisionCode: '320404' });
    const farCookie = await session(far);
    await t.http().get(`/grades/${id}`).set('Cookie', farCookie).set('Accept', 'text/html').expect(404);
    expect((await t.http().get('/grades').set('Cookie', farCookie).set('Accept', 'text/html').expect(200)).text).toContain('还没有等级评定');
    const inst = await createAccount(t, 'institution', { institutionId: homeId });
    await t.http().get('/grades').set('Cookie', await session(inst)).set('Accept', 'text/html').expect(403);
  });
});
