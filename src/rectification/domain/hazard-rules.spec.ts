import { extensionRefusal } from './hazard-rules';

describe('hazard rules', () => {
  it('allows an extension only before the deadline and to a later date', () => {
    const h = { status: 'open' as const, dueDate: '2026-11-30' };
    expect(extensionRefusal(h, '2026-11-30', '2026-12-15')).toBeNull();
    expect(extensionRefusal(h, '2026-12-01', '2026-12-15')).toBe('extensionAfterDeadline');
    expect(extensionRefusal(h, '2026-11-20', '2026-11-30')).toBe('extensionNotLater');
    expect(extensionRefusal({ ...h, status: 'responded' }, '2026-11-20', '2026-12-15')).toBe('extensionWrongStatus');
  });
});
