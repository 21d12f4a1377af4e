import ExcelJS from 'exceljs';
import { pdfText } from '../support/pdf';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ChecklistsService } from '../../src/checklists/checklists.service';
import { ScoringService } from '../../src/scoring/scoring.service';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { binary, parseCsv } from '../support/exports';
import { createTestApp, TestApp } from '../support/test-app';


describe('scores, grades, subsidies and exports', () => {
  let t: TestApp;
  let dir: string;
  let admin: TestAccount;
  let adminToken: string;
  const ids: string[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-rules-'));
    for (const f of fs.readdirSync(path.resolve(__dirname, '../../checklists')).filter((n) => n.endsWith('.yaml'))) fs.copyFileSync(path.resolve(__dirname, '../../checklists', f), path.join(dir, f));
    t = await createTestApp({ CHECKLISTS_DIR: dir });
    await seedDivisions(t.db);
    admin = await createAccount(t, 'bureau_admin', { divisionCode: '320402' });
    adminToken = await tokenFor(t, admin);
    for (const [i, name] of ['红梅颐养院', '天宁"康乐"护理院', '青龙, 社区中心'].entries()) {
      ids.push((await t.http().post('/api/institutions').set('Authorization', `Bearer ${adminToken}`)
        .send(institutionInput({ name, ...(i === 2 ? { kind: 'community_complex' } : {}) })).expect(201)).body.id);
    }
    // One inspection with two hazards for the first institution.
    const team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    const lead = await tokenFor(t, team[0]);
    const ins = (await t.http().post('/api/inspections').set('Authorization', `Bearer ${adminToken}`).send({ institutionId: ids[0], kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    const items = await formItems(t, lead, ins);
    const fails: Record<string, string[]> = {};
    for (const item of items.filter((i) => i.severity === 'general').slice(0, 2)) fails[item.code] = item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, lead, ins, item.code)] : [];
    await t.http().post(`/api/inspections/${ins}/submit`).set('Authorization', `Bearer ${lead}`).send(submission(items, fails, team)).expect(201);
    await t.app.get(ScoringService).recomputeAll('/');
  });
  afterAll(() => t.close());

  it('stores each score with its ledger and rule-set version; deductions explain themselves', async () => {
    const res = await t.http().get(`/api/institutions/${ids[0]}/score`).set('Authorization', `Bearer ${adminToken}`).expect(200);
    expect(res.body.score).toBeLessThan(100);
    expect(res.body.ruleSetCode).toBe('safety-score');
    const hazardLines = res.body.contributions.filter((c: { kind: string }) => c.kind === 'hazard');
    expect(hazardLines).toHaveLength(2);
    for (const c of hazardLines) expect(c.points).toBeLessThan(0);
    const sum = res.body.contributions.reduce((s: number, c: { points: number }) => s + c.points, 0);
    expect(Math.round((100 + sum) * 10) / 10).toBe(res.body.score);
    const clean = await t.http().get(`/api/institutions/${ids[1]}/score`).set('Authorization', `Bearer ${adminToken}`).expect(200);
    expect(clean.body.score).toBe(100);
    // The set-based recompute of a whole city and the one-institution recompute agree exactly.
    await t.app.get(ScoringService).recompute(ids[0]);
    const single = await t.http().get(`/api/institutions/${ids[0]}/score`).set('Authorization', `Bearer ${adminToken}`).expect(200);
    expect(single.body.id).not.toBe(res.body.id);
    expect([single.body.score, single.body.contributions]).toEqual([res.body.score, res.body.contributions]);
  });

  it('a changed rule set becomes a new version; an approved subsidy snapshot does not change', async () => {
    // December: the institutions were registered (opened) today, so a schedule pays them only from today on (issue 12)
    const created = await t.http().post('/api/subsidy-schedules').set('Authorization', `Bearer ${adminToken}`)
      .send({ divisionCode: '320402', periodStart: '2026-12-01', periodEnd: '2026-12-31' }).expect(201);
    expect(created.body).toMatchObject({ status: 'draft', versionNo: 1, policyVersionNo: 1 });
    expect(created.body.lines).toHaveLength(3);
    expect(created.body.total).toBeGreaterThan(0);
    for (const line of created.body.lines) {
      const sum = line.lines.reduce((s: number, l: { amount: number }) => s + Math.round(l.amount * 100), 0) / 100;
      expect(sum).toBeCloseTo(line.amount, 2);
    }
    const approved = await t.http().post(`/api/subsidy-schedules/${created.body.id}/approve`).set('Authorization', `Bearer ${adminToken}`).expect(200);
    expect(approved.body.status).toBe('approved');

    // The bureau edits the policy: a new version is published at the next start.
    const policyFile = fs.readdirSync(dir).find((f) => f.startsWith('subsidy-policy'))!;
    const text = fs.readFileSync(path.join(dir, policyFile), 'utf8');
    fs.writeFileSync(path.join(dir, policyFile), `${text}\n# 2026-11-23 局务会调整\n`);
    const report = await t.app.get(ChecklistsService).syncFromDirectory();
    expect(report.published.map((p) => p.versionNo)).toEqual([2]);
    const again = await t.http().post('/api/subsidy-schedules').set('Authorization', `Bearer ${adminToken}`)
      .send({ divisionCode: '320402', periodStart: '2026-12-01', periodEnd: '2026-12-31' }).expect(201);
    expect(again.body).toMatchObject({ versionNo: 2, policyVersionNo: 2, status: 'draft' });

    const frozen = await t.http().get(`/api/subsidy-schedules/${created.body.id}`).set('Authorization', `Bearer ${adminToken}`).expect(200);
    expect(frozen.body).toEqual(approved.body);
    await expect(t.db.query(`UPDATE subsidy_schedule SET total = 0 WHERE id = $1`, [created.body.id])).rejects.toThrow(/approved and frozen/);
    await t.http().post(`/api/subsidy-schedules/${created.body.id}/approve`).set('Authorization', `Bearer ${adminToken}`).expect(409);
  });

  it('exports compliance scores as CSV (UTF-8 BOM) and XLSX with Chinese headers, parsed back', async () => {
    const csv = await t.http().get('/api/exports/compliance.csv').set('Authorization', `Bearer ${adminToken}`).buffer(true).parse(binary).expect(200).expect('Content-Type', /text\/csv/);
    const text = (csv.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const rows = parseCsv(text.slice(1)).filter((r) => r.length > 1);
    expect(rows[0].slice(0, 6)).toEqual(['机构名称', '统一社会信用代码', '所在区划', '机构类型', '状态', '安全得分']);
    expect(rows.slice(1).map((r) => r[0]).sort()).toEqual(['天宁"康乐"护理院', '红梅颐养院', '青龙, 社区中心'].sort());
    const first = rows.find((r) => r[0] === '红梅颐养院')!;
    expect(Number(first[rows[0].indexOf('未销号隐患')])).toBe(2);

    const xlsx = await t.http().get('/api/exports/compliance.xlsx').set('Authorization', `Bearer ${adminToken}`).buffer(true).parse(binary).expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    const ws = wb.worksheets[0];
    expect(ws.views[0]).toMatchObject({ state: 'frozen' });
    const header = (ws.getRow(2).values as unknown[]).slice(1);
    expect(header.slice(0, 3)).toEqual(['机构名称', '统一社会信用代码', '所在区划']);
    const names: string[] = [];
    ws.eachRow((row, n) => { if (n > 2) names.push(String(row.getCell(1).value)); });
    expect(names.sort()).toEqual(['天宁"康乐"护理院', '红梅颐养院', '青龙, 社区中心'].sort());
  });

  it('exports the hazard ledger with its status history', async () => {
    const csv = await t.http().get('/api/exports/hazards.csv').set('Authorization', `Bearer ${adminToken}`).buffer(true).parse(binary).expect(200);
    const rows = parseCsv((csv.body as Buffer).toString('utf8').slice(1)).filter((r) => r.length > 1);
    expect(rows[0]).toContain('处理记录');
    expect(rows).toHaveLength(3);
    expect(rows[1][rows[0].indexOf('处理记录')]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} /);
  });

  it('renders the subsidy schedule as XLSX and as a Chinese PDF with the institutions and the total', async () => {
    const list = await t.http().get('/api/subsidy-schedules').set('Authorization', `Bearer ${adminToken}`).expect(200);
    const id = list.body.items[0].id;
    const schedule = (await t.http().get(`/api/subsidy-schedules/${id}`).set('Authorization', `Bearer ${adminToken}`)).body;
    const pdf = await t.http().get(`/api/subsidy-schedules/${id}/export.pdf`).set('Authorization', `Bearer ${adminToken}`).buffer(true).parse(binary).expect(200);
    const file = path.join(os.tmpdir(), `yian-subsidy-${id}.pdf`);
    fs.writeFileSync(file, pdf.body as Buffer);
    const text = pdfText(file).replace(/\s+/g, '');
    expect(text).toContain('红梅颐养院');
    expect(text).toContain(schedule.total.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
    const xlsx = await t.http().get(`/api/subsidy-schedules/${id}/export.xlsx`).set('Authorization', `Bearer ${adminToken}`).buffer(true).parse(binary).expect(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(xlsx.body as never);
    const amounts: number[] = [];
    wb.worksheets[0].eachRow((row, n) => { if (n > 2) amounts.push(Number(row.getCell(6).value)); });
    expect(Math.round(amounts.reduce((a, b) => a + b, 0) * 100) / 100).toBeCloseTo(schedule.total, 2);
  });

  it('runs a grade assessment: every deduction needs a note; the grade follows from the thresholds and is valid for 3 years', async () => {
    const form = (await t.http().get('/api/checklists/GBT37276-2018/versions/1').set('Authorization', `Bearer ${adminToken}`).expect(200)).body.content;
    const items: { code: string; maxPoints: number }[] = form.parts.flatMap((p: { items: { code: string; maxPoints: number }[] }) => p.items);
    const opened = await t.http().post('/api/grade-assessments').set('Authorization', `Bearer ${adminToken}`)
      .send({ institutionId: ids[1], noSeriousAccident: true, registrationInOrder: true }).expect(201);
    expect(opened.body.prerequisites).toEqual({ noOpenMajorHazard: true, noSeriousAccident: true, registrationInOrder: true });
    const points = Object.fromEntries(items.map((i) => [i.code, i.maxPoints]));
    points[items[0].code] = items[0].maxPoints - 5;
    const scored = await t.http().patch(`/api/grade-assessments/${opened.body.id}/scores`).set('Authorization', `Bearer ${adminToken}`)
      .send({ itemPoints: points, version: opened.body.version }).expect(200);
    const missingNote = await t.http().post(`/api/grade-assessments/${opened.body.id}/finalize`).set('Authorization', `Bearer ${adminToken}`).send({ version: scored.body.version }).expect(422);
    expect(missingNote.body.details).toEqual([expect.objectContaining({ field: `itemNotes.${items[0].code}`, reason: 'gradeDeductionNote' })]);
    const tooMany = await t.http().patch(`/api/grade-assessments/${opened.body.id}/scores`).set('Authorization', `Bearer ${adminToken}`)
      .send({ itemPoints: { [items[1].code]: items[1].maxPoints + 1 }, version: scored.body.version }).expect(400);
    expect(tooMany.body.details[0].field).toBe(`itemPoints.${items[1].code}`);
    const noted = await t.http().patch(`/api/grade-assessments/${opened.body.id}/scores`).set('Authorization', `Bearer ${adminToken}`)
      .send({ itemPoints: {}, itemNotes: { [items[0].code]: '选址临近主干道，噪声超标' }, version: scored.body.version }).expect(200);
    const done = await t.http().post(`/api/grade-assessments/${opened.body.id}/finalize`).set('Authorization', `Bearer ${adminToken}`).send({ version: noted.body.version }).expect(200);
    expect(done.body).toMatchObject({ status: 'finalized', total: 995, gradeLabel: '五级', grade: 5 });
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    expect(done.body.validUntil.slice(0, 4)).toBe(String(Number(today.slice(0, 4)) + 3));
    const [audit] = await t.db.query(`SELECT after FROM audit_event WHERE action = 'grade.finalize' AND entity_id = $1`, [opened.body.id]);
    expect(audit.after).toMatchObject({ total: 995, grade: '五级' });
  });

  it('a district admin cannot read another district’s exports or schedules', async () => {
    const zl = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320404' }));
    const csv = await t.http().get('/api/exports/compliance.csv').set('Authorization', `Bearer ${zl}`).buffer(true).parse(binary).expect(200);
    expect(parseCsv((csv.body as Buffer).toString('utf8').slice(1)).filter((r) => r.length > 1)).toHaveLength(1);
    await t.http().get('/api/exports/compliance.csv?divisionCode=320402').set('Authorization', `Bearer ${zl}`).expect(400);
    const list = await t.http().get('/api/subsidy-schedules').set('Authorization', `Bearer ${zl}`).expect(200);
    expect(list.body.total).toBe(0);
  });
});
