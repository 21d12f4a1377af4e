// Keeps the embedded PostgreSQL running for start.mjs, in its own process group so that Ctrl-C in the terminal
// does not reach the database before the app has closed its connections. Stops when asked (SIGTERM) or when
// its parent goes away (the IPC channel closes).
import { startEmbeddedDatabase } from './embedded-db.mjs';

const dataDir = process.argv[2];
try {
  const db = await startEmbeddedDatabase(dataDir, { log: (m) => process.send?.({ log: m }) });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await db.stop().catch(() => {});
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', () => {}); // only start.mjs decides when the database stops
  process.on('disconnect', stop);
  process.send({ ready: true, url: db.url, port: db.port });
} catch (err) {
  process.send?.({ error: String(err?.message ?? err) });
  process.exit(1);
}
