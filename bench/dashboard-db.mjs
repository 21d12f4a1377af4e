// Diagnostic: a generated bench database kept running for profiling the dashboard (prints its URL; Ctrl-C stops it).
//   npm run build && node bench/dashboard-db.mjs [--scale 1] [--url-file /tmp/x]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDatabase } from './lib/db.mjs';
import { generate } from './generate.mjs';
const arg = (n, d) => { const i = process.argv.indexOf(`--${n}`); return i > 0 ? process.argv[i + 1] : d; };
const scale = Number(arg('scale', 1));
const db = await startDatabase(console.log);
const stop = () => db.stop().finally(() => process.exit());
process.on('SIGINT', stop); process.on('SIGTERM', stop);
try {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-dash-data-'));
  const g = await generate({ url: db.url, scale, seed: 2026, dataDir, log: console.log });
  console.log(JSON.stringify(g.counts));
  if (arg('url-file')) fs.writeFileSync(arg('url-file'), db.url);
  console.log(`ready: ${db.url}`);
} catch (e) { console.error(e); await stop(); }
setInterval(() => {}, 1 << 30);
