// `npm start`: the whole product on one machine with nothing to set up.
// Starts the embedded PostgreSQL (unless DATABASE_URL is set), then the app (HTTP + queue worker) as a child process.
// Ctrl-C stops the app first (it drains its queue workers and connections), then the database.
// Supervision: the database runner restarts PostgreSQL if it dies; if the runner gives up, the app is stopped and
// the start exits with a message. Both children watch their IPC channel to this script, so if it is killed (even
// with SIGKILL) the app stops and the database runner stops PostgreSQL: nothing is left holding the port.
import { fork, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(root, process.env.DATA_DIR ?? '.data');
const log = (m) => process.stdout.write(`[start] ${m}\n`);

let stopping = false;
let app = null;

/** The database runs detached (its own process group), so the terminal's Ctrl-C reaches only us and the app. */
function startDatabase() {
  return new Promise((resolve, reject) => {
    const runner = fork(path.join(root, 'scripts/db-runner.mjs'), [dataDir], { detached: true, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let ready = false;
    runner.on('message', (m) => {
      if (m.log) log(m.log);
      if (m.error && !ready) reject(new Error(m.error));
      else if (m.error) process.stderr.write(`[start] ${m.error}\n`);
      if (m.ready) {
        ready = true;
        resolve({ ...m, runner });
      }
    });
    runner.on('exit', (code) => {
      if (!ready) return reject(new Error(`database runner exited (${code})`));
      if (stopping) return;
      process.stderr.write('[start] 内置数据库已停止且无法重启，正在停止应用 / the embedded database stopped and could not be restarted; stopping the app\n');
      stopping = true;
      db = null;
      if (app && app.exitCode === null && app.signalCode === null) app.kill('SIGTERM');
      else process.exit(1);
      process.exitCode = 1;
    });
  });
}

let db = null;
if (!process.env.DATABASE_URL) {
  try {
    db = await startDatabase();
  } catch (err) {
    process.stderr.write(`[start] ${err.message ?? err}\n`);
    process.exit(1);
  }
  log(`内置 PostgreSQL 已启动 / embedded PostgreSQL on port ${db.port} (data: ${path.relative(root, dataDir) || '.'}/pg)`);
}

// The app connects as yian_app, which owns nothing; the owner's URL is for its migrations only (docs/adr/0005).
const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL ?? db.url,
  ...(db ? { DATABASE_OWNER_URL: db.ownerUrl } : {}),
  DATA_DIR: dataDir,
  SEED_DEMO: process.env.SEED_DEMO ?? 'true',
};
// The IPC channel is how the app notices that this script is gone (src/main.ts).
app = spawn(process.execPath, [path.join(root, 'dist/src/main.js')], { env, stdio: ['inherit', 'inherit', 'inherit', 'ipc'], cwd: root });

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    // From a terminal the app has the signal already; sending it again is harmless.
    if (app.exitCode === null) app.kill(signal);
  });
}
app.on('exit', async (code, signal) => {
  if (db) {
    log('正在停止内置数据库 / stopping the embedded database…');
    await new Promise((resolve) => {
      db.runner.removeAllListeners('exit');
      db.runner.once('exit', resolve);
      db.runner.kill('SIGTERM');
    });
  }
  process.exit(process.exitCode ?? (stopping ? 0 : code ?? (signal ? 1 : 0)));
});
