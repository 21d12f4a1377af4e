// Diagnostic: what the dashboard-summary triggers add to the write path, on an already generated bench database
// (bench/dashboard-db.mjs, or any database migrated to DashboardFlat): a transaction that inserts one submission's 5
// hazards, moves one hazard to 'responded' and moves its inspection to 'submitted', timed with (a) every summary
// trigger on, (b) DashboardFlat's off, (c) all summary triggers off — in alternating rounds (a shared machine).
//   npm run build && node bench/dashboard-trigger-cost.mjs --url postgres://… [--rounds 6] [--n 200]
import pg from 'pg';
const arg = (n, d) => { const i = process.argv.indexOf(`--${n}`); return i > 0 ? process.argv[i + 1] : d; };
const c = new pg.Client({ connectionString: arg('url') });
await c.connect();
const rounds = Number(arg('rounds', 6));
const N = Number(arg('n', 200));
const src = (await c.query(`SELECT * FROM hazard WHERE status = 'open' LIMIT 2000`)).rows;
const insp = (await c.query(`SELECT id FROM inspection WHERE status = 'assigned' LIMIT 5000`)).rows.map((x) => x.id);
const cols = ['inspection_id', 'institution_id', 'division_path', 'checklist_version_id', 'category', 'title_zh', 'severity', 'major_criterion', 'scope', 'location', 'note', 'deadline_days', 'due_date', 'plan_due_date'];
let k = 0;
async function batch() {
  const base = src[k % src.length];
  const inspection = insp[k % insp.length];
  k++;
  const rows = Array.from({ length: 5 }, (_, i) => ({ ...base, item_code: `ZZT${k}-${i}` }));
  const vals = rows.map((r, i) => `(${[...cols, 'item_code'].map((_, j) => `$${i * (cols.length + 1) + j + 1}`).join(',')})`).join(',');
  await c.query('BEGIN');
  await c.query(`INSERT INTO hazard (${[...cols, 'item_code'].join(',')}) VALUES ${vals}`, rows.flatMap((r) => [...cols.map((x) => r[x]), r.item_code]));
  await c.query(`UPDATE hazard SET status = 'responded' WHERE id = (SELECT id FROM hazard WHERE status = 'open' AND item_code LIKE 'ZZT%' ORDER BY created_at DESC LIMIT 1)`);
  await c.query(`UPDATE inspection SET status = CASE status WHEN 'assigned' THEN 'in_progress' ELSE 'assigned' END WHERE id = $1`, [inspection]);
  await c.query('COMMIT');
}
const FLAT = [['hazard', 'dashboard_flat_inserted'], ['hazard', 'dashboard_flat_updated'], ['inspection', 'dashboard_flat_updated']];
const OLD = [['hazard', 'hazard_previous_findings'], ['hazard', 'hazard_summaries_inserted'], ['hazard', 'hazard_summaries_updated']];
const set = async (list, on) => { for (const [t, g] of list) await c.query(`ALTER TABLE ${t} ${on ? 'ENABLE' : 'DISABLE'} TRIGGER ${g}`); };
const run = async (n) => { const s = performance.now(); for (let i = 0; i < n; i++) await batch(); return (performance.now() - s) / n; };
const all = [], noFlat = [], none = [];
await run(50);
for (let r = 0; r < rounds; r++) {
  all.push(await run(N));
  await set(FLAT, false); noFlat.push(await run(N));
  await set(OLD, false); none.push(await run(N));
  await set(FLAT, true); await set(OLD, true);
}
// Each trigger's own time, as the server reports it (EXPLAIN ANALYZE of the same statements, rolled back): less
// sensitive to the machine's load than the wall-clock rounds above.
const per = new Map();
for (let i = 0; i < N; i++) {
  const base = src[(k + i) % src.length];
  const rows = Array.from({ length: 5 }, (_, j) => ({ ...base, item_code: `ZZE${i}-${j}` }));
  const vals = rows.map((r, ii) => `(${[...cols, 'item_code'].map((_, j) => `$${ii * (cols.length + 1) + j + 1}`).join(',')})`).join(',');
  await c.query('BEGIN');
  const plans = [
    await c.query(`EXPLAIN (ANALYZE) INSERT INTO hazard (${[...cols, 'item_code'].join(',')}) VALUES ${vals}`, rows.flatMap((r) => [...cols.map((x) => r[x]), r.item_code])),
    await c.query(`EXPLAIN (ANALYZE) UPDATE hazard SET status = 'responded' WHERE id = (SELECT id FROM hazard WHERE status = 'open' AND item_code LIKE 'ZZE%' ORDER BY created_at DESC LIMIT 1)`),
    await c.query(`EXPLAIN (ANALYZE) UPDATE inspection SET status = CASE status WHEN 'assigned' THEN 'in_progress' ELSE 'assigned' END WHERE id = $1`, [insp[i % insp.length]]),
  ];
  await c.query('ROLLBACK');
  plans.forEach((p, si) => {
    for (const line of p.rows.map((x) => x['QUERY PLAN'])) {
      const m = /^Trigger (\S+)(?: on (\S+))?: time=([\d.]+) calls=(\d+)/.exec(line);
      if (m && !m[1].startsWith('RI_')) {
        const key = `${['insert 5 hazards', 'update 1 hazard', 'update 1 inspection'][si]}: ${m[1]}`;
        per.set(key, [...(per.get(key) ?? []), Number(m[3])]);
      }
    }
  });
}
await c.query(`DELETE FROM hazard WHERE item_code LIKE 'ZZT%'`);
// rows were inserted with the triggers off, so their deletion left deltas that nothing cancels: recount the summaries
// (as a bulk load does), so that the database is as before for the next diagnostic
await c.query(`SELECT hazard_summaries_rebuild()`);
await c.query(`VACUUM ANALYZE hazard, hazard_day_count, hazard_open_count, hazard_due_count, hazard_item_month, inspection_day_count`);
const med = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const f = (xs) => xs.map((x) => x.toFixed(2)).join(' ');
console.log(`per transaction (insert 5 hazards + 1 hazard status + 1 inspection status), median of ${rounds} rounds × ${N}:`);
console.log(`  all summary triggers on ${med(all).toFixed(3)} ms · DashboardFlat's off ${med(noFlat).toFixed(3)} ms · all off ${med(none).toFixed(3)} ms`);
console.log(`  DashboardFlat adds ${(med(all) - med(noFlat)).toFixed(3)} ms (${(med(all) / med(noFlat)).toFixed(2)}×); all summaries ${(med(all) - med(none)).toFixed(3)} ms (${(med(all) / med(none)).toFixed(2)}×)`);
console.log(`  rounds: on ${f(all)} | flat off ${f(noFlat)} | all off ${f(none)}`);
console.log(`per trigger, server-side (EXPLAIN ANALYZE, median of ${N}):`);
for (const [key, xs] of per) console.log(`  ${key.padEnd(52)} ${med(xs).toFixed(3)} ms`);
await c.end();
