import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '../..');

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * `npm start` runs the compiled app (dist/). Builds it once per jest run (the type-check before jest does not emit),
 * so tests of the real start script run today's code.
 */
export function ensureBuilt(): void {
  // .ci/run's second pass runs right after a full run that built dist/ from the same tree.
  if (process.env.YIAN_DIST_BUILT === '1') return;
  const marker = path.join(os.tmpdir(), `yian-test-built-${process.env.YIAN_TEST_RUN ?? process.pid}`);
  if (fs.existsSync(marker)) return;
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: PROJECT_ROOT, stdio: 'pipe' });
  fs.writeFileSync(marker, new Date().toISOString());
}

/** A folder shaped like a user's install: `<tmp>/yian-…/.data`, the default data folder's name under a dot. */
export function dotDataDir(prefix = 'yian-install-'): { root: string; dataDir: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  fs.chmodSync(root, 0o755);
  const dataDir = path.join(root, '.data');
  return { root, dataDir };
}

export interface StartedProduct {
  child: ChildProcess;
  url: string;
  port: number;
  dataDir: string;
  output: () => string;
  accounts: { username: string; password: string; role: string }[];
  /** SIGINT (Ctrl-C) and wait for the whole start to exit. */
  stop(): Promise<{ code: number | null; signal: string | null }>;
}

/** `node scripts/start.mjs` as `npm start` runs it (embedded PostgreSQL, migrations, demo city, HTTP, queue worker). */
export async function startProduct(opts: { dataDir: string; env?: Record<string, string>; timeoutMs?: number }): Promise<StartedProduct> {
  ensureBuilt();
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), DATA_DIR: opts.dataDir, LOG_LEVEL: 'log', ...opts.env };
  delete env.DATABASE_URL;
  delete env.REDIS_URL;
  const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'scripts/start.mjs')], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const until = Date.now() + (opts.timeoutMs ?? 120_000);
  while (!out.includes('按 Ctrl-C 停止') && child.exitCode === null && Date.now() < until) await new Promise((r) => setTimeout(r, 200));
  if (!out.includes('按 Ctrl-C 停止')) {
    if (child.exitCode === null) child.kill('SIGKILL');
    throw new Error(`npm start did not come up:\n${out}`);
  }
  const accountsFile = path.join(opts.dataDir, 'demo-accounts.json');
  const accounts = fs.existsSync(accountsFile) ? JSON.parse(fs.readFileSync(accountsFile, 'utf8')) : [];
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child, port, dataDir: opts.dataDir, url: `http://127.0.0.1:${port}`, output: () => out, accounts,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}
