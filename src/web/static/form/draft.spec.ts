import {
  adoptServerDraft, answeredCount, draftStore, isDirty, knownLocations, markLostPhotos, newDraft, parseLocalDraft,
  pendingPhotos, serverCopy, setField, setResult, submissionPayload, touch, acknowledge,
  applyTeamView, changedItems, conflictOf, draftChanges, openConflicts,
} from './draft.js';

const ID = 'b0c1d2e3-0000-4000-8000-000000000001';
const item = (code: string, extra: Record<string, unknown> = {}) => ({ code, title: { zh: code }, severity: 'general' as const, ...extra });
const photo = (key: string, evidenceId: string | null = null) => ({ key, evidenceId, takenAt: '2026-11-23T02:00:00Z' });

/** An in-memory localStorage. */
function memoryStorage(failWrites = false) {
  const m = new Map<string, string>();
  return {
    map: m,
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => { if (failWrites) throw new Error('QuotaExceededError'); m.set(k, v); },
    removeItem: (k: string) => { m.delete(k); },
  };
}

describe('the form draft (device copy)', () => {
  it('round-trips through storage under yian.draft.<id>, and ignores another inspection’s or a broken copy', () => {
    const storage = memoryStorage();
    const store = draftStore(storage, ID);
    const d = newDraft(ID);
    setResult(d, item('ESC-001'), 'pass');
    expect(store.save(d)).toBe(true);
    expect([...storage.map.keys()]).toEqual([`yian.draft.${ID}`]);
    expect(store.load()).toEqual(d);
    expect(parseLocalDraft(storage.getItem(`yian.draft.${ID}`), 'another-inspection')).toBeNull();
    expect(parseLocalDraft('{not json', ID)).toBeNull();
    store.remove();
    expect(store.load()).toBeNull();
  });

  it('a full storage is reported, not thrown', () => {
    expect(draftStore(memoryStorage(true), ID).save(newDraft(ID))).toBe(false);
    expect(draftStore(null, ID).save(newDraft(ID))).toBe(false);
  });

  it('normalizes what older pages stored: missing photo lists and signatures are filled in', () => {
    const d = parseLocalDraft(JSON.stringify({ inspectionId: ID, rev: 3, answers: { 'ESC-001': { result: 'fail' } }, signatures: { inspectors: [null] } }), ID)!;
    expect(d.rev).toBe(3);
    expect(d.answers['ESC-001'].photos).toEqual([]);
    expect(d.signatures).toEqual({ inspectors: [], rep: { name: '', image: null } });
    expect(d.submitPending).toBe(false);
  });

  it('is dirty until the server acknowledges the revision it stored; a later change makes it dirty again', () => {
    const d = newDraft(ID);
    expect(isDirty(d)).toBe(false);
    touch(d);
    touch(d);
    expect(isDirty(d)).toBe(true);
    acknowledge(d, 1, '2026-11-23T02:00:00Z'); // an older PUT answering late
    expect(isDirty(d)).toBe(true);
    acknowledge(d, 2, '2026-11-23T02:00:05Z');
    expect(isDirty(d)).toBe(false);
    expect(d.serverSavedAt).toBe('2026-11-23T02:00:05Z');
  });

  it('the server copy leaves out the signature images but keeps who signed', () => {
    const d = newDraft(ID);
    d.signatures = { inspectors: [{ userId: 'u1', image: 'data:image/png;base64,AAAA' }], rep: { name: '李院长', image: 'data:image/png;base64,BBBB' } };
    const copy = serverCopy(d);
    expect(copy.signatures).toEqual({ inspectors: [{ userId: 'u1', image: null }], rep: { name: '李院长', image: null } });
    expect(d.signatures.rep.image).toBe('data:image/png;base64,BBBB'); // the local draft keeps them
  });

  it('taking over the server’s draft drops photos that never left the other device, and counts them', () => {
    const { draft, dropped } = adoptServerDraft({
      inspectionId: ID, rev: 9, serverRev: 9, submitPending: true,
      answers: { 'ESC-001': { result: 'fail', photos: [photo('p1', 'ev1'), photo('p2')] } },
    }, '2026-11-23T02:00:00Z', ID);
    expect(dropped).toBe(1);
    expect(draft.answers['ESC-001'].photos.map((p) => p.key)).toEqual(['p1']);
    expect(draft).toMatchObject({ rev: 0, serverRev: 0, submitPending: false, serverSavedAt: '2026-11-23T02:00:00Z' });
  });

  it('a first 不合格 takes the item’s grade and criterion; choosing 重大 later fills the default criterion', () => {
    const d = newDraft(ID);
    expect(setResult(d, item('ESC-010', { severity: 'major', majorCriterion: 'MZ2023-4.2' }), 'fail')).toBe(true);
    expect(d.answers['ESC-010']).toMatchObject({ result: 'fail', severity: 'major', majorCriterion: 'MZ2023-4.2' });
    expect(setResult(d, item('ESC-010'), 'fail')).toBe(false); // same answer: no change
    const general = item('ESC-011', { escalatesTo: 'MZ2023-6.1' });
    setResult(d, general, 'fail');
    expect(d.answers['ESC-011']).toMatchObject({ severity: 'general' });
    expect(d.answers['ESC-011'].majorCriterion).toBeUndefined();
    setField(d, general, 'severity', 'major');
    expect(d.answers['ESC-011'].majorCriterion).toBe('MZ2023-6.1');
    expect(setField(d, general, 'scope', 'nonsense')).toBe(true);
    expect(d.answers['ESC-011'].scope).toBeNull();
    expect(setField(d, general, 'evidenceIds', 'x')).toBe(false);
  });

  it('counts answers, pending and lost photos, and suggests each location once', () => {
    const d = newDraft(ID);
    d.answers = {
      A: { result: 'fail', location: ' 一层东侧走廊 ', photos: [photo('p1', 'ev1'), photo('p2'), { ...photo('p3'), missing: true }] },
      B: { result: 'pass', location: '一层东侧走廊', photos: [] },
      C: { result: null, photos: [photo('p4')] },
    };
    expect(answeredCount(d, ['A', 'B', 'C', 'D'])).toBe(2);
    expect(pendingPhotos(d).map((e) => `${e.code}:${e.meta.key}`)).toEqual(['A:p2', 'C:p4']);
    expect(markLostPhotos(d, new Set(['p2']))).toBe(1); // p4's bytes are gone; p1 is on the server; p3 already known
    expect(d.answers.C.photos[0].missing).toBe(true);
    expect(knownLocations(d)).toEqual(['一层东侧走廊']);
  });

  it('the submit body: every item in checklist order, uploaded photos only, each signer once, names from the team', () => {
    const d = newDraft(ID);
    d.submissionId = 's-1';
    d.answers = {
      A: { result: 'fail', note: ' 堵塞 ', location: '1层', scope: 'single', severity: 'general', majorCriterion: 'MZ2023-4.2', photos: [photo('p1', 'ev1'), photo('p2')] },
      B: { result: 'pass', note: '  ', photos: [] },
    };
    d.signatures = {
      inspectors: [{ userId: 'u1', image: 'img1' }, { userId: 'u1', image: 'img1b' }, { userId: 'u2', image: null }, { userId: 'u3', image: 'img3' }],
      rep: { name: ' 李院长 ', image: 'img-rep' },
    };
    const body = submissionPayload(d, ['A', 'B'], [{ userId: 'u1', displayName: '张三' }, { userId: 'u3', displayName: '王五' }]);
    expect(body).toEqual({
      submissionId: 's-1',
      responses: [
        { itemCode: 'A', result: 'fail', note: '堵塞', location: '1层', severity: 'general', majorCriterion: null, scope: 'single', evidenceIds: ['ev1'] },
        { itemCode: 'B', result: 'pass' },
      ],
      signatures: [
        { role: 'inspector', userId: 'u1', signerName: '张三', image: 'img1' },
        { role: 'inspector', userId: 'u3', signerName: '王五', image: 'img3' },
        { role: 'institution_representative', signerName: '李院长', image: 'img-rep' },
      ],
    });
  });
});

describe('team drafts on the device (per-item base)', () => {
  const view = (items: Record<string, { answer: Record<string, unknown>; by: string | null; rev: number }>, conflicts: unknown[] = [], me = 'u-li') => ({
    me, conflicts: conflicts as never[], assignments: [],
    items: Object.fromEntries(Object.entries(items).map(([k, v]) => [k, { ...v, byName: v.by, at: '2026-12-01T02:42:00.000Z' }])) as never,
  });

  it('sends only the items changed since their base, each with the revision it started from', () => {
    const d = newDraft(ID);
    setResult(d, item('EXIT-001'), 'pass');
    setResult(d, item('EXIT-002'), 'fail');
    d.base['EXIT-001'] = { rev: 3, answer: JSON.parse(JSON.stringify(d.answers['EXIT-001'])) };
    expect(changedItems(d)).toEqual(['EXIT-002']);
    const { body, sent } = draftChanges(d, new Date('2026-12-01T02:44:00Z'));
    expect(body.items).toEqual([expect.objectContaining({ itemCode: 'EXIT-002', baseRev: 0, answer: expect.objectContaining({ result: 'fail' }) })]);
    expect(Object.keys(sent)).toEqual(['EXIT-002']);
    // A local draft of the previous release (no base at all) sends every answered item once.
    const old = parseLocalDraft(JSON.stringify({ inspectionId: ID, answers: { 'EXIT-001': { result: 'pass' } } }), ID)!;
    expect(old.base).toEqual({});
    expect(changedItems(old)).toEqual(['EXIT-001']);
  });

  it('takes the teammate’s answers, keeps what was edited meanwhile, and keeps my side of a conflict', () => {
    const d = newDraft(ID);
    setResult(d, item('EXIT-003'), 'pass'); // sent, then unchanged
    const { sent } = draftChanges(d);
    setResult(d, item('EXIT-004'), 'fail'); // edited after the save left
    const conflict = { id: 'c1', itemCode: 'EXIT-003', sides: [
      { by: 'u-zhang', byName: '张三', at: '2026-12-01T02:42:00Z', answer: { result: 'fail', photos: [] } },
      { by: 'u-li', byName: '李四', at: '2026-12-01T02:44:00Z', answer: { result: 'pass', photos: [] } },
    ] };
    const r = applyTeamView(d, view({
      'EXIT-001': { answer: { result: 'pass', photos: [{ key: 'z1', evidenceId: 'e1' }, { key: 'z2', evidenceId: null }] }, by: 'u-zhang', rev: 1 },
      'EXIT-003': { answer: { result: 'fail', photos: [] }, by: 'u-zhang', rev: 1 },
      'EXIT-004': { answer: { result: 'na', photos: [] }, by: 'u-zhang', rev: 1 },
    }, [conflict]), sent, () => false);
    expect(r.adopted).toEqual(['EXIT-001']);
    expect(d.answers['EXIT-001'].result).toBe('pass');
    // A teammate's photo not uploaded yet is listed but marked missing on this device; uploaded ones come along.
    expect(d.answers['EXIT-001'].photos.map((p) => [p.key, !!p.missing, !!p.remote])).toEqual([['z1', false, false], ['z2', true, true]]);
    expect(changedItems(d)).toEqual(['EXIT-004']); // EXIT-003 is on the server (my side); EXIT-004 waits for the next save
    expect(d.answers['EXIT-003'].result).toBe('pass');
    expect(conflictOf(d, 'EXIT-003')!.id).toBe('c1');
    expect(openConflicts(d, ['EXIT-001', 'EXIT-003'])).toHaveLength(1);
    expect(r.conflictCodes).toEqual(['EXIT-003']);

    // Zhang resolved it for Zhang's answer: the next pull takes it, and the card goes.
    const after = applyTeamView(d, view({ 'EXIT-003': { answer: { result: 'fail', photos: [] }, by: 'u-zhang', rev: 2 } }));
    expect(after.adopted).toEqual(['EXIT-003']);
    expect(after.conflictCodes).toEqual(['EXIT-003']);
    expect(d.answers['EXIT-003'].result).toBe('fail');
    expect(conflictOf(d, 'EXIT-003')).toBeNull();
  });
});

describe('shared phone: a draft belongs to its inspector (owner)', () => {
  const A = 'user-a';
  const B = 'user-b';

  it('stamps the owner on save; another inspector never reads or overwrites it and is told it is there', () => {
    const storage = memoryStorage();
    const a = draftStore(storage, ID, A);
    const d = newDraft(ID);
    d.answers.A1 = { result: 'fail', photos: [], note: 'A 的答案' };
    expect(a.save(d)).toBe(true);
    expect(JSON.parse(storage.map.get('yian.draft.' + ID)!).owner).toBe(A);
    const b = draftStore(storage, ID, B);
    expect(b.load()).toBeNull(); // B starts from the server's copy, not from A's unsynced answers
    expect(b.foreign()).toBe(A);
    const mine = newDraft(ID, undefined, B);
    expect(b.save(mine)).toBe(true);
    expect(b.key).toBe('yian.draft.' + ID + '@' + B);
    expect(JSON.parse(storage.map.get('yian.draft.' + ID)!).answers.A1.note).toBe('A 的答案'); // untouched
    expect(a.load()!.answers.A1.note).toBe('A 的答案');
    expect(a.foreign()).toBeNull();
    b.remove();
    expect(a.exists()).toBe(true);
  });

  it('a draft of the previous release (no owner) is adopted and stamped by its first signed-in opener', () => {
    const storage = memoryStorage();
    const old: Record<string, unknown> = { ...newDraft(ID) };
    delete old.owner;
    storage.setItem('yian.draft.' + ID, JSON.stringify(old));
    expect(draftStore(storage, ID, B).load()!.owner).toBe(B);
    expect(JSON.parse(storage.map.get('yian.draft.' + ID)!).owner).toBe(B);
    expect(draftStore(storage, ID, A).load()).toBeNull();
    expect(draftStore(storage, ID, A).foreign()).toBe(B);
  });

  it('normalizeDraft keeps the owner; newDraft takes one', () => {
    expect(newDraft(ID, undefined, A).owner).toBe(A);
    expect(newDraft(ID).owner).toBeNull();
    expect(parseLocalDraft(JSON.stringify(newDraft(ID, undefined, A)), ID)!.owner).toBe(A);
  });
});
