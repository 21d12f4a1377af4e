// Diagnostic: what the dashboard-summary triggers (migrations DashboardSummaries and DashboardFlat) add to a transaction that inserts one
// submission's 5 hazards and moves one hazard, measured with the triggers on and off in alternating rounds.
//   npm run build && node bench/trigger-cost.mjs
process.env.BENCH_NO_MAIN = '1';
const fs = await import('node:fs');
const path = await import('node:path');
const pg = (await import('pg')).default;
const { cleanup, WORK, startDatabase, setDb } = await import('./run.mjs');
const { generate } = await import('./generate.mjs');
try {
  const db = await startDatabase(() => {});
  setDb(db);
  const dataDir = path.join(WORK, 'data'); fs.mkdirSync(dataDir, { recursive: true });
  await generate({ url: db.url, scale: 0.3, seed: 2026, dataDir, log: () => {} });
  const c = new pg.Client({ connectionString: db.url }); await c.connect();
  const src = (await c.query(`SELECT * FROM hazard WHERE status = 'open' LIMIT 2000`)).rows;
  const cols = ['inspection_id','institution_id','division_path','checklist_version_id','category','title_zh','severity','major_criterion','scope','location','note','deadline_days','due_date','plan_due_date'];
  let k = 0;
  async function batch() {
    // one submission's hazards: 5 findings of one inspection (new item codes), one INSERT, in its own transaction
    const base = src[k++ % src.length];
    const rows = Array.from({ length: 5 }, (_, i) => ({ ...base, item_code: `B${k}-${i}` }));
    const vals = rows.map((r, i) => `(${[...cols, 'item_code'].map((_, j) => `$${i * (cols.length + 1) + j + 1}`).join(',')})`).join(',');
    await c.query('BEGIN');
    await c.query(`INSERT INTO hazard (${[...cols, 'item_code'].join(',')}) VALUES ${vals}`, rows.flatMap((r) => [...cols.map((x) => r[x]), r.item_code]));
    await c.query(`UPDATE hazard SET status = 'responded' WHERE id = (SELECT id FROM hazard WHERE status = 'open' AND item_code LIKE 'B%' ORDER BY created_at DESC LIMIT 1)`);
    await c.query('COMMIT');
  }
  const run = async (n) => { const s = performance.now(); for (let i = 0; i < n; i++) await batch(); return (performance.now() - s) / n; };
  const on = [], off = [];
  const SUMMARY_TRIGGERS = ['hazard_previous_findings', 'hazard_summaries_inserted', 'hazard_summaries_updated', 'dashboard_flat_inserted', 'dashboard_flat_updated'];
  await run(100);
  for (let round = 0; round < 6; round++) {
    on.push(await run(200));
    // every dashboard-summary trigger (DashboardSummaries and DashboardFlat; bench/dashboard-trigger-cost.mjs splits them)
    for (const t of SUMMARY_TRIGGERS) await c.query(`ALTER TABLE hazard DISABLE TRIGGER ${t}`);
    off.push(await run(200));
    for (const t of SUMMARY_TRIGGERS) await c.query(`ALTER TABLE hazard ENABLE TRIGGER ${t}`);
  }
  const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`per transaction (insert 5 hazards + 1 status update): triggers on ${med(on).toFixed(3)} ms, off ${med(off).toFixed(3)} ms, ratio ${(med(on) / med(off)).toFixed(2)}×; rounds on ${on.map((x) => x.toFixed(2))} off ${off.map((x) => x.toFixed(2))}`);
  await c.end();
} finally { await cleanup(); }
