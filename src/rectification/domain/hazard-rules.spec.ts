import { addWorkingDays, extensionRefusal, nextStatus } from './hazard-rules';

describe('hazard rules', () => {
  it('moves only along the loop: open → responded → closed, or back to returned and round again', () => {
    expect(nextStatus('open', 'respond')).toBe('responded');
    expect(nextStatus('responded', 'return')).toBe('returned');
    expect(nextStatus('returned', 'respond')).toBe('responded');
    expect(nextStatus('responded', 'accept')).toBe('closed');
    expect(nextStatus('open', 'accept')).toBeNull();
    expect(nextStatus('closed', 'accept')).toBeNull();
    expect(nextStatus('closed', 'respond')).toBeNull();
    expect(nextStatus('returned', 'uphold_objection')).toBe('closed');
  });


  it('allows an extension only before the deadline and to a later date', () => {
    const h = { status: 'open' as const, dueDate: '2026-11-30' };
    expect(extensionRefusal(h, '2026-11-30', '2026-12-15')).toBeNull();
    expect(extensionRefusal(h, '2026-12-01', '2026-12-15')).toBe('extensionAfterDeadline');
    expect(extensionRefusal(h, '2026-11-20', '2026-11-30')).toBe('extensionNotLater');
    expect(extensionRefusal({ ...h, status: 'responded' }, '2026-11-20', '2026-12-15')).toBe('extensionWrongStatus');
  });

  it('counts working days over weekends: 5 working days from Friday 2026-11-27 is Friday 2026-12-04', () => {
    expect(addWorkingDays('2026-11-27', 5)).toBe('2026-12-04');
    expect(addWorkingDays('2026-11-23', 1)).toBe('2026-11-24');
    expect(addWorkingDays('2026-11-28', 1)).toBe('2026-11-30');
  });
});
