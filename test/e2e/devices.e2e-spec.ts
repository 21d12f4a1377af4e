import { signEvents } from '../../src/devices/domain/device-rules';
import { DevicesService } from '../../src/devices/devices.service';
import { createAccount, institutionInput, rowCount, seedDivisions, tokenFor, TestAccount } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

/**
 * 消防物联网 / 云值班: signed, idempotent, rate-limited ingestion (401 / 429 / 400 with nothing written); an alarm's duty
 * clock confirmed by the institution or escalated to the bureau exactly once; an impaired device as a finding
 * candidate; repeated false alarms flag maintenance; scope.
 */
describe('device events', () => {
  let t: TestApp;
  let officer: string;
  let farOfficer: string;
  let inspector: string;
  let inspectorAccount: TestAccount;
  let secondInspector: TestAccount;
  let inst: string;
  let otherInst: string;
  let id: string;
  let cred: { id: string; keyId: string; secret: string };
  let clock: Date;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  const counts = async () => ({
    events: await rowCount(t.db, 'device_event'), alarms: await rowCount(t.db, 'device_alarm'), notifications: await rowCount(t.db, 'notification'),
  });
  /** Sends a batch signed with the credential (or with `sign` overriding the signature), as of the test clock. */
  const send = (body: unknown, opts: { key?: string; secret?: string; signature?: string; timestamp?: string; raw?: string } = {}) => {
    const raw = opts.raw ?? JSON.stringify(body);
    const timestamp = opts.timestamp ?? String(Math.floor(clock.getTime() / 1000));
    const req = t.http().post('/api/devices/events').set('Content-Type', 'application/json');
    if (opts.key !== '') req.set('X-Yian-Key', opts.key ?? cred.keyId);
    req.set('X-Yian-Timestamp', timestamp);
    if (opts.signature !== '') req.set('X-Yian-Signature', opts.signature ?? signEvents(opts.secret ?? cred.secret, timestamp, raw));
    return req.send(raw);
  };
  const event = (eventId: string, device: string, type: string, at = clock) => ({ id: eventId, device, type, occurredAt: at.toISOString() });

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    farOfficer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320404' }));
    inspectorAccount = await createAccount(t, 'inspector', { divisionCode: '320402' });
    secondInspector = await createAccount(t, 'inspector', { divisionCode: '320402' });
    inspector = await tokenFor(t, inspectorAccount);
    id = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput({ name: '红梅物联颐养院' })).expect(201)).body.id;
    inst = await tokenFor(t, await createAccount(t, 'institution', { institutionId: id }));
    const other = (await t.http().post('/api/institutions').set(as(officer)).send(institutionInput()).expect(201)).body.id;
    otherInst = await tokenFor(t, await createAccount(t, 'institution', { institutionId: other }));
    clock = new Date();
    t.app.get(DevicesService).now = () => clock;
  });
  afterAll(() => t.close());

  it('issues a gateway credential (the secret once) and registers the institution’s devices under it', async () => {
    const issued = await t.http().post(`/api/institutions/${id}/device-credentials`).set(as(inst)).send({ name: '一号楼报警主机网关' }).expect(201);
    expect(issued.body).toMatchObject({ kind: 'institution', keyId: expect.stringMatching(/^yk_[a-z0-9]{20}$/), secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    cred = issued.body;
    for (const [vendorDeviceId, type, location] of [['SD-301', 'smoke_detector', '三楼东侧走廊'], ['GAS-1', 'gas_detector', '厨房燃气表旁'], ['GW-1', 'alarm_panel_gateway', '消防控制室']]) {
      await t.http().post(`/api/institutions/${id}/devices`).set(as(inst)).send({ credentialId: cred.id, vendorDeviceId, type, location }).expect(201);
    }
    const registry = (await t.http().get(`/api/institutions/${id}/devices`).set(as(inst)).expect(200)).body;
    expect(registry.devices.map((d: { vendorDeviceId: string; status: string }) => `${d.vendorDeviceId}:${d.status}`).sort()).toEqual(['GAS-1:online', 'GW-1:online', 'SD-301:online']);
    expect(JSON.stringify(registry)).not.toContain(cred.secret);
    // bad input names the field; a duplicate is a conflict; another institution's credential is not usable; scope
    const bad = await t.http().post(`/api/institutions/${id}/devices`).set(as(inst)).send({ credentialId: cred.id, vendorDeviceId: 'a b', type: 'radar', location: '' }).expect(400);
    expect(bad.body.details.map((f: { field: string }) => f.field).sort()).toEqual(['location', 'type', 'vendorDeviceId']);
    const dup = await t.http().post(`/api/institutions/${id}/devices`).set(as(inst)).send({ credentialId: cred.id, vendorDeviceId: 'SD-301', type: 'smoke_detector', location: '别处' }).expect(409);
    expect(dup.body.details[0].field).toBe('vendorDeviceId');
    await t.http().get(`/api/institutions/${id}/devices`).set(as(otherInst)).expect(404);
    await t.http().get(`/api/institutions/${id}/devices`).set(as(farOfficer)).expect(404);
    const [audit] = await t.db.query(`SELECT after FROM audit_event WHERE action = 'device_credential.issue' AND entity_id = $1`, [cred.id]);
    expect(JSON.stringify(audit.after)).not.toContain(cred.secret);
  });

  it('refuses unsigned, wrongly signed, stale and unknown-key requests with 401, writing nothing', async () => {
    const before = await counts();
    const body = { events: [event('e-unsigned', 'SD-301', 'alarm')] };
    expect((await send(body, { signature: '' }).expect(401)).body.code).toBe('device.key_missing');
    expect((await send(body, { key: '' }).expect(401)).body.code).toBe('device.key_missing');
    expect((await send(body, { secret: 'f'.repeat(64) }).expect(401)).body.code).toBe('device.signature_invalid');
    expect((await send(body, { key: 'yk_aaaaaaaaaaaaaaaaaaaa' }).expect(401)).body.code).toBe('device.key_unknown');
    expect((await send(body, { timestamp: String(Math.floor(clock.getTime() / 1000) - 3600) }).expect(401)).body.code).toBe('device.timestamp_skew');
    // the signature covers the exact bytes: the same JSON with other spacing is not the signed body
    const raw = JSON.stringify(body);
    const ts = String(Math.floor(clock.getTime() / 1000));
    await send(body, { raw: JSON.stringify(body, null, 1), signature: signEvents(cred.secret, ts, raw), timestamp: ts }).expect(401);
    expect((await send(body, { signature: '' }).set('Accept-Language', 'en').expect(401)).body.message).toMatch(/X-Yian-Key/);
    expect(await counts()).toEqual(before);
  });

  it('refuses a malformed batch with 400 naming each field, an unknown device too, writing nothing', async () => {
    const before = await counts();
    const bad = await send({ events: [event('e1', 'SD-301', 'alarm'), { id: 'e2', device: 'SD-301', type: 'smoke', occurredAt: 'yesterday' }] }).expect(400);
    expect(bad.body.details.map((f: { field: string }) => f.field)).toEqual(['events[1].type', 'events[1].occurredAt']);
    expect((await send({ events: 'many' }).expect(400)).body.details[0].field).toBe('events');
    const unknown = await send({ events: [event('e3', 'SD-301', 'alarm'), event('e4', 'NOPE-9', 'fault')] }).expect(400);
    expect(unknown.body.details).toEqual([expect.objectContaining({ field: 'events[1].device', message: expect.stringContaining('NOPE-9') })]);
    await send({}, { raw: '{"events": [' }).expect(400);
    expect(await counts()).toEqual(before);
  });

  it('accepts a signed batch once: the replay answers the same and writes nothing more', async () => {
    const body = { events: [event('evt-1001', 'SD-301', 'alarm'), event('evt-1002', 'GW-1', 'fault')] };
    const first = await send(body).expect(200);
    expect(first.body).toMatchObject({ received: 2, events: [{ id: 'evt-1001', alarmId: expect.any(String) }, { id: 'evt-1002', alarmId: null }] });
    const after = await counts();
    const replay = await send(body).expect(200);
    expect(replay.body).toEqual(first.body);
    expect(await counts()).toEqual(after);
    // the alarm told the institution; the gateway is faulty since the event's time
    const inbox = (await t.http().get('/api/notifications/inbox?pageSize=100').set(as(inst)).expect(200)).body.items;
    expect(inbox.filter((n: { kind: string }) => n.kind === 'alarm.raised')).toHaveLength(1);
    const registry = (await t.http().get(`/api/institutions/${id}/devices`).set(as(officer)).expect(200)).body;
    expect(registry.devices.find((d: { vendorDeviceId: string }) => d.vendorDeviceId === 'GW-1')).toMatchObject({ status: 'fault' });
  });

  it('refuses a burst beyond the credential’s bucket with 429 and Retry-After, writing nothing of it', async () => {
    // the institution bucket holds 500 events (policy devices.ingest); a batch is at most 500
    const batch = (prefix: string, n: number) => ({ events: Array.from({ length: n }, (_, i) => event(`${prefix}-${i}`, 'SD-301', 'restored')) });
    clock = new Date(clock.getTime() + 60_000); // the bucket full again after the earlier batches
    await send(batch('burst-a', 500)).expect(200);
    const before = await counts();
    const refused = await send(batch('burst-b', 200)).expect(429);
    expect(refused.body.code).toBe('device.rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(await counts()).toEqual(before);
    // the bucket refills at the policy's rate: 10 s later 200 more go through (the credential's own clock is the server's)
    clock = new Date(clock.getTime() + 10_000);
    await send(batch('burst-b', 200)).expect(200);
  });

  it('escalates an alarm not confirmed in time exactly once — to the bureau and the institution — however often the sweep runs', async () => {
    const service = t.app.get(DevicesService);
    const res = await send({ events: [event('evt-2001', 'GAS-1', 'valve_closed')] }).expect(200);
    const alarmId = res.body.events[0].alarmId;
    expect((await service.sweep(new Date(clock.getTime() + 60_000))).escalated).toBe(0);
    const late = new Date(clock.getTime() + 4 * 60_000);
    const runs = await Promise.all([service.sweep(late), service.sweep(late), service.sweep(new Date(late.getTime() + 60_000))]);
    // the earlier alarm (evt-1001) is due too: both escalate once, whichever run claimed them
    expect(runs.reduce((n, r) => n + r.escalated, 0)).toBe(2);
    expect((await service.sweep(new Date(late.getTime() + 3_600_000))).escalated).toBe(0);
    const bureauInbox = (await t.http().get('/api/notifications/inbox?pageSize=100').set(as(officer)).expect(200)).body.items.filter((n: { kind: string }) => n.kind === 'alarm.escalated');
    expect(bureauInbox).toHaveLength(2);
    const [{ n }] = await t.db.query(`SELECT count(*)::int AS n FROM audit_event WHERE action = 'device_alarm.escalate' AND entity_id = $1`, [alarmId]);
    expect(n).toBe(1);
    await t.http().get('/api/notifications/inbox?pageSize=100').set(as(farOfficer)).expect(200).then((r) => expect(r.body.items.filter((x: { kind: string }) => x.kind === 'alarm.escalated')).toHaveLength(0));
    expect((await t.http().get(`/api/alarms/${alarmId}`).set(as(officer)).expect(200)).body.state).toBe('escalated');

    // a late confirmation is kept and shown as late; only once; only by the institution
    await t.http().post(`/api/alarms/${alarmId}/confirm`).set(as(officer)).send({ outcome: 'real' }).expect(403);
    await t.http().post(`/api/alarms/${alarmId}/confirm`).set(as(otherInst)).send({ outcome: 'real' }).expect(404);
    expect((await t.http().post(`/api/alarms/${alarmId}/confirm`).set(as(inst)).send({ outcome: 'maybe' }).expect(400)).body.details[0].field).toBe('outcome');
    clock = new Date(late.getTime() + 120_000);
    const confirmed = await t.http().post(`/api/alarms/${alarmId}/confirm`).set(as(inst)).send({ outcome: 'real', note: '厨房燃气泄漏，阀门已切断，已通风' }).expect(200);
    expect(confirmed.body).toMatchObject({ state: 'confirmed_late', outcome: 'real' });
    await t.http().post(`/api/alarms/${alarmId}/confirm`).set(as(inst)).send({ outcome: 'false' }).expect(409);
  });

  it('confirms an alarm in time; three false alarms of one device flag it for maintenance', async () => {
    const ids: string[] = [];
    for (const k of ['fa-1', 'fa-2', 'fa-3']) {
      const r = await send({ events: [event(k, 'SD-301', 'alarm')] }).expect(200);
      ids.push(r.body.events[0].alarmId);
    }
    for (const alarmId of ids) {
      const r = await t.http().post(`/api/alarms/${alarmId}/confirm`).set(as(inst)).send({ outcome: 'false', note: '厨房油烟' }).expect(200);
      expect(r.body.state).toBe('confirmed');
    }
    const device = (await t.http().get(`/api/institutions/${id}/devices`).set(as(inst)).expect(200)).body.devices.find((d: { vendorDeviceId: string }) => d.vendorDeviceId === 'SD-301');
    expect(device.maintenanceFlaggedAt).not.toBeNull();
    const inbox = (await t.http().get('/api/notifications/inbox?pageSize=100').set(as(inst)).expect(200)).body.items;
    expect(inbox.filter((n: { kind: string }) => n.kind === 'device.maintenance')).toHaveLength(1);
    await t.http().post(`/api/devices/${device.id}/maintenance-clear`).set(as(inst)).expect(200).then((r) => expect(r.body.maintenanceFlaggedAt).toBeNull());
  });

  it('turns a device offline beyond the policy hours into a finding candidate on the inspection form, reported once', async () => {
    const service = t.app.get(DevicesService);
    await send({ events: [event('off-1', 'SD-301', 'offline')] }).expect(200);
    clock = new Date(clock.getTime() + 25 * 3_600_000 + 60_000);
    const inspectionId = (await t.http().post('/api/inspections').set(as(officer)).send({ institutionId: id, kind: 'routine', teamUserIds: [inspectorAccount.id, secondInspector.id] }).expect(201)).body.id;
    const form = (await t.http().get(`/api/inspections/${inspectionId}/form`).set(as(inspector)).expect(200)).body;
    const items = form.categories.flatMap((c: { items: { code: string; registerCandidate: { note: string; info?: boolean } | null }[] }) => c.items);
    const alarmSystem = items.find((i: { code: string }) => i.code === 'FFE-001');
    expect(alarmSystem.registerCandidate.note).toMatch(/感烟火灾探测器（三楼东侧走廊，编号 SD-301）离线已 25 小时/);
    expect(alarmSystem.registerCandidate.info).toBeUndefined();
    // the gateway has been faulty since the first batch: a candidate for 接入城市消防远程监控
    expect(items.find((i: { code: string }) => i.code === 'NET-005').registerCandidate.note).toMatch(/火灾报警控制器网关（用户信息传输装置）（消防控制室，编号 GW-1）故障已 25 小时/);
    // the duty record (常州 NET-901) shows only under that item, as information, and only where the form has it
    const duty = items.find((i: { code: string }) => i.code === 'NET-901');
    if (duty) expect(duty.registerCandidate).toMatchObject({ info: true, note: expect.stringContaining('云值班记录') });
    expect(items.filter((i: { code: string; registerCandidate: { note: string } | null }) => i.code !== 'NET-901' && i.registerCandidate?.note.includes('云值班记录'))).toEqual([]);
    const first = await service.sweep(clock);
    expect(first.impaired).toBe(2);
    expect((await service.sweep(new Date(clock.getTime() + 60_000))).impaired).toBe(0);
    // restored: no longer a candidate, and a new impairment would be reported afresh
    await send({ events: [event('on-1', 'SD-301', 'restored')] }).expect(200);
    const again = (await t.http().get(`/api/inspections/${inspectionId}/form`).set(as(inspector)).expect(200)).body;
    const after = again.categories.flatMap((c: { items: { code: string; registerCandidate: unknown }[] }) => c.items).find((i: { code: string }) => i.code === 'FFE-001');
    expect(after.registerCandidate).toBeNull();
  });

  it('answers the bureau’s duty overview and the institution’s duty record; revoking a credential stops its events', async () => {
    const overview = (await t.http().get('/api/device-overview').set(as(officer)).expect(200)).body;
    expect(overview.totals).toMatchObject({ institutions: 1, devices: 3, alarms: 5, escalated: 2, unconfirmed: 1 });
    expect(overview.rows[0]).toMatchObject({ institutionName: '红梅物联颐养院', alarms: 5 });
    expect((await t.http().get('/api/device-overview').set(as(farOfficer)).expect(200)).body.totals.institutions).toBe(0);
    const alarms = (await t.http().get('/api/alarms?state=unconfirmed').set(as(inst)).expect(200)).body;
    expect(alarms.total).toBe(1);
    expect((await t.http().get('/api/alarms').set(as(otherInst)).expect(200)).body.total).toBe(0);
    await t.http().post(`/api/device-credentials/${cred.id}/revoke`).set(as(otherInst)).expect(404);
    await t.http().post(`/api/device-credentials/${cred.id}/revoke`).set(as(inst)).expect(200);
    expect((await send({ events: [event('after-revoke', 'SD-301', 'alarm')] }).expect(401)).body.code).toBe('device.key_unknown');
  });
});
