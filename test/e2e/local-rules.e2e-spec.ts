import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPORTS_QUEUE } from '../../src/outbox/job-names';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { waitForJob } from '../support/jobs';
import { pdfText } from '../support/pdf';
import { createTestApp } from '../support/test-app';

/** The 2-storey home of the issue: moderately disabled residents on floor 2, a fire control room. */
const TWO_STOREY_HOME = {
  storeys: 2, totalAreaM2: 1500, approvedBeds: 60, occupiedBeds: 50, residentsSelfCare: 20, residentsMildlyDisabled: 10,
  residentsModeratelyDisabled: 12, residentsSeverelyDisabled: 0, highestFloorWithDisabled: 2, hasFireControlRoom: true,
};
const LOCAL_DOCUMENT = '常州市深入推进“常有颐养”三年行动方案（2024–2026年）（常政办发〔2024〕16号）';
const CHANGZHOU = { code: 'changzhou', title: '常州市养老机构安全检查地方规则', document: LOCAL_DOCUMENT, clause: '第18项' };

interface ApplicableView {
  localRuleSet: { code: string } | null;
  applicable: { code: string; requiredBy: { code: string } | null }[];
  excluded: { code: string; reason: string }[];
}

/** One deployment: an app, an officer, a two-inspector team and the 2-storey home (with or without a control room). */
async function deployment(env: Record<string, string>) {
  const t = await createTestApp({ OUTBOX_INTERVAL_MS: '200', ...env });
  await seedDivisions(t.db);
  const officerAccount = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
  const officer = await tokenFor(t, officerAccount);
  const team: TestAccount[] = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
  const create = async (name: string, over: object = {}) =>
    (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`).send(institutionInput({ name, ...TWO_STOREY_HOME, ...over })).expect(201)).body.id as string;
  const home = await create('常州两层护理院');
  const noControlRoom = await create('常州两层小型护理院', { hasFireControlRoom: false });
  const preview = async (id: string): Promise<ApplicableView> =>
    (await t.http().get(`/api/institutions/${id}/applicable-items`).set('Authorization', `Bearer ${officer}`).expect(200)).body;
  /** The officer's web page of the institution's applicable items. */
  const page = async (id: string): Promise<string> => {
    const login = await t.http().post('/api/auth/login').send({ username: officerAccount.username, password: officerAccount.password }).expect(200);
    return (await t.http().get(`/institutions/${id}/checklist`).set('Cookie', (login.headers['set-cookie'][0] as string).split(';')[0]).set('Accept', 'text/html').expect(200)).text;
  };
  return { t, officer, team, home, noControlRoom, create, preview, page };
}

describe('local rule set: 常州 (LOCAL_RULE_SET=changzhou) against the national rules', () => {
  let cz: Awaited<ReturnType<typeof deployment>>;
  let national: Awaited<ReturnType<typeof deployment>>;

  beforeAll(async () => {
    cz = await deployment({ LOCAL_RULE_SET: 'changzhou' });
    national = await deployment({});
  });
  afterAll(async () => {
    await cz?.t.close();
    await national?.t.close();
  });

  it('national rules: the 2-storey home gets no masks (only above 2 storeys), no refuge-room item, no IoT duty', async () => {
    const view = await national.preview(national.home);
    expect(view.localRuleSet).toBeNull();
    const codes = view.applicable.map((i) => i.code);
    expect(codes).not.toContain('PPE-001');
    expect(codes).not.toContain('REF-007');
    expect(codes).not.toContain('NET-901');
    expect(view.excluded.find((e) => e.code === 'PPE-001')?.reason).toMatch(/storeys > 2 \(实际 2\)/);
    expect(view.applicable.every((i) => i.requiredBy === null)).toBe(true);
  });

  it('常州: the same home gets masks, the refuge-room item and IoT duty, each required by 常州', async () => {
    const view = await cz.preview(cz.home);
    expect(view.localRuleSet).toMatchObject({ code: 'changzhou', versionNo: 1 });
    const byCode = new Map(view.applicable.map((i) => [i.code, i]));
    for (const code of ['PPE-001', 'REF-007', 'NET-901']) expect([code, byCode.get(code)?.requiredBy]).toEqual([code, CHANGZHOU]);
    // everything else stays national
    expect(view.applicable.filter((i) => i.requiredBy !== null).map((i) => i.code).sort()).toEqual(['NET-901', 'PPE-001', 'REF-007']);
    // the officer's page says so too: the local rule set in force and a badge on each item it requires
    const html = await cz.page(cz.home);
    expect(html).toContain('并执行地方规则');
    expect(html.match(/<span class="tag"[^>]*>地方规则：常州市深入推进/g)?.length).toBe(3);
    expect(await national.page(national.home)).not.toMatch(/地方规则/);
  });

  it('常州: the IoT duty item only where there is a fire control room, and the exclusion says why', async () => {
    const view = await cz.preview(cz.noControlRoom);
    const codes = view.applicable.map((i) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['PPE-001', 'REF-007']));
    expect(codes).not.toContain('NET-901');
    expect(view.excluded.find((e) => e.code === 'NET-901')).toMatchObject({ reason: 'hasFireControlRoom (实际 否)', localRule: 'changzhou' });
  });

  it('常州: the refuge-room item follows the floors where the disabled residents live, not the host building\'s 12 storeys', async () => {
    const tower = { storeys: 12, insideOtherBuilding: true, hostBuildingStoreys: 12, hostBuildingUse: 'residential' as const, facilityLowestFloor: 1 };
    const groundFloor = await cz.create('常州塔楼一层护理站', { ...tower, facilityHighestFloor: 1, highestFloorWithDisabled: 1 });
    const onFloor3 = await cz.create('常州塔楼一至三层护理院', { ...tower, facilityHighestFloor: 3, highestFloorWithDisabled: 3 });
    const low = await cz.preview(groundFloor);
    expect(low.applicable.map((i) => i.code)).not.toContain('REF-007');
    expect(low.excluded.find((e) => e.code === 'REF-007')?.reason).toBe('highestFloorWithDisabled >= 2 (实际 1)');
    const high = await cz.preview(onFloor3);
    expect(high.applicable.find((i) => i.code === 'REF-007')?.requiredBy).toEqual(CHANGZHOU);
  });

  it('常州: a day-care centre without beds, with 5 moderately disabled attendees within its 60 places, gets the masks whatever its storeys', async () => {
    const dayCare = await cz.create('常州日间照料中心', {
      kind: 'day_care', storeys: 1, totalAreaM2: 450, capacityPlaces: 60, approvedBeds: 0, occupiedBeds: 0,
      residentsSelfCare: 30, residentsMildlyDisabled: 10, residentsModeratelyDisabled: 5, residentsSeverelyDisabled: 0, highestFloorWithDisabled: 1,
    });
    const view = await cz.preview(dayCare);
    const byCode = new Map(view.applicable.map((i) => [i.code, i]));
    expect(byCode.get('PPE-001')?.requiredBy).toEqual(CHANGZHOU);
    expect([...byCode.keys()]).toEqual(expect.arrayContaining(['ESC-008', 'PPE-003']));
    expect(byCode.has('REF-007')).toBe(false); // its disabled attendees are on the ground floor
  });

  it('an inspection created under 常州 pins the local rule set; its form carries the local items and cites the local document', async () => {
    const created = await cz.t.http().post('/api/inspections').set('Authorization', `Bearer ${cz.officer}`)
      .send({ institutionId: cz.home, kind: 'routine', teamUserIds: cz.team.map((m) => m.id) }).expect(201);
    const [pin] = await cz.t.db.query(
      `SELECT v.rule_set_code AS code, v.version_no AS "versionNo" FROM inspection i JOIN rule_set_version v ON v.id = i.local_rule_set_version_id WHERE i.id = $1`,
      [created.body.id],
    );
    expect(pin).toEqual({ code: 'changzhou', versionNo: 1 });

    const lead = await tokenFor(cz.t, cz.team[0]);
    const form = await cz.t.http().get(`/api/inspections/${created.body.id}/form`).set('Authorization', `Bearer ${lead}`).expect(200);
    const items = form.body.categories.flatMap((c: { items: { code: string; basisText: string }[] }) => c.items);
    const net901 = items.find((i: { code: string }) => i.code === 'NET-901');
    expect(net901.basisText).toBe(`${LOCAL_DOCUMENT}第18项`);
    expect(items.find((i: { code: string }) => i.code === 'PPE-001').basisText).toContain('常政办发〔2024〕16号');

    // A finding on the local item can be photographed, submitted and noticed; the notice cites the local document.
    const all = await formItems(cz.t, lead, created.body.id);
    const fails: Record<string, string[]> = {};
    for (const code of ['NET-901', 'PPE-001', 'ESC-002']) {
      const item = all.find((i) => i.code === code)!;
      fails[code] = item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(cz.t, lead, created.body.id, code)] : [];
    }
    const submitted = await cz.t.http().post(`/api/inspections/${created.body.id}/submit`).set('Authorization', `Bearer ${lead}`)
      .send(submission(all, fails, cz.team)).expect(201);
    expect(submitted.body.hazards.map((h: { itemCode: string }) => h.itemCode).sort()).toEqual(['ESC-002', 'NET-901', 'PPE-001']);
    const notice = (await cz.t.http().post(`/api/inspections/${created.body.id}/notice`).set('Authorization', `Bearer ${cz.officer}`).expect(201)).body;
    await waitForJob(cz.t.app, REPORTS_QUEUE, `notice-pdf-${notice.id}`);
    const pdf = await cz.t.http().get(`/api/notices/${notice.id}/pdf`).set('Authorization', `Bearer ${cz.officer}`).buffer(true)
      .parse((r, cb) => { const c: Buffer[] = []; r.on('data', (d: Buffer) => c.push(d)); r.on('end', () => cb(null, Buffer.concat(c))); }).expect(200);
    const file = path.join(os.tmpdir(), `yian-local-notice-${notice.id}.pdf`);
    fs.writeFileSync(file, pdf.body as Buffer);
    const text = pdfText(file).replace(/\s+/g, '');
    expect(text).toContain('常政办发〔2024〕16号');
    for (const forbidden of ['CMS', 'NFPA', 'K222', '参照', '条号未核实']) expect(text).not.toContain(forbidden);
  });

  it('an inspection created without a local rule set pins none and its form has no local item', async () => {
    const created = await national.t.http().post('/api/inspections').set('Authorization', `Bearer ${national.officer}`)
      .send({ institutionId: national.home, kind: 'routine', teamUserIds: national.team.map((m) => m.id) }).expect(201);
    const [row] = await national.t.db.query(`SELECT local_rule_set_version_id AS pin FROM inspection WHERE id = $1`, [created.body.id]);
    expect(row.pin).toBeNull();
    const codes = (await formItems(national.t, await tokenFor(national.t, national.team[0]), created.body.id)).map((i) => i.code);
    expect(codes).not.toContain('NET-901');
    expect(codes).not.toContain('PPE-001');
  });
});
