import {
  adoptServerDraft, answeredCount, draftStore, isDirty, knownLocations, markLostPhotos, newDraft, parseLocalDraft,
  pendingPhotos, serverCopy, setField, setResult, submissionPayload, touch, acknowledge,
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
