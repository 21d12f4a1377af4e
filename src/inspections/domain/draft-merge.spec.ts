import { answerKey, ItemChange, ItemVersion, mergeDetails, mergeDraftItems, mergeTrails, OpenConflict, resolveConflict, sameAnswer } from './draft-merge';

const ZHANG = 'u-zhang';
const LI = 'u-li';
const WANG = 'u-wang';
const T = (hhmm: string) => `2026-12-01T${hhmm}:00+08:00`;
const pass = { result: 'pass' as const, photos: [] };
const fail = (extra: Record<string, unknown> = {}) => ({ result: 'fail' as const, severity: 'general' as const, photos: [], ...extra });
const v = (answer: ItemVersion['answer'], by: string | null, at: string, rev = 1): ItemVersion => ({ answer, by, at, rev });
const ch = (itemCode: string, answer: ItemChange['answer'], baseRev: number | null, at: string): ItemChange => ({ itemCode, answer, baseRev, at });
const none = new Map<string, OpenConflict>();

describe('per-item draft merge (团队草稿合并)', () => {
  it('disjoint items from two inspectors both land; nothing conflicts', () => {
    const afterZhang = mergeDraftItems(new Map(), none, [ch('EXIT-001', pass, 0, T('10:40')), ch('EXIT-002', fail(), 0, T('10:41'))], ZHANG);
    expect([...afterZhang.writes.keys()]).toEqual(['EXIT-001', 'EXIT-002']);
    const current = new Map(afterZhang.writes);
    const afterLi = mergeDraftItems(current, none, [ch('FIRE-001', pass, 0, T('10:42')), ch('FIRE-002', pass, 0, T('10:43'))], LI);
    expect([...afterLi.writes.keys()]).toEqual(['FIRE-001', 'FIRE-002']);
    expect(afterLi.conflicts.size).toBe(0);
    expect(afterLi.writes.get('FIRE-001')).toMatchObject({ answer: pass, by: LI, at: T('10:42'), rev: 1 });
    expect(current.get('EXIT-002')!.by).toBe(ZHANG); // the other's answers are untouched
  });

  it('the same item changed by both from the same base with different answers is a conflict keeping both, who and when', () => {
    const current = new Map([['EXIT-001', v(fail({ note: '堵塞' }), ZHANG, T('10:42'))]]);
    const out = mergeDraftItems(current, none, [ch('EXIT-001', pass, 0, T('10:44'))], LI);
    expect(out.writes.size).toBe(0); // the item keeps its first answer until a person chooses
    expect(out.conflicts.get('EXIT-001')).toEqual({
      sides: [{ by: ZHANG, at: T('10:42'), answer: fail({ note: '堵塞' }) }, { by: LI, at: T('10:44'), answer: pass }],
    });
  });

  it('the same item answered the same by both is no conflict: details merge, photos of both kept', () => {
    const current = new Map([['EXIT-001', v(fail({ note: '堵塞', photos: [{ key: 'a', evidenceId: 'e1' }] }), ZHANG, T('10:42'))]]);
    const out = mergeDraftItems(current, none, [ch('EXIT-001', fail({ location: '一层', photos: [{ key: 'b', evidenceId: 'e2' }] }), 0, T('10:44'))], LI);
    expect(out.conflicts.size).toBe(0);
    const w = out.writes.get('EXIT-001')!;
    expect(w).toMatchObject({ by: LI, at: T('10:44'), rev: 2 });
    expect(w.answer).toMatchObject({ result: 'fail', note: '堵塞', location: '一层' });
    expect(w.answer.photos!.map((p) => p.evidenceId)).toEqual(['e2', 'e1']);
    // Exactly the same answer again changes nothing.
    const again = mergeDraftItems(new Map([['EXIT-002', v(pass, ZHANG, T('10:40'))]]), none, [ch('EXIT-002', pass, 0, T('10:45'))], LI);
    expect(again.writes.size).toBe(0);
    expect(again.conflicts.size).toBe(0);
    expect(again.ignored).toEqual([{ itemCode: 'EXIT-002', reason: 'same' }]);
  });

  it('a different grade of 不合格 is a different answer; 疑似重大 too', () => {
    expect(sameAnswer(fail(), fail({ severity: 'major' }))).toBe(false);
    expect(sameAnswer(fail(), fail({ suspectedMajor: true }))).toBe(false);
    expect(sameAnswer(fail({ note: 'x' }), fail({ note: 'y' }))).toBe(true);
    expect(answerKey({ result: 'na' })).toBe('na');
    expect(answerKey(null)).toBe('');
  });

  it('a later edit by the same person wins over his own earlier one, even from a stale base; an older one is ignored', () => {
    const current = new Map([['EXIT-001', v(fail(), ZHANG, T('10:42'), 3)]]);
    const newer = mergeDraftItems(current, none, [ch('EXIT-001', pass, 1, T('10:50'))], ZHANG);
    expect(newer.conflicts.size).toBe(0);
    expect(newer.writes.get('EXIT-001')).toMatchObject({ answer: pass, by: ZHANG, at: T('10:50'), rev: 4 });
    const older = mergeDraftItems(current, none, [ch('EXIT-001', pass, 1, T('10:30'))], ZHANG);
    expect(older.writes.size).toBe(0);
    expect(older.ignored).toEqual([{ itemCode: 'EXIT-001', reason: 'older' }]);
  });

  it('a change made after seeing the other’s answer (base = current revision) overwrites it without a conflict', () => {
    const current = new Map([['EXIT-001', v(fail(), ZHANG, T('10:42'), 2)]]);
    const out = mergeDraftItems(current, none, [ch('EXIT-001', pass, 2, T('10:44'))], LI);
    expect(out.conflicts.size).toBe(0);
    expect(out.writes.get('EXIT-001')).toMatchObject({ answer: pass, by: LI, at: T('10:44'), rev: 3 });
  });

  it('answers carried over from a single-document draft (no author) are continued, never conflicted', () => {
    const current = new Map([['EXIT-001', v(fail(), null, T('09:00'))]]);
    const out = mergeDraftItems(current, none, [ch('EXIT-001', pass, null, T('10:00'))], LI);
    expect(out.conflicts.size).toBe(0);
    expect(out.writes.get('EXIT-001')).toMatchObject({ answer: pass, by: LI, rev: 2 });
  });

  it('an open conflict takes each person’s new answer as that person’s side, adds a third person, and dissolves when all agree', () => {
    const open = new Map([['EXIT-001', { id: 'c1', itemCode: 'EXIT-001', sides: [
      { by: ZHANG, at: T('10:42'), answer: fail() }, { by: LI, at: T('10:44'), answer: pass },
    ] }]]);
    const current = new Map([['EXIT-001', v(fail(), ZHANG, T('10:42'))]]);
    const third = mergeDraftItems(current, open, [ch('EXIT-001', { result: 'na', photos: [] }, 0, T('10:46'))], WANG);
    expect(third.conflicts.get('EXIT-001')!.sides.map((s) => s.by)).toEqual([ZHANG, LI, WANG]);
    expect(third.conflicts.get('EXIT-001')!.id).toBe('c1');

    const zhangAgrees = mergeDraftItems(current, open, [ch('EXIT-001', pass, 1, T('10:47'))], ZHANG);
    expect(zhangAgrees.conflicts.size).toBe(0);
    expect(zhangAgrees.agreed).toEqual([{ id: 'c1', itemCode: 'EXIT-001' }]);
    expect(zhangAgrees.writes.get('EXIT-001')!.answer.result).toBe('pass');

    const stale = mergeDraftItems(current, open, [ch('EXIT-001', pass, 0, T('10:40'))], LI);
    expect(stale.ignored).toEqual([{ itemCode: 'EXIT-001', reason: 'older' }]);
  });

  it('a details-only change (no result yet) by another person merges into the answer', () => {
    const current = new Map([['EXIT-001', v(fail({ note: '堵塞' }), ZHANG, T('10:42'))]]);
    const out = mergeDraftItems(current, none, [ch('EXIT-001', { photos: [{ key: 'k9', evidenceId: 'e9' }] }, 0, T('10:44'))], LI);
    expect(out.conflicts.size).toBe(0);
    expect(out.writes.get('EXIT-001')!.answer).toMatchObject({ result: 'fail', note: '堵塞' });
  });

  it('resolving takes the chosen side with its author and time, one revision on', () => {
    const conflict = { id: 'c1', itemCode: 'EXIT-001', sides: [{ by: ZHANG, at: T('10:42'), answer: fail() }, { by: LI, at: T('10:44'), answer: pass }] };
    expect(resolveConflict(conflict, 1, v(fail(), ZHANG, T('10:42'), 4))).toEqual({ answer: pass, by: LI, at: T('10:44'), rev: 5 });
    expect(() => resolveConflict(conflict, 2, undefined)).toThrow(RangeError);
  });

  it('mergeDetails keeps both people’s notes and locations (neither text is lost), each once', () => {
    const m = mergeDetails({ result: 'fail', note: '灭火器过期', location: '一层' }, { result: 'fail', note: '压力不足', location: '一层' });
    expect(m).toMatchObject({ note: '灭火器过期；压力不足', location: '一层' });
    expect(mergeDetails({ result: 'fail', note: '过期' }, { result: 'fail', note: '' }).note).toBe('过期');
    expect(mergeDetails({ result: 'fail', note: '过期' }, { result: 'fail', note: '过期，压力不足' }).note).toBe('过期，压力不足');
  });

  it('mergeDetails keeps one copy of a photo known by key and by evidence id', () => {
    const m = mergeDetails({ result: 'fail', photos: [{ key: 'a', evidenceId: null }] }, { result: 'fail', photos: [{ key: 'a', evidenceId: 'e1' }] });
    expect(m.photos).toEqual([{ key: 'a', evidenceId: 'e1' }]);
  });
  it('mergeDetails keeps both people’s trails: each step once (time + field), in time order, at most 20 with the first and the latest', () => {
    const step = (hhmm: string, f = 'result') => ({ at: new Date(T(hhmm)).toISOString(), f });
    const m = mergeDetails(
      { result: 'fail', trail: [step('10:40'), step('10:41', 'note')] },
      { result: 'fail', trail: [step('10:39'), step('10:41', 'note'), step('10:45', 'location')] },
    );
    expect(m.trail).toEqual([step('10:39'), step('10:40'), step('10:41', 'note'), step('10:45', 'location')]);
    // The same instant written two ways is one step.
    expect(mergeTrails([{ at: '2026-12-01T02:00:00.000Z', f: 'result' }], [{ at: '2026-12-01T10:00:00+08:00', f: 'result' }])).toHaveLength(1);
    const many = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ at: new Date(Date.UTC(2026, 11, 1, 2, from + i)).toISOString(), f: 'note' }));
    const long = mergeTrails(many(0, 15), many(30, 15))!;
    expect(long).toHaveLength(20);
    expect(long[0]).toEqual(many(0, 1)[0]);
    expect(long[19]).toEqual(many(44, 1)[0]);
    expect(mergeTrails(undefined, undefined)).toBeUndefined();
  });

  it('editing your own note on an outdated copy replaces your earlier words instead of appending them', () => {
    // Zhang wrote x; Li (same answer) added y → "x；y". Zhang's phone, still on x, edits his note to x2.
    const afterZhang = mergeDraftItems(new Map(), none, [ch('EXIT-001', fail({ note: '灭火器过期' }), 0, T('10:40'))], ZHANG).writes;
    const afterLi = mergeDraftItems(afterZhang, none, [ch('EXIT-001', fail({ note: '压力不足' }), 0, T('10:42'))], LI).writes;
    expect(afterLi.get('EXIT-001')!.answer.note).toBe('灭火器过期；压力不足');
    const edit = mergeDraftItems(afterLi, none, [ch('EXIT-001', fail({ note: '灭火器过期两年' }), 1, T('10:44'))], ZHANG).writes.get('EXIT-001')!;
    expect(edit.answer.note).toBe('灭火器过期两年；压力不足');
    // An edit that leaves his note as it was changes no text (no "x；y；x").
    const photoOnly = mergeDraftItems(afterLi, none, [ch('EXIT-001', fail({ note: '灭火器过期', photos: [{ key: 'k1', evidenceId: null }] }), 1, T('10:45'))], ZHANG).writes.get('EXIT-001')!;
    expect(photoOnly.answer.note).toBe('灭火器过期；压力不足');
    expect(photoOnly.answer.photos).toHaveLength(1);
    // Clearing his note takes his words out, the teammate's stay.
    const cleared = mergeDraftItems(afterLi, none, [ch('EXIT-001', fail({ note: '' }), 1, T('10:46'))], ZHANG).writes.get('EXIT-001')!;
    expect(cleared.answer.note).toBe('压力不足');
    // Who wrote what stays per person across writes.
    expect(edit.own).toEqual({ [ZHANG]: { note: '灭火器过期两年' }, [LI]: { note: '压力不足' } });
    // Without an author's earlier words, two people's notes are still both kept.
    expect(mergeDetails(fail({ note: 'x' }), fail({ note: 'y' }), { side: 'later', texts: undefined }).note).toBe('x；y');
  });

  it('mergeDetails keeps at most 20 photos, and a joined text that would be too long for the submission keeps the later one', () => {
    const photos = (p: string, n: number) => Array.from({ length: n }, (_, i) => ({ key: `${p}${i}`, evidenceId: null }));
    expect(mergeDetails(fail({ photos: photos('a', 15) }), fail({ photos: photos('b', 15) })).photos).toHaveLength(20);
    const long = 'x'.repeat(1500);
    expect(mergeDetails(fail({ note: long }), fail({ note: 'y'.repeat(600) })).note).toBe('y'.repeat(600));
  });
});
