import { applyBulk, bulkPlan, needsConfirm, undoBulk, undoText } from './bulk.js';
import { newDraft, setField, setResult } from './draft.js';
import { matchItems, nextItem, normalizeQuery, sectionProgress } from './sections.js';

const ID = 'b0c1d2e3-0000-4000-8000-000000000001';
const item = (code: string, title = code, check = '') => ({ code, title: { zh: title }, check: { zh: check }, severity: 'general' as const });
const esc = { code: 'ESC', title: { zh: '疏散通道与安全出口' }, items: [item('ESC-001', '疏散通道无占用堵塞', '走道、楼梯间无堆放物品'), item('ESC-002', '安全出口未锁闭'), item('ESC-003'), item('ESC-004')] };
const gas = { code: 'GAS', title: { zh: '燃气安全' }, items: [item('GAS-001', '燃气泄漏报警装置'), item('GAS-002')] };
const categories = [esc, gas];
const order = categories.flatMap((c) => c.items.map((i) => i.code));
const T0 = new Date('2026-12-01T02:00:00Z');
const T1 = new Date('2026-12-01T02:05:00Z');

/** A section with one failed item (its finding filled in), one passed, two unanswered. */
function started() {
  const d = newDraft(ID);
  setResult(d, esc.items[0], 'fail', T0);
  setField(d, esc.items[0], 'note', '走道堆放轮椅');
  d.answers['ESC-001'].photos.push({ key: 'p1', evidenceId: 'e1', takenAt: T0.toISOString() });
  setResult(d, esc.items[1], 'pass', T0);
  return d;
}

describe('本节其余合格 / 本节不适用 over a draft', () => {
  it('其余合格 answers only the unanswered items; a failed item and its finding are left exactly as they are', () => {
    const d = started();
    const failed = JSON.stringify(d.answers['ESC-001']);
    const plan = bulkPlan(esc, d, 'pass');
    expect(plan).toEqual({ section: 'ESC', kind: 'pass', codes: ['ESC-003', 'ESC-004'], failedKept: 1, answeredKept: 1 });
    applyBulk(d, esc, plan, T1);
    expect(['ESC-001', 'ESC-002', 'ESC-003', 'ESC-004'].map((c) => d.answers[c].result)).toEqual(['fail', 'pass', 'pass', 'pass']);
    expect(d.answers['ESC-003'].answeredAt).toBe(T1.toISOString());
    expect(JSON.stringify(d.answers['ESC-001'])).toBe(failed);
    expect(d.answers['GAS-001']).toBeUndefined();
  });

  it('不适用 covers passed and unanswered items but never a failed one', () => {
    const d = started();
    const plan = bulkPlan(esc, d, 'na');
    expect(plan.codes).toEqual(['ESC-002', 'ESC-003', 'ESC-004']);
    expect(plan.failedKept).toBe(1);
    applyBulk(d, esc, plan, T1);
    expect(['ESC-001', 'ESC-002', 'ESC-003', 'ESC-004'].map((c) => d.answers[c].result)).toEqual(['fail', 'na', 'na', 'na']);
    expect(bulkPlan(esc, d, 'na').codes).toEqual([]);
  });

  it('the one undo restores exactly the answers the section had before', () => {
    const d = started();
    const before = JSON.parse(JSON.stringify(d.answers));
    const undo = applyBulk(d, esc, bulkPlan(esc, d, 'na'), T1);
    const T2 = new Date('2026-12-01T02:07:00Z');
    const { restored, kept } = undoBulk(d, undo, T2);
    expect(restored).toEqual(['ESC-002', 'ESC-003', 'ESC-004']);
    expect(kept).toEqual([]);
    // The same answer as before; only the edit time says the undo happened (a later edit for the team merge).
    expect(d.answers['ESC-002']).toEqual({ ...before['ESC-002'], editedAt: T2.toISOString() });
    expect(d.answers['ESC-001']).toEqual(before['ESC-001']);
    // Items that had no answer are unanswered again.
    expect(d.answers['ESC-003'].result).toBeNull();
    expect(sectionProgress(categories, d)[0]).toMatchObject({ done: 2, failed: 1, complete: false });
  });

  it('an item changed by hand after the bulk action keeps the newer answer on undo', () => {
    const d = started();
    const undo = applyBulk(d, esc, bulkPlan(esc, d, 'pass'), T1);
    setResult(d, esc.items[3], 'fail', new Date('2026-12-01T02:06:00Z'));
    setField(d, esc.items[2], 'note', '灭火器压力偏低，已当场更换'); // a note added to a bulk 合格
    const { restored, kept } = undoBulk(d, undo);
    expect(restored).toEqual([]);
    expect(kept).toEqual(['ESC-003', 'ESC-004']);
    expect(d.answers['ESC-003']).toMatchObject({ result: 'pass', note: '灭火器压力偏低，已当场更换' });
    expect(d.answers['ESC-004'].result).toBe('fail');
    // The bar tells the inspector the undo left them as they are.
    expect(undoText({ restored, kept })).toBe('2 项已手动修改，未撤销：ESC-003、ESC-004。');
    expect(undoText({ restored: ['ESC-002'], kept: ['ESC-003'] })).toBe('已撤销 1 项。1 项已手动修改，未撤销：ESC-003。');
  });

  it('本页不再询问 skips the question for 本节其余合格 only: 本节不适用 always asks', () => {
    expect(needsConfirm('pass', false)).toBe(true);
    expect(needsConfirm('pass', true)).toBe(false);
    expect(needsConfirm('na', false)).toBe(true);
    expect(needsConfirm('na', true)).toBe(true);
  });

  it('records bulk answers in the trail as bulkPass / bulkNa, not as taps on the item', () => {
    const d = started();
    applyBulk(d, esc, bulkPlan(esc, d, 'pass'), T1);
    expect(d.answers['ESC-003'].trail!.map((s) => s.f)).toEqual(['bulkPass']);
    expect(d.answers['ESC-002'].trail!.map((s) => s.f)).toEqual(['result']); // tapped 合格 before, left alone
    applyBulk(d, gas, bulkPlan(gas, d, 'na'), T1);
    expect(d.answers['GAS-001'].trail!.map((s) => s.f)).toEqual(['bulkNa']);
  });
});

describe('section progress, search and the next item', () => {
  it('counts answered and failed items per section; a section is complete when every item has an answer', () => {
    const d = started();
    expect(sectionProgress(categories, d)).toEqual([
      { code: 'ESC', title: '疏散通道与安全出口', total: 4, done: 2, failed: 1, complete: false },
      { code: 'GAS', title: '燃气安全', total: 2, done: 0, failed: 0, complete: false },
    ]);
    applyBulk(d, gas, bulkPlan(gas, d, 'pass'), T1);
    expect(sectionProgress(categories, d)[1]).toMatchObject({ done: 2, complete: true });
    expect(sectionProgress([...categories, { code: 'EMPTY', title: { zh: '空' }, items: [] }], d)).toHaveLength(2);
  });

  it('finds items by code (also typed short or full-width) and by their text', () => {
    expect(matchItems(categories, '')).toBeNull();
    expect([...matchItems(categories, 'ESC-003')!]).toEqual(['ESC-003']);
    expect([...matchItems(categories, 'esc3')!]).toEqual(['ESC-003']);
    expect([...matchItems(categories, 'ＧＡＳ－００１')!]).toEqual(['GAS-001']);
    expect([...matchItems(categories, '楼梯间')!]).toEqual(['ESC-001']);
    expect([...matchItems(categories, '燃气 泄漏')!]).toEqual(['GAS-001']);
    expect(matchItems(categories, '不存在的条文')!.size).toBe(0);
    expect(normalizeQuery(' Esc 001 ')).toBe('esc001');
  });

  it('jumps to the next unanswered or failed item after the current one, wrapping around', () => {
    const d = started();
    expect(nextItem(order, d, '', 'unanswered')).toBe('ESC-003');
    expect(nextItem(order, d, 'ESC-003', 'unanswered')).toBe('ESC-004');
    expect(nextItem(order, d, 'GAS-002', 'unanswered')).toBe('ESC-003');
    expect(nextItem(order, d, 'ESC-001', 'failed')).toBe('ESC-001');
    expect(nextItem(order, d, '', 'failed')).toBe('ESC-001');
    for (const c of categories) applyBulk(d, c, bulkPlan(c, d, 'pass'), T1);
    expect(nextItem(order, d, '', 'unanswered')).toBeNull();
  });
});
