import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { ChecklistsService } from '../../src/checklists/checklists.service';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const BROKEN = path.join(root, 'test/fixtures/checklists-broken');

async function checkCli(...files: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout } = await run(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/checklists/checklists-check.cli.ts', ...files], { cwd: root });
    return { code: 0, out: stdout };
  } catch (err) {
    const e = err as { code: number; stdout: string };
    return { code: e.code, out: e.stdout };
  }
}

describe('checklists: validated files, immutable versions, applicability', () => {
  let t: TestApp;
  let dir: string;
  let token: string;
  let team: TestAccount[];
  let pinnedInspection: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-checklists-'));
    for (const f of fs.readdirSync(path.join(root, 'checklists')).filter((n) => n.endsWith('.yaml'))) fs.copyFileSync(path.join(root, 'checklists', f), path.join(dir, f));
    t = await createTestApp({ CHECKLISTS_DIR: dir });
    await seedDivisions(t.db);
    token = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    // An inspection pinned to version 1, before anyone edits the checklist.
    team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
    const institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(institutionInput({ name: '版本固定测试院' })).expect(201)).body.id;
    pinnedInspection = (await t.http().post('/api/inspections').set('Authorization', `Bearer ${token}`)
      .send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
  });
  afterAll(() => t.close());
  const get = (url: string) => t.http().get(url).set('Authorization', `Bearer ${token}`);

  it('`checklists:check` passes the shipped files and names file, line, item and field for every broken fixture', async () => {
    const ok = await checkCli(path.join(root, 'checklists'));
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('ok  fire-safety-inspection.yaml  inspection_checklist fire-safety-inspection (101 items)');
    const fixtures = fs.readdirSync(BROKEN).filter((f) => f.endsWith('.yaml'));
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
    const bad = await checkCli(...fixtures.map((f) => path.join(BROKEN, f)));
    expect(bad.code).toBe(1);
    for (const f of fixtures) expect(bad.out).toMatch(new RegExp(`^  ${f.replace('.', '\\.')}:\\d+[ :]`, 'm'));
    expect(bad.out).toContain('unknown-severity.yaml:24 item GAS-003 field severity: unknown value "critical" (allowed: general, major)');
    expect(bad.out).toContain('major-unknown-criterion.yaml:16 item GAS-005 field majorCriterion: unknown criterion "MZ2023-4.9"');
    const single = await checkCli(path.join(BROKEN, 'duplicate-code.yaml'));
    expect(single).toEqual({ code: 1, out: expect.stringContaining('duplicate-code.yaml:27 item GAS-001 field code: duplicate item code "GAS-001"') });
  });

  it('publishes every shipped file as version 1 at start', async () => {
    const res = await get('/api/checklists').expect(200);
    expect(res.body.items.map((s: { code: string; current: { versionNo: number } }) => [s.code, s.current.versionNo])).toEqual([
      ['GBT37276-2018', 1], ['MZ2023', 1], ['calendar-cn-2025', 1], ['calendar-cn-2026', 1], ['changzhou', 1], ['credit-rules', 1], ['fire-safety-inspection', 1],
      ['product-policy', 1], ['safety-score', 1], ['safety-work-policy', 1], ['self-inspection-daily', 1], ['self-inspection-monthly', 1], ['subsidy-320400-2026', 1],
    ]);
    const items = await get('/api/checklists/fire-safety-inspection/versions/1/items?category=GAS').expect(200);
    expect(items.body.total).toBe(7);
    expect(items.body.items[0]).toMatchObject({ code: 'GAS-001', category: 'GAS', title: { zh: expect.any(String) } });
    // A version number PostgreSQL's int cannot hold is no such version (it was a 500 from the database before).
    for (const no of ['0', '2147483648', '99999999999999999999', 'abc']) {
      await get(`/api/checklists/fire-safety-inspection/versions/${no}`).expect(404);
      await get(`/api/checklists/fire-safety-inspection/versions/${no}/items`).expect(404);
    }
  });

  it('an edited item text becomes version 2; version 1 still answers with the old text; item codes stay', async () => {
    const file = path.join(dir, 'fire-safety-inspection.yaml');
    const v1 = (await get('/api/checklists/fire-safety-inspection/versions/1/items?category=ESC').expect(200)).body.items[0];
    const text = fs.readFileSync(file, 'utf8');
    const oldTitle: string = v1.title.zh;
    fs.writeFileSync(file, text.replace(`zh: ${oldTitle}`, 'zh: 疏散通道、楼梯间及前室无占用堵塞'));

    const report = await t.app.get(ChecklistsService).syncFromDirectory();
    expect(report).toEqual({ published: [{ code: 'fire-safety-inspection', versionNo: 2 }], activated: [{ code: 'fire-safety-inspection', versionNo: 2 }] });
    // A second start with the same files publishes nothing.
    expect(await t.app.get(ChecklistsService).syncFromDirectory()).toEqual({ published: [], activated: [] });

    const newer = (await get('/api/checklists/fire-safety-inspection/versions/2/items?category=ESC').expect(200)).body.items[0];
    const older = (await get('/api/checklists/fire-safety-inspection/versions/1/items?category=ESC').expect(200)).body.items[0];
    expect([newer.code, newer.title.zh]).toEqual([v1.code, '疏散通道、楼梯间及前室无占用堵塞']);
    expect([older.code, older.title.zh]).toEqual([v1.code, oldTitle]);
    const versions = await get('/api/checklists/fire-safety-inspection/versions').expect(200);
    expect(versions.body.items.map((v: { versionNo: number }) => v.versionNo)).toEqual([2, 1]);
    expect(versions.body.items[0].contentHash).not.toBe(versions.body.items[1].contentHash);
    const [audit] = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'rule_set.publish'`);
    expect(audit.n).toBe(14); // 13 files at start + the edited checklist
  });

  it('an inspection pinned to version 1 still shows the old text; a new inspection gets version 2', async () => {
    const v1 = (await get('/api/checklists/fire-safety-inspection/versions/1/items?category=ESC').expect(200)).body.items[0];
    const lead = await tokenFor(t, team[0]);
    const pinned = await t.http().get(`/api/inspections/${pinnedInspection}/form`).set('Authorization', `Bearer ${lead}`).expect(200);
    expect(pinned.body.checklist.versionNo).toBe(1);
    expect(pinned.body.categories[0].items[0]).toMatchObject({ code: v1.code, title: { zh: v1.title.zh } });
    const institutionId = (await t.db.query(`SELECT institution_id FROM inspection WHERE id = $1`, [pinnedInspection]))[0].institution_id;
    const fresh = (await t.http().post('/api/inspections').set('Authorization', `Bearer ${token}`)
      .send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201)).body.id;
    const current = await t.http().get(`/api/inspections/${fresh}/form`).set('Authorization', `Bearer ${lead}`).expect(200);
    expect(current.body.checklist.versionNo).toBe(2);
    expect(current.body.categories[0].items[0].title.zh).toBe('疏散通道、楼梯间及前室无占用堵塞');
  });

  it('the database refuses to change a published version', async () => {
    await expect(t.db.query(`UPDATE checklist_item SET item = '{}' WHERE code = 'ESC-001'`)).rejects.toThrow(/immutable/);
    await expect(t.db.query(`DELETE FROM rule_set_version`)).rejects.toThrow(/immutable/);
  });

  it('answers which items apply to an institution and why the others do not', async () => {
    const admin = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320400' }));
    const create = async (body: object) => (await t.http().post('/api/institutions').set('Authorization', `Bearer ${admin}`).send(body).expect(201)).body.id as string;
    const big = await create(institutionInput({ name: '四层护理院' }));
    const small = await create(institutionInput({
      name: '单层日照中心', kind: 'day_care', storeys: 1, totalAreaM2: 400, approvedBeds: 0, occupiedBeds: 0, residentsSelfCare: 0,
      residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null,
      hasFireControlRoom: false, hasAutoFireAlarm: false, hasSprinklers: false, gasSupply: 'none', hasCanteen: false, hasElevator: false,
    }));
    const tooBig = await get(`/api/institutions/${big}/applicable-items?version=99999999999999999999`).expect(400);
    expect(JSON.stringify(tooBig.body)).toContain('version');
    const bigRes = await get(`/api/institutions/${big}/applicable-items`).expect(200);
    expect(bigRes.body.checklist).toMatchObject({ code: 'fire-safety-inspection', versionNo: 2 });
    const bigCodes = bigRes.body.applicable.map((i: { code: string }) => i.code);
    expect(bigCodes).toEqual(expect.arrayContaining(['REF-001', 'GAS-001', 'NET-001', 'PPE-001']));

    const smallRes = await get(`/api/institutions/${small}/applicable-items`).expect(200);
    const smallCodes = smallRes.body.applicable.map((i: { code: string }) => i.code);
    expect(smallCodes).not.toContain('REF-001');
    expect(smallCodes).not.toContain('GAS-001');
    const ref = smallRes.body.excluded.find((e: { code: string }) => e.code === 'REF-001');
    expect(ref.reason).toMatch(/totalAreaM2 > 3000 \(实际 400\)|storeys >= 3 \(实际 1\)/);
    expect(smallRes.body.categories.find((c: { code: string }) => c.code === 'REF')).toMatchObject({ applicable: 0 });

    // Pinned to an older version on request.
    const pinned = await get(`/api/institutions/${big}/applicable-items?version=1`).expect(200);
    expect(pinned.body.checklist.versionNo).toBe(1);

    // Scope holds here too.
    const zhonglou = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320404' }));
    await t.http().get(`/api/institutions/${big}/applicable-items`).set('Authorization', `Bearer ${zhonglou}`).expect(404);
  });

  describe('building profiles that describe real buildings (issue 12)', () => {
    let admin: string;
    const NO_RESIDENTS = {
      approvedBeds: 0, occupiedBeds: 0, residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0,
      residentsSeverelyDisabled: 0, highestFloorWithDisabled: null,
    };
    const create = async (body: object) => (await t.http().post('/api/institutions').set('Authorization', `Bearer ${admin}`).send(body).expect(201)).body.id as string;
    const applicability = async (id: string) => {
      const body = (await get(`/api/institutions/${id}/applicable-items`).expect(200)).body as {
        applicable: { code: string }[]; excluded: { code: string; reason: string }[]; unverified: { code: string; reason: string }[];
      };
      return { ...body, codes: body.applicable.map((i) => i.code) };
    };
    beforeAll(async () => {
      admin = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320400' }));
    });

    it('a 600 m² day-care centre with 60 places and no beds gets the automatic fire-alarm item', async () => {
      const id = await create(institutionInput({
        name: '六十人日照中心', kind: 'day_care', storeys: 2, totalAreaM2: 600, ...NO_RESIDENTS, capacityPlaces: 60,
        hasFireControlRoom: false, hasAutoFireAlarm: false, hasSprinklers: false, gasSupply: 'none', hasCanteen: false, hasElevator: false,
      }));
      const r = await applicability(id);
      expect(r.codes).toEqual(expect.arrayContaining(['FFE-001', 'FFE-002']));
      expect(r.unverified.map((u) => u.code)).not.toContain('FFE-001');
    });

    it('a meal point gets no resident-care items and no 24-hour duty', async () => {
      const id = await create(institutionInput({
        name: '社区助餐点', kind: 'meal_point', storeys: 1, totalAreaM2: 150, ...NO_RESIDENTS, capacityPlaces: 40,
        hasFireControlRoom: false, hasAutoFireAlarm: false, hasSprinklers: false, gasSupply: 'piped', hasCanteen: true, hasElevator: false,
      }));
      const r = await applicability(id);
      const residentCare = ['SVC-001', 'SVC-003', 'SVC-004', 'SVC-006', 'SVC-008', 'SVC-009', 'SVC-011', 'SVC-012', 'SVC-013', 'SVC-014', 'SVC-015', 'SVC-016'];
      expect(r.codes.filter((c) => residentCare.includes(c))).toEqual([]);
      expect(r.codes).not.toContain('MGT-005');
      expect(r.codes.filter((c) => c.startsWith('SVC-'))).toEqual(['SVC-002', 'SVC-007']);
      expect(r.excluded.find((e) => e.code === 'MGT-005')?.reason).toBe('residentsStayOvernight (实际 否)');
      expect(r.codes).toEqual(expect.arrayContaining(['FOOD-001', 'GAS-001']));
    });

    it('refuge rooms follow the floors the facility occupies in a 12-storey commercial building, and unknown floors apply them with 楼层待核实', async () => {
      const inTower = (name: string, floors: object) => create(institutionInput({
        name, storeys: 12, insideOtherBuilding: true, hostBuildingStoreys: 12, hostBuildingUse: 'commercial', buildingHeightM: 46.5,
        totalAreaM2: 3200, highestFloorWithDisabled: null, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, ...floors,
      }));
      const low = await applicability(await inTower('商业楼一二层颐养院', { facilityLowestFloor: 1, facilityHighestFloor: 2 }));
      expect(low.codes.filter((c) => c.startsWith('REF-'))).toEqual([]);
      expect(low.excluded.find((e) => e.code === 'REF-001')?.reason).toBe('facilityFloor3OrAbove (实际 否)');

      const high = await applicability(await inTower('商业楼三至五层颐养院', { lowestFloor: 3, facilityLowestFloor: 3, facilityHighestFloor: 5 }));
      expect(high.codes).toEqual(expect.arrayContaining(['REF-001', 'REF-002', 'REF-003', 'REF-004', 'REF-005', 'REF-006']));
      expect(high.unverified.map((u) => u.code)).not.toContain('REF-001');

      const unknown = await applicability(await inTower('楼层未填颐养院', {}));
      expect(unknown.codes).toContain('REF-001');
      expect(unknown.unverified.find((u) => u.code === 'REF-001')?.reason).toBe('适用（从严）：楼层未填写，待核实');
    });
  });

  it('the service refuses to start on an invalid catalogue, naming the file and line', async () => {
    const broken = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-broken-'));
    fs.copyFileSync(path.join(BROKEN, 'unknown-severity.yaml'), path.join(broken, 'unknown-severity.yaml'));
    await expect(createTestApp({ CHECKLISTS_DIR: broken })).rejects.toThrow('unknown-severity.yaml:24 item GAS-003 field severity: unknown value "critical"');
  });
});
