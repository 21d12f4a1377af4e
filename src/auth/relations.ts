/**
 * The relational conditions beside the permissions table (`permissions.ts`): a role may take an action, but only
 * in a relation to the thing acted on. Pure functions; the services load the facts and ask these.
 * (The third condition, "in scope", is applied by the repositories: every query takes the caller's `Scope`.)
 */

/** 检查组成员: only the team acts on an inspection, and an objection to its finding is decided by someone not on it. */
export function isOnTeam(team: readonly { userId: string }[], userId: string): boolean {
  return team.some((m) => m.userId === userId);
}

/** The one who submitted the rectification response: a hazard is never verified (复核) by its responder. */
export function isResponder(response: { submittedBy: string }, userId: string): boolean {
  return response.submittedBy === userId;
}
