import { buildWorkingCalendar } from '../../checklists/domain/working-calendar';
import { complaintDeadlines, overdueKind } from './deadlines';

// 2026: National Day 10-01…10-08 off, Saturday 10-10 a make-up working day (a synthetic file, same shape as calendar-cn-2026.yaml)
const calendar = buildWorkingCalendar([{ year: 2026, code: 'test-calendar', holidays: [{ from: '2026-10-01', to: '2026-10-08' }], workdays: [{ date: '2026-10-10' }] } as never]);
const policy = { triageWorkingDays: 3, replyWorkingDays: 15 };

describe('complaint deadlines (working days of the Shanghai day received)', () => {
  it('counts working days after the day received, skipping weekends', () => {
    // Wednesday 2026-12-02 10:00 Shanghai: triage by Monday 12-07, reply 15 working days later (12-23)
    expect(complaintDeadlines(new Date('2026-12-02T02:00:00Z'), policy, calendar)).toEqual({ triageDueOn: '2026-12-07', replyDueOn: '2026-12-23' });
  });

  it('takes the Shanghai day: 23:30 UTC is already the next day in Shanghai', () => {
    // 2026-12-03 07:30 Shanghai (Thursday): +3 working days = Tuesday 12-08
    expect(complaintDeadlines(new Date('2026-12-02T23:30:00Z'), policy, calendar).triageDueOn).toBe('2026-12-08');
  });

  it('skips public holidays and counts a make-up Saturday', () => {
    // Tuesday 09-29: 09-30 (1), 10-01…10-08 off, 10-09 Friday (2), 10-10 make-up Saturday (3)
    expect(complaintDeadlines(new Date('2026-09-29T02:00:00Z'), policy, calendar).triageDueOn).toBe('2026-10-10');
  });

  it('a complaint filed on a rest day starts counting from the next working day', () => {
    // Saturday 12-05: Mon 12-07 (1), Tue (2), Wed 12-09 (3)
    expect(complaintDeadlines(new Date('2026-12-05T02:00:00Z'), policy, calendar).triageDueOn).toBe('2026-12-09');
  });
});

describe('overdueKind', () => {
  const c = { triageDueOn: '2026-12-07', replyDueOn: '2026-12-23' };
  it('the due day itself is still in time', () => {
    expect(overdueKind({ ...c, status: 'received' }, '2026-12-07')).toBeNull();
  });
  it('a received complaint after its triage day is triage-overdue, after its reply day reply-overdue', () => {
    expect(overdueKind({ ...c, status: 'received' }, '2026-12-08')).toBe('triage');
    expect(overdueKind({ ...c, status: 'received' }, '2026-12-24')).toBe('reply');
  });
  it('an accepted complaint is overdue only after the reply day', () => {
    expect(overdueKind({ ...c, status: 'accepted' }, '2026-12-10')).toBeNull();
    expect(overdueKind({ ...c, status: 'accepted' }, '2026-12-24')).toBe('reply');
  });
  it('a closed complaint is never overdue', () => {
    for (const status of ['merged', 'referred', 'rejected', 'replied'] as const) expect(overdueKind({ ...c, status }, '2027-06-01')).toBeNull();
  });
});
