import { createAccount, creditCode, institutionInput, rowCount, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';
import { BuildingProfiles1764580400000 } from '../../migrations/1764580400000-BuildingProfiles';

describe('institutions API (real PostgreSQL)', () => {
  let t: TestApp;
  let officer: string; // 天宁区 officer
  let zhonglouOfficer: string;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    zhonglouOfficer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320404' }));
  });
  afterAll(() => t.close());

  const create = (token: string, body: object, lang?: string) => {
    const req = t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`);
    if (lang) req.set('Accept-Language', lang);
    return req.send(body);
  };

  it('registers a valid institution, audits it, and reads it back', async () => {
    const input = institutionInput({ name: '红梅颐养院' });
    const res = await create(officer, input).expect(201);
    expect(res.body).toMatchObject({ name: '红梅颐养院', creditCode: input.creditCode, version: 1, storeys: 4, totalAreaM2: 5000 });
    expect(res.body.divisionPath).toBeUndefined();
    const got = await t.http().get(`/api/institutions/${res.body.id}`).set('Authorization', `Bearer ${officer}`).expect(200);
    expect(got.body.name).toBe('红梅颐养院');
    const [audit] = await t.db.query(`SELECT action, after->>'name' AS name FROM audit_event WHERE entity_id = $1`, [res.body.id]);
    expect(audit).toEqual({ action: 'institution.create', name: '红梅颐养院' });
  });

  const badInputs: [string, object, string, string][] = [
    ['wrong credit-code check character', { creditCode: '52320402MJ6156494D' }, 'creditCode', 'isCreditCode'],
    ['unknown division', { divisionCode: '320499001' }, 'divisionCode', 'divisionNotFound'],
    ['malformed division code', { divisionCode: '32040' }, 'divisionCode', 'isDivisionCode'],
    ['negative area', { totalAreaM2: -1 }, 'totalAreaM2', 'min'],
    ['zero storeys', { storeys: 0 }, 'storeys', 'min'],
    ['occupied beds above approved', { approvedBeds: 10, occupiedBeds: 11, residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null }, 'occupiedBeds', 'occupiedExceedsApproved'],
    ['residents above occupied beds', { residentsSelfCare: 100 }, 'residents', 'residentsExceedOccupied'],
    ['day-care attendees above its capacity', { kind: 'day_care', storeys: 1, approvedBeds: 0, occupiedBeds: 0, capacityPlaces: 60, residentsSelfCare: 56, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 5, residentsSeverelyDisabled: 0, highestFloorWithDisabled: 1 }, 'residents', 'residentsExceedCapacity'],
    ['unknown field', { sprinklerCount: 4 }, 'sprinklerCount', 'whitelistValidation'],
    ['unknown gas supply', { gasSupply: 'coal' }, 'gasSupply', 'isIn'],
    ['string instead of integer', { approvedBeds: '200' }, 'approvedBeds', 'isInt'],
    ['missing required field', { hasWindowBars: undefined }, 'hasWindowBars', 'isBoolean'],
    ['fractional beds', { occupiedBeds: 1.5 }, 'occupiedBeds', 'isInt'],
    ['disabled residents without their floor', { highestFloorWithDisabled: null }, 'highestFloorWithDisabled', 'disabledFloorRequired'],
    ['disabled floor above the building', { highestFloorWithDisabled: 9 }, 'highestFloorWithDisabled', 'floorOutOfBuilding'],
    ['bad phone number', { contactPhone: '12345' }, 'contactPhone', 'isPhone'],
    ['facility highest floor below its lowest', { insideOtherBuilding: true, storeys: 12, lowestFloor: 3, facilityLowestFloor: 3, facilityHighestFloor: 2, highestFloorWithDisabled: 3 }, 'facilityHighestFloor', 'floorOutOfBuilding'],
    ['facility above its host building', { insideOtherBuilding: true, storeys: 6, hostBuildingStoreys: 6, facilityHighestFloor: 7 }, 'facilityHighestFloor', 'floorOutOfBuilding'],
    ['legacy lowest floor disagreeing with the facility floor', { insideOtherBuilding: true, storeys: 12, lowestFloor: 1, facilityLowestFloor: 3 }, 'lowestFloor', 'mustMatch'],
    ['unknown host building use', { hostBuildingUse: 'factory' }, 'hostBuildingUse', 'isIn'],
    ['unknown profit status', { profitStatus: 'charity' }, 'profitStatus', 'isIn'],
    ['negative capacity', { capacityPlaces: -1 }, 'capacityPlaces', 'min'],
  ];

  it.each(badInputs)('answers 400 naming the field for %s, and writes nothing', async (_label, patch, field, reason) => {
    const before = { institutions: await rowCount(t.db, 'institution'), audit: await rowCount(t.db, 'audit_event') };
    const res = await create(officer, institutionInput(patch as never)).expect(400);
    expect(res.body.code).toBe('validation.failed');
    expect(res.body.message).toBe('提交的数据有误，请检查标出的字段');
    expect(res.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field, reason })]));
    expect(res.body.details.find((d: { field: string }) => d.field === field).message).toMatch(new RegExp(`^${field}: [^a-z]`));
    expect(res.body).not.toHaveProperty('stack');
    expect({ institutions: await rowCount(t.db, 'institution'), audit: await rowCount(t.db, 'audit_event') }).toEqual(before);
  });

  it('speaks English on request, with the constraint values in the message', async () => {
    const res = await create(officer, institutionInput({ storeys: 0 }), 'en').expect(400);
    expect(res.body.message).toBe('The submitted data is invalid; check the fields listed');
    expect(res.body.details).toContainEqual({ field: 'storeys', reason: 'min', message: 'storeys: must not be less than 1' });
    const zh = await create(officer, institutionInput({ gasSupply: 'coal' as never })).expect(400);
    expect(zh.body.details[0].message).toBe('gasSupply: 取值无效，可选：none, piped, lpg');
  });

  it('refuses a duplicate credit code with 400 on creditCode', async () => {
    const code = creditCode();
    await create(officer, institutionInput({ creditCode: code })).expect(201);
    const res = await create(officer, institutionInput({ creditCode: code })).expect(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'creditCode', reason: 'taken' })]);
  });

  it('answers a stale update with 409 and changes nothing', async () => {
    const created = (await create(officer, institutionInput())).body;
    const auth = { Authorization: `Bearer ${officer}` };
    const first = await t.http().patch(`/api/institutions/${created.id}`).set(auth).send({ version: 1, storeys: 5 }).expect(200);
    expect(first.body.version).toBe(2);
    const auditBefore = await rowCount(t.db, 'audit_event');
    const stale = await t.http().patch(`/api/institutions/${created.id}`).set(auth).send({ version: 1, storeys: 6, contactName: '王五' }).expect(409);
    expect(stale.body.code).toBe('institution.version_conflict');
    const [row] = await t.db.query('SELECT storeys, contact_name, version FROM institution WHERE id = $1', [created.id]);
    expect(row).toEqual({ storeys: 5, contact_name: '李四', version: 2 });
    expect(await rowCount(t.db, 'audit_event')).toBe(auditBefore);
  });

  it('validates the merged profile on partial updates', async () => {
    const created = (await create(officer, institutionInput())).body;
    const res = await t.http().patch(`/api/institutions/${created.id}`).set('Authorization', `Bearer ${officer}`)
      .send({ version: 1, approvedBeds: 100 }).expect(400);
    expect(res.body.details).toEqual([expect.objectContaining({ field: 'occupiedBeds', reason: 'occupiedExceedsApproved' })]);
  });

  describe('scope', () => {
    let tianning: { id: string };
    let zhonglou: { id: string };
    let institutionAccount: TestAccount;

    beforeAll(async () => {
      tianning = (await create(officer, institutionInput({ name: '天宁甲院' })).expect(201)).body;
      zhonglou = (await create(zhonglouOfficer, institutionInput({ name: '钟楼乙院', divisionCode: '320404001' })).expect(201)).body;
      institutionAccount = await createAccount(t, 'institution', { institutionId: tianning.id });
    });

    it('a district bureau lists only its own district', async () => {
      const res = await t.http().get('/api/institutions?pageSize=100').set('Authorization', `Bearer ${officer}`).expect(200);
      const names: string[] = res.body.items.map((i: { name: string }) => i.name);
      expect(names).toContain('天宁甲院');
      expect(names).not.toContain('钟楼乙院');
      expect(res.body.items.every((i: { divisionCode: string }) => i.divisionCode.startsWith('320402'))).toBe(true);
    });

    it('a district bureau filtering by another district gets 400, and reading its institution gets 404', async () => {
      const res = await t.http().get('/api/institutions?divisionCode=320404').set('Authorization', `Bearer ${officer}`).expect(400);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'divisionCode', reason: 'divisionOutOfScope' })]);
      await t.http().get(`/api/institutions/${zhonglou.id}`).set('Authorization', `Bearer ${officer}`).expect(404);
      await t.http().patch(`/api/institutions/${zhonglou.id}`).set('Authorization', `Bearer ${officer}`).send({ version: 1, storeys: 2 }).expect(404);
    });

    it('an institution account sees only itself: another institution is 404', async () => {
      const token = await tokenFor(t, institutionAccount);
      const own = await t.http().get(`/api/institutions/${tianning.id}`).set('Authorization', `Bearer ${token}`).expect(200);
      expect(own.body.name).toBe('天宁甲院');
      const other = await t.http().get(`/api/institutions/${zhonglou.id}`).set('Authorization', `Bearer ${token}`).expect(404);
      expect(other.body.code).toBe('institution.not_found');
      const list = await t.http().get('/api/institutions').set('Authorization', `Bearer ${token}`).expect(200);
      expect(list.body.items.map((i: { id: string }) => i.id)).toEqual([tianning.id]);
    });

    it('an institution account may update its contacts, but its profile only by a change request, and never its identity', async () => {
      const token = await tokenFor(t, institutionAccount);
      const profile = await t.http().patch(`/api/institutions/${tianning.id}`).set('Authorization', `Bearer ${token}`).send({ version: 1, hasWindowBars: true }).expect(403);
      expect(profile.body).toMatchObject({ code: 'institution.change_request_required', details: [expect.objectContaining({ field: 'hasWindowBars', reason: 'changeRequestRequired' })] });
      const ok = await t.http().patch(`/api/institutions/${tianning.id}`).set('Authorization', `Bearer ${token}`).send({ version: 1, contactPhone: '0519-88886666' }).expect(200);
      expect(ok.body.contactPhone).toBe('0519-88886666');
      const res = await t.http().patch(`/api/institutions/${tianning.id}`).set('Authorization', `Bearer ${token}`).send({ version: 2, status: 'closed' }).expect(403);
      expect(res.body.details).toEqual([expect.objectContaining({ field: 'status', reason: 'forbiddenForRole' })]);
      await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`).send(institutionInput()).expect(403);
    });

    it('the city bureau sees both districts', async () => {
      const city = await tokenFor(t, await createAccount(t, 'bureau_admin', { divisionCode: '320400' }));
      const res = await t.http().get('/api/institutions?pageSize=100&name=院').set('Authorization', `Bearer ${city}`).expect(200);
      const names = res.body.items.map((i: { name: string }) => i.name);
      expect(names).toEqual(expect.arrayContaining(['天宁甲院', '钟楼乙院']));
    });
  });

  it('paginates, and rejects a page size over 100', async () => {
    const res = await t.http().get('/api/institutions?page=1&pageSize=2').set('Authorization', `Bearer ${officer}`).expect(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.total).toBeGreaterThan(2);
    expect(res.body).toMatchObject({ page: 1, pageSize: 2 });
    const bad = await t.http().get('/api/institutions?pageSize=500').set('Authorization', `Bearer ${officer}`).expect(400);
    expect(bad.body.details[0]).toMatchObject({ field: 'pageSize', reason: 'max' });
  });

  it('registers a 睦邻点 (neighbourhood point) with its capacity, host building and profit status', async () => {
    const input = institutionInput({
      name: '青枫睦邻点', kind: 'neighbourhood_point', profitStatus: 'non_profit', storeys: 6, insideOtherBuilding: true,
      hostBuildingUse: 'residential', buildingHeightM: 18.6, facilityHighestFloor: 1, totalAreaM2: 180, capacityPlaces: 25,
      approvedBeds: 0, occupiedBeds: 0, residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0,
      highestFloorWithDisabled: null, hasFireControlRoom: false, hasAutoFireAlarm: false, hasSprinklers: false, gasSupply: 'none', hasCanteen: false, hasElevator: false,
    });
    const res = await create(officer, input).expect(201);
    expect(res.body).toMatchObject({
      kind: 'neighbourhood_point', profitStatus: 'non_profit', lowestFloor: 1, facilityLowestFloor: 1, facilityHighestFloor: 1,
      hostBuildingStoreys: 6, hostBuildingUse: 'residential', buildingHeightM: 18.6, capacityPlaces: 25,
    });
    const list = await t.http().get('/api/institutions?kind=neighbourhood_point').set('Authorization', `Bearer ${officer}`).expect(200);
    expect(list.body.items.map((i: { id: string }) => i.id)).toContain(res.body.id);
    // a stand-alone building occupies its own floors; facts never recorded stay null
    const plain = await create(officer, institutionInput({ storeys: 3, highestFloorWithDisabled: 3 })).expect(201);
    expect(plain.body).toMatchObject({ facilityLowestFloor: 1, facilityHighestFloor: 3, hostBuildingStoreys: null, capacityPlaces: null, profitStatus: null });
  });

  it('registers a day-care centre without beds with its 5 moderately disabled attendees (counted against its 60 places), and they decide its items', async () => {
    const input = institutionInput({
      name: '红梅日间照料中心', kind: 'day_care', storeys: 1, totalAreaM2: 450, capacityPlaces: 60, approvedBeds: 0, occupiedBeds: 0,
      residentsSelfCare: 30, residentsMildlyDisabled: 10, residentsModeratelyDisabled: 5, residentsSeverelyDisabled: 0, highestFloorWithDisabled: 1,
      hasFireControlRoom: false, hasSprinklers: false, gasSupply: 'none', hasCanteen: false, hasElevator: false,
    });
    const res = await create(officer, input).expect(201);
    expect(res.body).toMatchObject({ kind: 'day_care', capacityPlaces: 60, occupiedBeds: 0, residentsModeratelyDisabled: 5, highestFloorWithDisabled: 1 });
    const view = (await t.http().get(`/api/institutions/${res.body.id}/applicable-items`).set('Authorization', `Bearer ${officer}`).expect(200)).body;
    const codes: string[] = view.applicable.map((i: { code: string }) => i.code);
    expect(codes).toEqual(expect.arrayContaining(['ESC-008', 'PPE-003']));
  });

  it('the migration backfills the facility floors of the previous release\'s rows from storeys and lowest floor', async () => {
    const standalone = (await create(officer, institutionInput({ storeys: 4 })).expect(201)).body.id;
    const lowInTower = (await create(officer, institutionInput({ insideOtherBuilding: true, storeys: 12, lowestFloor: 1, highestFloorWithDisabled: 2 })).expect(201)).body.id;
    const topFloor = (await create(officer, institutionInput({ insideOtherBuilding: true, storeys: 5, lowestFloor: 5, highestFloorWithDisabled: 5 })).expect(201)).body.id;
    const migration = new BuildingProfiles1764580400000();
    // Migrations are the owner's work: the app's role (t.db) may not alter the tables.
    await t.asOwner(async (q) => {
      await migration.down(q); // the previous release's schema, with its rows
      await migration.up(q);
    });
    const rows: Record<string, unknown>[] = await t.db.query(
      `SELECT id, facility_lowest_floor AS low, facility_highest_floor AS high, host_building_storeys AS host, capacity_places AS places, profit_status AS profit
         FROM institution WHERE id = ANY($1) ORDER BY storeys`, [[standalone, lowInTower, topFloor]]);
    expect(rows).toEqual([
      { id: standalone, low: 1, high: 4, host: null, places: null, profit: null },
      { id: topFloor, low: 5, high: 5, host: 5, places: null, profit: null },
      { id: lowInTower, low: 1, high: null, host: 12, places: null, profit: null },
    ]);
  });

  it('needs a sign-in', async () => {
    const res = await t.http().get('/api/institutions').expect(401);
    expect(res.body).toMatchObject({ statusCode: 401, code: 'request.unauthenticated', message: '请先登录' });
  });
});
