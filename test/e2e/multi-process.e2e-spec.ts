import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Queue } from 'bullmq';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { hashPassword } from '../../src/auth/passwords';
import { loadConfig } from '../../src/config/env';
import { dataSourceOptions } from '../../src/database/data-source';
import { SCHEDULED_JOBS } from '../../src/jobs/jobs.constants';
import { configureQueueBackend, queueConnection } from '../../src/jobs/queue-connection';
import { QUEUE_NAMES } from '../../src/outbox/job-names';
import { institutionInput, seedDivisions, TestAccount } from '../support/factories';
import { formItems, submission, uploadPhoto } from '../support/inspection-fixtures';
import { dotDataDir, ensureBuilt, freePort, PROJECT_ROOT } from '../support/start-script';
import type { TestApp } from '../support/test-app';
import { createTestDatabase } from '../support/test-db';

interface Proc { child: ChildProcess; out: () => string; url: string }

/** Inspections submitted (alternating APIs), then as many notices issued at once on both. */
const NOTICES = 4;

/**
 * Two API processes (PROCESS_ROLE=api) and one worker (dist/src/worker.js) of the compiled app against one database,
 * as a deployment behind a round-robin runs them; all three start at once (their boot-time migrations take turns).
 * Queues on PostgreSQL, or on Redis when REDIS_URL is set (.ci/run's second pass).
 */
describe('more than one process: two APIs and a worker on one database', () => {
  jest.setTimeout(90_000);
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let own: DataSource;
  let root: string;
  const procs: Proc[] = [];
  let a: Proc;
  let b: Proc;
  const queuePrefix = `mp${Date.now()}`;
  const as = (token: string) => ({ Authorization: `Bearer ${token}` });
  /** The fixtures' view of a process: they only need `http()`. */
  const via = (p: Proc) => ({ http: () => request(p.url) }) as unknown as TestApp;

  function launch(script: string, env: Record<string, string>, ready: string): Promise<Proc> {
    const child = spawn(process.execPath, [path.join(PROJECT_ROOT, script)], {
      cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: db.appUrl, DATABASE_OWNER_URL: db.url, NODE_ENV: 'test', LOG_LEVEL: 'log',
        QUEUE_PREFIX: queuePrefix, DATA_DIR: path.join(root, '.data'), OUTBOX_INTERVAL_MS: '200', PUBLIC_URL: 'http://localhost', LOGIN_MAX_FAILURES: '3',
        ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}), ...env,
      },
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const proc: Proc = { child, out: () => out, url: `http://127.0.0.1:${env.PORT ?? 0}` };
    procs.push(proc);
    return new Promise((resolve, reject) => {
      const timer = setInterval(() => {
        if (out.includes(ready)) { clearInterval(timer); resolve(proc); }
        if (child.exitCode !== null) { clearInterval(timer); reject(new Error(`${script} exited:\n${out}`)); }
      }, 100);
    });
  }

  let admin: string;
  let officer: string;
  const team: TestAccount[] = [];
  const teamTokens: string[] = [];
  let institutionId: string;

  const signIn = (p: Proc, username: string, password: string, ip = '203.0.113.1') =>
    request(p.url).post('/api/auth/tokens').set('X-Forwarded-For', ip).send({ username, password });

  beforeAll(async () => {
    ensureBuilt();
    db = await createTestDatabase();
    ({ root } = dotDataDir('yian-multi-'));
    const [portA, portB] = [await freePort(), await freePort()];
    [a, b] = await Promise.all([
      launch('dist/src/main.js', { PROCESS_ROLE: 'api', PORT: String(portA) }, '按 Ctrl-C 停止'),
      launch('dist/src/main.js', { PROCESS_ROLE: 'api', PORT: String(portB) }, '按 Ctrl-C 停止'),
      launch('dist/src/worker.js', { PROCESS_ROLE: 'worker' }, 'queue worker running'),
    ]);
    // The test's own handle: the app's role, like the processes.
    own = await new DataSource(dataSourceOptions(db.appUrl, { extra: { max: 2 } })).initialize();
    await seedDivisions(own);
    const adminPassword = 'Multi-proc-admin-2026';
    await own.query(`INSERT INTO app_user (username, display_name, role, division_code, division_path, password_hash) VALUES ('mp.admin', '管理员', 'bureau_admin', '320400', '/320400/', $1)`,
      [await hashPassword(adminPassword)]);
    admin = (await signIn(a, 'mp.admin', adminPassword).expect(201)).body.token;
    const account = async (p: Proc, username: string, role: string): Promise<TestAccount> => {
      const password = `Kx7-${randomBytes(9).toString('base64url')}`;
      const res = await request(p.url).post('/api/users').set(as(admin)).send({ username, displayName: username, role, divisionCode: '320402', password }).expect(201);
      return { id: res.body.id, username, displayName: username, password, role } as TestAccount;
    };
    const off = await account(a, 'mp.officer', 'bureau_officer');
    officer = (await signIn(b, off.username, off.password).expect(201)).body.token;
    for (const [i, p] of [a, b].entries()) {
      team.push(await account(p, `mp.inspector${i}`, 'inspector'));
      teamTokens.push((await signIn(p, team[i].username, team[i].password).expect(201)).body.token);
    }
    institutionId = (await request(a.url).post('/api/institutions').set(as(officer)).send(institutionInput()).expect(201)).body.id;
  });

  afterAll(async () => {
    await Promise.all(procs.map((p) => new Promise<void>((resolve) => {
      if (p.child.exitCode !== null || p.child.signalCode !== null) return resolve();
      const kill = setTimeout(() => p.child.kill('SIGKILL'), 15_000);
      p.child.once('exit', () => { clearTimeout(kill); resolve(); });
      p.child.kill('SIGTERM');
    })));
    await own?.destroy();
    await db?.drop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('a session made on one API works on the other; signing out on one ends it on both', async () => {
    const login = await request(a.url).post('/api/auth/login').send({ username: team[0].username, password: team[0].password }).expect(200);
    const cookie = login.headers['set-cookie'] as unknown as string[];
    await request(b.url).get('/api/auth/me').set('Cookie', cookie).expect(200);
    await request(a.url).get('/api/auth/me').set('Cookie', cookie).expect(200);
    await request(b.url).post('/api/auth/logout').set('Cookie', cookie).set('X-CSRF-Token', login.body.csrfToken).expect(204);
    await request(a.url).get('/api/auth/me').set('Cookie', cookie).expect(401);
    await request(b.url).get('/api/auth/me').set('Cookie', cookie).expect(401);
  });

  it('login throttling counts the failures made on both APIs', async () => {
    const ip = '203.0.113.77';
    const victim = team[1];
    await signIn(a, victim.username, 'wrong-password-1', ip).expect(401);
    await signIn(b, victim.username, 'wrong-password-1', ip).expect(401);
    await signIn(a, victim.username, 'wrong-password-1', ip).expect(401);
    await signIn(b, victim.username, victim.password, ip).expect(429);
    await signIn(a, victim.username, victim.password, ip).expect(429);
  });

  it('submissions through both APIs, then notices issued in parallel on both: numbers unique and gapless', async () => {
    const n = NOTICES;
    const inspections: string[] = [];
    for (let i = 0; i < n; i++) {
      const p = i % 2 ? b : a;
      const created = await request(p.url).post('/api/inspections').set(as(officer)).send({ institutionId, kind: 'routine', teamUserIds: team.map((m) => m.id) }).expect(201);
      inspections.push(created.body.id);
    }
    await Promise.all(inspections.map(async (id, i) => {
      const p = via(i % 2 ? a : b);
      const token = teamTokens[i % 2];
      const items = await formItems(p, token, id);
      const item = items.find((x) => x.severity === 'general')!;
      const failed = { [item.code]: item.evidence.photoRequiredWhenFailed ? [await uploadPhoto(p, token, id, item.code)] : [] };
      await p.http().post(`/api/inspections/${id}/submit`).set(as(token)).send(submission(items, failed, team)).expect(201);
    }));
    const issued = await Promise.all(inspections.map((id, i) => request((i % 2 ? a : b).url).post(`/api/inspections/${id}/notice`).set(as(officer))));
    expect(issued.map((r) => r.status)).toEqual(Array(n).fill(201));
    const numbers = issued.map((r) => Number(/第(\d{4})号/.exec(r.body.noticeNo)![1])).sort((x, y) => x - y);
    expect(new Set(numbers).size).toBe(n);
    expect(numbers[n - 1] - numbers[0]).toBe(n - 1);
  });

  it('the schedules are registered once, and every outbox row was relayed once and its job ran once', async () => {
    const config = loadConfig({ DATABASE_URL: db.appUrl, QUEUE_PREFIX: queuePrefix, ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}) });
    configureQueueBackend(config);
    const queues = QUEUE_NAMES.map((name) => new Queue(name, { connection: queueConnection(config), prefix: queuePrefix }));
    try {
      // Three processes each upserted every schedule: still one scheduler per schedule, each with one next run.
      const schedulers = (await Promise.all(queues.map((q) => q.getJobSchedulers()))).flat();
      expect(schedulers.map((s) => s.key).sort()).toEqual(SCHEDULED_JOBS.map((s) => s.schedule.id).sort());
      // (a run may be in progress while this looks: at most one pending run per schedule, never two)
      const pending = (await Promise.all(queues.map((q) => q.getJobs(['delayed', 'waiting'])))).flat().filter((j) => j.repeatJobKey);
      const perSchedule = new Map<string, number>();
      for (const j of pending) perSchedule.set(j.repeatJobKey!, (perSchedule.get(j.repeatJobKey!) ?? 0) + 1);
      expect([...perSchedule.values()].every((c) => c === 1)).toBe(true);
      expect(perSchedule.size).toBeGreaterThanOrEqual(SCHEDULED_JOBS.length - 2);

      // Every row relayed (the relays of three processes drain the same table) …
      const until = Date.now() + 30_000;
      let rows: { job_id: string; topic: string; dispatched_at: Date | null }[] = [];
      for (;;) {
        rows = await own.query(`SELECT job_id, topic, dispatched_at FROM outbox ORDER BY id`);
        if (rows.every((r) => r.dispatched_at) || Date.now() > until) break;
        await new Promise((r) => setTimeout(r, 200));
      }
      expect(rows.filter((r) => !r.dispatched_at)).toEqual([]);
      // a report per submission and a PDF per notice, at least
      const reports = rows.filter((r) => r.topic === 'inspection.report' || r.topic === 'notice.pdf');
      expect(reports.length).toBe(2 * NOTICES);
      // … and each row's job ran exactly once (one start, completed), wherever it was taken.
      for (const row of reports) {
        let job = null;
        for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
          job = (await Promise.all(queues.map((q) => q.getJob(row.job_id)))).find(Boolean);
          if (job && (await job.getState()) === 'completed') break;
        }
        expect({ id: row.job_id, state: await job?.getState(), started: job?.attemptsStarted ?? job?.attemptsMade }).toEqual({ id: row.job_id, state: 'completed', started: 1 });
      }
      if (!config.REDIS_URL) {
        // The queue's own event log: one `added` per job id (a second relay would log `duplicated`), one `active`.
        const events: { job_id: string; event: string; n: number }[] = await own.query(
          `SELECT data->>'jobId' AS job_id, event, count(*)::int AS n FROM bullmq.event WHERE data->>'jobId' = ANY($1) AND event IN ('added', 'duplicated', 'active', 'completed') GROUP BY 1, 2`,
          [reports.map((r) => r.job_id)]);
        for (const row of reports) {
          const of = Object.fromEntries(events.filter((e) => e.job_id === row.job_id).map((e) => [e.event, e.n]));
          expect({ id: row.job_id, ...of }).toEqual({ id: row.job_id, added: 1, active: 1, completed: 1 });
        }
      }
    } finally {
      await Promise.all(queues.map((q) => q.close()));
    }
  });
});
