import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PolicyService } from '../../src/checklists/policy.service';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

const RULES = path.resolve(__dirname, '../../checklists');

/** A copy of the shipped rule files, with the product policy edited by `edit`. */
function rulesDir(edit: (policy: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-policy-'));
  for (const f of fs.readdirSync(RULES).filter((n) => n.endsWith('.yaml'))) fs.copyFileSync(path.join(RULES, f), path.join(dir, f));
  const file = path.join(dir, 'product-policy.yaml');
  fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
  return dir;
}

function replaceOnce(text: string, from: string, to: string): string {
  expect(text.split(from)).toHaveLength(2);
  return text.replace(from, to);
}

describe('product policy as versioned rule data', () => {
  let t: TestApp;
  let dir: string;
  let officer: string;
  const inspectors: TestAccount[] = [];
  const institutions: string[] = [];

  beforeAll(async () => {
    // A bureau that wants teams of three, rotates inspectors after 6 months, allows two wrong 检查码 per account in an
    // hour and a week to rate a visit.
    dir = rulesDir((p) => [
      ['  minSize:\n    value: 2', '  minSize:\n    value: 3'], ['  conflictMonths:\n    value: 12', '  conflictMonths:\n    value: 6'],
      ['    perUser:\n      value: 5', '    perUser:\n      value: 2'], ['    userWindowMinutes:\n      value: 15', '    userWindowMinutes:\n      value: 60'],
      ['  ratingWindowDays:\n    value: 30', '  ratingWindowDays:\n    value: 7'],
    ].reduce((text, [from, to]) => replaceOnce(text, from, to), p));
    t = await createTestApp({ CHECKLISTS_DIR: dir, LOCAL_RULE_SET: 'changzhou' });
    await seedDivisions(t.db);
    officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    for (let i = 0; i < 4; i++) inspectors.push(await createAccount(t, 'inspector', { divisionCode: '320402' }));
    for (let i = 0; i < 3; i++) {
      const res = await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`).send(institutionInput({ name: `策略第${i + 1}养老院` })).expect(201);
      institutions.push(res.body.id);
    }
  });
  afterAll(async () => {
    await t?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const currentVersionId = async (code: string): Promise<string> =>
    (await t.db.query('SELECT current_version_id AS id FROM rule_set WHERE code = $1', [code]))[0].id;

  it('a random draw takes team size and conflict months from the policy and pins the policy and local rule set on every inspection', async () => {
    const res = await t.http().post('/api/inspection-plans').set('Authorization', `Bearer ${officer}`).send({
      name: '2026年12月双随机抽查', kind: 'random', divisionCode: '320402', sampleCount: 1, inspectorIds: inspectors.map((i) => i.id), seed: 'policy-pin',
    }).expect(201);
    expect(res.body).toMatchObject({ teamSize: 3, conflictMonths: 6 });
    expect(res.body.drawResult.selected[0].inspectorIds).toHaveLength(3);
    const rows = await t.db.query('SELECT product_policy_version_id AS p, local_rule_set_version_id AS l FROM inspection WHERE plan_id = $1', [res.body.id]);
    expect(rows).toEqual([{ p: await currentVersionId('product-policy'), l: await currentVersionId('changzhou') }]);
    const policy = await t.app.get(PolicyService).current();
    expect(policy).toMatchObject({ versionId: rows[0].p, code: 'product-policy', versionNo: 1 });
    expect(policy.values.team.minSize).toBe(3);
  });

  it('refuses a team smaller than the policy minimum, naming the field', async () => {
    const plan = await t.http().post('/api/inspection-plans').set('Authorization', `Bearer ${officer}`).send({
      name: '两人组', kind: 'random', divisionCode: '320402', sampleCount: 1, teamSize: 2, inspectorIds: inspectors.map((i) => i.id),
    }).expect(400);
    expect(plan.body.details).toEqual([expect.objectContaining({ field: 'teamSize', reason: 'teamTooSmall', message: expect.stringContaining('3') })]);
    const adHoc = await t.http().post('/api/inspections').set('Authorization', `Bearer ${officer}`)
      .send({ institutionId: institutions[1], kind: 'routine', teamUserIds: inspectors.slice(0, 2).map((i) => i.id) }).expect(400);
    expect(adHoc.body.details).toEqual([expect.objectContaining({ field: 'teamUserIds', reason: 'teamTooSmall' })]);
  });

  it('pins both versions on an ad-hoc inspection', async () => {
    const res = await t.http().post('/api/inspections').set('Authorization', `Bearer ${officer}`)
      .send({ institutionId: institutions[2], kind: 'routine', teamUserIds: inspectors.slice(0, 3).map((i) => i.id) }).expect(201);
    const [row] = await t.db.query('SELECT product_policy_version_id AS p, local_rule_set_version_id AS l FROM inspection WHERE id = $1', [res.body.id]);
    expect(row).toEqual({ p: await currentVersionId('product-policy'), l: await currentVersionId('changzhou') });
  });

  it('a record without a pin reads the legacy values; a pinned one its own version', async () => {
    const policies = t.app.get(PolicyService);
    expect((await policies.byId(null)).values).toMatchObject({ team: { minSize: 2 }, draw: { conflictMonths: 12 }, deadlines: { rollToWorkingDay: false } });
    expect((await policies.byId(await currentVersionId('product-policy'))).values.draw.conflictMonths).toBe(6);
  });

  it('检查码: the guess limit is the policy in force, the rating window the version the inspection pinned', async () => {
    const res = await t.http().post('/api/inspections').set('Authorization', `Bearer ${officer}`)
      .send({ institutionId: institutions[0], kind: 'routine', teamUserIds: inspectors.slice(0, 3).map((i) => i.id) }).expect(201);
    const id = res.body.id as string;
    const account = await createAccount(t, 'institution', { institutionId: institutions[0] });
    const token = await tokenFor(t, account);
    const as = (r: ReturnType<ReturnType<TestApp['http']>['post']>) => r.set('Authorization', `Bearer ${token}`);
    // two wrong codes in the hour, then 429 with the wait (the shipped default would allow five)
    for (let i = 0; i < 2; i++) await as(t.http().post('/api/inspection-codes/lookup')).send({ code: `ZZZZ-ZZZ${i}` }).expect(400);
    const limited = await as(t.http().post('/api/inspection-codes/lookup')).send({ code: 'ZZZZ-ZZZ9' }).expect(429);
    expect(limited.body).toMatchObject({ code: 'inspection_code.rate_limited' });
    expect(limited.body.message).toMatch(/5[89]|60/); // minutes to wait, from the 60-minute window
    // Submitted 8 days ago under this version (7 days): too late; the same visit pinned to no version (the old 30 days): open.
    await t.db.query(`UPDATE inspection SET status = 'submitted', submitted_at = now() - interval '8 days', submission_id = gen_random_uuid() WHERE id = $1`, [id]);
    const late = await as(t.http().post(`/api/inspections/${id}/rating`)).send({ conduct: 4, clarity: 4 }).expect(409);
    expect(late.body).toMatchObject({ code: 'inspection_rating.window_closed' });
    expect(late.body.message).toContain('7 天');
    const visit = (await t.http().get(`/api/inspection-codes/visits/${id}`).set('Authorization', `Bearer ${token}`).expect(200)).body;
    expect(visit).toMatchObject({ ratingState: 'closed', ratingWindowDays: 7 });
    await t.db.query(`UPDATE inspection SET product_policy_version_id = NULL WHERE id = $1`, [id]);
    expect((await t.http().get(`/api/inspection-codes/visits/${id}`).set('Authorization', `Bearer ${token}`).expect(200)).body)
      .toMatchObject({ ratingState: 'open', ratingWindowDays: 30 });
    await as(t.http().post(`/api/inspections/${id}/rating`)).send({ conduct: 4, clarity: 5 }).expect(201);
  });

  it('the start fails when LOCAL_RULE_SET names a rule set that is not published', async () => {
    await expect(createTestApp({ CHECKLISTS_DIR: dir, LOCAL_RULE_SET: 'nowhere' })).rejects.toThrow(/LOCAL_RULE_SET=nowhere: no local rule set/);
  });
});
