import { JobsService } from '../../src/jobs/jobs.service';
import { MAINTENANCE_QUEUE } from '../../src/outbox/job-names';
import { waitForJob } from '../support/jobs';
import { createAccount, seedDivisions, tokenFor } from '../support/factories';
import { createTestApp, TestApp } from '../support/test-app';

describe('platform: health, queue, errors, API docs', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
  });
  afterAll(() => t.close());

  it('reports database and queue health', async () => {
    const res = await t.http().get('/health').expect(200);
    expect(res.body).toMatchObject({ status: 'ok', database: 'up', queue: 'up', reasons: [] });
  });

  it('runs jobs on the real queue (BullMQ on PostgreSQL): an audit verification completes with its report', async () => {
    const jobs = t.app.get(JobsService);
    const id = await jobs.enqueueAuditVerify('2026-11-23T10:00');
    // Same key, same job id: enqueueing twice does not run it twice.
    expect(await jobs.enqueueAuditVerify('2026-11-23T10:00')).toBe(id);
    const job = await waitForJob(t.app, MAINTENANCE_QUEUE, id);
    expect(job.returnvalue).toMatchObject({ ok: true, checked: expect.any(Number), firstBroken: null });
  });

  it('registers the schedules once each, in Asia/Shanghai time: nightly audit verification, the hourly hazard sweep, the document sweep, the hourly dashboard summaries, the notification delivery, the daily grade expiry, the daily partition upkeep, the daily register expiry and the every-minute device sweep', async () => {
    const schedulers = await t.app.get(JobsService).queue().getJobSchedulers();
    expect(schedulers.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      expect.objectContaining({ key: 'audit-verify-nightly', pattern: '0 30 2 * * *', tz: 'Asia/Shanghai' }),
      expect.objectContaining({ key: 'devices-sweep', pattern: '45 * * * * *', tz: 'Asia/Shanghai' }),
      expect.objectContaining({ key: 'documents-sweep', pattern: '0 * * * * *', tz: 'Asia/Shanghai' }),
      expect.objectContaining({ key: 'grades-expiring-daily', pattern: '0 10 8 * * *', tz: 'Asia/Shanghai' }),
      expect.objectContaining({ key: 'hazard-summaries-hourly', pattern: '0 20 * * * *', tz: 'Asia/Shanghai' }),
      expect.objectContaining({ key: 'hazards-sweep-hourly', pattern: '0 5 * * * *', tz: 'Asia/Shanghai' }),
      expect.objectContaining({ key: 'notifications-deliver', pattern: '30 * * * * *', tz: 'Asia/Shanghai' }),
      expect.objectContaining({ key: 'partitions-ensure-daily', pattern: '0 40 3 * * *', tz: 'Asia/Shanghai' }),
      expect.objectContaining({ key: 'registers-expiring-daily', pattern: '0 15 8 * * *', tz: 'Asia/Shanghai' }),
    ]);
  });

  it('answers unknown routes and malformed JSON in the one error shape, without internals', async () => {
    const token = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
    const missing = await t.http().get('/api/no-such-thing').set('Authorization', `Bearer ${token}`).expect(404);
    expect(Object.keys(missing.body).sort()).toEqual(['code', 'details', 'message', 'requestId', 'statusCode']);
    expect(missing.body).toMatchObject({ statusCode: 404, code: 'request.route_not_found', message: '请求的地址不存在', details: [] });
    const malformed = await t.http().post('/api/institutions').set('Authorization', `Bearer ${token}`)
      .set('Content-Type', 'application/json').set('Accept-Language', 'en').send('{"name": ').expect(400);
    expect(malformed.body).toMatchObject({ code: 'request.bad', message: 'The request is malformed' });
    expect(JSON.stringify(malformed.body)).not.toMatch(/at .*\.js|SyntaxError|node_modules/);
    const badId = await t.http().get('/api/institutions/not-a-uuid').set('Authorization', `Bearer ${token}`).expect(404);
    expect(badId.body.code).toBe('institution.not_found');
  });

  it('echoes a sane X-Request-Id and makes one up otherwise', async () => {
    const kept = await t.http().get('/health').set('X-Request-Id', 'abc-123').expect(200);
    expect(kept.headers['x-request-id']).toBe('abc-123');
    const made = await t.http().get('/health').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document with the institutions API', async () => {
    const res = await t.http().get('/api/docs-json').expect(200);
    expect(res.body.info.title).toContain('颐安');
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/api/institutions', '/api/institutions/{id}', '/api/users', '/health', '/api/audit/verify']));
    expect(res.body.components.schemas.CreateInstitutionDto.required).toEqual(expect.arrayContaining(['creditCode', 'storeys', 'gasSupply']));
  });
});
