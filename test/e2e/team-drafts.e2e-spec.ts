import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { TeamDrafts1765190100000 } from '../../migrations/1765190100000-TeamDrafts';
import { dataSourceOptions } from '../../src/database/data-source';
import { createAccount, institutionInput, seedDivisions, TestAccount, tokenFor } from '../support/factories';
import { formItems, submission } from '../support/inspection-fixtures';
import { createTestApp, TestApp } from '../support/test-app';
import { readDbInfo } from '../support/test-db';

/** 团队草稿: two inspectors on one inspection save their shares; the server merges per item, never per document. */
describe('team drafts: per-item merge, conflicts resolved by a person', () => {
  let t: TestApp;
  let officer: string;
  let zhang: TestAccount;
  let li: TestAccount;
  let outsider: TestAccount;
  let institutionId: string;
  const tok: Record<string, string> = {};
  const as = (who: string) => ({ Authorization: `Bearer ${tok[who]}` });
  const at = (hhmm: string) => `2026-12-01T${hhmm}:00+08:00`;

  beforeAll(async () => {
    t = await createTestApp();
    await seedDivisions(t.db);
    const officerAccount = await createAccount(t, 'bureau_officer', { divisionCode: '320402' });
    officer = await tokenFor(t, officerAccount);
    tok.officer = officer;
    zhang = await createAccount(t, 'inspector', { divisionCode: '320402' });
    li = await createAccount(t, 'inspector', { divisionCode: '320402' });
    outsider = await createAccount(t, 'inspector', { divisionCode: '320402' });
    tok.zhang = await tokenFor(t, zhang);
    tok.li = await tokenFor(t, li);
    tok.outsider = await tokenFor(t, outsider);
    institutionId = (await t.http().post('/api/institutions').set('Authorization', `Bearer ${officer}`).send(institutionInput({ name: '青枫颐养院' })).expect(201)).body.id;
  });
  afterAll(() => t?.close());

  async function newInspection(): Promise<string> {
    return (await t.http().post('/api/inspections').set('Authorization', `Bearer ${officer}`)
      .send({ institutionId, kind: 'routine', teamUserIds: [zhang.id, li.id] }).expect(201)).body.id;
  }

  it('carries an open single-document draft of the previous release over item by item (migration backfill), and back on down', async () => {
    const id = await newInspection();
    // A per-item answer of this release: the down migration writes it back into the one document.
    await t.http().put(`/api/inspections/${id}/draft`).set(as('zhang'))
      .send({ savedAt: at('09:00'), items: [{ itemCode: 'ESC-004', answer: { result: 'na', photos: [] }, baseRev: 0 }] }).expect(200);
    await t.db.query(`UPDATE inspection SET draft = $2, draft_saved_at = $3 WHERE id = $1`, [id, JSON.stringify({
      v: 1, inspectionId: id, answers: {
        'ESC-001': { result: 'pass', photos: [], answeredAt: '2026-11-30T02:00:00.000Z' }, 'ESC-002': { result: 'fail', note: '堵塞', photos: [] },
        // A malformed old time (month 13, hour 24) must not abort the upgrade: the save's time is taken.
        'ESC-003': { result: 'pass', photos: [], answeredAt: '2026-13-01T24:00:00Z' }, bogus: { result: 'pass' },
      },
    }), '2026-11-30T03:00:00Z']);
    const migration = new TeamDrafts1765190100000();
    // Migrations are the owner's work: the app's role (t.db) may not alter the tables.
    const owner = await new DataSource(dataSourceOptions(t.ownerUrl, { migrations: [] }, 1)).initialize();
    const runner = owner.createQueryRunner();
    try {
      await migration.down(runner);
      const [{ draft }] = await runner.query(`SELECT draft FROM inspection WHERE id = $1`, [id]);
      expect(Object.keys(draft.answers).sort()).toEqual(['ESC-001', 'ESC-002', 'ESC-003', 'ESC-004', 'bogus']);
      expect(draft.answers['ESC-004']).toEqual({ result: 'na', photos: [] });
      expect(draft).toMatchObject({ v: 1, inspectionId: id });
      await runner.query(`UPDATE inspection SET draft = draft #- '{answers,ESC-004}' WHERE id = $1`, [id]);
      await migration.up(runner);
    } finally {
      await runner.release();
      await owner.destroy();
    }
    const res = await t.http().get(`/api/inspections/${id}/draft`).set(as('li')).expect(200);
    expect(Object.keys(res.body.items)).toEqual(['ESC-001', 'ESC-002', 'ESC-003']);
    expect(res.body.items['ESC-001']).toMatchObject({ by: null, rev: 1, at: '2026-11-30T02:00:00.000Z', answer: { result: 'pass' } });
    expect(res.body.items['ESC-002']).toMatchObject({ at: '2026-11-30T03:00:00.000Z', answer: { result: 'fail', note: '堵塞' } });
    expect(res.body.items['ESC-003']).toMatchObject({ at: '2026-11-30T03:00:00.000Z' });
    expect(res.body.items['ESC-001'].own).toBeUndefined(); // who wrote which words stays on the server
    // The previous release's page reads one document: still there.
    expect(res.body.draft.answers['ESC-002'].note).toBe('堵塞');
    // An old page still sends the whole document: merged item by item, nothing conflicts with the carried-over answers.
    const old = await t.http().put(`/api/inspections/${id}/draft`).set(as('zhang'))
      .send({ savedAt: at('10:00'), draft: { answers: { 'ESC-001': { result: 'fail', photos: [] }, 'FFE-001': { result: 'pass', photos: [] } } } }).expect(200);
    expect(old.body.conflicts).toEqual([]);
    expect(old.body.items['ESC-001']).toMatchObject({ by: zhang.id, rev: 2, answer: { result: 'fail' } });
    expect(old.body.items['FFE-001']).toMatchObject({ by: zhang.id, rev: 1 });
    // …and its answers are checked like a device's items.
    const badOld = await t.http().put(`/api/inspections/${id}/draft`).set(as('zhang'))
      .send({ savedAt: at('10:01'), draft: { answers: { 'ESC-001': { result: 'pass', photos: 5 }, 'ZZZ-999': { result: 'pass' } } } }).expect(400);
    const fields = badOld.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['draft.answers.ESC-001.photos', 'draft.answers.ZZZ-999']));
  });

  it('NotificationsForAll upgrade: deliveries already sent or failed get sent_at / failure_reason before the constraints', async () => {
    const at = MIGRATIONS.findIndex((m) => m.name === 'NotificationsForAll1765190300000');
    const info = readDbInfo()!;
    const name = `nfa_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const admin = new Client({ connectionString: `${info.base}/postgres` });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    try {
      const url = `${info.base}/${name}`;
      const before = await new DataSource(dataSourceOptions(url, { migrations: MIGRATIONS.slice(0, at) }, 2)).initialize();
      await before.runMigrations();
      const [n] = await before.query(
        `INSERT INTO notification (audience, division_path, kind, title, body, entity_type, entity_id, dedup_key)
         VALUES ('bureau', '/32/3204/320402', 'notice_served', '旧通知', '旧通知', 'hazard', $1, $2) RETURNING id`, [randomUUID(), `old-${randomUUID()}`]);
      await before.query(`INSERT INTO notification_delivery (notification_id, channel, status) VALUES ($1, 'sms', 'sent'), ($1, 'email', 'failed')`, [n.id]);
      await before.destroy();
      const after = await new DataSource(dataSourceOptions(url, { migrations: MIGRATIONS.slice(0, at + 1) }, 2)).initialize();
      await after.runMigrations();
      const rows = await after.query(`SELECT channel, status, sent_at, failure_reason FROM notification_delivery WHERE notification_id = $1 ORDER BY channel`, [n.id]);
      await after.destroy();
      expect(rows[0]).toMatchObject({ channel: 'email', status: 'failed', sent_at: null, failure_reason: expect.any(String) });
      expect(rows[1]).toMatchObject({ channel: 'sms', status: 'sent', failure_reason: null });
      expect(rows[1].sent_at).toBeInstanceOf(Date);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });

  it('refuses a malformed answer, an item not on the inspection’s checklist and an oversized item, naming items.N', async () => {
    const id = await newInspection();
    const [a] = (await formItems(t, tok.zhang, id)).map((i) => i.code);
    const put = (items: unknown[]) => t.http().put(`/api/inspections/${id}/draft`).set(as('zhang')).send({ savedAt: at('10:00'), items });
    const fieldsOf = (res: { body: { details: { field: string; reason: string }[] } }) => res.body.details.map((d) => `${d.field}:${d.reason}`);
    // photos: 5 was a 500 (mergeDetails spreads it); unknown results, grades and fields are refused like the rest of the API.
    expect(fieldsOf(await put([{ itemCode: a, answer: { result: 'pass', photos: 5 }, baseRev: 0 }]).expect(400))).toContain('items.0.answer.photos:isArray');
    expect(fieldsOf(await put([{ itemCode: a, answer: { result: 'maybe', severity: 'huge', photos: [] } }]).expect(400)))
      .toEqual(expect.arrayContaining(['items.0.answer.result:isIn', 'items.0.answer.severity:isIn']));
    expect(fieldsOf(await put([{ itemCode: a, answer: { result: 'pass', colour: 'red' } }]).expect(400))).toContain('items.0.answer.colour:whitelistValidation');
    expect(fieldsOf(await put([{ itemCode: a, answer: { photos: [{ key: 'p1', evidenceId: 'not-a-uuid', script: 'x' }] } }]).expect(400)))
      .toEqual(expect.arrayContaining(['items.0.answer.photos.0.evidenceId:isUuid', 'items.0.answer.photos.0.script:whitelistValidation']));
    expect(fieldsOf(await put([{ itemCode: a, answer: { photos: Array.from({ length: 21 }, (_, i) => ({ key: `p${i}`, evidenceId: null })) } }]).expect(400)))
      .toContain('items.0.answer.photos:arrayMaxSize');
    expect(fieldsOf(await put([{ itemCode: a, answer: { result: 'pass', trail: [{ at: 'yesterday', f: 'result' }] } }]).expect(400))).toContain('items.0.answer.trail.0.at:isInstant');
    expect(fieldsOf(await put([{ itemCode: a, answer: { note: 'x'.repeat(2001) } }]).expect(400))).toContain('items.0.answer.note:maxLength');
    // A well-formed code that is not an item of the pinned checklist.
    const unknown = await put([{ itemCode: a, answer: { result: 'pass', photos: [] } }, { itemCode: 'ZZZ-999', answer: { result: 'pass', photos: [] } }]).expect(400);
    expect(fieldsOf(unknown)).toEqual(['items.1.itemCode:draftItemUnknown']);
    expect(unknown.body.details[0].message).toContain('ZZZ-999');
    // Each item within its size: 20 photos, each with a large markup layer, is too much for one item.
    const markup = { v: 1, w: 1000, h: 750, shapes: Array.from({ length: 30 }, () => ({ t: 'text', x: 0.5, y: 0.5, s: '灭'.repeat(60) })) };
    const big = await put([{ itemCode: a, answer: { result: 'fail', photos: Array.from({ length: 20 }, (_, i) => ({ key: `p${i}`, evidenceId: null, markup })) } }]).expect(400);
    expect(fieldsOf(big)).toEqual(['items.0.answer:draftItemTooLarge']);
    // Nothing was written; the form's own fields pass.
    expect((await t.http().get(`/api/inspections/${id}/draft`).set(as('zhang')).expect(200)).body.items).toEqual({});
    const ok = await put([{ itemCode: a, baseRev: 0, answeredAt: at('10:00'), answer: {
      result: 'fail', severity: 'general', scope: 'single', note: '堵塞', location: '一层', suspectedMajor: false, majorCriterion: null,
      answeredAt: at('10:00'), editedAt: at('10:01'), trail: [{ at: at('10:00'), f: 'result', lat: 31.7, lng: 119.9, acc: 12 }],
      photos: [{ key: 'pabc123', evidenceId: null, url: null, takenAt: new Date().toISOString(), lat: null, lng: null, bytes: 1234, exif: { lat: 31.7, lng: 119.9 },
        markup: { v: 1, w: 1000, h: 750, shapes: [{ t: 'arrow', x1: 0.1, y1: 0.1, x2: 0.5, y2: 0.5 }] }, markupRev: 1, markupSent: 0, missing: false }],
    } }]).expect(200);
    expect(ok.body.items[a].answer).toMatchObject({ result: 'fail', note: '堵塞', photos: [{ key: 'pabc123', markupRev: 1 }] });
  });

  it('merges two inspectors’ disjoint items; a conflict is kept with both answers, seen by both, resolved by a member, and blocks submission until then', async () => {
    const id = await newInspection();
    const items = await formItems(t, tok.zhang, id);
    const [a, b, c, d] = items.map((i) => i.code);
    const put = (who: string, changes: { itemCode: string; answer: Record<string, unknown>; baseRev?: number; answeredAt?: string }[]) =>
      t.http().put(`/api/inspections/${id}/draft`).set(as(who)).send({ savedAt: new Date().toISOString(), items: changes });

    // Both start from nothing (base 0) while offline, then sync one after the other.
    await put('zhang', [
      { itemCode: a, answer: { result: 'pass', photos: [] }, baseRev: 0, answeredAt: at('10:40') },
      { itemCode: c, answer: { result: 'fail', severity: 'general', note: '灭火器过期', photos: [] }, baseRev: 0, answeredAt: at('10:42') },
    ]).expect(200);
    const second = await put('li', [
      { itemCode: b, answer: { result: 'pass', photos: [] }, baseRev: 0, answeredAt: at('10:41') },
      { itemCode: c, answer: { result: 'pass', photos: [] }, baseRev: 0, answeredAt: at('10:44') },
      { itemCode: d, answer: { result: 'na', photos: [] }, baseRev: 0, answeredAt: at('10:45') },
    ]).expect(200);
    // Nothing lost: every item answered by either is in the merged draft, with who and when.
    expect(second.body.me).toBe(li.id);
    expect(Object.keys(second.body.items).sort()).toEqual([a, b, c, d].sort());
    expect(second.body.items[a]).toMatchObject({ by: zhang.id, byName: zhang.displayName, answer: { result: 'pass' } });
    expect(second.body.items[b]).toMatchObject({ by: li.id, answer: { result: 'pass' } });
    expect(second.body.items[c]).toMatchObject({ by: zhang.id, answer: { result: 'fail', note: '灭火器过期' } }); // first answer kept meanwhile
    expect(second.body.conflicts).toHaveLength(1);
    const conflict = second.body.conflicts[0];
    expect(conflict).toMatchObject({ itemCode: c, sides: [
      { by: zhang.id, at: new Date(at('10:42')).toISOString(), answer: { result: 'fail', note: '灭火器过期' } },
      { by: li.id, at: new Date(at('10:44')).toISOString(), answer: { result: 'pass' } },
    ] });
    expect(conflict.sides.map((x: { byName: string }) => x.byName)).toEqual([zhang.displayName, li.displayName]);
    // Zhang sees it too.
    const seen = await t.http().get(`/api/inspections/${id}/draft`).set(as('zhang')).expect(200);
    expect(seen.body.conflicts.map((x: { id: string }) => x.id)).toEqual([conflict.id]);

    // The same answer from both is no conflict.
    const same = await put('zhang', [{ itemCode: b, answer: { result: 'pass', photos: [] }, baseRev: 0, answeredAt: at('10:46') }]).expect(200);
    expect(same.body.conflicts).toHaveLength(1);

    // Submission is refused while the conflict is open, naming the item.
    const full = submission(items, {}, [zhang, li]);
    const refused = await t.http().post(`/api/inspections/${id}/submit`).set(as('zhang')).send(full).expect(409);
    expect(refused.body.code).toBe('team.conflicts_open');
    expect(JSON.stringify(refused.body)).toContain(`responses.${c}`);
    expect(refused.body.message).toContain('冲突');

    // Someone not on the team may not resolve it: an inspector of another team does not see the inspection, the officer is not on it.
    await t.http().post(`/api/inspections/${id}/draft/conflicts/${conflict.id}/resolve`).set(as('outsider')).send({ side: 1 }).expect(404);
    await t.http().post(`/api/inspections/${id}/draft/conflicts/${conflict.id}/resolve`).set(as('officer')).send({ side: 1 }).expect(403);
    await t.http().get(`/api/inspections/${id}/draft`).set(as('outsider')).expect(404);
    await t.http().post(`/api/inspections/${id}/draft/conflicts/${conflict.id}/resolve`).set(as('li')).send({ side: 2 }).expect(400);

    // Zhang chooses Li's answer: the item takes it (Li's, at 10:44), the conflict is closed, audited, Zhang's answer stays on record.
    const resolved = await t.http().post(`/api/inspections/${id}/draft/conflicts/${conflict.id}/resolve`).set(as('zhang')).send({ side: 1 }).expect(200);
    expect(resolved.body.conflicts).toEqual([]);
    expect(resolved.body.items[c]).toMatchObject({ by: li.id, answer: { result: 'pass' }, rev: 2 });
    const [row] = await t.db.query(`SELECT status, chosen_side, resolved_by, sides FROM inspection_draft_conflict WHERE id = $1`, [conflict.id]);
    expect(row).toMatchObject({ status: 'resolved', chosen_side: 1, resolved_by: zhang.id });
    expect(row.sides[0].answer.note).toBe('灭火器过期');
    const [audit] = await t.db.query(`SELECT actor_id, after FROM audit_event WHERE action = 'inspection.draft_resolve' AND entity_id = $1`, [id]);
    expect(audit.after).toMatchObject({ conflictId: conflict.id, itemCode: c, chosenSide: 1, answeredBy: li.id });
    await t.http().post(`/api/inspections/${id}/draft/conflicts/${conflict.id}/resolve`).set(as('li')).send({ side: 0 }).expect(404);

    // Li answered d 不适用 in the team draft; Zhang's submission says 合格: never overwritten silently.
    const differs = await t.http().post(`/api/inspections/${id}/submit`).set(as('zhang')).send(full).expect(409);
    expect(differs.body.code).toBe('team.answer_differs');
    expect(differs.body.details.map((x: { field: string }) => x.field)).toEqual([`responses.${d}`]); // c is Li's too, but the same answer
    expect(differs.body.details[0].message).toContain(li.displayName);
    expect(differs.body.details[0].message).toContain('不适用');
    expect(differs.body.details[0].message).toContain('合格');
    // Li's own answers and Zhang's identical ones: Li files.
    const filed = submission(items, {}, [zhang, li]);
    filed.responses = filed.responses.map((r) => (r.itemCode === d ? { itemCode: d, result: 'na' } : r));
    await t.http().post(`/api/inspections/${id}/submit`).set(as('li')).send(filed).expect(201);
    // The draft rows (notes, photo keys, positions) went with the submission; the draft reads empty, and is closed.
    expect(await t.db.query(`SELECT 1 FROM inspection_draft_item WHERE inspection_id = $1 UNION ALL SELECT 1 FROM inspection_draft_conflict WHERE inspection_id = $1`, [id])).toEqual([]);
    const afterwards = await t.http().get(`/api/inspections/${id}/draft`).set(as('zhang')).expect(200);
    expect(afterwards.body).toMatchObject({ items: {}, conflicts: [], draft: null });
    const [submitAudit] = await t.db.query(`SELECT after FROM audit_event WHERE action = 'inspection.submit' AND entity_id = $1`, [id]);
    expect(submitAudit.after.draftRowsDeleted).toEqual({ items: 4, conflicts: 1 });
    await put('li', [{ itemCode: a, answer: { result: 'fail', photos: [] }, baseRev: 1 }]).expect(409);
  });

  it('two saves at the same moment merge one after the other: exactly one conflict, nothing lost', async () => {
    const id = await newInspection();
    const [x, y, z] = (await formItems(t, tok.zhang, id)).map((i) => i.code);
    const body = (items: [string, string][]) => ({ savedAt: new Date().toISOString(), items: items.map(([itemCode, result]) => ({ itemCode, answer: { result, photos: [] }, baseRev: 0 })) });
    await Promise.all([
      t.http().put(`/api/inspections/${id}/draft`).set(as('zhang')).send(body([[x, 'pass'], [z, 'fail']])).expect(200),
      t.http().put(`/api/inspections/${id}/draft`).set(as('li')).send(body([[y, 'pass'], [z, 'pass']])).expect(200),
    ]);
    const after = await t.http().get(`/api/inspections/${id}/draft`).set(as('zhang')).expect(200);
    expect(Object.keys(after.body.items).sort()).toEqual([x, y, z].sort());
    expect(after.body.conflicts.map((c: { itemCode: string }) => c.itemCode)).toEqual([z]);
  });

  it('a lead assigns sections to members; only the lead, only to members', async () => {
    const id = await newInspection();
    const form = await t.http().get(`/api/inspections/${id}/form`).set(as('zhang')).expect(200);
    const [first, second] = form.body.categories.map((c: { code: string }) => c.code);
    const lead = form.body.team.find((m: { role: string }) => m.role === 'lead').userId as string;
    const leadName = lead === zhang.id ? 'zhang' : 'li';
    const memberName = lead === zhang.id ? 'li' : 'zhang';
    const member = lead === zhang.id ? li.id : zhang.id;
    const ok = await t.http().put(`/api/inspections/${id}/assignments`).set(as(leadName))
      .send({ assignments: [{ categoryCode: first, userId: lead }, { categoryCode: second, userId: member }] }).expect(200);
    expect(ok.body.assignments).toEqual([
      { categoryCode: first, userId: lead, displayName: expect.any(String) }, { categoryCode: second, userId: member, displayName: expect.any(String) },
    ].sort((x, y) => x.categoryCode.localeCompare(y.categoryCode)));
    await t.http().put(`/api/inspections/${id}/assignments`).set(as(memberName)).send({ assignments: [] }).expect(403);
    const bad = await t.http().put(`/api/inspections/${id}/assignments`).set(as(leadName)).send({ assignments: [{ categoryCode: first, userId: outsider.id }] }).expect(400);
    expect(JSON.stringify(bad.body)).toContain('assignments.0.userId');
    // One category twice (was a primary-key 500) and a category not in the checklist: 400 naming the row.
    const twice = await t.http().put(`/api/inspections/${id}/assignments`).set(as(leadName))
      .send({ assignments: [{ categoryCode: first, userId: lead }, { categoryCode: first, userId: member }, { categoryCode: 'NOPE', userId: member }] }).expect(400);
    expect(twice.body.details.map((x: { field: string; reason: string }) => `${x.field}:${x.reason}`))
      .toEqual(['assignments.1.categoryCode:categoryDuplicate', 'assignments.2.categoryCode:categoryUnknown']);
    expect((await t.http().get(`/api/inspections/${id}/draft`).set(as(leadName)).expect(200)).body.assignments).toHaveLength(2);
  });
});
