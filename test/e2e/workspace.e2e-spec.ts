import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { tinyPng } from '../support/images';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 机构工作台 through the pages: the institution's home (open hazards with countdowns, notices to 签收, the score
 * with its ledger, the grade, approved subsidy lines only, the change request's status), 安全评分, 历史 (two
 * pagers), the 五到位 plan on a major hazard (refused naming the field, accepted, audited, read-only after), the
 * before/after photos, and another institution's pages answering 404/403.
 */
describe('the institution workspace (pages)', () => {
  let t: TestApp;
  let officer: TestAccount;
  let admin: TestAccount;
  let team: TestAccount[];
  let inst: TestAccount;
  let other: TestAccount;
  let institutionId: string;
  let otherInstitutionId: string;
  let inspectionId: string;
  let majorHazardId: string;
  let generalHazardId: string;
  let noticeId: string;
  let beforePhotoId: string;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });

  const sessions = new Map<string, string>();
  const session = async (a: TestAccount) => {
    if (!sessions.has(a.id)) {
      const res = await t.http().post('/api/auth/login').send({ username: a.username, password: a.password }).expect(200);
      sessions.set(a.id, (res.headers['set-cookie'][0] as string).split(';')[0]);
    }
    return sessions.get(a.id)!;
  };
  const get = async (a: TestAccount, url: string, status = 200) => (await t.http().get(url).set('Cookie', await session(a)).set('Accept', 'text/html').expect(status)).text;
  const csrfIn = (page: string) => /name="_csrf" value="([^"]+)"/.exec(page)![1];
  const post = async (a: TestAccount, url: string, form: Record<string, string>) => t.http().post(url).set('Cookie', await session(a)).type('form').send(form);
  const text = (page: string) => page.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

  beforeAll(async () => {
    t = await createTestApp({ OUTBOX_INTERVAL_MS: '200', DB_POOL_MAX: '4' });
    await seedDivisions(t.db);
    officer = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    admin = await createAccount(t, 'bureau_admin', { divisionCode: '320402' });
    const officerToken = await tokenFor(t, officer);
    team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    institutionId = (await t.http().post('/api/institutions').set(as(officerToken))
      .send(institutionInput({ name: '常州市天宁区红梅街道社会福利中心暨红梅颐养院（公建民营）护理楼' })).expect(201)).body.id;
    otherInstitutionId = (await t.http().post('/api/institutions').set(as(officerToken)).send(institutionInput({ name: '青果巷养老院' })).expect(201)).body.id;
    inst = await createAccount(t, 'institution', { institutionId });
    other = await createAccount(t, 'institution', { institutionId: otherInstitutionId });

    inspectionId = (await t.http().post('/api/inspections').set(as(officerToken))
      .send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    const lead = await tokenFor(t, team[0]);
    const items = await formItems(t, lead, inspectionId);
    const major = items.find((i) => i.severity === 'major' && i.majorCriterion && !/\.X$/.test(i.majorCriterion))!;
    const general = items.find((i) => i.severity === 'general')!;
    const photos = async (code: string, n: number) => {
      const ids: string[] = [];
      for (let k = 0; k < n; k++) ids.push(await uploadPhoto(t, lead, inspectionId, code, tinyPng(16 + k, 16, [200, 40 * k, 40])));
      return ids;
    };
    const generalPhotos = await photos(general.code, Math.max(1, general.evidence.minPhotos));
    beforePhotoId = generalPhotos[0];
    const fails = { [major.code]: await photos(major.code, Math.max(2, major.evidence.minPhotos)), [general.code]: generalPhotos };
    const res = await t.http().post(`/api/inspections/${inspectionId}/submit`).set(as(lead)).send(submission(items, fails, team));
    if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    const hazards = res.body.hazards as { id: string; itemCode: string }[];
    majorHazardId = hazards.find((h) => h.itemCode === major.code)!.id;
    generalHazardId = hazards.find((h) => h.itemCode === general.code)!.id;
    noticeId = (await t.http().post(`/api/inspections/${inspectionId}/notice`).set(as(officerToken)).send({}).expect(201)).body.id;
    // The general hazard is a week overdue: it must come first.
    await t.db.query(`UPDATE hazard SET due_date = (now() AT TIME ZONE 'Asia/Shanghai')::date - 7 WHERE id = $1`, [generalHazardId]);
  });
  afterAll(() => t?.close());

  it('home: overdue hazard first with its countdown, the notice to 签收, the score with why points were lost, the grade', async () => {
    const page = await get(inst, '/');
    const body = text(page);
    expect(page).toContain('/static/workspace.css');
    expect(body).toContain('常州市天宁区红梅街道社会福利中心暨红梅颐养院（公建民营）护理楼');
    expect(body).toContain('待整改隐患（2）');
    expect(body).toContain('已逾期 7 天');
    expect(page.indexOf(`/hazards/${generalHazardId}`)).toBeLessThan(page.indexOf(`/hazards/${majorHazardId}`));
    expect(body).toMatch(/五到位方案 \d{4}年\d{1,2}月\d{1,2}日 前提交/);
    expect(body).toContain('待签收的整改通知书（1）');
    expect(page).toContain(`action="/notices/${noticeId}/acknowledge"`);
    expect(body).toContain('为什么扣分');
    expect(body).toMatch(/重大隐患/);
    expect(body).toContain('未评级');
    expect(body).toContain('暂无已批准的运营补贴');
    // Not the bureau's home.
    expect(body).not.toContain('辖区养老机构');
  });

  it('签收 from the home: acknowledged once (audited), then gone from the list', async () => {
    const home = await get(inst, '/');
    const res = await post(inst, `/notices/${noticeId}/acknowledge`, { _csrf: csrfIn(home) });
    expect(res.status).toBe(303);
    const [audit] = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'notice.acknowledge' AND entity_id = $1`, [noticeId]);
    expect(audit.n).toBe(1);
    const after = text(await get(inst, '/'));
    expect(after).toContain('待签收的整改通知书（0）');
    expect(after).toContain('已签收 1 份');
  });

  it('安全评分: every deduction line with its explanation and a link to its hazard', async () => {
    const score = (await t.http().get(`/api/institutions/${institutionId}/score`).set(as(await tokenFor(t, inst))).expect(200)).body;
    const page = await get(inst, '/workspace/score');
    const deductions = (score.contributions as { points: number; explanation: string }[]).filter((c) => c.points !== 0);
    expect(deductions.length).toBeGreaterThan(0);
    for (const c of deductions) expect(page).toContain(c.explanation.replace(/&/g, '&amp;'));
    expect(page).toContain(`href="/hazards/${majorHazardId}"`);
    expect(text(page)).toContain(`${Number(score.score).toFixed(1)} / 100 分`);
  });

  it('subsidies: a draft schedule’s figures never reach the institution; the approved line does', async () => {
    const adminToken = await tokenFor(t, admin);
    await t.http().put(`/api/institutions/${institutionId}/operating-period`).set(as(adminToken)).send({ openedOn: '2026-01-01', reason: '设立备案回执所载日期' }).expect(200);
    const schedule = (await t.http().post('/api/subsidy-schedules').set(as(await tokenFor(t, officer)))
      .send({ divisionCode: '320402', periodStart: '2026-10-01', periodEnd: '2026-10-31' }).expect(201)).body;
    const line = (schedule.lines as { institutionId: string; amount: number }[]).find((l) => l.institutionId === institutionId)!;
    expect(line).toBeDefined();
    const draftPage = text(await get(inst, '/workspace/score'));
    expect(draftPage).toContain('暂无已批准的运营补贴');
    await t.http().post(`/api/subsidy-schedules/${schedule.id}/approve`).set(as(adminToken)).expect(200);
    const approved = text(await get(inst, '/workspace/score'));
    expect(approved).toContain('2026年10月1日 至 2026年10月31日');
    expect(approved).toContain(`¥${line.amount.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`);

    // An installation of an earlier release that approved a second version of the same period (the unique index then
    // absent): only the later version's amount is shown, the superseded one is gone.
    await t.ownerQuery(`DROP INDEX IF EXISTS subsidy_schedule_one_approved_idx`);
    const v2 = (await t.http().post('/api/subsidy-schedules').set(as(await tokenFor(t, officer)))
      .send({ divisionCode: '320402', periodStart: '2026-10-01', periodEnd: '2026-10-31' }).expect(201)).body;
    expect(v2.versionNo).toBe(schedule.versionNo + 1);
    const newer = Math.round(line.amount) + 1234.5;
    await t.db.query(`UPDATE subsidy_schedule SET status = 'approved', approved_at = now(), approved_by = $2,
        lines = (SELECT jsonb_agg(CASE WHEN l->>'institutionId' = $3 THEN jsonb_set(l, '{amount}', to_jsonb($4::numeric)) ELSE l END) FROM jsonb_array_elements(lines) l)
      WHERE id = $1`, [v2.id, admin.id, institutionId, newer]);
    const yuan = (n: number) => `¥${n.toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
    const current = text(await get(inst, '/workspace/score'));
    expect(current).toContain(yuan(newer));
    expect(current).not.toContain(yuan(line.amount));
    expect(current.split('2026年10月1日 至 2026年10月31日').length - 1).toBe(1);
  });

  it('历史: the submitted inspection with its record PDF and every hazard, paged', async () => {
    const page = await get(inst, '/workspace/history');
    const body = text(page);
    expect(page).toContain(`/hazards?inspectionId=${inspectionId}`);
    expect(body).toContain('检查记录');
    expect(page).toContain(`href="/hazards/${majorHazardId}"`);
    expect(page).toContain(`href="/hazards/${generalHazardId}"`);
    expect(body).toContain('共 2 条');
    // The record PDF once rendered (the reports queue) is linked.
    for (let i = 0; i < 50 && !(await get(inst, '/workspace/history')).includes('/report.pdf'); i++) await new Promise((r) => setTimeout(r, 200));
    expect(await get(inst, '/workspace/history')).toContain(`/api/inspections/${inspectionId}/report.pdf`);
    // A page past the end is empty, the other list keeps its page.
    expect(text(await get(inst, '/workspace/history?hp=9&ip=1'))).toContain('还没有隐患记录');
    // Bureau accounts have no workspace.
    await get(officer, '/workspace/history', 403);
  });

  it('五到位: refused naming the field (what was typed kept), then accepted, audited, and read-only', async () => {
    const page = await get(inst, `/hazards/${majorHazardId}`);
    expect(text(page)).toContain('提交“五到位”整改方案');
    const csrf = csrfIn(page);
    const plan = { measures: '拆除堵塞物，增设第二疏散楼梯', funds: '3.5 万元，机构自筹', deadline: '', responsiblePerson: '王主任', emergencyPlan: '夜间专人值守，险情时按疏散预案转移', interimMeasures: '每日巡查' };
    const refused = await post(inst, `/hazards/${majorHazardId}/plan`, { _csrf: csrf, ...plan });
    expect(refused.status).toBe(400);
    expect(text(refused.text)).toContain('完成时限：');
    expect(refused.text).toMatch(/id="plan-deadline"[^>]*aria-invalid="true"/);
    expect(refused.text).toContain('拆除堵塞物，增设第二疏散楼梯');
    const accepted = await post(inst, `/hazards/${majorHazardId}/plan`, { _csrf: csrf, ...plan, deadline: '2026-12-20' });
    expect(accepted.status).toBe(303);
    expect(accepted.headers.location).toBe(`/hazards/${majorHazardId}?ok=plan`);
    const [audit] = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'hazard.plan_submit' AND entity_id = $1`, [majorHazardId]);
    expect(audit.n).toBe(1);
    const after = await get(inst, `/hazards/${majorHazardId}?ok=plan`);
    expect(text(after)).toContain('“五到位”整改方案已提交');
    expect(text(after)).toContain('2026年12月20日');
    expect(after).not.toContain(`action="/hazards/${majorHazardId}/plan"`);
    // The bureau reads the same plan; it has no form.
    const bureau = await get(officer, `/hazards/${majorHazardId}`);
    expect(text(bureau)).toContain('拆除堵塞物，增设第二疏散楼梯');
    expect(bureau).not.toContain(`action="/hazards/${majorHazardId}/plan"`);
    // A general hazard has no plan part.
    expect(await get(inst, `/hazards/${generalHazardId}`)).not.toContain('五到位”整改方案</h2>');
  });

  it('the response shows the inspector’s before photo beside the institution’s after photo', async () => {
    const page = await get(inst, `/hazards/${generalHazardId}`);
    const res = await t.http().post(`/hazards/${generalHazardId}/respond?_csrf=${encodeURIComponent(csrfIn(page))}`).set('Cookie', await session(inst))
      .field('whatWasFixed', '清理堆放物').field('otherPlacesChecked', '全楼走廊').field('lastingChange', '每周巡查')
      .field('responsiblePerson', '王主任').field('completedOn', new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10))
      .attach('photos', tinyPng(), { filename: 'after.png', contentType: 'image/png' });
    expect(res.status).toBe(303);
    const after = await get(inst, `/hazards/${generalHazardId}`);
    const pair = /data-compare="response">([\s\S]*?)<\/div>/.exec(after)![1];
    expect(pair).toContain(`/api/evidence/${beforePhotoId}`);
    const afterId = /本次整改后照片 1/.test(pair) ? /<img class="thumb" src="\/api\/evidence\/([0-9a-f-]+)" alt="本次整改后照片 1"/.exec(pair)![1] : null;
    expect(afterId).toBeTruthy();
    // Both photos open for the institution.
    for (const id of [beforePhotoId, afterId!]) await t.http().get(`/api/evidence/${id}`).set('Cookie', await session(inst)).expect(200);
  });

  it('the change request is linked from the home with its status', async () => {
    const home = await get(inst, '/');
    expect(home).toContain(`href="/institutions/${institutionId}/change-requests"`);
    await t.db.query(
      `INSERT INTO institution_change_request (institution_id, division_path, requested_by, before, after, reason, status)
       SELECT id, division_path, $2, '{}'::jsonb, '{"bedCount": 60}'::jsonb, '床位调整', 'pending' FROM institution WHERE id = $1`, [institutionId, inst.id]);
    expect(text(await get(inst, '/'))).toMatch(/最近一次档案变更申请： ?待审核/);
  });

  it('another institution sees none of it: its pages answer 404, the plan post 404, and its home is its own', async () => {
    await get(other, `/hazards/${majorHazardId}`, 404);
    const ownHome = await get(other, '/');
    expect(text(ownHome)).toContain('青果巷养老院');
    expect(ownHome).not.toContain(majorHazardId);
    const res = await post(other, `/hazards/${majorHazardId}/plan`, { _csrf: csrfIn(ownHome), measures: 'x x', funds: '1', deadline: '2026-12-20', responsiblePerson: '某', emergencyPlan: 'x x', interimMeasures: 'x x' });
    expect(res.status).toBe(404);
    expect(text(await get(other, '/workspace/score'))).not.toContain('为什么扣分（');
    expect(await get(other, '/workspace/history')).not.toContain(inspectionId);
    await get(other, `/institutions/${institutionId}`, 404);
    const otherToken = await tokenFor(t, other);
    await t.http().get(`/api/institutions/${institutionId}/score`).set(as(otherToken)).expect(404);
    await t.http().post(`/api/hazards/${majorHazardId}/plan`).set(as(otherToken))
      .send({ measures: 'x x', funds: '1', deadline: '2026-12-20', responsiblePerson: '某', emergencyPlan: 'x x', interimMeasures: 'x x' }).expect(404);
  });
});
