import { averageScore, RATING_COMMENT_MAX, ratingIssues, ratingOf, ratingRefusal, ratingState, SCORE_WORDS } from './visit-rating';

describe('评价: what a rating must hold', () => {
  it('takes two integer scores of 1–5 and an optional comment', () => {
    expect(ratingIssues({ conduct: 1, clarity: 5 })).toEqual([]);
    expect(ratingIssues({ conduct: 3, clarity: 4, comment: '检查认真，问题讲得清楚' })).toEqual([]);
    expect(ratingIssues({ conduct: 3, clarity: 4, comment: null })).toEqual([]);
  });

  it('names each field it refuses', () => {
    expect(ratingIssues({})).toEqual([{ field: 'conduct', reason: 'ratingRequired' }, { field: 'clarity', reason: 'ratingRequired' }]);
    expect(ratingIssues({ conduct: 0, clarity: 6 })).toEqual([
      { field: 'conduct', reason: 'ratingRange', args: [1, 5] }, { field: 'clarity', reason: 'ratingRange', args: [1, 5] },
    ]);
    expect(ratingIssues({ conduct: 2.5, clarity: '4' })).toEqual([{ field: 'conduct', reason: 'isInt' }, { field: 'clarity', reason: 'isInt' }]);
    expect(ratingIssues({ conduct: 3, clarity: 3, comment: 42 })).toEqual([{ field: 'comment', reason: 'isString' }]);
  });

  it('counts the comment in characters after trimming (Chinese text, not bytes)', () => {
    expect(RATING_COMMENT_MAX).toBe(500);
    expect(ratingIssues({ conduct: 3, clarity: 3, comment: `  ${'好'.repeat(500)}  ` })).toEqual([]);
    expect(ratingIssues({ conduct: 3, clarity: 3, comment: '好'.repeat(501) })).toEqual([{ field: 'comment', reason: 'maxLength', args: [500] }]);
    // a character outside the BMP is one character
    expect(ratingIssues({ conduct: 3, clarity: 3, comment: '𠮷'.repeat(500) })).toEqual([]);
  });

  it('stores the comment trimmed, an empty one as none', () => {
    expect(ratingOf({ conduct: 4, clarity: 5, comment: '  很好 ' })).toEqual({ conduct: 4, clarity: 5, comment: '很好' });
    expect(ratingOf({ conduct: 4, clarity: 5, comment: '   ' })).toEqual({ conduct: 4, clarity: 5, comment: null });
    expect(ratingOf({ conduct: 4, clarity: 5 })).toEqual({ conduct: 4, clarity: 5, comment: null });
  });

  it('has a word for every score', () => {
    expect([1, 2, 3, 4, 5].map((n) => SCORE_WORDS[n])).toEqual(['很不满意', '不满意', '一般', '满意', '很满意']);
  });
});

describe('评价: when one may be given', () => {
  const now = new Date('2026-12-31T00:00:00Z');
  const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000);

  it('only after the submission, once, within the window', () => {
    expect(ratingRefusal({ status: 'submitted', submittedAt: daysAgo(1), rated: false }, now, 30)).toBeNull();
    expect(ratingRefusal({ status: 'in_progress', submittedAt: null, rated: false }, now, 30)).toEqual({ code: 'inspection_rating.not_submitted', field: 'inspectionId', reason: 'ratingBeforeSubmission' });
    expect(ratingRefusal({ status: 'submitted', submittedAt: daysAgo(1), rated: true }, now, 30)).toEqual({ code: 'inspection_rating.already_rated', field: 'inspectionId', reason: 'alreadyRated' });
    expect(ratingRefusal({ status: 'submitted', submittedAt: daysAgo(30), rated: false }, now, 30)).toBeNull();
    expect(ratingRefusal({ status: 'submitted', submittedAt: daysAgo(30.01), rated: false }, now, 30))
      .toEqual({ code: 'inspection_rating.window_closed', field: 'inspectionId', reason: 'ratingWindowClosed', args: [30] });
  });

  it('takes the window from the policy: 7 days closes what 30 keeps open', () => {
    expect(ratingRefusal({ status: 'submitted', submittedAt: daysAgo(8), rated: false }, now, 7))
      .toEqual({ code: 'inspection_rating.window_closed', field: 'inspectionId', reason: 'ratingWindowClosed', args: [7] });
    expect(ratingState({ status: 'submitted', submittedAt: daysAgo(8), rated: false }, now, 7)).toBe('closed');
    expect(ratingState({ status: 'submitted', submittedAt: daysAgo(8), rated: false }, now, 30)).toBe('open');
  });

  it('a visit stands open, rated, closed or pending', () => {
    expect(ratingState({ status: 'submitted', submittedAt: daysAgo(2), rated: false }, now, 30)).toBe('open');
    expect(ratingState({ status: 'submitted', submittedAt: daysAgo(40), rated: true }, now, 30)).toBe('rated');
    expect(ratingState({ status: 'submitted', submittedAt: daysAgo(40), rated: false }, now, 30)).toBe('closed');
    expect(ratingState({ status: 'assigned', submittedAt: null, rated: false }, now, 30)).toBe('pending');
    expect(ratingState({ status: 'cancelled', submittedAt: null, rated: false }, now, 30)).toBe('pending');
  });

  it('averages to one decimal, none for no ratings', () => {
    expect(averageScore(7, 2)).toBe(3.5);
    expect(averageScore(10, 3)).toBe(3.3);
    expect(averageScore(0, 0)).toBeNull();
  });
});
