import { scoringGaps } from './grade';

const form = {
  parts: [
    { code: 'A', items: [{ code: 'A-1', maxPoints: 30 }, { code: 'A-2', maxPoints: 20 }] },
    { code: 'B', items: [{ code: 'B-1', maxPoints: 50 }] },
  ],
} as never;

describe('scoringGaps: what stands between an assessment and finalization', () => {
  it('items without points, and deductions without a note (a blank note counts as none)', () => {
    expect(scoringGaps(form, { 'A-1': 25 }, { 'A-1': '  ' })).toEqual({ missing: ['A-2', 'B-1'], unexplained: ['A-1'] });
    expect(scoringGaps(form, { 'A-1': 30, 'A-2': 0, 'B-1': 50 }, { 'A-2': '无' })).toEqual({ missing: [], unexplained: [] });
  });
  it('one part only (the per-part save)', () => {
    expect(scoringGaps(form, { 'A-1': 25, 'B-1': 1 }, {}, 'A')).toEqual({ missing: ['A-2'], unexplained: ['A-1'] });
  });
});
