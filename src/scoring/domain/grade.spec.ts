import { readFileSync } from 'fs';
import { resolve } from 'path';
import { parseRuleFile } from '../../checklists/domain/rule-file.loader';
import { gradingContent } from '../../checklists/domain/rule-content';
import type { GradingForm } from '../../checklists/domain/rule-file.types';
import {
  checkDecision, computeGrade, GradeDecisionRecord, gradeIntervals, gradeOnDate, GradeOutcome, GradePrerequisites, gradeTimeline, prerequisiteReasons,
  validateItemPoints, validityInterval,
} from './grade';

// The shipped form (checklists/grading-gbt37276.yaml): 环境 ENV 120 (30+40+25+25), 设施设备 FAC 130 (40+30+35+25),
// 运营管理 OPS 150 (20+35+20+45+30), 服务 SVC 600 (40+140+70+50+30+110+60+60+40).
// Thresholds [S5]: 一级 360 / 40 %, 二级 450 / 50 %, 三级 570 / 60 %, 四级 780 / 80 %, 五级 900 / 90 %.
const FORM = gradingContent(parseRuleFile('grading-gbt37276.yaml', readFileSync(resolve(__dirname, '../../../checklists/grading-gbt37276.yaml'), 'utf8')));
const OK: GradePrerequisites = { noOpenMajorHazard: true, noSeriousAccident: true, registrationInOrder: true };

/** Item points giving each part the stated total: items filled to their maximum in file order. */
function points(partTotals: Record<string, number>, form: GradingForm = FORM): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of form.parts) {
    let left = partTotals[part.code] ?? 0;
    for (const item of part.items) {
      const v = Math.min(item.maxPoints, left);
      out[item.code] = v;
      left -= v;
    }
    if (left > 0) throw new Error(`part ${part.code} cannot hold ${partTotals[part.code]}`);
  }
  return out;
}

describe('computeGrade — hand-worked cases', () => {
  it('G1 every part exactly at 60 % → 三级 (just over the threshold); reasons say what 四级 needs', () => {
    // ENV 72/120 = 60 %, FAC 78/130 = 60 %, OPS 90/150 = 60 %, SVC 360/600 = 60 %; total 600
    // 三级: 600 ≥ 570 and every part ≥ 60 % → met.  四级: 600 < 780 and every part < 80 % → not met.
    const r = computeGrade(FORM, points({ ENV: 72, FAC: 78, OPS: 90, SVC: 360 }), OK);
    expect(r.grade).toBe(3);
    expect(r.gradeLabel).toBe('三级');
    expect(r.total).toBe(600);
    expect(r.parts).toEqual([
      { code: 'ENV', title: '环境', points: 72, max: 120, percent: 60 },
      { code: 'FAC', title: '设施设备', points: 78, max: 130, percent: 60 },
      { code: 'OPS', title: '运营管理', points: 90, max: 150, percent: 60 },
      { code: 'SVC', title: '服务', points: 360, max: 600, percent: 60 },
    ]);
    expect(r.reasons).toEqual([
      '总分 600/1000，低于四级要求的 780 分',
      '环境 得分 72/120（60%），低于四级要求的 80%',
      '设施设备 得分 78/130（60%），低于四级要求的 80%',
      '运营管理 得分 90/150（60%），低于四级要求的 80%',
      '服务 得分 360/600（60%），低于四级要求的 80%',
    ]);
  });

  it('G2 one point less in 运营管理 → 二级 (just under 三级), the part named with its numbers', () => {
    // OPS 89/150 = 59.33 % < 60 % → not 三级; every part ≥ 50 % and 599 ≥ 450 → 二级
    const r = computeGrade(FORM, points({ ENV: 72, FAC: 78, OPS: 89, SVC: 360 }), OK);
    expect([r.grade, r.gradeLabel, r.total]).toEqual([2, '二级', 599]);
    expect(r.reasons).toEqual(['运营管理 得分 89/150（59.3%），低于三级要求的 60%']);
  });

  it('G3 a part below its minimum blocks every grade despite a high total', () => {
    // ENV 120, FAC 130, SVC 590, OPS 50/150 = 33.3 % < 40 % (一级) → total 890 but 未达等级
    const r = computeGrade(FORM, points({ ENV: 120, FAC: 130, OPS: 50, SVC: 590 }), OK);
    expect([r.grade, r.gradeLabel, r.total]).toEqual([null, '未达等级', 890]);
    expect(r.reasons).toEqual(['运营管理 得分 50/150（33.3%），低于一级要求的 40%']);
  });

  it('G4 an open major hazard blocks the grade, whatever the points', () => {
    // full marks (1000) would be 五级; the failed prerequisite → no grade
    const r = computeGrade(FORM, points({ ENV: 120, FAC: 130, OPS: 150, SVC: 600 }), { ...OK, noOpenMajorHazard: false });
    expect([r.grade, r.gradeLabel, r.total]).toEqual([null, '未达等级', 1000]);
    expect(r.reasons).toEqual(['存在未关闭（未销号）的重大隐患，不予评定等级', '（仅按得分可达五级，但前提条件不满足）']);
  });

  it('G5 all prerequisites failing are all named', () => {
    const r = computeGrade(FORM, points({ ENV: 10 }), { noOpenMajorHazard: false, noSeriousAccident: false, registrationInOrder: false });
    expect(r.grade).toBeNull();
    expect(r.reasons).toEqual([
      '存在未关闭（未销号）的重大隐患，不予评定等级',
      '评定期内发生较大及以上安全事故，不予评定等级',
      '设立许可或备案手续不全，不予评定等级',
      '（按得分也未达到一级）',
    ]);
  });

  it('G6 every part at 90 % → 五级, the highest', () => {
    // ENV 108/120 = 90 %, FAC 117/130 = 90 %, OPS 135/150 = 90 %, SVC 540/600 = 90 %; total 900 = 五级 minimum
    const r = computeGrade(FORM, points({ ENV: 108, FAC: 117, OPS: 135, SVC: 540 }), OK);
    expect([r.grade, r.gradeLabel, r.total, r.reasons]).toEqual([5, '五级', 900, ['已达最高等级五级']]);
  });

  it('G7 the total threshold counts on its own (a form with a corrected 三级 total of 620)', () => {
    // The shipped thresholds never bind on the total (every part ≥ p % already implies total ≥ 10 p > minTotal:
    // the transcription warning in the file). With 三级 minTotal 620: parts at 60 % give 600 < 620 → 二级.
    const grades = FORM.thresholds.grades.map((g) => (g.level === 3 ? { ...g, minTotal: 620 } : g));
    const form: GradingForm = { ...FORM, thresholds: { ...FORM.thresholds, grades } };
    const r = computeGrade(form, points({ ENV: 72, FAC: 78, OPS: 90, SVC: 360 }), OK);
    expect([r.grade, r.reasons]).toEqual([2, ['总分 600/1000，低于三级要求的 620 分']]);
  });

  it('G8 items left out count 0 and are named', () => {
    // only ENV-01 30 + ENV-02 40 given: total 70; ENV 70/120 = 58.3 %, other parts 0 % → 未达等级
    const r = computeGrade(FORM, { 'ENV-01': 30, 'ENV-02': 40 }, OK);
    expect([r.grade, r.total]).toEqual([null, 70]);
    expect(r.reasons[0]).toBe(
      '以下评分项未填写，按 0 分计：ENV-03、ENV-04、FAC-01、FAC-02、FAC-03、FAC-04、OPS-01、OPS-02、OPS-03、OPS-04、OPS-05、SVC-01、SVC-02、SVC-03、SVC-04、SVC-05、SVC-06、SVC-07、SVC-08、SVC-09',
    );
    expect(r.reasons.slice(1)).toEqual([
      '总分 70/1000，低于一级要求的 360 分',
      '设施设备 得分 0/130（0%），低于一级要求的 40%',
      '运营管理 得分 0/150（0%），低于一级要求的 40%',
      '服务 得分 0/600（0%），低于一级要求的 40%',
    ]);
  });

  it('G9 half points are allowed and compared exactly', () => {
    // OPS 89.5 + ... : OPS 89.5/150 = 59.67 % < 60 % → 二级; total 599.5
    const p = points({ ENV: 72, FAC: 78, OPS: 89, SVC: 360 });
    p['OPS-05'] += 0.5;
    const r = computeGrade(FORM, p, OK);
    expect([r.grade, r.total, r.reasons]).toEqual([2, 599.5, ['运营管理 得分 89.5/150（59.7%），低于三级要求的 60%']]);
  });
});

describe('validateItemPoints', () => {
  it('accepts points within each item maximum', () => {
    expect(validateItemPoints(FORM, points({ ENV: 120, FAC: 130, OPS: 150, SVC: 600 }))).toEqual([]);
    expect(validateItemPoints(FORM, { 'ENV-01': 0, 'SVC-02': 139.5 })).toEqual([]);
  });

  it('names unknown items, non-numbers, negatives and points above the maximum', () => {
    const bad = {
      'ENV-01': 31, // max 30
      'FAC-02': -1,
      'OPS-01': Number.NaN,
      'SVC-03': '60' as unknown as number,
      'XYZ-01': 5,
      'SVC-09': Number.POSITIVE_INFINITY,
    };
    expect(validateItemPoints(FORM, bad)).toEqual([
      { itemCode: 'ENV-01', reason: '得分 31 超过该项满分 30' },
      { itemCode: 'FAC-02', reason: '得分 −1 为负数' },
      { itemCode: 'OPS-01', reason: '得分不是数字：NaN' },
      { itemCode: 'SVC-03', reason: '得分不是数字："60"' },
      { itemCode: 'SVC-09', reason: '得分不是数字：Infinity' },
      { itemCode: 'XYZ-01', reason: '未知评分项 XYZ-01（不在 GBT37276-2018 评分表中）' },
    ]);
  });

  it('computeGrade refuses invalid points', () => {
    expect(() => computeGrade(FORM, { 'ENV-01': 31 }, OK)).toThrow('invalid item points: ENV-01: 得分 31 超过该项满分 30');
  });
});

describe('prerequisites name the blocking hazards', () => {
  it('a major hazard not 销号 and a suspected one are named by item code and title', () => {
    const p: GradePrerequisites = {
      ...OK, noOpenMajorHazard: false,
      majorHazards: [
        { itemCode: 'BLD-003', title: '彩钢板建筑', status: 'major' },
        { itemCode: 'EXT-002', title: '安全出口上锁', status: 'major' },
        { itemCode: 'DUT-001', title: '消防控制室值班', status: 'suspected' },
      ],
    };
    expect(prerequisiteReasons(p)).toEqual([
      '存在未销号的重大隐患：BLD-003 彩钢板建筑、EXT-002 安全出口上锁，不予评定等级',
      '存在尚待认定的疑似重大隐患：DUT-001 消防控制室值班，认定或排除前不予评定等级',
    ]);
    const r = computeGrade(FORM, points({ ENV: 120, FAC: 130, OPS: 150, SVC: 600 }), p);
    expect([r.grade, r.gradeLabel]).toEqual([null, '未达等级']);
    expect(r.reasons[0]).toBe('存在未销号的重大隐患：BLD-003 彩钢板建筑、EXT-002 安全出口上锁，不予评定等级');
  });

  it('a record without the list keeps the general sentence; all clear gives no reason', () => {
    expect(prerequisiteReasons({ ...OK, noOpenMajorHazard: false })).toEqual(['存在未关闭（未销号）的重大隐患，不予评定等级']);
    expect(prerequisiteReasons({ ...OK, majorHazards: [] })).toEqual([]);
  });
});

describe('grade lifecycle: validity, supersession, revocation and lowering', () => {
  const I = 'inst-1';
  const outcome = (assessmentId: string, grade: GradeOutcome['grade'], validFrom: string, validUntil: string | null, finalizedAt = `${validFrom}T02:00:00.000Z`): GradeOutcome =>
    ({ assessmentId, institutionId: I, grade, validFrom, validUntil, finalizedAt });
  const decision = (assessmentId: string, kind: 'revoke' | 'lower', effectiveOn: string, newGrade: GradeDecisionRecord['newGrade'] = null): GradeDecisionRecord =>
    ({ assessmentId, kind, newGrade, effectiveOn, decidedAt: `${effectiveOn}T03:00:00.000Z` });

  it('validity: from the finalization day to the day before the anniversary (29 February → 28 February)', () => {
    expect(validityInterval('2026-12-01', 3)).toEqual({ validFrom: '2026-12-01', validUntil: '2029-11-30' });
    expect(validityInterval('2028-02-29', 3)).toEqual({ validFrom: '2028-02-29', validUntil: '2031-02-28' });
    expect(validityInterval('2026-01-01', 1)).toEqual({ validFrom: '2026-01-01', validUntil: '2026-12-31' });
  });

  it('one grade, clipped to the period; days outside its validity are absent', () => {
    const o = [outcome('a', 5, '2026-03-10', '2029-03-09')];
    expect(gradeIntervals(o, [], '2026-01-01', '2026-12-31')).toEqual([{ institutionId: I, grade: 5, from: '2026-03-10', to: '2026-12-31' }]);
    expect(gradeIntervals(o, [], '2029-01-01', '2029-12-31')).toEqual([{ institutionId: I, grade: 5, from: '2029-01-01', to: '2029-03-09' }]);
    expect(gradeIntervals(o, [], '2025-01-01', '2025-12-31')).toEqual([]);
  });

  it('a later 未达等级 supersedes an earlier grade from its valid_from (the old grade does not come back)', () => {
    const o = [outcome('a', 5, '2026-03-10', '2029-03-09'), outcome('b', null, '2026-09-01', '2029-08-31')];
    expect(gradeIntervals(o, [], '2026-01-01', '2026-12-31')).toEqual([{ institutionId: I, grade: 5, from: '2026-03-10', to: '2026-08-31' }]);
    expect(gradeOnDate(o, [], I, '2026-08-31')).toBe(5);
    expect(gradeOnDate(o, [], I, '2026-09-01')).toBeNull();
    expect(gradeOnDate(o, [], I, '2029-01-01')).toBeNull();
    expect(gradeTimeline(o, []).get(I)![0]).toMatchObject({ end: '2026-08-31', supersededBy: 'b' });
  });

  it('a later grade supersedes; two outcomes on the same day: the later finalization wins', () => {
    const o = [outcome('a', 3, '2026-03-10', '2029-03-09'), outcome('b', 4, '2026-06-01', '2029-05-31'),
      outcome('c', 2, '2026-06-01', '2029-05-31', '2026-06-01T09:00:00.000Z')];
    expect(gradeIntervals(o, [], '2026-01-01', '2026-12-31')).toEqual([
      { institutionId: I, grade: 3, from: '2026-03-10', to: '2026-05-31' },
      { institutionId: I, grade: 2, from: '2026-06-01', to: '2026-12-31' },
    ]);
    expect(gradeTimeline(o, []).get(I)![1]).toMatchObject({ end: '2026-05-31', supersededBy: 'c', segments: [] });
  });

  it('the same grade again is one interval', () => {
    const o = [outcome('a', 3, '2026-03-10', '2029-03-09'), outcome('b', 3, '2026-06-01', '2029-05-31')];
    expect(gradeIntervals(o, [], '2026-01-01', '2026-12-31')).toEqual([{ institutionId: I, grade: 3, from: '2026-03-10', to: '2026-12-31' }]);
  });

  it('a revocation ends the grade from its effective date; a lowering changes it from its date', () => {
    const o = [outcome('a', 5, '2026-03-10', '2029-03-09')];
    expect(gradeIntervals(o, [decision('a', 'revoke', '2026-07-15')], '2026-01-01', '2026-12-31'))
      .toEqual([{ institutionId: I, grade: 5, from: '2026-03-10', to: '2026-07-14' }]);
    const lowered = [decision('a', 'lower', '2026-05-01', 3), decision('a', 'revoke', '2026-10-01')];
    expect(gradeIntervals(o, lowered, '2026-01-01', '2026-12-31')).toEqual([
      { institutionId: I, grade: 5, from: '2026-03-10', to: '2026-04-30' },
      { institutionId: I, grade: 3, from: '2026-05-01', to: '2026-09-30' },
    ]);
    expect(gradeOnDate(o, lowered, I, '2026-05-01')).toBe(3);
    // revoked on its first day: never in force
    expect(gradeIntervals(o, [decision('a', 'revoke', '2026-03-10')], '2026-01-01', '2026-12-31')).toEqual([]);
  });

  it('a new grade after a revocation is in force from its own valid_from', () => {
    const o = [outcome('a', 5, '2026-03-10', '2029-03-09'), outcome('b', 2, '2026-11-02', '2029-11-01')];
    expect(gradeIntervals(o, [decision('a', 'revoke', '2026-07-15')], '2026-01-01', '2026-12-31')).toEqual([
      { institutionId: I, grade: 5, from: '2026-03-10', to: '2026-07-14' },
      { institutionId: I, grade: 2, from: '2026-11-02', to: '2026-12-31' },
    ]);
  });

  it('several institutions: ordered by institution, each its own timeline', () => {
    const o = [outcome('a', 5, '2026-03-10', '2029-03-09'), { ...outcome('z', 1, '2026-01-05', '2029-01-04'), institutionId: 'inst-0' }];
    expect(gradeIntervals(o, [], '2026-01-01', '2026-01-31')).toEqual([{ institutionId: 'inst-0', grade: 1, from: '2026-01-05', to: '2026-01-31' }]);
  });

  it('legacy 未达等级 without valid_until supersedes for good', () => {
    const o = [outcome('a', 4, '2025-03-10', '2028-03-09'), outcome('b', null, '2025-09-01', null)];
    expect(gradeIntervals(o, [], '2025-01-01', '2027-12-31')).toEqual([{ institutionId: I, grade: 4, from: '2025-03-10', to: '2025-08-31' }]);
  });

  describe('checkDecision', () => {
    const span = (o: GradeOutcome[], d: GradeDecisionRecord[] = [], id = 'a') => gradeTimeline(o, d).get(I)!.find((s) => s.outcome.assessmentId === id)!;
    const five = [outcome('a', 5, '2026-03-10', '2029-03-09')];

    it('accepts a lowering below the current grade within the validity, and a revocation', () => {
      expect(checkDecision(span(five), { kind: 'lower', newGrade: 3, effectiveOn: '2026-05-01' })).toEqual({ ok: true });
      expect(checkDecision(span(five), { kind: 'revoke', effectiveOn: '2026-03-10' })).toEqual({ ok: true });
      // not after the day the decision is taken
      expect(checkDecision(span(five), { kind: 'revoke', effectiveOn: '2026-03-11' }, '2026-03-10')).toEqual({ ok: false, problems: [
        { field: 'effectiveOn', reason: 'gradeEffectiveInFuture', args: ['2026-03-10'] }] });
    });

    it('names the fields: not lower, missing, revoke with a grade, date before valid_from / after valid_until / before an earlier decision', () => {
      expect(checkDecision(span(five), { kind: 'lower', newGrade: 5, effectiveOn: '2026-03-09' })).toEqual({ ok: false, problems: [
        { field: 'newGrade', reason: 'gradeNotLower', args: ['五级'] },
        { field: 'effectiveOn', reason: 'gradeEffectiveBeforeValidFrom', args: ['2026-03-10'] },
      ] });
      expect(checkDecision(span(five), { kind: 'lower', effectiveOn: '2029-03-10' })).toEqual({ ok: false, problems: [
        { field: 'newGrade', reason: 'gradeLowerNeedsGrade' },
        { field: 'effectiveOn', reason: 'gradeEffectiveAfterValidUntil', args: ['2029-03-09'] },
      ] });
      expect(checkDecision(span(five), { kind: 'revoke', newGrade: 2, effectiveOn: '2026-04-01' })).toEqual({ ok: false, problems: [{ field: 'newGrade', reason: 'gradeRevokeNoNewGrade' }] });
      const lowered = span(five, [decision('a', 'lower', '2026-06-01', 3)]);
      expect(checkDecision(lowered, { kind: 'lower', newGrade: 3, effectiveOn: '2026-05-01' })).toEqual({ ok: false, problems: [
        { field: 'newGrade', reason: 'gradeNotLower', args: ['三级'] },
        { field: 'effectiveOn', reason: 'gradeEffectiveBeforeDecision', args: ['2026-06-01'] },
      ] });
    });

    it('409: superseded, already revoked, 未达等级', () => {
      const two = [...five, outcome('b', 4, '2026-09-01', '2029-08-31')];
      expect(checkDecision(span(two), { kind: 'revoke', effectiveOn: '2026-04-01' })).toEqual({ ok: false, conflict: 'grade.superseded' });
      expect(checkDecision(span(five, [decision('a', 'revoke', '2026-06-01')]), { kind: 'lower', newGrade: 1, effectiveOn: '2026-07-01' }))
        .toEqual({ ok: false, conflict: 'grade.revoked' });
      expect(checkDecision(span([outcome('a', null, '2026-03-10', '2029-03-09')]), { kind: 'revoke', effectiveOn: '2026-04-01' }))
        .toEqual({ ok: false, conflict: 'grade.no_grade' });
    });
  });
});
