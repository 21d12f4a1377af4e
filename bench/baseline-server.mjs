// Baseline for the submission benchmark: a minimal Node HTTP server (no framework, no validation layer, no ORM) that
// writes the same rows as POST /api/inspections/:id/submit — responses, photo links, signature evidence (file + row)
// and signatures, hazards, report number, inspection update, two outbox rows and the audit event — with raw `pg` in one
// transaction. The audit event as the release under test writes it: appended unchained with the transaction's id when
// audit_event has an `xid` column (a sealer chains it after commit), else chained under the advisory lock as before.
// Run as a child process: PORT, DATABASE_URL, EVIDENCE_DIR.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { dist } from './lib/util.mjs';

const { eventHash, GENESIS_HASH } = dist('audit/audit-chain.js');
const { dueDate, shanghaiDate } = dist('common/calendar.js');
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
const evidenceDir = process.env.EVIDENCE_DIR;
const items = new Map(); // versionId → Map(code → item)
const divisionNames = new Map();
const sequenced = pool.query(`SELECT to_regprocedure('yian_next_document_number(text, integer)') IS NOT NULL AS ok`).then((r) => r.rows[0].ok);
const unchained = pool.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'audit_event' AND column_name = 'xid'`).then((r) => r.rowCount > 0);

// lookups on the transaction's own connection (with 20 clients on a pool of 10, a second connection could deadlock the pool)
async function itemsOf(c, versionId) {
  if (!items.has(versionId)) {
    const { rows } = await c.query('SELECT code, item FROM checklist_item WHERE version_id = $1', [versionId]);
    items.set(versionId, new Map(rows.map((r) => [r.code, r.item])));
  }
  return items.get(versionId);
}

async function storeFile(buf) {
  const sha = createHash('sha256').update(buf).digest('hex');
  const target = path.join(evidenceDir, sha.slice(0, 2), sha.slice(2, 4), sha);
  if (!fs.existsSync(target)) {
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    const tmp = `${target}.${randomUUID()}.tmp`;
    await fs.promises.writeFile(tmp, buf, { flag: 'wx' });
    await fs.promises.rename(tmp, target);
  }
  return { sha, size: buf.length };
}

async function submit(id, userId, dto) {
  const sigs = await Promise.all(dto.signatures.map((s) => storeFile(Buffer.from(s.image.slice(s.image.indexOf(',') + 1), 'base64'))));
  const c = await pool.connect();
  try {
    await c.query('BEGIN');
    const { rows: [ins] } = await c.query(
      'SELECT id, institution_id, division_path, checklist_version_id, status FROM inspection WHERE id = $1 FOR UPDATE', [id]);
    if (!ins || ins.status === 'submitted') throw Object.assign(new Error('conflict'), { status: 409 });
    const catalogue = await itemsOf(c, ins.checklist_version_id);
    const now = new Date();
    await c.query(
      `INSERT INTO inspection_response (inspection_id, item_code, result, note, location, severity, major_criterion, scope)
       SELECT $1, r.item_code, r.result, r.note, r.location, r.severity, r.major_criterion, r.scope
         FROM jsonb_to_recordset($2::jsonb) AS r(item_code text, result text, note text, location text, severity text, major_criterion text, scope text)`,
      [id, JSON.stringify(dto.responses.map((r) => ({ item_code: r.itemCode, result: r.result, note: r.note ?? null, location: r.location ?? null,
        severity: r.result === 'fail' ? r.severity : null, major_criterion: r.result === 'fail' ? r.majorCriterion ?? null : null, scope: r.result === 'fail' ? r.scope : null })))]);
    const links = dto.responses.flatMap((r) => (r.evidenceIds ?? []).map((e) => ({ item_code: r.itemCode, evidence_id: e })));
    if (links.length) {
      await c.query(`INSERT INTO response_evidence (inspection_id, item_code, evidence_id)
        SELECT $1, l.item_code, l.evidence_id::uuid FROM jsonb_to_recordset($2::jsonb) AS l(item_code text, evidence_id text)`, [id, JSON.stringify(links)]);
    }
    for (const [i, s] of dto.signatures.entries()) {
      const { rows: [ev] } = await c.query(
        `INSERT INTO evidence (sha256, mime, size_bytes, purpose, inspection_id, item_code, institution_id, division_path, uploaded_by, device_taken_at)
         VALUES ($1, 'image/png', $2, 'signature', $3, NULL, $4, $5, $6, $7)
         ON CONFLICT (inspection_id, coalesce(item_code, ''), purpose, sha256) DO UPDATE SET sha256 = EXCLUDED.sha256 RETURNING id`,
        [sigs[i].sha, sigs[i].size, id, ins.institution_id, ins.division_path, userId, now]);
      await c.query(`INSERT INTO inspection_signature (inspection_id, role, user_id, signer_name, evidence_id, signed_at) VALUES ($1,$2,$3,$4,$5,$6)`,
        [id, s.role, s.role === 'inspector' ? s.userId : null, s.signerName, ev.id, now]);
    }
    const fails = dto.responses.filter((r) => r.result === 'fail');
    const hazards = fails.map((r) => {
      const item = catalogue.get(r.itemCode);
      const severity = r.severity ?? item.severity;
      return [r.itemCode, item.category, item.title.zh, severity, severity === 'major' ? r.majorCriterion : null, r.scope, r.location, r.note,
        item.deadlineDays, dueDate(now, item.deadlineDays), severity === 'major' ? dueDate(now, 7) : null, severity === 'major'];
    });
    let hazardRows = [];
    if (hazards.length) {
      const values = hazards.map((_, k) => `($1,$2,$3,$4,${Array.from({ length: 12 }, (__, j) => `$${5 + k * 12 + j}`).join(',')},'open',false,1)`).join(',');
      ({ rows: hazardRows } = await c.query(
        `INSERT INTO hazard (inspection_id, institution_id, division_path, checklist_version_id, item_code, category, title_zh, severity, major_criterion, scope,
           location, note, deadline_days, due_date, plan_due_date, listed, status, overdue, version) VALUES ${values} RETURNING id, item_code, due_date::text`,
        [id, ins.institution_id, ins.division_path, ins.checklist_version_id, ...hazards.flat()]));
    }
    const codes = ins.division_path.split('/').filter(Boolean).slice(0, 2);
    for (const code of codes) {
      if (!divisionNames.has(code)) divisionNames.set(code, (await c.query('SELECT name FROM division WHERE code = $1', [code])).rows[0]?.name ?? '');
    }
    const year = Number(shanghaiDate(now).slice(0, 4));
    // the report number as the release under test takes it: a sequence when yian_next_document_number exists (not a
    // gapless series), else the gapless counter row (locked to commit)
    const { rows: [{ last }] } = (await sequenced)
      ? await c.query(`SELECT yian_next_document_number($1, $2) AS last`, [`${codes.join('/')}:inspection-report`, year])
      : await c.query(
        `INSERT INTO document_counter (series, year, last) VALUES ($1, $2, 1) ON CONFLICT (series, year) DO UPDATE SET last = document_counter.last + 1 RETURNING last`,
        [`${codes.join('/')}:inspection-report`, year]);
    const reportNo = `${codes.map((c2) => divisionNames.get(c2).charAt(0)).join('')}民安检〔${year}〕第${String(last).padStart(4, '0')}号`;
    await c.query(`UPDATE inspection SET status = 'submitted', submitted_at = $2, submission_id = $3, submitted_by = $4, report_no = $5,
      report_status = 'pending', started_at = coalesce(started_at, $2), draft = NULL, updated_at = now(), version = version + 1 WHERE id = $1`,
    [id, now, dto.submissionId, userId, reportNo]);
    await c.query(`INSERT INTO outbox (topic, job_id, payload) VALUES ('inspection.report', $1, $2), ('score.recompute', $3, $4) ON CONFLICT (job_id) DO NOTHING`,
      [`inspection-report-${id}`, JSON.stringify({ inspectionId: id }), `score-${ins.institution_id}-${randomUUID()}`, JSON.stringify({ institutionId: ins.institution_id })]);
    const fields = { occurredAt: new Date().toISOString(), actorId: userId, actorRole: 'inspector', actorName: 'baseline', action: 'inspection.submit',
      entityType: 'inspection', entityId: id, scopePath: ins.division_path, before: { status: ins.status },
      after: { status: 'submitted', submissionId: dto.submissionId, reportNo, responses: dto.responses.length, hazards: fails.map((f) => f.itemCode) }, requestId: null };
    if (await unchained) {
      await c.query(`INSERT INTO audit_event (occurred_at, actor_id, actor_role, actor_name, action, entity_type, entity_id, scope_path, before, after, request_id, xid)
        VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,pg_current_xact_id())`,
      [fields.occurredAt, userId, fields.actorRole, fields.actorName, fields.action, fields.entityType, id, fields.scopePath, JSON.stringify(fields.before),
        JSON.stringify(fields.after), null]);
    } else {
      await c.query('SELECT pg_advisory_xact_lock(7310001)');
      const prev = (await c.query('SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1')).rows[0]?.hash ?? GENESIS_HASH;
      await c.query(`INSERT INTO audit_event (occurred_at, actor_id, actor_role, actor_name, action, entity_type, entity_id, scope_path, before, after, request_id, prev_hash, hash)
        VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
      [fields.occurredAt, userId, fields.actorRole, fields.actorName, fields.action, fields.entityType, id, fields.scopePath, JSON.stringify(fields.before),
        JSON.stringify(fields.after), null, prev, eventHash(prev, fields)]);
    }
    await c.query('COMMIT');
    return { inspectionId: id, submissionId: dto.submissionId, hazardCount: hazardRows.length, hazards: hazardRows, reportNo };
  } catch (e) {
    await c.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    c.release();
  }
}

const server = http.createServer((req, res) => {
  const m = /^\/submit\/([0-9a-f-]{36})$/.exec(req.url ?? '');
  if (req.method !== 'POST' || !m) { res.writeHead(req.url === '/health' ? 200 : 404).end(); return; }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    let dto;
    try { dto = JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { res.writeHead(400).end(); return; }
    submit(m[1], req.headers['x-user-id'], dto).then(
      (result) => { const body = JSON.stringify(result); res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body); },
      (err) => { res.writeHead(err.status ?? 500, { 'content-type': 'text/plain' }).end(String(err.message)); });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT), '127.0.0.1');
process.on('SIGTERM', () => { server.close(); pool.end().finally(() => process.exit(0)); });
