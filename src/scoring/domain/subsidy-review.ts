/**
 * What the approver saw: the schedule's total and when it was last recomputed. The approval form carries it and the
 * approval is refused (409 subsidy.changed_since_review) when the draft was recomputed after the confirmation was
 * shown — an admin never approves figures other than the ones on the page.
 */
export function scheduleReviewToken(s: { total: number; recomputedAt?: string | Date | null }): string {
  const at = s.recomputedAt ? new Date(s.recomputedAt).toISOString() : 'original';
  return `${Number(s.total).toFixed(2)}@${at}`;
}
