import { allowedIncidentActions, decideIncident, mayLeadToGradeDecision, occurredAtIssues, reportDeadline, reportTiming } from './incident-rules';

const hours = { general: 24, larger: 2, major: 1, especially_major: 1 };
const at = (iso: string) => new Date(iso);

describe('reporting deadline by grade (incidents.reportHours)', () => {
  it('adds the grade hours to the time of the incident', () => {
    expect(reportDeadline(at('2026-12-01T20:00:00+08:00'), 'general', hours).toISOString()).toBe('2026-12-02T12:00:00.000Z');
    expect(reportDeadline(at('2026-12-01T20:00:00+08:00'), 'larger', hours).toISOString()).toBe('2026-12-01T14:00:00.000Z');
  });

  it('is on time up to the deadline itself and late after it', () => {
    const occurred = at('2026-12-01T20:00:00+08:00');
    expect(reportTiming(occurred, at('2026-12-01T22:00:00+08:00'), 'larger', hours)).toMatchObject({ late: false, lateMinutes: 0 });
    expect(reportTiming(occurred, at('2026-12-01T22:00:30+08:00'), 'larger', hours)).toMatchObject({ late: true, lateMinutes: 1 });
    expect(reportTiming(occurred, at('2026-12-02T20:00:00+08:00'), 'major', hours)).toMatchObject({ late: true, lateMinutes: 23 * 60 });
    expect(reportTiming(occurred, at('2026-12-02T19:59:00+08:00'), 'general', hours)).toMatchObject({ late: false });
  });

  it('refuses a policy without hours for the grade', () => {
    expect(() => reportDeadline(new Date(), 'major', { ...hours, major: 0 })).toThrow(RangeError);
  });

  it('refuses an incident in the future (a minute of clock skew allowed)', () => {
    const now = at('2026-12-02T08:00:00Z');
    expect(occurredAtIssues(at('2026-12-02T08:00:59Z'), now)).toEqual([]);
    expect(occurredAtIssues(at('2026-12-02T08:05:00Z'), now)).toEqual([{ field: 'occurredAt', reason: 'occurredInFuture' }]);
  });
});

describe('incident lifecycle', () => {
  const reported = { status: 'reported' as const, followUpInspectionId: null };
  const acknowledged = { status: 'acknowledged' as const, followUpInspectionId: null };

  it('is acknowledged once, by the bureau', () => {
    expect(decideIncident(reported, 'acknowledge', 'bureau_officer')).toEqual({ next: 'acknowledged' });
    expect(decideIncident(acknowledged, 'acknowledge', 'bureau_officer')).toEqual({ refusal: 'already_acknowledged' });
    expect(decideIncident(reported, 'acknowledge', 'institution')).toEqual({ refusal: 'forbidden' });
    expect(decideIncident(reported, 'acknowledge', 'inspector')).toEqual({ refusal: 'forbidden' });
  });

  it('gets one follow-up inspection, after the acknowledgement', () => {
    expect(decideIncident(reported, 'open_follow_up', 'bureau_admin')).toEqual({ refusal: 'not_acknowledged' });
    expect(decideIncident(acknowledged, 'open_follow_up', 'bureau_admin')).toEqual({ next: 'acknowledged' });
    expect(decideIncident({ ...acknowledged, followUpInspectionId: 'x' }, 'open_follow_up', 'bureau_admin')).toEqual({ refusal: 'follow_up_exists' });
  });

  it('offers pages only what the service accepts', () => {
    expect(allowedIncidentActions(reported, 'bureau_officer')).toEqual(['acknowledge']);
    expect(allowedIncidentActions(acknowledged, 'bureau_officer')).toEqual(['open_follow_up']);
    expect(allowedIncidentActions(reported, 'institution')).toEqual([]);
  });

  it('offers the grade decision for 较大 or worse only', () => {
    expect(mayLeadToGradeDecision('general')).toBe(false);
    expect(['larger', 'major', 'especially_major'].every((g) => mayLeadToGradeDecision(g as 'larger'))).toBe(true);
  });
});
