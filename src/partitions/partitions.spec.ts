import { withKeyColumn } from '../../migrations/support/monthly-partitions';
import { monthBounds, partitionName } from './partitions';

describe('monthly partitions: names, bounds and keys', () => {
  it('names a month’s partition and bounds it at midnight China time', () => {
    expect(partitionName('audit_event', '2026-12')).toBe('audit_event_p202612');
    expect(monthBounds('2026-12')).toEqual({ lo: new Date('2026-11-30T16:00:00Z'), hi: new Date('2026-12-31T16:00:00Z') });
    expect(monthBounds('2027-01').lo).toEqual(new Date('2026-12-31T16:00:00Z'));
    expect(() => monthBounds('2026-13')).toThrow(/YYYY-MM/);
  });

  it('appends the partition column to a key once, keeping INCLUDE and expressions intact', () => {
    expect(withKeyColumn('PRIMARY KEY (id)', 'occurred_at')).toBe('PRIMARY KEY (id, "occurred_at")');
    expect(withKeyColumn('UNIQUE (a, created_at)', 'created_at')).toBe('UNIQUE (a, created_at)');
    expect(withKeyColumn('UNIQUE (a) INCLUDE (b)', 'k')).toBe('UNIQUE (a, "k") INCLUDE (b)');
    expect(withKeyColumn('CREATE UNIQUE INDEX x ON public.t USING btree (a, lower(b)) WHERE (c IS NULL)', 'k'))
      .toBe('CREATE UNIQUE INDEX x ON public.t USING btree (a, lower(b), "k") WHERE (c IS NULL)');
  });
});
