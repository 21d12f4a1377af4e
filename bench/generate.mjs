// Builds a reproducible benchmark dataset (seeded PRNG) with PostgreSQL COPY.
//
//   node bench/generate.mjs --url postgres://… [--scale 1] [--seed 2026] [--anchor YYYY-MM-DD]
//
// Scale 1 = one city (常州市 demo divisions) with 3,000 institutions, 200 inspectors, 36,000 submitted inspections over the
// year before the anchor date, their item responses (≈2 M rows), ≈150,000 hazards in every state with their response /
// verification history (and the audit events the hazard ledger reads), rectification notices, grade assessments.
// The app is started once first (migrations, rule files published), then everything is COPYed in, then ANALYZE.
// Same seed + scale + anchor ⇒ the same rows (ids included).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { copyRows, dist, prng, requireDist, ROOT } from './lib/util.mjs';

export const BENCH_PASSWORD = 'Bench-pass-2026';
export const BENCH_CLIENTS = 20;

const DAY = 86_400_000;
const SH = 8 * 3600_000; // Asia/Shanghai offset

// ---------------------------------------------------------------- credit codes (GB 32100 + GB 11714)

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
function orgCode(r) {
  // GB 11714: 8 body characters (here from the GB 32100 alphabet), check = 11 - Σ(v·w) mod 11; 10 → X, 11 → 0.
  const W = [3, 7, 9, 10, 5, 8, 4, 2];
  const body = Array.from({ length: 8 }, () => ALPHABET[r.int(0, 30)]);
  const sum = body.reduce((s, c, i) => s + (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 55) * W[i], 0);
  const c = 11 - (sum % 11);
  return body.join('') + (c === 10 ? 'X' : c === 11 ? '0' : String(c));
}

// ---------------------------------------------------------------- the generator

export async function generate({ url, scale = 1, seed = 2026, anchor, dataDir, log = console.log }) {
  const { creditCodeCheckChar, isValidCreditCode } = dist('common/credit-code.js');
  const { DEMO_DIVISIONS, DEMO_INSTITUTIONS } = dist('demo/demo-data.js');
  const { applicableItems } = dist('checklists/domain/applicability.js');
  const { profileOf } = dist('checklists/checklists.service.js');
  const { dueDate, addDays, shanghaiDate } = dist('common/calendar.js');
  const { formatDocumentNo } = dist('documents/document-numbers.js');
  const { bureauAbbreviation } = dist('documents/issuing-bureau.js');
  const { eventHash, GENESIS_HASH } = dist('audit/audit-chain.js');
  const argon2 = requireDist('argon2');

  const r = prng(seed);
  const t0 = Date.now();
  const counts = {};
  // Where the time goes (seconds): JS building rows between COPYs, each COPY (rows built lazily inside it count here),
  // the secondary indexes rebuilt after the load, the summaries rebuild, VACUUM ANALYZE.
  const phases = { init: 0, js: 0, copy: {}, indexes: 0, summaries: 0, vacuumAnalyze: 0 };
  let mark = Date.now();
  const lap = () => { const t = Date.now(); const d = (t - mark) / 1000; mark = t; return d; };
  let db;
  const load = async (table, cols, rows) => {
    phases.js += lap();
    const n = await copyRows(db, table, cols, rows);
    phases.copy[table] = +((phases.copy[table] ?? 0) + lap()).toFixed(2);
    return n;
  };
  anchor ??= new Date().toISOString().slice(0, 10);
  const anchorMs = Date.parse(`${anchor}T00:00:00Z`) - SH; // midnight Shanghai
  const yearStart = anchorMs - 365 * DAY;

  // 1. The app once on the empty database: migrations, rule files, BullMQ schema.
  await initApp(url, dataDir, log);
  phases.init = lap();

  db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const [{ n: existing }] = (await db.query('SELECT count(*)::int AS n FROM institution')).rows;
    if (existing > 0) throw new Error(`the bench database already holds ${existing} institutions; use an empty database`);
    const checklist = (await db.query(`SELECT v.id FROM rule_set s JOIN rule_set_version v ON v.id = s.current_version_id WHERE s.code = 'fire-safety-inspection'`)).rows[0];
    const gradingForm = (await db.query(`SELECT v.id FROM rule_set s JOIN rule_set_version v ON v.id = s.current_version_id WHERE s.kind = 'grading_form'`)).rows[0];
    const items = (await db.query(`SELECT item FROM checklist_item WHERE version_id = $1 ORDER BY position`, [checklist.id])).rows.map((x) => x.item);
    const mz = (await db.query(`SELECT v.content FROM rule_set s JOIN rule_set_version v ON v.id = s.current_version_id WHERE s.code = 'MZ2023'`)).rows[0].content;
    const criteria = mz.aspects.flatMap((a) => a.criteria).filter((c) => c.textStatus === 'retrieved').map((c) => c.code);
    const passwordHash = await argon2.hash(BENCH_PASSWORD, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });

    // Skip FK triggers while loading (superuser only); every reference is generated consistently anyway.
    let fkOff = false;
    try { await db.query(`SET session_replication_role = replica`); fkOff = true; } catch { /* not superuser: keep FK checks */ }
    await db.query('BEGIN');
    // Secondary (non-constraint) indexes of the tables loaded below are dropped inside the load transaction and rebuilt
    // after it (two at a time, parallel workers allowed): building an index once is far cheaper than maintaining it row by row.
    const indexDefs = await dropSecondaryIndexes(db, LOADED_TABLES);
    phases.js += lap();

    // ---- divisions
    const divisions = new Map();
    for (const d of DEMO_DIVISIONS) {
      const parent = d.parentCode ? divisions.get(d.parentCode) : null;
      divisions.set(d.code, { ...d, path: `${parent ? parent.path : '/'}${d.code}/` });
    }
    counts.division = await load('division', ['code', 'name', 'level', 'parent_code', 'path'],
      [...divisions.values()].map((d) => [d.code, d.name, d.level, d.parentCode, d.path]));
    const streets = [...divisions.values()].filter((d) => d.level === 'street');
    const districts = [...divisions.values()].filter((d) => d.level === 'district');

    // ---- institutions: demo profiles, perturbed
    const nInst = Math.max(30, Math.round(3000 * scale));
    const codes = new Set();
    const WORDS = ['康宁', '福寿', '颐和', '安康', '松鹤', '夕阳红', '长青', '惠民', '乐龄', '仁爱', '祥和', '嘉禾', '春晖', '瑞福', '百合', '南山', '和美', '德馨', '金色', '同心'];
    const SUFFIX = { nursing_home: '颐养院', nursing_care: '护理院', community_complex: '社区养老服务中心', day_care: '日间照料中心', meal_point: '老年助餐点', rural_home: '敬老院' };
    const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
    const GIVEN = ['建平', '慧芳', '国强', '红霞', '金娣', '小英', '正清', '建伟', '秀兰', '志明', '丽华', '永康', '海燕', '卫东', '桂英', '德明', '雪梅', '文斌', '玉珍', '晓东'];
    const institutions = [];
    for (let i = 0; i < nInst; i++) {
      const t = r.pick(DEMO_INSTITUTIONS);
      const street = r.pick(streets);
      const district = divisions.get(street.parentCode);
      const f = 0.7 + r.next() * 0.6;
      const p = { ...t.profile };
      p.approvedBeds = Math.round(p.approvedBeds * f);
      p.occupiedBeds = Math.min(p.approvedBeds, Math.round(p.occupiedBeds * f));
      const res = ['residentsSelfCare', 'residentsMildlyDisabled', 'residentsModeratelyDisabled', 'residentsSeverelyDisabled'];
      for (const k of res) p[k] = Math.round(p[k] * f);
      while (res.reduce((s, k) => s + p[k], 0) > p.occupiedBeds) { const k = res.find((x) => p[x] > 0); p[k]--; }
      if (p.residentsModeratelyDisabled + p.residentsSeverelyDisabled === 0) p.highestFloorWithDisabled = null;
      else if (p.highestFloorWithDisabled === null) p.highestFloorWithDisabled = p.lowestFloor;
      p.totalAreaM2 = Math.round(p.totalAreaM2 * f);
      p.buildingVolumeM3 = p.buildingVolumeM3 === null ? null : Math.round(p.buildingVolumeM3 * f);
      let credit;
      do {
        const first17 = `${t.creditCode.slice(0, 2)}${street.code.slice(0, 6)}${orgCode(r)}`;
        credit = first17 + creditCodeCheckChar(first17);
      } while (codes.has(credit));
      if (!isValidCreditCode(credit)) throw new Error(`generated an invalid credit code ${credit}`);
      codes.add(credit);
      const status = t.status === 'active' || r.chance(0.8) ? 'active' : t.status;
      const inst = {
        id: r.uuid(), name: `${district.name.slice(0, 2)}${street.name.replace(/(街道|镇)$/, '')}${r.pick(WORDS)}${SUFFIX[t.kind]}${i % 7 === 0 ? `${(i % 9) + 1}号院` : ''}`,
        kind: t.kind, ownership: r.chance(0.8) ? t.ownership : r.pick(['public', 'private', 'public_private']), creditCode: credit,
        divisionCode: street.code, divisionPath: street.path, district, street,
        address: `常州市${district.name}${street.name}${r.pick(WORDS)}路${r.int(1, 999)}号`,
        contactName: r.pick([...SURNAMES]) + r.pick(GIVEN), contactPhone: r.chance(0.5) ? `0519-8${r.int(1000000, 9999999)}` : `139${r.int(10000000, 99999999)}`,
        status, ...p,
      };
      inst.applicable = applicableItems({ items }, profileOf(inst)).applicable;
      institutions.push(inst);
    }
    const created = new Date(yearStart - 400 * DAY);
    counts.institution = await load('institution', ['id', 'name', 'kind', 'ownership', 'credit_code', 'division_code', 'division_path', 'address', 'contact_name', 'contact_phone', 'status',
      'storeys', 'lowest_floor', 'total_area_m2', 'building_volume_m3', 'approved_beds', 'occupied_beds', 'residents_self_care', 'residents_mildly_disabled',
      'residents_moderately_disabled', 'residents_severely_disabled', 'highest_floor_with_disabled', 'has_fire_control_room', 'has_auto_fire_alarm', 'has_sprinklers',
      'gas_supply', 'has_canteen', 'has_medical_unit', 'has_elevator', 'has_boiler', 'has_oxygen_pipeline', 'inside_other_building', 'fire_resistance_grade',
      'has_window_bars', 'version', 'created_at', 'updated_at'],
    institutions.map((i) => [i.id, i.name, i.kind, i.ownership, i.creditCode, i.divisionCode, i.divisionPath, i.address, i.contactName, i.contactPhone, i.status,
      i.storeys, i.lowestFloor, i.totalAreaM2, i.buildingVolumeM3, i.approvedBeds, i.occupiedBeds, i.residentsSelfCare, i.residentsMildlyDisabled,
      i.residentsModeratelyDisabled, i.residentsSeverelyDisabled, i.highestFloorWithDisabled, i.hasFireControlRoom, i.hasAutoFireAlarm, i.hasSprinklers,
      i.gasSupply, i.hasCanteen, i.hasMedicalUnit, i.hasElevator, i.hasBoiler, i.hasOxygenPipeline, i.insideOtherBuilding, i.fireResistanceGrade,
      i.hasWindowBars, 1, created, created]));

    // ---- accounts (one password hash for all: the bench signs in as any of them)
    const users = [];
    const user = (username, displayName, role, division, institutionId = null) => {
      const u = { id: r.uuid(), username, displayName, role, divisionCode: division.code, divisionPath: division.path, institutionId };
      users.push(u);
      return u;
    };
    const city = divisions.get('320400');
    const admin = user('bench-admin', '常州市民政局管理员（基准）', 'bureau_admin', city);
    const officers = new Map(districts.map((d) => [d.code, user(`officer-${d.code}`, `${d.name}监管员`, 'bureau_officer', d)]));
    const nInspectors = Math.max(12, Math.round(200 * scale));
    const inspectorsByDistrict = new Map(districts.map((d) => [d.code, []]));
    for (let i = 0; i < nInspectors; i++) {
      const d = districts[i % districts.length];
      inspectorsByDistrict.get(d.code).push(user(`insp-${String(i + 1).padStart(4, '0')}`, `检查员${r.pick([...SURNAMES])}${r.pick(GIVEN)}`, 'inspector', d));
    }
    const benchInspectors = Array.from({ length: BENCH_CLIENTS }, (_, i) => user(`bench-insp-${String(i + 1).padStart(2, '0')}`, `基准检查员${i + 1}`, 'inspector', city));
    const instUsers = new Map(institutions.map((i, k) => [i.id, user(`inst-${String(k + 1).padStart(5, '0')}`, `${i.name}院长`, 'institution', divisions.get(i.divisionCode), i.id)]));
    counts.app_user = await load('app_user', ['id', 'username', 'display_name', 'role', 'division_code', 'division_path', 'institution_id', 'password_hash', 'status', 'version', 'created_at', 'updated_at'],
      users.map((u) => [u.id, u.username, u.displayName, u.role, u.divisionCode, u.divisionPath, u.institutionId, passwordHash, 'active', 1, created, created]));

    // ---- inspections and everything hanging off them, in time order
    const nInsp = Math.round(36000 * scale);
    const KINDS = [['routine', 0.6], ['random', 0.25], ['joint', 0.1], ['complaint', 0.05]];
    const kindOf = () => { let x = r.next(); for (const [k, p] of KINDS) { if ((x -= p) < 0) return k; } return 'routine'; };
    const inspections = [];
    for (let k = 0; k < nInsp; k++) {
      const inst = institutions[r.int(0, institutions.length - 1)];
      const day = yearStart + r.int(0, 364) * DAY;
      const submittedAt = new Date(day + r.int(8.5 * 3600, 17 * 3600) * 1000); // 08:30–17:00 Shanghai (day is Shanghai midnight)
      inspections.push({ id: r.uuid(), inst, submittedAt });
    }
    inspections.sort((a, b) => a.submittedAt - b.submittedAt);
    const counters = new Map(); // series|year → last
    const nextNo = (series, year) => { const key = `${series}|${year}`; const n = (counters.get(key) ?? 0) + 1; counters.set(key, n); return n; };
    const events = []; // [ms, actor, action, entityType, entityId, scopePath, after]
    const NOTES = ['现场发现问题，已当场指出', '检查时发现不符合要求', '多处存在同类问题', '值班人员未能说明情况'];
    const LOCS = ['1号楼一层走廊', '2号楼3层东侧走廊', '厨房操作间', '配电室', '楼梯间', '老人居室区', '消防控制室', '餐厅'];
    const hazards = [];
    const responsesTotal = { n: 0 };
    for (const ins of inspections) {
      const inst = ins.inst;
      const pool = inspectorsByDistrict.get(inst.district.code);
      const a = r.int(0, pool.length - 1);
      ins.team = [pool[a], pool[(a + 1 + r.int(0, pool.length - 2)) % pool.length]];
      ins.kind = kindOf();
      const abbr = bureauAbbreviation([city.name, inst.district.name]);
      const year = Number(shanghaiDate(ins.submittedAt).slice(0, 4));
      ins.reportNo = formatDocumentNo(abbr, '民安检', year, nextNo(`320400/${inst.district.code}:inspection-report`, year));
      const applicable = inst.applicable;
      const nFail = Math.min(applicable.length, r.poisson(4.2, 20));
      const failIdx = new Set();
      while (failIdx.size < nFail) failIdx.add(r.int(0, applicable.length - 1));
      ins.fails = [...failIdx].sort((x, y) => x - y).map((idx) => {
        const item = applicable[idx];
        return { item, note: `${item.title.zh}：${r.pick(NOTES)}`, location: r.pick(LOCS), scope: r.pick(['single', 'single', 'multiple', 'widespread']),
          majorCriterion: item.severity === 'major' ? (criteria.includes(item.majorCriterion) ? item.majorCriterion : r.pick(criteria)) : null };
      });
      ins.naIdx = r.chance(0.1) ? r.int(0, applicable.length - 1) : -1;
      responsesTotal.n += applicable.length;
      events.push([ins.submittedAt.getTime(), ins.team[0], 'inspection.submit', 'inspection', ins.id, inst.divisionPath,
        { status: 'submitted', reportNo: ins.reportNo, responses: applicable.length, hazards: ins.fails.map((f) => f.item.code) }]);
      if (ins.fails.length) {
        ins.noticeNo = formatDocumentNo(abbr, '民安整', year, nextNo(`320400/${inst.district.code}:notice`, year));
        ins.noticeAt = new Date(ins.submittedAt.getTime() + r.int(1, 48) * 3600_000);
      }
      for (const f of ins.fails) hazards.push(makeHazard(r, ins, f, { anchorMs, dueDate, addDays, instUsers, events }));
    }

    counts.inspection = await load('inspection', ['id', 'kind', 'institution_id', 'division_path', 'checklist_version_id', 'status', 'scheduled_date', 'started_at',
      'submitted_at', 'submission_id', 'submitted_by', 'report_no', 'report_status', 'created_by', 'created_at', 'updated_at', 'version'],
    inspections.map((x) => [x.id, x.kind, x.inst.id, x.inst.divisionPath, checklist.id, 'submitted', shanghaiDate(x.submittedAt),
      new Date(x.submittedAt.getTime() - 5400_000), x.submittedAt, r.uuid(), x.team[0].id, x.reportNo, 'none', officers.get(x.inst.district.code).id,
      new Date(x.submittedAt.getTime() - 14 * DAY), x.submittedAt, 3]));
    counts.inspection_team_member = await load('inspection_team_member', ['inspection_id', 'user_id', 'role', 'city_code'],
      inspections.flatMap((x) => [[x.id, x.team[0].id, 'lead', cityCodeOf(x.inst.divisionPath)], [x.id, x.team[1].id, 'member', cityCodeOf(x.inst.divisionPath)]]));
    // recorded_at (the monthly partition key) = the submission's time, as the app writes it; city_code given, so the
    // division-key trigger does not look it up row by row (migrations DivisionKeys, MonthlyPartitions).
    counts.inspection_response = await load('inspection_response', ['inspection_id', 'item_code', 'result', 'note', 'location', 'severity', 'major_criterion', 'scope', 'recorded_at', 'city_code'],
      (function* () {
        for (const x of inspections) {
          const fails = new Map(x.fails.map((f) => [f.item.code, f]));
          const city = cityCodeOf(x.inst.divisionPath);
          for (const [idx, item] of x.inst.applicable.entries()) {
            const f = fails.get(item.code);
            if (f) yield [x.id, item.code, 'fail', f.note, f.location, item.severity, f.majorCriterion, f.scope, x.submittedAt, city];
            else yield [x.id, item.code, idx === x.naIdx ? 'na' : 'pass', null, null, null, null, null, x.submittedAt, city];
          }
        }
      })());

    // evidence: 3 signatures per inspection, 1 photo per failed item, 1 photo per rectification response
    const evidenceCols = ['id', 'sha256', 'mime', 'size_bytes', 'purpose', 'inspection_id', 'item_code', 'institution_id', 'division_path', 'uploaded_by', 'device_taken_at', 'received_at'];
    const evRows = [];
    const sigRows = [];
    const linkRows = [];
    for (const x of inspections) {
      const signers = [[x.team[0], 'inspector'], [x.team[1], 'inspector'], [null, 'institution_representative']];
      for (const [u, role] of signers) {
        const id = r.uuid();
        evRows.push([id, r.hex(64), 'image/png', r.int(400, 3000), 'signature', x.id, null, x.inst.id, x.inst.divisionPath, x.team[0].id, x.submittedAt, x.submittedAt]);
        sigRows.push([r.uuid(), x.id, role, u?.id ?? null, u ? u.displayName : `${x.inst.contactName}`, id, x.submittedAt, cityCodeOf(x.inst.divisionPath)]);
      }
      for (const f of x.fails) {
        const id = r.uuid();
        const taken = new Date(x.submittedAt.getTime() - r.int(600, 5000) * 1000);
        evRows.push([id, r.hex(64), 'image/jpeg', r.int(150_000, 900_000), 'finding', x.id, f.item.code, x.inst.id, x.inst.divisionPath, x.team[0].id, taken, taken]);
        linkRows.push([x.id, f.item.code, id, x.submittedAt, cityCodeOf(x.inst.divisionPath)]);
      }
    }
    const responseEvidence = [];
    for (const h of hazards) {
      for (const resp of h.responses) {
        const id = r.uuid();
        evRows.push([id, r.hex(64), 'image/jpeg', r.int(150_000, 900_000), 'rectification', h.ins.id, h.itemCode, h.ins.inst.id, h.ins.inst.divisionPath, resp.by.id, resp.at, resp.at]);
        responseEvidence.push([resp.id, id, cityCodeOf(h.ins.inst.divisionPath)]);
      }
    }
    counts.evidence = await load('evidence', evidenceCols, evRows);
    counts.inspection_signature = await load('inspection_signature', ['id', 'inspection_id', 'role', 'user_id', 'signer_name', 'evidence_id', 'signed_at', 'city_code'], sigRows);
    counts.response_evidence = await load('response_evidence', ['inspection_id', 'item_code', 'evidence_id', 'recorded_at', 'city_code'], linkRows);
    evRows.length = 0;

    // The two previous findings of the same item at the same institution (what the insert trigger would have set;
    // migration DashboardSummaries), by found time then id — so hazard_summaries_rebuild() below rewrites no hazard.
    const pairs = new Map();
    for (const h of hazards) {
      const k = `${h.ins.inst.id}|${h.itemCode}`;
      if (!pairs.has(k)) pairs.set(k, []);
      pairs.get(k).push(h);
    }
    for (const list of pairs.values()) {
      list.sort((a, b) => a.ins.submittedAt - b.ins.submittedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      list.forEach((h, i) => { h.previousFoundAt = list[i - 1]?.ins.submittedAt ?? null; h.secondPreviousFoundAt = list[i - 2]?.ins.submittedAt ?? null; });
    }
    counts.hazard = await load('hazard', ['id', 'inspection_id', 'institution_id', 'division_path', 'checklist_version_id', 'item_code', 'category', 'title_zh', 'severity',
      'major_criterion', 'scope', 'location', 'note', 'deadline_days', 'due_date', 'status', 'overdue', 'escalated_at', 'listed', 'closed_at', 'created_at', 'updated_at',
      'version', 'plan_due_date', 'closure_reason', 'previous_found_at', 'second_previous_found_at'],
    hazards.map((h) => [h.id, h.ins.id, h.ins.inst.id, h.ins.inst.divisionPath, checklist.id, h.itemCode, h.category, h.titleZh, h.severity, h.majorCriterion, h.scope,
      h.location, h.note, h.deadlineDays, h.dueDate, h.status, h.overdue, h.escalatedAt, h.severity === 'major', h.closedAt, h.ins.submittedAt, h.updatedAt,
      1 + h.responses.length + h.verifications.length, h.planDueDate, h.closureReason, h.previousFoundAt, h.secondPreviousFoundAt]));
    counts.hazard_response = await load('hazard_response', ['id', 'hazard_id', 'what_was_fixed', 'other_places_checked', 'lasting_change', 'responsible_person', 'completed_on', 'submitted_by', 'submitted_at', 'city_code'],
      hazards.flatMap((h) => h.responses.map((x) => [x.id, h.id, `已整改：${h.titleZh}`, '已对全院同类部位逐一排查，未发现同类问题', '纳入每日防火巡查记录', h.ins.inst.contactName, shanghaiDate(x.at), x.by.id, x.at, cityCodeOf(h.ins.inst.divisionPath)])));
    counts.hazard_response_evidence = await load('hazard_response_evidence', ['response_id', 'evidence_id', 'city_code'], responseEvidence);
    counts.hazard_verification = await load('hazard_verification', ['id', 'hazard_id', 'response_id', 'responder_id', 'verifier_id', 'accepted', 'reason', 'new_due_date', 'on_site', 'verified_at', 'city_code'],
      hazards.flatMap((h) => h.verifications.map((v) => [v.id, h.id, v.responseId, v.responder.id, h.ins.team[0].id, v.accepted, v.reason, v.newDueDate, v.onSite, v.at, cityCodeOf(h.ins.inst.divisionPath)])));
    counts.hazard_objection = await load('hazard_objection', ['id', 'hazard_id', 'statement', 'filed_by', 'filed_at', 'status', 'decided_by', 'decided_at', 'decision_reason', 'city_code'],
      hazards.filter((h) => h.objection).map((h) => [r.uuid(), h.id, '该部位已于检查前完成改造，现场照片角度有误', h.objection.by.id, h.objection.at, 'upheld',
        officers.get(h.ins.inst.district.code).id, h.closedAt, '经复核，申辩理由成立', cityCodeOf(h.ins.inst.divisionPath)]));
    counts.hazard_plan = await load('hazard_plan', ['hazard_id', 'interim_measures', 'measures', 'funds', 'responsible_person', 'deadline', 'emergency_plan', 'submitted_by', 'submitted_at', 'city_code'],
      hazards.filter((h) => h.severity === 'major' && h.responses.length).map((h) => [h.id, '安排专人值守，增加巡查频次', '更换设备并完善管理制度', '机构自筹', h.ins.inst.contactName,
        h.dueDate, '已修订应急疏散预案', h.responses[0].by.id, new Date(h.ins.submittedAt.getTime() + 2 * DAY), cityCodeOf(h.ins.inst.divisionPath)]));
    counts.rectification_notice = await load('rectification_notice', ['id', 'inspection_id', 'institution_id', 'division_path', 'notice_no', 'issued_by', 'issued_at',
      'acknowledged_at', 'acknowledged_by', 'verify_token', 'pdf_status', 'pdf_sha256'],
    inspections.filter((x) => x.noticeNo).map((x) => {
      const ack = x.noticeAt.getTime() + DAY < anchorMs;
      return [r.uuid(), x.id, x.inst.id, x.inst.divisionPath, x.noticeNo, officers.get(x.inst.district.code).id, x.noticeAt,
        ack ? new Date(x.noticeAt.getTime() + DAY) : null, ack ? instUsers.get(x.inst.id).id : null, r.hex(32), 'rendered', r.hex(64)];
    }));
    counts.document_counter = await load('document_counter', ['series', 'year', 'last'],
      [...counters].map(([k, last]) => { const [series, year] = k.split('|'); return [series, Number(year), last]; }));

    // ---- grade assessments: ≈75 % of institutions graded in the last three years, a few open
    const ga = [];
    const LABELS = ['一级', '二级', '三级', '四级', '五级'];
    for (const inst of institutions) {
      if (r.chance(0.25)) continue;
      const opened = new Date(anchorMs - r.int(20, 1000) * DAY);
      const grade = r.chance(0.1) ? null : r.int(1, 5);
      const finalized = new Date(opened.getTime() + r.int(3, 15) * DAY);
      const open = finalized.getTime() > anchorMs || r.chance(0.03);
      const validUntil = addDays(`${Number(shanghaiDate(finalized).slice(0, 4)) + 3}${shanghaiDate(finalized).slice(4)}`, -1);
      ga.push([r.uuid(), inst.id, inst.divisionPath, gradingForm.id, open ? 'open' : 'finalized',
        { noOpenMajorHazard: true, noSeriousAccident: true, registrationInOrder: true }, {}, {},
        open ? null : (grade ? [360, 450, 570, 780, 900][grade - 1] + r.int(0, 50) : r.int(200, 350)), open ? null : grade,
        open ? null : grade ? LABELS[grade - 1] : '未达到等级', null, open ? null : shanghaiDate(finalized), open ? null : validUntil,
        officers.get(inst.district.code).id, opened, open ? null : officers.get(inst.district.code).id, open ? null : finalized, open ? 1 : 3]);
    }
    counts.grade_assessment = await load('grade_assessment', ['id', 'institution_id', 'division_path', 'form_version_id', 'status', 'prerequisites', 'item_points', 'item_notes',
      'total', 'grade', 'grade_label', 'reasons', 'valid_from', 'valid_until', 'opened_by', 'opened_at', 'finalized_by', 'finalized_at', 'version'], ga);
    // the grade in force as the app keeps it (one outcome per institution here: nothing supersedes)
    await db.query(`INSERT INTO grade_span (institution_id, grade, valid_from, valid_to)
      SELECT institution_id, grade, valid_from, valid_until FROM grade_assessment WHERE status = 'finalized' AND grade IS NOT NULL`);

    // ---- the audit chain: the events the ledger reads, hashed in order after whatever the app wrote at start
    events.sort((a, b) => a[0] - b[0]);
    const sealed = await sealedChain(db, dataDir);
    if (sealed) {
      // The sealed chain (migration AuditSealing): the events are this transaction's (its xid), unchained in
      // audit_event, and sealed here as the sealer would seal them — so no worker spends the benchmark adopting them.
      const { sealMac } = dist('audit/audit-chain.js');
      let { seq, prev } = sealed;
      let id = sealed.firstId;
      const seals = [];
      counts.audit_event = await load('audit_event', ['id', 'xid', 'occurred_at', 'actor_id', 'actor_role', 'actor_name', 'action', 'entity_type', 'entity_id', 'scope_path', 'before', 'after', 'request_id'],
        (function* () {
          for (const [t, actor, action, entityType, entityId, scopePath, after] of events) {
            const fields = { occurredAt: new Date(t).toISOString(), actorId: actor.id, actorRole: actor.role, actorName: actor.username, action, entityType, entityId,
              scopePath, before: null, after, requestId: null };
            const hash = eventHash(prev, fields, 'sha256');
            seq += 1n;
            seals.push([String(seq), String(id), sealed.xid, fields.occurredAt, 'sha256', prev, hash, sealMac(sealed.key, { seq: String(seq), eventId: String(id), alg: 'sha256', prevHash: prev, hash })]);
            yield [id, sealed.xid, fields.occurredAt, actor.id, actor.role, actor.username, action, entityType, entityId, scopePath, null, after, null];
            prev = hash;
            id += 1;
          }
        })());
      await db.query(`SELECT setval($1, $2)`, [sealed.sequence, id - 1]);
      counts.audit_seal = await load('audit_seal', ['seq', 'event_id', 'event_xid', 'occurred_at', 'alg', 'prev_hash', 'hash', 'mac'], seals);
      seals.length = 0;
    } else {
      const last = (await db.query('SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1')).rows[0];
      let prev = last?.hash ?? GENESIS_HASH;
      counts.audit_event = await load('audit_event', ['occurred_at', 'actor_id', 'actor_role', 'actor_name', 'action', 'entity_type', 'entity_id', 'scope_path', 'before', 'after', 'request_id', 'prev_hash', 'hash'],
        (function* () {
          for (const [t, actor, action, entityType, entityId, scopePath, after] of events) {
            const fields = { occurredAt: new Date(t).toISOString(), actorId: actor.id, actorRole: actor.role, actorName: actor.username, action, entityType, entityId,
              scopePath, before: null, after, requestId: null };
            const hash = eventHash(prev, fields);
            yield [fields.occurredAt, actor.id, actor.role, actor.username, action, entityType, entityId, scopePath, null, after, null, prev, hash];
            prev = hash;
          }
        })());
    }
    events.length = 0;

    await db.query('COMMIT');
    if (fkOff) await db.query('SET session_replication_role = DEFAULT');
    phases.js += lap();
    log(`  COPY done in ${((Date.now() - t0) / 1000).toFixed(1)} s (FK triggers ${fkOff ? 'skipped during load' : 'checked'}); ${indexDefs.length} secondary indexes…`);
    await rebuildIndexes(url, indexDefs);
    phases.indexes = lap();
    // The dashboard's summaries, which the hazard triggers keep (off during the load): recounted from the rows.
    const rebuilt = await db.query(`SELECT hazard_summaries_rebuild()`).then(() => db.query(`SELECT count(*)::int AS n FROM hazard_day_count`));
    counts.hazard_day_count = rebuilt.rows[0].n;
    phases.summaries = lap();
    log(`  indexes ${phases.indexes.toFixed(1)} s, summaries ${phases.summaries.toFixed(1)} s; VACUUM ANALYZE…`);
    await vacuumAnalyze(url);
    phases.vacuumAnalyze = lap();
    counts.inspection_response_expected = responsesTotal.n;
    // the submission benchmark's institutions: active, with the applicable-item count closest to 60
    const benchInstitutions = institutions.filter((i) => i.status === 'active')
      .sort((a, b) => Math.abs(a.applicable.length - 60) - Math.abs(b.applicable.length - 60)).slice(0, 50);
    return {
      seconds: (Date.now() - t0) / 1000, phases: roundPhases(phases), counts, anchor, seed, scale, checklistVersionId: checklist.id, itemCount: items.length,
      admin: admin.username, benchInspectors: benchInspectors.map((u) => ({ id: u.id, username: u.username, displayName: u.displayName })),
      benchInstitutions: benchInstitutions.map((i) => ({ id: i.id, divisionPath: i.divisionPath, applicable: i.applicable.map((a) => ({ code: a.code, severity: a.severity, majorCriterion: a.majorCriterion ?? null, photo: a.evidence.photoRequiredWhenFailed ? Math.max(1, a.evidence.minPhotos ?? 1) : 0 })) })),
      criteria, fkChecksDuringLoad: !fkOff,
    };
  } catch (e) {
    await db.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await db.end();
  }
}

/** One hazard with a plausible history for its age: open → responded → (returned → responded)* → closed. */
function makeHazard(r, ins, f, { anchorMs, dueDate, addDays, instUsers, events }) {
  const item = f.item;
  const found = ins.submittedAt.getTime();
  const age = (anchorMs - found) / DAY;
  const responder = instUsers.get(ins.inst.id);
  const verifier = ins.team[0];
  const h = {
    id: r.uuid(), ins, itemCode: item.code, category: item.category, titleZh: item.title.zh, severity: item.severity, majorCriterion: f.majorCriterion,
    scope: f.scope, location: f.location, note: f.note, deadlineDays: item.deadlineDays, dueDate: dueDate(ins.submittedAt, item.deadlineDays),
    planDueDate: item.severity === 'major' ? dueDate(ins.submittedAt, 7) : null, responses: [], verifications: [], objection: null,
    status: 'open', closedAt: null, closureReason: null, overdue: false, escalatedAt: null, updatedAt: ins.submittedAt,
  };
  const path = h.ins.inst.divisionPath;
  const ev = (t, actor, action, after) => events.push([t, actor, action, 'hazard', h.id, path, after]);
  const pClosed = Math.min(0.95, age / 120);
  const roll = r.next();
  const target = roll < pClosed ? 'closed' : ['open', 'open', 'open', 'responded', 'responded', 'returned'][r.int(0, 5)];
  const limit = anchorMs - 3600_000;
  let t = found + r.int(1, Math.max(1, Math.min(item.deadlineDays || 1, Math.max(1, age - 1)))) * DAY * 0.8;
  const step = () => { t = Math.min(limit, t + r.int(1, 10) * DAY); return t; };
  const respond = () => {
    const id = r.uuid();
    const at = new Date(Math.min(limit, t));
    h.responses.push({ id, at, by: responder });
    ev(at.getTime(), responder, 'hazard.respond', { status: 'responded' });
    return id;
  };
  if (target === 'closed' && r.chance(0.02)) {
    h.objection = { by: responder, at: new Date(Math.min(limit, found + DAY)) };
    ev(h.objection.at.getTime(), responder, 'hazard.objection_file', { statement: true });
    h.status = 'closed'; h.closureReason = 'objection_upheld'; h.closedAt = new Date(Math.min(limit, found + 4 * DAY));
    ev(h.closedAt.getTime(), verifier, 'hazard.objection_uphold', { status: 'closed' });
  } else if (target !== 'open') {
    const cycles = target === 'returned' ? 1 : r.chance(0.2) ? 1 : 0;
    for (let c = 0; c < cycles; c++) {
      const responseId = respond();
      const at = new Date(step());
      h.dueDate = addDays(h.dueDate, 15);
      h.verifications.push({ id: r.uuid(), responseId, responder, accepted: false, reason: '整改照片不能反映整改后情况，请补充', newDueDate: h.dueDate, onSite: false, at });
      ev(at.getTime(), verifier, 'hazard.return', { status: 'returned', dueDate: h.dueDate });
      h.status = 'returned';
      step();
    }
    if (target !== 'returned') {
      const responseId = respond();
      h.status = 'responded';
      if (target === 'closed') {
        const at = new Date(step());
        h.verifications.push({ id: r.uuid(), responseId, responder, accepted: true, reason: null, newDueDate: null, onSite: r.chance(0.3), at });
        ev(at.getTime(), verifier, 'hazard.accept', { status: 'closed' });
        h.status = 'closed'; h.closureReason = 'verified'; h.closedAt = at;
      }
    }
  }
  const due = Date.parse(`${h.dueDate}T00:00:00Z`) - 8 * 3600_000 + DAY;
  if ((h.status === 'open' || h.status === 'returned') && due < anchorMs) {
    h.overdue = true;
    h.escalatedAt = new Date(Math.min(limit, due + 3600_000));
    ev(h.escalatedAt.getTime(), verifier, 'hazard.escalate', { overdue: true });
  }
  h.updatedAt = new Date(Math.max(found, ...h.responses.map((x) => x.at.getTime()), ...h.verifications.map((v) => v.at.getTime()), h.closedAt?.getTime() ?? 0));
  return h;
}

// ---------------------------------------------------------------- load machinery (indexes, vacuum)

/** Every table the generator COPYs into (their secondary indexes are dropped for the load and rebuilt after it). */
// ---- division key (migration DivisionKeys): the city-level code of a division path, as yian_city_code() computes it
function cityCodeOf(divisionPath) {
  const m = /([0-9]{6,12})\/?$/.exec(divisionPath ?? '');
  return m ? `${m[1].slice(0, 4)}00` : '000000';
}
// ---- end division key

const LOADED_TABLES = ['division', 'institution', 'app_user', 'inspection', 'inspection_team_member', 'inspection_response', 'evidence', 'inspection_signature',
  'response_evidence', 'hazard', 'hazard_response', 'hazard_response_evidence', 'hazard_verification', 'hazard_objection', 'hazard_plan', 'rectification_notice',
  'document_counter', 'grade_assessment', 'grade_span', 'audit_event', 'audit_seal'];

/** Drops the indexes of `tables` that back no constraint (on a partitioned table: the parent's, which takes its partitions'); returns their definitions. */
async function dropSecondaryIndexes(db, tables) {
  const { rows } = await db.query(`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
     WHERE n.nspname = 'public' AND t.relname = ANY($1) AND NOT t.relispartition
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`, [tables]);
  for (const x of rows) await db.query(`DROP INDEX ${x.name}`);
  // a partitioned table's index is defined ON ONLY the parent; rebuilt on the parent it must cover the partitions again
  return rows.map((x) => ({ ...x, def: x.def.replace(/ ON ONLY /, ' ON ') }));
}

/**
 * When the release seals its audit chain (table audit_seal) and the app left its key in DATA_DIR: the chain head, this
 * transaction's xid, the key, and a block of event ids taken from audit_event's sequence (set past it after the COPY).
 */
async function sealedChain(db, dataDir) {
  const { rows: [t] } = await db.query(`SELECT to_regclass('audit_seal') IS NOT NULL AS sealed, pg_get_serial_sequence('audit_event', 'id') AS seq`);
  const keyFile = path.join(dataDir, 'secrets', 'audit-hmac.key');
  if (!t.sealed || !t.seq || (!process.env.AUDIT_HMAC_KEY && !fs.existsSync(keyFile))) return null;
  const key = Buffer.from(process.env.AUDIT_HMAC_KEY ?? fs.readFileSync(keyFile, 'utf8').trim(), 'utf8');
  const { rows: [head] } = await db.query(`SELECT seq::text AS seq, hash FROM audit_seal ORDER BY seq DESC LIMIT 1`);
  const { rows: [x] } = await db.query(`SELECT pg_current_xact_id()::text AS xid, (SELECT coalesce(max(id), 0) FROM audit_event) AS max_id`);
  const { rows: [n] } = await db.query(`SELECT greatest(nextval($1), $2 + 1)::bigint AS first`, [t.seq, x.max_id]);
  return { key, xid: x.xid, seq: BigInt(head?.seq ?? 0), prev: head?.hash ?? '0'.repeat(64), firstId: Number(n.first), sequence: t.seq };
}

/** Recreates the dropped indexes, biggest tables first, two connections at a time (each CREATE INDEX may use parallel workers). */
async function rebuildIndexes(url, defs, connections = 2) {
  const queue = [...defs];
  await Promise.all(Array.from({ length: Math.min(connections, queue.length) }, async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      await c.query(`SET maintenance_work_mem = '512MB'`);
      // A partitioned table's index reads `ON ONLY t` (the parent alone): rebuilt on the whole table, its partitions too.
      for (let d = queue.shift(); d; d = queue.shift()) await c.query(d.def.replace(' ON ONLY ', ' ON '));
    } finally {
      await c.end();
    }
  }));
}

/** VACUUM ANALYZE of every table, biggest first, on two connections. */
async function vacuumAnalyze(url, connections = 2) {
  const c0 = new pg.Client({ connectionString: url });
  await c0.connect();
  // leaves (tables, partitions) vacuumed one by one; a partitioned parent only analysed (ANALYZE ONLY: its own statistics)
  const { rows } = await c0.query(`SELECT c.oid::regclass::text AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'm') ORDER BY pg_total_relation_size(c.oid) DESC`);
  await c0.end();
  const queue = rows.map((x) => (x.relkind === 'p' ? `ANALYZE ONLY ${x.name}` : `VACUUM ANALYZE ${x.name}`));
  await Promise.all(Array.from({ length: connections }, async () => {
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      for (let q = queue.shift(); q; q = queue.shift()) await c.query(q);
    } finally {
      await c.end();
    }
  }));
}

function roundPhases(p) {
  const r = (x) => +x.toFixed(1);
  return { init: r(p.init), js: r(p.js), copy: r(Object.values(p.copy).reduce((a, b) => a + b, 0)), copyByTable: p.copy, indexes: r(p.indexes), summaries: r(p.summaries), vacuumAnalyze: r(p.vacuumAnalyze) };
}

/** Starts the real app once on the (empty) database and stops it: migrations, rule files, queue schema. */
export async function initApp(url, dataDir, log = () => {}) {
  const { createApp } = dist('bootstrap.js');
  const { loadConfig } = dist('config/env.js');
  const config = loadConfig({ DATABASE_URL: url, NODE_ENV: 'production', LOG_LEVEL: 'warn', PROCESS_ROLE: 'api', RUN_MIGRATIONS: 'true', SEED_DEMO: 'false', DATA_DIR: dataDir, PORT: '0', QUEUE_PREFIX: 'bench' });
  const t0 = Date.now();
  const app = await createApp(config);
  await app.init();
  await app.close();
  log(`  app initialised the database (migrations + rule files) in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

// ---------------------------------------------------------------- CLI

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  const arg = (name, def) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : def; };
  const url = arg('url', process.env.BENCH_DATABASE_URL);
  if (!url) { console.error('usage: node bench/generate.mjs --url postgres://… [--scale 1] [--seed 2026] [--anchor YYYY-MM-DD]'); process.exit(2); }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'yian-bench-data-'));
  generate({ url, scale: Number(arg('scale', 1)), seed: Number(arg('seed', 2026)), anchor: arg('anchor'), dataDir })
    .then((g) => { console.log(JSON.stringify({ seconds: g.seconds, counts: g.counts }, null, 2)); })
    .catch((e) => { console.error(e); process.exitCode = 1; })
    .finally(() => fs.rmSync(dataDir, { recursive: true, force: true }));
}
void ROOT; void createHash;
