import { readFileSync } from 'fs';
import { resolve } from 'path';
import { creditValues, type CreditValues } from '../../checklists/domain/credit-rules';
import { parseRuleFile } from '../../checklists/domain/rule-file.loader';
import type { CreditRulesFile } from '../../checklists/domain/rule-file.types';
import { computeCreditLedger, creditFacts, creditLedger, type CreditFact, type CreditRecord, lastDeductionOn, levelOf, windowStartOf } from './credit-ledger';

const RULES: CreditValues = creditValues(parseRuleFile('credit-rules.yaml', readFileSync(resolve(__dirname, '../../../checklists/credit-rules.yaml'), 'utf8')).content as CreditRulesFile);
const EMPTY: CreditRecord = { hazards: [], objectionsLost: [], complaintsUpheld: [], incidents: [], bedsOverstated: [], selfHazardsClosed: [], liveDrills: [] };
const hazard = (id: string, foundOn: string, more: Partial<CreditRecord['hazards'][number]> = {}) => ({ id, itemCode: 'GAS-003', titleZh: '燃气报警装置缺失', foundOn, dueOn: foundOn, overdue: false, confirmedMajor: false, ...more });
const fact = (kind: CreditFact['kind'], on: string, id = `${kind}-${on}`): CreditFact => ({ kind, entityType: 'hazard', entityId: id, on, detailZh: id });
const sum = (l: ReturnType<typeof computeCreditLedger>) => l.base + l.entries.reduce((s, e) => s + e.points, 0);

describe('credit ledger', () => {
  it('a clean record: the base, level A, no entries', () => {
    const l = creditLedger(EMPTY, '2026-12-01', RULES, 6);
    expect(l).toMatchObject({ total: 100, level: 'A', base: 100, entries: [], windowStart: '2024-12-02' });
  });

  it('sums to the level for a record with several facts, every point naming its record', () => {
    const record: CreditRecord = {
      ...EMPTY,
      hazards: [
        hazard('h1', '2026-01-10', { overdue: true, dueOn: '2026-02-10' }),
        hazard('h2', '2026-06-10', { confirmedMajor: true }), // repeat of h1 within 12 months
        hazard('h3', '2026-07-01', { itemCode: 'EXIT-001', titleZh: '疏散通道堵塞' }),
      ],
      objectionsLost: [{ id: 'o1', itemCode: 'GAS-003', decidedOn: '2026-06-20' }],
      complaintsUpheld: [{ id: 'c1', repliedOn: '2026-08-01', categoryZh: '消防安全' }],
      incidents: [{ id: 'i1', occurredOn: '2026-09-01', gradeZh: '一般', late: true }],
      bedsOverstated: [{ id: 'r1', decidedOn: '2026-03-01', field: 'approvedBeds', before: 60, after: 80 }],
      selfHazardsClosed: [{ id: 's1', itemCode: 'DAY-001', titleZh: '灭火器压力不足', closedOn: '2026-05-01' }],
      liveDrills: [{ id: 'd1', heldOn: '2026-04-01', previousOn: null }, { id: 'd2', heldOn: '2026-12-01', previousOn: '2026-04-01' }],
    };
    const l = creditLedger(record, '2026-12-01', RULES, 6);
    // −5 overdue −3 repeat −10 major −1 objection −4 complaint −8 incident −5 late −15 beds +1 self +2 drill (d2 is 8 months after d1: late)
    expect(l.total).toBe(100 - 5 - 3 - 10 - 1 - 4 - 8 - 5 - 15 + 1 + 2);
    expect(l.total).toBe(52);
    expect(sum(l)).toBe(l.total);
    expect(l.level).toBe('D');
    expect(l.level).toBe(levelOf(l.total, RULES).level);
    expect(l.entries.map((e) => [e.ruleCode, e.entityId, e.points])).toEqual([
      ['CR-OVERDUE', 'h1', -5], ['CR-REPEAT', 'h2', -3], ['CR-MAJOR', 'h2', -10], ['CR-OBJECTION-LOST', 'o1', -1], ['CR-COMPLAINT', 'c1', -4],
      ['CR-INCIDENT', 'i1', -8], ['CR-INCIDENT-LATE', 'i1', -5], ['CR-FALSIFIED', 'r1', -15], ['CR-SELF-HAZARD', 's1', 1], ['CR-DRILL', 'd1', 2],
    ]);
    expect(l.entries[1].explanation).toBe('CR-REPEAT 同一隐患重复出现：GAS-003 燃气报警装置缺失（2026-06-10 再次发现，上次 2026-01-10） −3 分');
    expect(l.entries.every((e) => e.entityType && e.on)).toBe(true);
  });

  it('level boundaries: 90 is A, 89 is B, 75 B, 74 C, 60 C, 59 D, 0 D', () => {
    for (const [total, level] of [[100, 'A'], [90, 'A'], [89, 'B'], [75, 'B'], [74, 'C'], [60, 'C'], [59, 'D'], [0, 'D']] as const) expect(levelOf(total, RULES).level).toBe(level);
  });

  it('the window: a fact on its first day counts, the day before does not, nor after asOf', () => {
    expect(windowStartOf('2026-12-01', RULES)).toBe('2024-12-02');
    const facts = [fact('incident', '2024-12-02'), fact('incident', '2024-12-01'), fact('incident', '2026-12-02')];
    const l = computeCreditLedger(facts, '2026-12-01', RULES);
    expect(l.entries.map((e) => e.on)).toEqual(['2024-12-02']);
    expect(l.total).toBe(92);
  });

  it('a repeat needs the same item within repeatMonths: 12 months to the day is a repeat, one more day is not', () => {
    const at = (second: string) => creditFacts({ ...EMPTY, hazards: [hazard('a', '2025-03-15'), hazard('b', second)] }, RULES, 6).filter((f) => f.kind === 'repeated_hazard').map((f) => f.entityId);
    expect(at('2026-03-15')).toEqual(['b']);
    expect(at('2026-03-16')).toEqual([]);
    expect(creditFacts({ ...EMPTY, hazards: [hazard('a', '2025-03-15'), hazard('b', '2025-06-01', { itemCode: 'X-1' })] }, RULES, 6)).toEqual([]);
  });

  it('counts at most maxCount occurrences, the most recent first, and lists the rest with 0 points', () => {
    const facts = Array.from({ length: 6 }, (_, i) => fact('drill_on_time', `2026-0${i + 1}-01`));
    const l = computeCreditLedger(facts, '2026-12-01', RULES);
    expect(l.entries.slice(0, 6).map((e) => [e.on, e.points, e.kind])).toEqual([
      ['2026-06-01', 2, 'rule'], ['2026-05-01', 2, 'rule'], ['2026-04-01', 2, 'rule'], ['2026-03-01', 2, 'rule'], ['2026-02-01', 0, 'uncounted'], ['2026-01-01', 0, 'uncounted'],
    ]);
  });

  it('caps good conduct at maxPoints and floors at 0, each as an entry, so the entries still sum to the total', () => {
    const capped = computeCreditLedger([fact('drill_on_time', '2026-05-01'), fact('self_hazard_closed', '2026-05-02')], '2026-12-01', RULES);
    expect(capped.total).toBe(100);
    expect(capped.entries.at(-1)).toMatchObject({ kind: 'cap', points: -3 });
    expect(sum(capped)).toBe(100);
    const floored = computeCreditLedger(Array.from({ length: 8 }, (_, i) => fact('falsified_facts', `2026-0${i + 1}-01`)), '2026-12-01', RULES);
    expect(floored.total).toBe(0);
    expect(floored.entries.at(-1)).toMatchObject({ kind: 'floor', points: 20 });
    expect(sum(floored)).toBe(0);
    expect(floored.level).toBe('D');
  });

  it('a drill on time: within liveDrillMonths of the previous one, or the first recorded', () => {
    const f = creditFacts({ ...EMPTY, liveDrills: [{ id: 'd1', heldOn: '2026-01-31', previousOn: null }, { id: 'd2', heldOn: '2026-07-31', previousOn: '2026-01-31' }, { id: 'd3', heldOn: '2027-02-01', previousOn: '2026-07-31' }] }, RULES, 6);
    expect(f.map((x) => x.entityId)).toEqual(['d1', 'd2']);
  });

  it('lastDeductionOn: the latest deducting fact, not good conduct', () => {
    expect(lastDeductionOn([fact('incident', '2026-02-01'), fact('drill_on_time', '2026-05-01'), fact('overdue_hazard', '2026-03-01')], RULES, '2026-12-01')).toBe('2026-03-01');
    expect(lastDeductionOn([fact('drill_on_time', '2026-05-01')], RULES, '2026-12-01')).toBeNull();
  });
});
