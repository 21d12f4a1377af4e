import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { createTestDatabase } from '../support/test-db';

const root = path.resolve(__dirname, '../..');

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

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
    expect(await health.json()).toEqual({ status: 'ok', database: 'up', queue: 'up' });
    const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child!.once('exit', (code, signal) => resolve({ code, signal })));
    const before = output.length;
    child.kill('SIGINT');
    // Nest closes the app (HTTP, queue workers, database pool), then re-raises the signal to end the process.
    expect(await exited).toEqual({ code: null, signal: 'SIGINT' });
    expect(output.slice(before)).not.toMatch(/ERROR|Error:|terminating connection/);
  }, 120_000);
});
