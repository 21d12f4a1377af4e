import { drawsSample, editRefusal, publishRefusal, riskBounds, riskLevelOf } from './plan-rules';
import { mergeSpec, pick, PlanSpec, specOf } from './plan-spec';

describe('plan rules', () => {
  it('bands the safety score into risk levels at 60 and 80 (inclusive lower bounds)', () => {
    expect([null, 0, 59.9, 60, 79.9, 80, 100].map(riskLevelOf)).toEqual(['unscored', 'high', 'high', 'elevated', 'elevated', 'normal', 'normal']);
    expect(riskBounds('high')).toEqual({ min: null, max: 60 });
    expect(riskBounds('elevated')).toEqual({ min: 60, max: 80 });
    expect(riskBounds('normal')).toEqual({ min: 80, max: null });
  });

  it('draws a sample only for 双随机', () => {
    expect(['routine', 'random', 'joint', 'special', 'complaint'].filter(drawsSample)).toEqual(['random']);
  });

  it('lets a plan be edited while unpublished and untouched, and published once every inspection is done', () => {
    expect(editRefusal({ status: 'drawn' }, { total: 2, assigned: 2 })).toBeNull();
    expect(editRefusal({ status: 'drawn' }, { total: 2, assigned: 1 })).toBe('plan.started');
    expect(editRefusal({ status: 'published' }, { total: 0, assigned: 0 })).toBe('plan.published');
    expect(publishRefusal({ status: 'drawn' }, { total: 2, done: 1 })).toBe('plan.not_finished');
    expect(publishRefusal({ status: 'drawn' }, { total: 2, done: 2 })).toBeNull();
    expect(publishRefusal({ status: 'published' }, { total: 2, done: 2 })).toBe('plan.published');
  });
});

describe('plan spec', () => {
  const base: PlanSpec = specOf({ name: 'a', kind: 'random', divisionCode: '320402', inspectorIds: ['b', 'a'], sampleCount: 2, institutionKinds: ['day_care'], seed: 's' });

  it('keeps the seed and the other fields an edit leaves out, and clears what it empties', () => {
    const next = mergeSpec(base, { name: 'b', institutionKinds: [], lastInspectedBefore: undefined });
    expect(next).toMatchObject({ name: 'b', seed: 's', sampleCount: 2, pool: {} });
    expect(mergeSpec(base, { sampleRatio: 0.5 })).toMatchObject({ sampleCount: null, sampleRatio: 0.5 });
    expect(mergeSpec(base, { scheduledFrom: null as unknown as string }).scheduledFrom).toBeNull();
  });

  it('compares inspector pools as sets and pool filters by name', () => {
    expect(pick(base, 'inspectorIds')).toEqual(['a', 'b']);
    expect(pick(mergeSpec(base, { inspectorIds: ['a', 'b'] }), 'inspectorIds')).toEqual(pick(base, 'inspectorIds'));
    expect(pick(base, 'institutionKinds')).toEqual(['day_care']);
    expect(pick(base, 'riskLevels')).toBeNull();
  });
});
