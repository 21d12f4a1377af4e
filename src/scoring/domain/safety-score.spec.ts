import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parseRuleFile } from '../../checklists/domain/rule-file.loader';
import { scoringContent } from '../../checklists/domain/rule-content';
import { computeSafetyScore, ScoreHazard, ScoreInspection } from './safety-score';

// The shipped rules (checklists/scoring-rules.yaml): base 100; general 2, major 10; scope single 1, multiple 1.5,
// widespread 2; recency weights [1.0, 0.6, 0.3]; closed verified × 0.5, objection upheld × 0; overdue 3;
// returned 1 per return; repeat 3 within 12 months; cap 60 while a major hazard is not closed; floor 0.
const RULES = scoringContent(parseRuleFile('scoring-rules.yaml', readFileSync(resolve(__dirname, '../../../checklists/scoring-rules.yaml'), 'utf8')));

let seq = 0;
function hazard(inspection: ScoreInspection, itemCode: string, over: Partial<ScoreHazard> = {}): ScoreHazard {
  seq += 1;
  return {
    id: `h${String(seq).padStart(3, '0')}`,
    inspectionId: inspection.id,
    itemCode,
    titleZh: `${itemCode} 检查项`,
    severity: 'general',
    scope: 'single',
    status: 'open',
    closureReason: null,
    overdue: false,
    returnedCount: 0,
    foundOn: inspection.submittedOn,
    ...over,
  };
}
/** The score as of 2026-03-31 under the shipped rules. */
const scoreOn31March = (inspections: ScoreInspection[], hazards: ScoreHazard[]) => computeSafetyScore({ asOf: '2026-03-31', inspections, hazards }, RULES);
const points = (r: ReturnType<typeof computeSafetyScore>) => r.contributions.map((c) => [c.kind, c.itemCode ?? null, c.points]);
const ledgerSum = (r: ReturnType<typeof computeSafetyScore>) => r.contributions.reduce((s, c) => s + Math.round(c.points * 100), r.base * 100) / 100;

describe('computeSafetyScore — hand-worked cases', () => {
  it('S1 an institution with no inspections keeps the base score and says why', () => {
    // no inspections → score = base = 100, one note line, nothing deducted
    const r = computeSafetyScore({ asOf: '2026-04-01', inspections: [], hazards: [] }, RULES);
    expect(r).toEqual({
      score: 100,
      base: 100,
      capApplied: false,
      ruleSet: { code: 'safety-score', revision: '2026.1' },
      contributions: [{ kind: 'note', points: 0, explanation: '尚无检查记录，安全分按基础分 100 计。' }],
    });
  });

  it('S2 an open major hazard caps the score at 60', () => {
    const i1 = { id: 'I1', submittedOn: '2026-03-10' };
    // BLD-001 重大隐患 10 × 单处 1 × 权重 1.0 = −10
    // GAS-003 一般隐患 2 × 多处 1.5 × 权重 1.0 = −3
    // 100 − 10 − 3 = 87 > 60 and BLD-001 is open → cap: 87 → 60 = −27; score 60
    const r = scoreOn31March([i1], [hazard(i1, 'GAS-003', { scope: 'multiple' }), hazard(i1, 'BLD-001', { severity: 'major' })]);
    expect(points(r)).toEqual([
      ['note', null, 0],
      ['hazard', 'BLD-001', -10],
      ['hazard', 'GAS-003', -3],
      ['cap', null, -27],
    ]);
    expect(r.score).toBe(60);
    expect(r.capApplied).toBe(true);
    expect(r.contributions[1].explanation).toBe('BLD-001「BLD-001 检查项」重大隐患 10 × 单处 1 × 权重 1 = −10（2026-03-10 检查，最近第 1 次）');
    expect(r.contributions[2].explanation).toBe('GAS-003「GAS-003 检查项」一般隐患 2 × 多处 1.5 × 权重 1 = −3（2026-03-10 检查，最近第 1 次）');
    expect(r.contributions[3].explanation).toBe('存在未关闭的重大隐患 BLD-001（2026-03-10 发现），安全分上限 60：87 → 60 = −27');
  });

  it('S3 recency weights, a verified closure, an overdue and a returned hazard; the 4th inspection counts 0', () => {
    const i1 = { id: 'I1', submittedOn: '2026-03-01' }; // weight 1.0
    const i2 = { id: 'I2', submittedOn: '2025-12-01' }; // weight 0.6
    const i3 = { id: 'I3', submittedOn: '2025-09-01' }; // weight 0.3
    const i4 = { id: 'I4', submittedOn: '2025-06-01' }; // weight 0 (4th most recent)
    // ESC-001 一般 2 × 单处 1 × 1.0                      = −2
    //         逾期 3 × 1.0                              = −3
    // GAS-003 一般 2 × 多处 1.5 × 0.6 × 已整改验证 0.5   = −0.9
    // FFE-002 一般 2 × 普遍 2 × 0.3                      = −1.2
    //         退回 2 次 × 1 × 0.3                        = −0.6
    // ELE-001 (I4) weight 0                              = 0
    // 100 − 2 − 3 − 0.9 − 1.2 − 0.6 = 92.3
    const r = scoreOn31March([i4, i2, i1, i3], [
        hazard(i2, 'GAS-003', { scope: 'multiple', status: 'closed', closureReason: 'verified' }),
        hazard(i1, 'ESC-001', { overdue: true }),
        hazard(i3, 'FFE-002', { scope: 'widespread', status: 'returned', returnedCount: 2 }),
        hazard(i4, 'ELE-001'),
      ]);
    expect(points(r)).toEqual([
      ['note', null, 0],
      ['hazard', 'ESC-001', -2],
      ['overdue', 'ESC-001', -3],
      ['hazard', 'GAS-003', -0.9],
      ['hazard', 'FFE-002', -1.2],
      ['returned', 'FFE-002', -0.6],
      ['hazard', 'ELE-001', 0],
    ]);
    expect(r.score).toBe(92.3);
    expect(r.capApplied).toBe(false);
    const by = (kind: string, code: string) => r.contributions.find((c) => c.kind === kind && c.itemCode === code)!.explanation;
    expect(r.contributions[0].explanation).toBe(
      '计入的检查：2026-03-01（最近第 1 次）权重 1；2025-12-01（最近第 2 次）权重 0.6；2025-09-01（最近第 3 次）权重 0.3；更早的 1 次检查权重 0。',
    );
    expect(by('overdue', 'ESC-001')).toBe('ESC-001「ESC-001 检查项」逾期未整改 3 × 权重 1 = −3');
    expect(by('hazard', 'GAS-003')).toBe('GAS-003「GAS-003 检查项」一般隐患 2 × 多处 1.5 × 权重 0.6 × 已整改验证 0.5 = −0.9（2025-12-01 检查，最近第 2 次）');
    expect(by('returned', 'FFE-002')).toBe('FFE-002「FFE-002 检查项」整改复核不合格被退回 2 次 × 1 × 权重 0.3 = −0.6');
    expect(by('hazard', 'ELE-001')).toBe('ELE-001「ELE-001 检查项」一般隐患：所属检查（2025-06-01）不在最近 3 次检查之内，权重 0，不计分。');
    expect(ledgerSum(r)).toBe(r.score);
  });

  it('S4 a repeat finding within 12 months costs extra; one outside the window does not', () => {
    const i1 = { id: 'I1', submittedOn: '2026-03-01' }; // weight 1.0; window starts 2025-03-01
    const i2 = { id: 'I2', submittedOn: '2025-06-15' }; // weight 0.6
    const i3 = { id: 'I3', submittedOn: '2024-12-01' }; // weight 0.3 (before the window of I1)
    // GAS-003 (I1) 一般 2 × 1 × 1.0 = −2; 重复（上次 2025-06-15 ≥ 2025-03-01）3 × 1.0 = −3
    // GAS-005 (I1) 一般 2 × 1 × 1.0 = −2; earlier finding 2024-12-01 < 2025-03-01 → no repeat
    // GAS-003 (I2) 一般 2 × 1 × 0.6 × 已整改验证 0.5 = −0.6 (no finding in the 12 months before 2025-06-15)
    // GAS-005 (I3) 一般 2 × 1 × 0.3 = −0.6
    // 100 − 2 − 3 − 2 − 0.6 − 0.6 = 91.8
    const r = scoreOn31March([i1, i2, i3], [
        hazard(i1, 'GAS-003'),
        hazard(i2, 'GAS-003', { status: 'closed', closureReason: 'verified' }),
        hazard(i1, 'GAS-005'),
        hazard(i3, 'GAS-005'),
      ]);
    expect(points(r)).toEqual([
      ['note', null, 0],
      ['hazard', 'GAS-003', -2],
      ['repeat', 'GAS-003', -3],
      ['hazard', 'GAS-005', -2],
      ['hazard', 'GAS-003', -0.6],
      ['hazard', 'GAS-005', -0.6],
    ]);
    expect(r.score).toBe(91.8);
    expect(r.contributions[2].explanation).toBe('GAS-003「GAS-003 检查项」重复发现（12 个月内，上次 2025-06-15 检查已发现）3 × 权重 1 = −3');
  });

  it('S5 a withdrawn finding costs nothing, not even its overdue flag; deductions beyond the base floor at 0', () => {
    const i1 = { id: 'I1', submittedOn: '2026-03-01' };
    // 6 重大隐患, each 10 × 普遍 2 × 1.0 = −20 → 100 − 120 = −20 → floor +20 → 0
    // the cap (60) does not lower 0: a 0-point cap line says so
    // ESC-002: objection upheld → 2 × 1 × 1 × 0 = 0, its overdue flag ignored
    const majors = ['BLD-001', 'BLD-002', 'BLD-003', 'BLD-004', 'BLD-005', 'BLD-008'].map((code) =>
      hazard(i1, code, { severity: 'major', scope: 'widespread' }),
    );
    const withdrawn = hazard(i1, 'ESC-002', { status: 'closed', closureReason: 'objection_upheld', overdue: true });
    const r = computeSafetyScore({ asOf: '2026-03-31', inspections: [i1], hazards: [withdrawn, ...majors] }, RULES);
    expect(points(r)).toEqual([
      ['note', null, 0],
      ...majors.map((h) => ['hazard', h.itemCode, -20]),
      ['hazard', 'ESC-002', 0],
      ['floor', null, 20],
      ['cap', null, 0],
    ]);
    expect(r.score).toBe(0);
    expect(r.capApplied).toBe(false);
    expect(r.contributions[7].explanation).toBe(
      'ESC-002「ESC-002 检查项」一般隐患 2 × 单处 1 × 权重 1 × 异议成立 0 = 0（2026-03-01 检查，最近第 1 次）；检查结论已撤销',
    );
    expect(r.contributions[8].explanation).toBe('扣分后为 −20，安全分最低 0 分：−20 → 0 = +20');
  });

  it('S6 contributions keep 2 decimals and the score is rounded once, half up', () => {
    const i1 = { id: 'I1', submittedOn: '2026-03-01' };
    const i2 = { id: 'I2', submittedOn: '2026-01-01' };
    const i3 = { id: 'I3', submittedOn: '2025-11-01' };
    // FFE-001 (I3) 一般 2 × 多处 1.5 × 0.3 × 已整改验证 0.5 = −0.45 → 100 − 0.45 = 99.55 → score 99.6
    const r = computeSafetyScore(
      { asOf: '2026-03-31', inspections: [i1, i2, i3], hazards: [hazard(i3, 'FFE-001', { scope: 'multiple', status: 'closed', closureReason: 'verified' })] },
      RULES,
    );
    expect(points(r)).toEqual([['note', null, 0], ['hazard', 'FFE-001', -0.45]]);
    expect(ledgerSum(r)).toBe(99.55);
    expect(r.score).toBe(99.6);
  });

  it('S7 an open major hazard caps the score even when its inspection no longer counts', () => {
    const dates = ['2026-03-01', '2026-01-01', '2025-11-01', '2025-09-01'];
    const [i1, i2, i3, i4] = dates.map((d, k) => ({ id: `I${k + 1}`, submittedOn: d }));
    // BLD-002 found at I4 (weight 0): 0 points, but still open → cap 100 → 60 = −40
    const r = computeSafetyScore({ asOf: '2026-03-31', inspections: [i1, i2, i3, i4], hazards: [hazard(i4, 'BLD-002', { severity: 'major' })] }, RULES);
    expect(points(r)).toEqual([['note', null, 0], ['note', null, 0], ['hazard', 'BLD-002', 0], ['cap', null, -40]]);
    expect(r.contributions[1].explanation).toBe('最近 3 次检查未发现计分的隐患，不扣分。');
    expect(r.score).toBe(60);
    expect(r.capApplied).toBe(true);
  });
});

describe('computeSafetyScore — determinism and asOf', () => {
  const i1 = { id: 'I1', submittedOn: '2026-03-01' };
  const i2 = { id: 'I2', submittedOn: '2026-03-01' }; // same day: ordered by id
  const later = { id: 'I9', submittedOn: '2026-05-01' };
  const hazards = [
    hazard(i2, 'GAS-001'),
    hazard(i1, 'GAS-002', { scope: 'multiple' }),
    hazard(i1, 'ESC-001', { overdue: true, returnedCount: 1 }),
    hazard(later, 'BLD-001', { severity: 'major' }),
  ];

  it('gives the same ledger whatever the input order', () => {
    const a = computeSafetyScore({ asOf: '2026-03-31', inspections: [i1, i2, later], hazards }, RULES);
    const b = computeSafetyScore({ asOf: '2026-03-31', inspections: [later, i2, i1], hazards: [...hazards].reverse() }, RULES);
    expect(b).toEqual(a);
    // I1 (rank 1, weight 1.0 — same day as I2, id I1 < I2) then I2 (rank 2, weight 0.6)
    // ESC-001 −2, overdue −3, returned 1 × 1 × 1.0 = −1; GAS-002 2 × 1.5 = −3; GAS-001 2 × 1 × 0.6 = −1.2
    expect(points(a)).toEqual([
      ['note', null, 0],
      ['hazard', 'ESC-001', -2],
      ['overdue', 'ESC-001', -3],
      ['returned', 'ESC-001', -1],
      ['hazard', 'GAS-002', -3],
      ['hazard', 'GAS-001', -1.2],
    ]);
    // the inspection of 2026-05-01 (after asOf) and its major hazard are ignored: no cap
    expect(a.score).toBe(89.8);
    expect(a.capApplied).toBe(false);
  });

  it('rejects malformed dates and counts', () => {
    expect(() => computeSafetyScore({ asOf: '2026-02-30', inspections: [], hazards: [] }, RULES)).toThrow('asOf is not a calendar date: 2026-02-30');
    expect(() => computeSafetyScore({ asOf: '2026-03-31', inspections: [i1], hazards: [hazard(i1, 'GAS-001', { returnedCount: -1 })] }, RULES)).toThrow(
      /returnedCount must be an integer ≥ 0/,
    );
  });
});
