/**
 * 扫码评价 — the inspected institution's one rating of a submitted visit: 检查人员执法规范 (conduct) and 问题指出清楚
 * (clarity), each 1–5, and an optional comment. Pure: what a rating must hold and when one may be given.
 * docs/inspection-codes.md.
 */
import type { FieldIssue } from '../../common/app-error';

export const RATING_DIMENSIONS = ['conduct', 'clarity'] as const;
export type RatingDimension = (typeof RATING_DIMENSIONS)[number];

export const RATING_MIN = 1;
export const RATING_MAX = 5;
/** Characters (not bytes: Chinese text), after trimming. */
export const RATING_COMMENT_MAX = 500;
/** The score words of the form and the pages (1 很不满意 … 5 很满意). */
export const SCORE_WORDS: Record<number, string> = { 1: '很不满意', 2: '不满意', 3: '一般', 4: '满意', 5: '很满意' };

export interface RatingInput {
  conduct: number;
  clarity: number;
  /** trimmed; null when empty */
  comment: string | null;
}

/** The refusals of a rating's content, each naming its field; an empty comment is none. */
export function ratingIssues(input: { conduct?: unknown; clarity?: unknown; comment?: unknown }): FieldIssue[] {
  const issues: FieldIssue[] = [];
  for (const d of RATING_DIMENSIONS) {
    const v = input[d];
    if (v === undefined || v === null || v === '') issues.push({ field: d, reason: 'ratingRequired' });
    else if (typeof v !== 'number' || !Number.isInteger(v)) issues.push({ field: d, reason: 'isInt' });
    else if (v < RATING_MIN || v > RATING_MAX) issues.push({ field: d, reason: 'ratingRange', args: [RATING_MIN, RATING_MAX] });
  }
  if (input.comment !== undefined && input.comment !== null) {
    if (typeof input.comment !== 'string') issues.push({ field: 'comment', reason: 'isString' });
    else if ([...input.comment.trim()].length > RATING_COMMENT_MAX) issues.push({ field: 'comment', reason: 'maxLength', args: [RATING_COMMENT_MAX] });
  }
  return issues;
}

/** The rating as stored (call after `ratingIssues` found nothing). */
export function ratingOf(input: { conduct: number; clarity: number; comment?: string | null }): RatingInput {
  const comment = typeof input.comment === 'string' ? input.comment.trim() : '';
  return { conduct: input.conduct, clarity: input.clarity, comment: comment || null };
}

/** Why a rating cannot be given now (409, naming the field), or null. */
export type RatingRefusal = { code: 'inspection_rating.not_submitted' | 'inspection_rating.already_rated' | 'inspection_rating.window_closed'; field: string; reason: string; args?: unknown[] };

/**
 * `windowDays`: how long after the submission a visit may still be rated — policy data (`inspectionCodes.ratingWindowDays`
 * of the product policy the inspection pinned; the rating is about a visit people still remember).
 */
export function ratingRefusal(v: { status: string; submittedAt: Date | string | null; rated: boolean }, now: Date, windowDays: number): RatingRefusal | null {
  if (v.rated) return { code: 'inspection_rating.already_rated', field: 'inspectionId', reason: 'alreadyRated' };
  if (v.status !== 'submitted' || !v.submittedAt) return { code: 'inspection_rating.not_submitted', field: 'inspectionId', reason: 'ratingBeforeSubmission' };
  if (now.getTime() > new Date(v.submittedAt).getTime() + windowDays * 86_400_000) {
    return { code: 'inspection_rating.window_closed', field: 'inspectionId', reason: 'ratingWindowClosed', args: [windowDays] };
  }
  return null;
}

/** Where a visit stands for the institution: may rate, rated, too late, or not yet submitted. */
export type RatingState = 'open' | 'rated' | 'closed' | 'pending';

export function ratingState(v: { status: string; submittedAt: Date | string | null; rated: boolean }, now: Date, windowDays: number): RatingState {
  if (v.rated) return 'rated';
  const refusal = ratingRefusal(v, now, windowDays);
  if (!refusal) return 'open';
  return refusal.code === 'inspection_rating.window_closed' ? 'closed' : 'pending';
}

/** An average of 1–5 scores to one decimal, or null for none. */
export function averageScore(sum: number, count: number): number | null {
  return count > 0 ? Math.round((sum / count) * 10) / 10 : null;
}
