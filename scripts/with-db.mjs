// Runs a compiled CLI script against DATABASE_URL, or against the embedded database of this checkout
// (the running one of `npm start`, or started just for this command).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runningEmbeddedUrls, startEmbeddedDatabase } from './embedded-db.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(root, process.env.DATA_DIR ?? '.data');
const [script, ...args] = process.argv.slice(2);

// The embedded database: the app's role as DATABASE_URL, the owner as DATABASE_OWNER_URL (as `npm start` passes them).
let urls = process.env.DATABASE_URL ? { url: process.env.DATABASE_URL, ownerUrl: process.env.DATABASE_OWNER_URL } : await runningEmbeddedUrls(dataDir);
let db = null;
if (!urls) {
  db = await startEmbeddedDatabase(dataDir);
  urls = db;
}
const env = { ...process.env, DATABASE_URL: urls.url, ...(urls.ownerUrl ? { DATABASE_OWNER_URL: urls.ownerUrl } : {}) };
const child = spawn(process.execPath, [path.join(root, script), ...args], { env, stdio: 'inherit' });
child.on('exit', async (code) => {
  if (db) await db.stop();
  process.exit(code ?? 1);
});
