// EXPLAIN of the hazard ledger (export and a filtered page-sized query) and of the dashboard's queries (the repository's
// own SQL), on the bench's dataset, with which monthly partitions each plan touches. Written to bench/results/explain-*.txt.
import fs from 'node:fs';
import path from 'node:path';
import { dist } from './util.mjs';

const PARTITIONED = ['inspection_response', 'audit_event', 'notification'];

/** Partitions of the partitioned tables named in a plan, against how many each table has. */
async function partitionInfo(pool) {
  const { rows } = await pool.query(`SELECT p.relname AS parent, c.relname AS part FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = ANY($1)`, [PARTITIONED]);
  const by = new Map();
  for (const r of rows) { if (!by.has(r.parent)) by.set(r.parent, []); by.get(r.parent).push(r.part); }
  return by;
}

function pruning(planText, parts) {
  if (!parts.size) return 'no partitioned tables (yet)';
  return [...parts].map(([parent, list]) => {
    const touched = list.filter((p) => new RegExp(`\\b${p}\\b`).test(planText)).length;
    const removed = [...planText.matchAll(/Subplans Removed: (\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
    return new RegExp(`\\b${parent}\\b|\\b${parent}_p`).test(planText) ? `${parent}: ${touched} of ${list.length} partitions in the plan${removed ? ` (${removed} subplans removed at run time)` : ''}` : null;
  }).filter(Boolean).join('; ') || 'reads no partitioned table';
}

/** `analyze`: run the statements (EXPLAIN ANALYZE) or only plan them. Returns a one-line summary per query. */
export async function explainAll({ pool, resultsDir, label, analyze }) {
  const { ExportsRepository } = dist('exports/exports.repository.js');
  const { DashboardRepository } = dist('dashboard/dashboard.repository.js');
  const { shanghaiDate, addDays } = dist('common/calendar.js');
  const parts = await partitionInfo(pool);
  const explain = async (sql, params = [], { run = analyze } = {}) => {
    const r = await pool.query(`EXPLAIN (${run ? 'ANALYZE, BUFFERS, ' : ''}COSTS) ${sql}`, params);
    const plan = r.rows.map((x) => x['QUERY PLAN']).join('\n');
    return { plan, ms: Number(/Execution Time: ([\d.]+)/.exec(plan)?.[1] ?? NaN), pruning: pruning(plan, parts) };
  };
  const today = shanghaiDate(new Date());
  const { rows: [district] } = await pool.query(`SELECT code FROM division WHERE level = 'district' ORDER BY code LIMIT 1`);
  const sql = ExportsRepository.prototype.hazardLedgerSql;
  const ledger = [
    { name: 'hazard ledger export, whole city', ...(await explain(sql.call(ExportsRepository.prototype, "'/320400/%'", true))) },
    { name: `hazard ledger, one district (${district.code}), found in the last 30 days`, ...(await explain(sql.call(ExportsRepository.prototype, '', true,
      `h.division_path LIKE '%/${district.code}/%' AND ins.submitted_at >= ('${addDays(today, -30)}'::date::timestamp AT TIME ZONE 'Asia/Shanghai')`), [], { run: true })) },
    { name: 'one inspection\'s item responses (inspection_response by inspection and month)', ...(await explain(
      `SELECT r.* FROM inspection_response r JOIN inspection i ON i.id = r.inspection_id WHERE i.id = (SELECT id FROM inspection WHERE status = 'submitted' ORDER BY submitted_at DESC LIMIT 1)`, [], { run: true })) },
    { name: 'audit events of the last 7 days', ...(await explain(`SELECT count(*) FROM audit_event WHERE occurred_at >= now() - interval '7 days'`, [], { run: true })) },
  ];
  const dash = [];
  const repo = new DashboardRepository({ query: async (q, params) => {
    const x = await explain(q, params, { run: true });
    dash.push({ name: q.replace(/\s+/g, ' ').trim().slice(0, 140), ...x });
    return [{}];
  } });
  await repo.summary({ divisionPath: '/320400/', from: addDays(today, -365), to: today, today }).catch((e) => dash.push({ name: `(dashboard summary threw: ${e.message})`, plan: '', ms: NaN, pruning: '' }));
  const write = (file, list) => {
    const text = list.map((o) => `=== ${o.name}\n--- ${Number.isFinite(o.ms) ? `${o.ms} ms` : 'planned only'}; ${o.pruning}\n${o.plan}`).join('\n\n');
    fs.writeFileSync(path.join(resultsDir, file), `${label}\n\n${text}\n`);
  };
  write(`explain-ledger-${label.replace(/[^\w.]+/g, '-')}.txt`, ledger);
  write(`explain-dashboard-${label.replace(/[^\w.]+/g, '-')}.txt`, dash);
  return { ledger: ledger.map(({ plan, ...x }) => x), dashboard: dash.map(({ plan, ...x }) => x) };
}
