import { addMonths, drillIssues, drillStatus, formatEvacuationTime, trainingStatus } from './drill-rules';

const months = 6;
const none = { selfCare: 0, mildlyDisabled: 0, moderatelyDisabled: 0, severelyDisabled: 0 };

describe('addMonths', () => {
  it('keeps the day, or takes the last day of a shorter month', () => {
    expect(addMonths('2026-01-15', 6)).toBe('2026-07-15');
    expect(addMonths('2026-08-31', 6)).toBe('2027-02-28');
    expect(addMonths('2027-08-31', 6)).toBe('2028-02-29');
    expect(addMonths('2026-12-01', -6)).toBe('2026-06-01');
  });
});

describe('drillStatus: at least one live drill every half-year (S32)', () => {
  it('flags nothing before the institution has operated a half-year', () => {
    expect(drillStatus({ asOf: '2026-12-02', openedOn: '2026-08-01', lastLiveDrillOn: null, liveDrillMonths: months })).toMatchObject({ state: 'ok', dueBy: '2027-02-01', days: 61 });
    expect(drillStatus({ asOf: '2026-12-02', openedOn: '2026-12-10', lastLiveDrillOn: null, liveDrillMonths: months })).toMatchObject({ state: 'not_started', dueBy: null });
    expect(drillStatus({ asOf: '2026-12-02', openedOn: null, lastLiveDrillOn: null, liveDrillMonths: months })).toMatchObject({ state: 'not_started' });
  });

  it('is missed the day after the half-year from the opening day when no live drill was held', () => {
    expect(drillStatus({ asOf: '2026-12-01', openedOn: '2026-06-01', lastLiveDrillOn: null, liveDrillMonths: months })).toMatchObject({ state: 'due', dueBy: '2026-12-01', days: 0 });
    expect(drillStatus({ asOf: '2026-12-02', openedOn: '2026-06-01', lastLiveDrillOn: null, liveDrillMonths: months })).toMatchObject({ state: 'missed', dueBy: '2026-12-01', days: 1 });
  });

  it('counts from the last live drill; due within 30 days; ok before', () => {
    expect(drillStatus({ asOf: '2026-12-02', openedOn: '2020-01-01', lastLiveDrillOn: '2026-09-01', liveDrillMonths: months })).toMatchObject({ state: 'ok', dueBy: '2027-03-01' });
    expect(drillStatus({ asOf: '2026-12-02', openedOn: '2020-01-01', lastLiveDrillOn: '2026-06-20', liveDrillMonths: months })).toMatchObject({ state: 'due', dueBy: '2026-12-20', days: 18 });
    expect(drillStatus({ asOf: '2026-12-02', openedOn: '2020-01-01', lastLiveDrillOn: '2026-05-31', liveDrillMonths: months })).toMatchObject({ state: 'missed', dueBy: '2026-11-30', days: 2 });
  });

  it('ignores a drill recorded before a later (re)opening day', () => {
    expect(drillStatus({ asOf: '2026-12-02', openedOn: '2026-10-01', lastLiveDrillOn: '2026-01-01', liveDrillMonths: months })).toMatchObject({ state: 'ok', dueBy: '2027-04-01' });
  });

  it('follows the policy value', () => {
    expect(drillStatus({ asOf: '2026-12-02', openedOn: '2020-01-01', lastLiveDrillOn: '2026-09-10', liveDrillMonths: 3 })).toMatchObject({ state: 'due', dueBy: '2026-12-10', liveDrillMonths: 3 });
  });
});

describe('trainingStatus', () => {
  it('is overdue the day after trainingMonths', () => {
    expect(trainingStatus({ asOf: '2026-12-01', lastTrainedOn: '2026-06-01', trainingMonths: 6 })).toEqual({ dueBy: '2026-12-01', overdue: false });
    expect(trainingStatus({ asOf: '2026-12-02', lastTrainedOn: '2026-06-01', trainingMonths: 6 })).toEqual({ dueBy: '2026-12-01', overdue: true });
  });
});

describe('drillIssues', () => {
  const residents = { selfCare: 10, mildlyDisabled: 5, moderatelyDisabled: 3, severelyDisabled: 2 };
  const ctx = { today: '2026-12-02', residents };
  const drill = { heldOn: '2026-12-01', form: 'live' as const, kind: 'fire_evacuation' as const, evacuated: { ...none, severelyDisabled: 2 }, evacuationSeconds: 240 };

  it('accepts a complete live evacuation drill', () => {
    expect(drillIssues(drill, ctx)).toEqual([]);
  });

  it('names the field: a future day, more evacuated than live there, a live evacuation without a time', () => {
    expect(drillIssues({ ...drill, heldOn: '2026-12-03' }, ctx)).toEqual([{ field: 'heldOn', reason: 'dateInFuture' }]);
    expect(drillIssues({ ...drill, evacuated: { ...none, severelyDisabled: 3 } }, ctx)).toEqual([{ field: 'evacuated.severelyDisabled', reason: 'evacuatedExceedsResidents', args: [3, 2] }]);
    expect(drillIssues({ ...drill, evacuationSeconds: null }, ctx)).toEqual([{ field: 'evacuationSeconds', reason: 'evacuationTimeRequired' }]);
  });

  it('needs no time for a tabletop exercise or a drill that moves nobody', () => {
    expect(drillIssues({ ...drill, form: 'tabletop', evacuated: none, evacuationSeconds: null }, ctx)).toEqual([]);
    expect(drillIssues({ ...drill, kind: 'power_outage', evacuated: none, evacuationSeconds: null }, ctx)).toEqual([]);
  });
});

describe('formatEvacuationTime', () => {
  it('reads as minutes and seconds', () => {
    expect(formatEvacuationTime(185)).toBe('3 分 5 秒');
    expect(formatEvacuationTime(240)).toBe('4 分钟');
    expect(formatEvacuationTime(45)).toBe('45 秒');
    expect(formatEvacuationTime(null)).toBe('—');
  });
});
