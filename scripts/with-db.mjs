// Runs a compiled CLI script against DATABASE_URL, or against the embedded database of this checkout
// (the running one of `npm start`, or started just for this command).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runningEmbeddedUrl, startEmbeddedDatabase } from './embedded-db.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.resolve(root, process.env.DATA_DIR ?? '.data');
const [script, ...args] = process.argv.slice(2);

let url = process.env.DATABASE_URL ?? (await runningEmbeddedUrl(dataDir));
let db = null;
if (!url) {
  db = await startEmbeddedDatabase(dataDir);
  url = db.url;
}
const child = spawn(process.execPath, [path.join(root, script), ...args], { env: { ...process.env, DATABASE_URL: url }, stdio: 'inherit' });
child.on('exit', async (code) => {
  if (db) await db.stop();
  process.exit(code ?? 1);
});
