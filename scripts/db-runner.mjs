// Keeps the embedded PostgreSQL running for start.mjs, in its own process group so that Ctrl-C in the terminal
// does not reach the database before the app has closed its connections. Stops when asked (SIGTERM) or when
// its parent goes away (the IPC channel closes, also when start.mjs is killed with SIGKILL). If PostgreSQL itself
// dies, it is started again on the same port and data (the app's connection pool reconnects); after repeated
// failures the runner exits and start.mjs stops the app with a message.
import { startEmbeddedDatabase } from './embedded-db.mjs';

const dataDir = process.argv[2];
const send = (m) => { try { process.send?.(m); } catch { /* parent gone */ } };
const log = (m) => send({ log: m });
let db = null;
let stopping = false;

const stop = async () => {
  if (stopping) return;
  stopping = true;
  await db?.stop().catch(() => {});
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', () => {}); // only start.mjs decides when the database stops
process.on('disconnect', stop);

function supervise() {
  db.onUnexpectedExit(async ({ code, signal }) => {
    if (stopping) return;
    log(`内置数据库意外退出（${signal ?? code}），正在重启 / the embedded PostgreSQL exited (${signal ?? code}); restarting it`);
    for (let attempt = 1; attempt <= 5 && !stopping; attempt++) {
      // Its server processes take a moment to notice the postmaster is gone and release the data folder.
      await new Promise((r) => setTimeout(r, 1000 * attempt));
      try {
        db = await startEmbeddedDatabase(dataDir, { log });
        log(`内置数据库已重启 / the embedded PostgreSQL is running again (port ${db.port})`);
        supervise();
        return;
      } catch (err) {
        log(`重启失败（第 ${attempt} 次）/ restart attempt ${attempt} failed: ${err?.message ?? err}`);
      }
    }
    send({ error: '内置数据库无法重启 / the embedded PostgreSQL could not be restarted' });
    process.exit(1);
  });
}

try {
  db = await startEmbeddedDatabase(dataDir, { log });
  supervise();
  send({ ready: true, url: db.url, ownerUrl: db.ownerUrl, port: db.port });
} catch (err) {
  send({ error: String(err?.message ?? err) });
  process.exit(1);
}
