import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { dotDataDir, freePort, startProduct } from '../support/start-script';
import { createTestDatabase } from '../support/test-db';

const root = path.resolve(__dirname, '../..');

/** The production entry point (src/main.ts) on a fresh database: what `npm start` runs after the embedded database is up. */
describe('the start path: main.ts with demo data', () => {
  let child: ChildProcess | undefined;
  let output = '';
  let db: Awaited<ReturnType<typeof createTestDatabase>>;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await db.drop();
  });

  it('migrates, publishes the rules, loads the demo city, serves /health, prints the accounts and stops cleanly on SIGINT', async () => {
    const port = await freePort();
    child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: db.url, PORT: String(port), SEED_DEMO: 'true', DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'yian-start-')), LOG_LEVEL: 'log', QUEUE_PREFIX: 'start' },
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const until = Date.now() + 90_000;
    while (!output.includes('按 Ctrl-C 停止') && child.exitCode === null && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
    expect(output).toContain(`is running: http://localhost:${port}`);
    for (const account of ['admin', 'officer', 'inspector', 'institution']) expect(output).toMatch(new RegExp(`\\n\\s+${account}\\s+Yian-\\S+`));
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', database: 'up', queue: 'up', reasons: [] });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child!.once('exit', (code, signal) => resolve({ code, signal })));
    const before = output.length;
    child.kill('SIGINT');
    // Nest closes the app (HTTP, queue workers, database pool), then re-raises the signal to end the process.
    expect(await exited).toEqual({ code: null, signal: 'SIGINT' });
    expect(output.slice(before)).not.toMatch(/ERROR|Error:|terminating connection/);
  }, 120_000);
});

/** Every process under `pid` (children, grandchildren …), from /proc. */
function descendants(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e))) {
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(ppid, [...(parents.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number) => (parents.get(p) ?? []).forEach((c) => { out.push(c); walk(c); });
  walk(pid);
  return out;
}

/** Alive and not a zombie (a container's PID 1 may never reap what it inherits). */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

describe('npm start supervises what it started', () => {
  it('when the start script is killed (SIGKILL), the app, the database runner and PostgreSQL all exit and the port is free', async () => {
    const { root: installRoot, dataDir } = dotDataDir('yian-kill-');
    const product = await startProduct({ dataDir, env: { SEED_DEMO: 'false' } });
    try {
      expect((await fetch(`${product.url}/health`)).status).toBe(200);
      const started = descendants(product.child.pid!);
      const commands = started.map((pid) => { try { return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '); } catch { return ''; } });
      expect(commands.some((c) => c.includes('dist/src/main.js'))).toBe(true);
      expect(commands.some((c) => c.includes('db-runner.mjs'))).toBe(true);
      expect(commands.some((c) => /postgres\b.*-D/.test(c))).toBe(true);

      product.child.kill('SIGKILL');
      const until = Date.now() + 15_000;
      while (started.some(alive) && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
      expect(started.filter(alive).map((pid) => commands[started.indexOf(pid)])).toEqual([]);
      expect(await portFree(product.port)).toBe(true);
    } finally {
      if (product.child.exitCode === null && product.child.signalCode === null) product.child.kill('SIGKILL');
      fs.rmSync(installRoot, { recursive: true, force: true });
    }
  }, 180_000);
});
