import { fieldErrors, planFormIssues, planFormValues, planRequest, progressText } from './plan-view';

describe('plan form view model', () => {
  const body = { _csrf: 'x', name: ' 2026年双随机 ', kind: 'random', divisionCode: '320402', sampleCount: '3', teamSize: '2', conflictMonths: '', seed: '', inspectorIds: 'u1', institutionKinds: ['day_care', 'meal_point'] };

  it('reads checkboxes as lists and numbers as integers; empties are left out when creating and null when editing', () => {
    const v = planFormValues(body);
    expect(v).toMatchObject({ name: '2026年双随机', inspectorIds: ['u1'], institutionKinds: ['day_care', 'meal_point'], riskLevels: [] });
    expect(planRequest(v, 'create')).toMatchObject({ sampleCount: 3, teamSize: 2, conflictMonths: undefined, seed: undefined, scheduledFrom: undefined, jointAgencies: [] });
    expect(planRequest(v, 'edit')).toMatchObject({ conflictMonths: null, scheduledFrom: null, lastInspectedBefore: null, seed: undefined, sampleRatio: null });
    expect(planRequest({ ...v, kind: 'routine' }, 'create').sampleCount).toBeUndefined();
  });

  it('names the field of every refusal, in the officer’s words', () => {
    const issues = planFormIssues(planRequest(planFormValues({ ...body, name: '', teamSize: 'abc', inspectorIds: [] }), 'create'), 'create');
    const { lines, byField } = fieldErrors(issues);
    expect(Object.keys(byField).sort()).toEqual(['inspectorIds', 'name', 'teamSize']);
    expect(lines.every((l) => /^(计划名称|每组人数|检查人员)：/.test(l))).toBe(true);
    expect(fieldErrors([{ field: 'scheduledTo', reason: 'periodReversed', args: ['2026-12-10'] }]).lines).toEqual(['检查期间止：不能早于检查期间的开始日期 2026-12-10']);
  });

  it('writes progress as the four counts officers follow', () => {
    expect(progressText({ total: 5, done: 2, assigned: 2, started: 1, submitted: 2, cancelled: 0, overdue: 1 })).toBe('待检查 2 · 检查中 1 · 已提交 2 · 逾期 1（共 5）');
  });
});
