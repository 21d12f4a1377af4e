import { allowedStatusActions, planStatusChange, StatusChangeInput } from './operating-status';

const base: StatusChangeInput = { status: 'active', openedOn: '2025-01-01', interruptions: [], action: 'suspend', date: '2026-11-20', today: '2026-12-01' };

describe('operating status changes (停业整顿 / 恢复运营 / 注销)', () => {
  it('offers what the status allows; closed is final', () => {
    expect(allowedStatusActions('active')).toEqual(['suspend', 'close']);
    expect(allowedStatusActions('suspended')).toEqual(['resume', 'close']);
    expect(allowedStatusActions('closed')).toEqual([]);
    expect(allowedStatusActions('preparing')).toEqual([]);
    expect(planStatusChange({ ...base, status: 'closed', action: 'resume' })).toEqual({ code: 'institution.status_not_allowed' });
  });

  it('suspends from a day: a new open-ended interruption', () => {
    expect(planStatusChange(base)).toEqual({ next: 'suspended', end: null, open: { kind: 'suspended', fromDate: '2026-11-20' } });
  });

  it('refuses a day in the future, before opening, or overlapping a recorded period', () => {
    expect(planStatusChange({ ...base, date: '2026-12-02' })).toEqual({ issues: [{ field: 'date', reason: 'dateInFuture' }] });
    expect(planStatusChange({ ...base, date: '2024-12-31' })).toEqual({ issues: [{ field: 'date', reason: 'beforeOpening', args: ['2025-01-01'] }] });
    const past = [{ id: 'x', kind: 'suspended' as const, fromDate: '2026-11-01', toDate: '2026-11-25' }];
    expect(planStatusChange({ ...base, interruptions: past })).toEqual({ issues: [{ field: 'date', reason: 'interruptionOverlapOn', args: ['2026-11-01', '2026-11-25'] }] });
  });

  it('resumes: the running suspension ends the day before', () => {
    const running = [{ id: 's', kind: 'suspended' as const, fromDate: '2026-11-01', toDate: null }];
    expect(planStatusChange({ ...base, status: 'suspended', interruptions: running, action: 'resume', date: '2026-11-20' }))
      .toEqual({ next: 'active', end: { id: 's', toDate: '2026-11-19' }, open: null });
    expect(planStatusChange({ ...base, status: 'suspended', interruptions: running, action: 'resume', date: '2026-11-01' }))
      .toEqual({ issues: [{ field: 'date', reason: 'afterSuspensionStart', args: ['2026-11-01'] }] });
  });

  it('closes a suspended institution: the suspension ends, the closure never does', () => {
    const running = [{ id: 's', kind: 'suspended' as const, fromDate: '2026-11-01', toDate: null }];
    expect(planStatusChange({ ...base, status: 'suspended', interruptions: running, action: 'close', date: '2026-11-20' }))
      .toEqual({ next: 'closed', end: { id: 's', toDate: '2026-11-19' }, open: { kind: 'closed', fromDate: '2026-11-20' } });
  });
});
