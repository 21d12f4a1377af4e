import { isLate, openSlot, patrolLines, pointCode, slotOf, slotsBetween, type PatrolTimes } from './patrol-rules';

const times: PatrolTimes = { nightIntervalHours: 2, nightFromHour: 22, nightToHour: 6, lateAfterMinutes: 30 };
/** A Shanghai wall-clock time as an instant. */
const sh = (local: string) => new Date(`${local}+08:00`);

describe('patrol slots', () => {
  it('has four night slots from 22:00 to 06:00, each open for two hours', () => {
    const slots = slotsBetween('night', sh('2026-12-01T12:00:00'), sh('2026-12-02T12:00:00'), times);
    expect(slots.map((s) => s.at)).toEqual([sh('2026-12-01T22:00:00'), sh('2026-12-02T00:00:00'), sh('2026-12-02T02:00:00'), sh('2026-12-02T04:00:00')]);
    expect(slots[3].closesAt).toEqual(sh('2026-12-02T06:00:00'));
    expect(slots[0].lateAt).toEqual(sh('2026-12-01T22:30:00'));
  });

  it('finds the slot open now, and none in the daytime for the night patrol', () => {
    expect(openSlot('night', sh('2026-12-02T01:10:00'), times)?.at).toEqual(sh('2026-12-02T00:00:00'));
    expect(openSlot('night', sh('2026-12-01T23:59:00'), times)?.at).toEqual(sh('2026-12-01T22:00:00'));
    expect(openSlot('night', sh('2026-12-02T10:00:00'), times)).toBeNull();
    expect(openSlot('daily', sh('2026-12-02T10:00:00'), times)?.at).toEqual(sh('2026-12-02T00:00:00'));
    expect(openSlot('monthly', sh('2026-12-31T23:00:00'), times)).toMatchObject({ at: sh('2026-12-01T00:00:00'), closesAt: sh('2027-01-01T00:00:00') });
  });

  it('flags a submission after the late time, and rebuilds a slot from its stored time', () => {
    const slot = slotOf('night', sh('2026-12-02T02:00:00'), times);
    expect(isLate(slot, sh('2026-12-02T02:30:00'))).toBe(false);
    expect(isLate(slot, sh('2026-12-02T02:31:00'))).toBe(true);
    expect(() => slotOf('night', sh('2026-12-02T03:00:00'), times)).toThrow();
  });

  it('counts slots from the schedule start only: done, late, missed and incomplete, with the completion rate', () => {
    const now = sh('2026-12-02T09:00:00');
    const { lines, summary } = patrolLines({
      from: sh('2026-11-25T00:00:00'), now, scheduleStart: sh('2026-12-01T20:00:00'), times, kinds: ['night'],
      patrols: [
        { kind: 'night', slotAt: sh('2026-12-01T22:00:00'), status: 'submitted', late: false },
        { kind: 'night', slotAt: sh('2026-12-02T00:00:00'), status: 'submitted', late: true },
        { kind: 'night', slotAt: sh('2026-12-02T04:00:00'), status: 'in_progress', late: null },
      ],
    });
    expect(lines.map((l) => l.state)).toEqual(['incomplete', 'missed', 'late', 'done']);
    expect(summary).toEqual({ due: 4, done: 1, late: 1, missed: 1, incomplete: 1, completionRate: 0.5 });
  });

  it('owes nothing before the first patrol point', () => {
    expect(patrolLines({ from: sh('2026-11-01T00:00:00'), now: sh('2026-12-02T09:00:00'), scheduleStart: null, times, patrols: [] }).summary.completionRate).toBeNull();
  });

  it('counts the day and the month the schedule began in', () => {
    const { lines } = patrolLines({ from: sh('2026-11-25T00:00:00'), now: sh('2026-12-02T09:00:00'), scheduleStart: sh('2026-12-01T20:00:00'), times, patrols: [], kinds: ['daily', 'monthly'] });
    expect(lines.map((l) => [l.kind, l.state])).toEqual([['daily', 'open'], ['daily', 'missed'], ['monthly', 'open']]);
  });

  it('makes a six-character point code without look-alike characters', () => {
    expect(pointCode(new Uint8Array([0, 1, 31, 32, 255, 8]))).toMatch(/^[A-HJ-NP-Z2-9]{6}$/);
  });
});
