import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DocumentRendersService } from '../../src/jobs/document-renders.service';
import { REPORTS_QUEUE } from '../../src/outbox/job-names';
import { ReportsProcessor } from '../../src/jobs/reports.processor';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { waitForJob } from '../support/jobs';
import { freePort } from '../support/start-script';
import { createTestApp, TestApp } from '../support/test-app';

async function waitFor(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A queue worker in its own process, as a second server would run it: `render` takes a reports job and never
 * finishes (a render in progress, to be SIGKILLed), `check` only runs BullMQ's stalled-job check (no jobs taken).
 * Short lock and check intervals so the stall is seen in a second instead of BullMQ's default 30 s.
 */
const WORKER_SCRIPT = `
const { Worker, setDefaultBackendFactory, createPostgresBackend } = require(${JSON.stringify(require.resolve('bullmq'))});
const [mode, url, prefix, queue] = process.argv.slice(2);
setDefaultBackendFactory(createPostgresBackend);
const w = new Worker(queue, () => new Promise(() => {}), {
  connection: { connectionString: url, migrate: false, max: 2 }, prefix, lockDuration: 1000, stalledInterval: 300, autorun: mode === 'render',
});
w.on('error', () => {});
w.on('active', (job) => process.stdout.write('active ' + job.id + '\\n'));
if (mode === 'check') w.startStalledCheckTimer().then(() => process.stdout.write('checking\\n'));
`;

describe('faults that leave nothing stuck', () => {
  jest.setTimeout(120_000);
  describe('documents whose render is stuck', () => {
    let t: TestApp;
    let officerToken: string;
    const team: TestAccount[] = [];
    let inspectorToken: string;
    let institutionId: string;
    let reportsQueue: Queue;
    let script: string;
    const children: ChildProcess[] = [];
    const as = (token: string) => ({ Authorization: `Bearer ${token}` });
    const appWorker = () => t.app.get(ReportsProcessor).worker;

    async function submittedInspection(): Promise<string> {
      const created = await t.http().post('/api/inspections').set(as(officerToken)).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201);
      const items = await formItems(t, inspectorToken, created.body.id);
      const item = items.find((i) => i.severity === 'general')!;
      const failed = { [item.code]: item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(t, inspectorToken, created.body.id, item.code)] : [] };
      await t.http().post(`/api/inspections/${created.body.id}/submit`).set(as(inspectorToken)).send(submission(items, failed, team)).expect(201);
      return created.body.id;
    }

    /** Starts a worker process; resolves once it printed `line` (e.g. that it took the job). */
    function worker(mode: 'render' | 'check', line: string): Promise<ChildProcess> {
      const child = spawn(process.execPath, [script, mode, t.config.DATABASE_URL, t.config.QUEUE_PREFIX, REPORTS_QUEUE], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      return new Promise((resolve, reject) => {
        let out = '';
        const timer = setTimeout(() => reject(new Error(`worker (${mode}) did not print "${line}": ${out}`)), 30_000);
        child.stdout!.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes(line)) {
            clearTimeout(timer);
            resolve(child);
          }
        });
      });
    }

    async function kill(child: ChildProcess): Promise<void> {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
    }

    const reportRow = async (id: string) => (await t.db.query(
      `SELECT report_status AS status, report_error AS error, report_requeues AS requeues FROM inspection WHERE id = $1`, [id]))[0];

    beforeAll(async () => {
      t = await createTestApp({ OUTBOX_INTERVAL_MS: '200' });
      script = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'yian-faults-')), 'worker.js');
      fs.writeFileSync(script, WORKER_SCRIPT);
      reportsQueue = t.app.get<Queue>(getQueueToken(REPORTS_QUEUE));
      await seedDivisions(t.db);
      officerToken = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
      for (let i = 0; i < 2; i++) team.push(await createAccount(t, 'inspector', { divisionCode: '320402' }));
      inspectorToken = await tokenFor(t, team[0]);
      institutionId = (await t.http().post('/api/institutions').set(as(officerToken)).send(institutionInput()).expect(201)).body.id;
    });
    afterAll(async () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
      if (appWorker().isPaused()) appWorker().resume();
      await t.close();
    });

    it('a report whose render is killed twice ends failed, visibly, and the sweep renders it again', async () => {
      // This app's own worker stands aside, so the job goes to the worker processes that get killed.
      await appWorker().pause();
      const inspectionId = await submittedInspection();
      const jobId = `inspection-report-${inspectionId}`;
      await waitForJob(t.app, REPORTS_QUEUE, jobId, { state: 'waiting' });

      // Two servers die mid-render (SIGKILL: no clean-up, the job's lock just stops being renewed).
      await kill(await worker('render', `active ${jobId}`));
      await kill(await worker('render', `active ${jobId}`));
      // Another server's stalled-job check finds the job stalled a second time: beyond BullMQ's maxStalledCount (1).
      const checker = await worker('check', 'checking');
      await waitForJob(t.app, REPORTS_QUEUE, jobId, { state: 'waiting', timeoutMs: 15_000 }); // the stalled job back in the queue
      await kill(checker);
      expect((await reportsQueue.getJob(jobId))!.attemptsStarted).toBe(2);
      expect(await reportRow(inspectionId)).toMatchObject({ status: 'pending' });

      // The next worker fails it as stalled without running the processor; its `failed` event marks the document.
      appWorker().resume();
      await waitFor(async () => (await reportRow(inspectionId)).status === 'failed', 'the report marked failed');
      expect(await reportsQueue.getJobState(jobId)).toBe('failed');
      expect(await reportRow(inspectionId)).toMatchObject({ status: 'failed', error: 'job stalled more than allowable limit', requeues: 0 });

      // Visible: the download answers a clear error, the inspection shows the state, /health counts it.
      const download = await t.http().get(`/api/inspections/${inspectionId}/report.pdf`).set(as(officerToken)).expect(409);
      expect(download.body).toMatchObject({ statusCode: 409, code: 'document.render_failed', message: expect.stringContaining('文书生成失败') });
      expect((await t.http().get(`/api/inspections/${inspectionId}`).set(as(officerToken)).expect(200)).body.inspection).toMatchObject({ reportStatus: 'failed' });
      const health = await t.http().get('/health').expect(200);
      expect(health.body.documents).toMatchObject({ failed: 1, failedFinal: 0 });

      // The sweep waits DOCUMENT_STALE_MINUTES (5) after a failure, then queues the render again, once.
      const sweeper = t.app.get(DocumentRendersService);
      expect(await sweeper.sweep(new Date(Date.now() + 60_000))).toMatchObject({ requeued: 0 });
      expect(await sweeper.sweep(new Date(Date.now() + 6 * 60_000))).toMatchObject({ requeued: 1 });
      expect(await sweeper.sweep(new Date(Date.now() + 6 * 60_000))).toMatchObject({ requeued: 0 });
      await waitForJob(t.app, REPORTS_QUEUE, `${jobId}-r1`);
      expect(await reportRow(inspectionId)).toMatchObject({ status: 'rendered', requeues: 1 });
      await t.http().get(`/api/inspections/${inspectionId}/report.pdf`).set(as(officerToken)).expect(200).expect('Content-Type', 'application/pdf');
    }, 120_000);

    it('a notice PDF whose job was lost (e.g. Redis restarted empty) is queued again by the sweep of stale pending documents', async () => {
      const inspectionId = await submittedInspection();
      await appWorker().pause();
      const notice = (await t.http().post(`/api/inspections/${inspectionId}/notice`).set(as(officerToken)).expect(201)).body;
      const jobId = `notice-pdf-${notice.id}`;
      await waitForJob(t.app, REPORTS_QUEUE, jobId, { state: 'waiting' });
      await reportsQueue.remove(jobId);

      const sweeper = t.app.get(DocumentRendersService);
      expect(await sweeper.sweep()).toMatchObject({ requeued: 0 }); // young: left alone
      const pending = await t.http().get(`/api/notices/${notice.id}/pdf`).set(as(officerToken)).expect(409);
      expect(pending.body.code).toBe('notice.pdf_not_ready');
      expect(await sweeper.sweep(new Date(Date.now() + 6 * 60_000))).toMatchObject({ requeued: 1 });
      appWorker().resume();
      await waitForJob(t.app, REPORTS_QUEUE, `${jobId}-r1`);
      expect((await t.http().get(`/api/notices/${notice.id}`).set(as(officerToken)).expect(200)).body.notice).toMatchObject({ pdfStatus: 'rendered' });
      await t.http().get(`/api/notices/${notice.id}/pdf`).set(as(officerToken)).expect(200).expect('Content-Type', 'application/pdf');
    }, 60_000);

    it('/health reports queue depth, workers and the backlog, and turns 503 when a document waits too long', async () => {
      await waitFor(async () => (await t.http().get('/health')).status === 200, 'a healthy app');
      const ok = await t.http().get('/health').expect(200);
      expect(ok.body).toMatchObject({
        status: 'ok', database: 'up', queue: 'up', reasons: [],
        queues: { reports: { waiting: expect.any(Number), active: expect.any(Number), failed: expect.any(Number), workers: 1 }, maintenance: { workers: 1 } },
        documents: { pending: 0, oldestPendingSeconds: null }, outbox: { pending: expect.any(Number) },
      });
      // Nothing personal in it: only counts, ages and states.
      expect(JSON.stringify(ok.body)).not.toMatch(/[\u4e00-\u9fff]|[0-9a-f]{8}-[0-9a-f]{4}/);

      // A report that has waited 11 minutes (worker standing aside) makes it degraded, with the age.
      await appWorker().pause();
      const inspectionId = await submittedInspection();
      await t.db.query(`UPDATE inspection SET report_queued_at = now() - interval '11 minutes' WHERE id = $1`, [inspectionId]);
      const stale = await t.http().get('/health').expect(503);
      expect(stale.body).toMatchObject({ status: 'degraded', reasons: ['documents.stale'], documents: { pending: 1, oldestPendingSeconds: expect.any(Number) } });
      expect(stale.body.documents.oldestPendingSeconds).toBeGreaterThanOrEqual(660);
      appWorker().resume();
      await waitForJob(t.app, REPORTS_QUEUE, `inspection-report-${inspectionId}`);
      await t.http().get('/health').expect(200);
    }, 60_000);
  });

  it('/health says so when no worker is connected (API-only process, workers gone)', async () => {
    const t = await createTestApp({ PROCESS_ROLE: 'api' });
    try {
      const res = await t.http().get('/health').expect(503);
      expect(res.body).toMatchObject({ status: 'degraded', database: 'up', queue: 'up', reasons: ['workers.none'], queues: { reports: { workers: 0 }, maintenance: { workers: 0 } } });
    } finally {
      await t.close();
    }
  });

  it('with REDIS_URL set and Redis down, the API starts, accepts a submission into the outbox, and closes within 10 s', async () => {
    const t = await createTestApp({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, OUTBOX_INTERVAL_MS: '500' });
    let closed = false;
    try {
      const health = await t.http().get('/health').expect(503);
      expect(health.body).toMatchObject({ status: 'degraded', database: 'up', queue: 'down', reasons: ['queue.down'] });

      await seedDivisions(t.db);
      const officer = await tokenFor(t, await createAccount(t, 'bureau_officer', { divisionCode: '320402' }));
      const team = [await createAccount(t, 'inspector', { divisionCode: '320402' }), await createAccount(t, 'inspector', { divisionCode: '320402' })];
      const inspector = await tokenFor(t, team[0]);
      const institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`).send(institutionInput()).expect(201)).body.id;
      const created = await t.http().post('/api/inspections').set('Authorization', `Bearer ${officer}`).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201);
      const items = await formItems(t, inspector, created.body.id);
      const started = Date.now();
      const submitted = await t.http().post(`/api/inspections/${created.body.id}/submit`).set('Authorization', `Bearer ${inspector}`).send(submission(items, {}, team));
      expect([submitted.status, submitted.body.details]).toEqual([201, undefined]);
      expect(Date.now() - started).toBeLessThan(5_000);
      // The outbox holds the render (and the score recompute) until the queue is back.
      await new Promise((r) => setTimeout(r, 1_500));
      const rows = await t.db.query(`SELECT topic, dispatched_at FROM outbox WHERE job_id = $1`, [`inspection-report-${created.body.id}`]);
      expect(rows).toEqual([{ topic: 'inspection.report', dispatched_at: null }]);
      expect((await t.http().get('/health').expect(503)).body.outbox.pending).toBeGreaterThanOrEqual(1);

      const closing = Date.now();
      await t.close();
      closed = true;
      expect(Date.now() - closing).toBeLessThan(10_000);
    } finally {
      if (!closed) await t.close();
    }
  }, 60_000);
});
