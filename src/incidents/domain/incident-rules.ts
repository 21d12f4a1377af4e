/**
 * 突发事件 — the rules of an incident report: its types (民发〔2025〕32号, standards.md §11), its grades, the reporting
 * deadline by grade (policy `incidents.reportHours`, product default — see docs/policy.md §5), whether a report came
 * late, and the one lifecycle function. No Nest, no TypeORM.
 */
import { roleCan } from '../../auth/permissions';
import { INCIDENT_GRADES, type IncidentGrade } from '../../checklists/domain/safety-work-policy';
import type { Role } from '../../common/roles';

export { INCIDENT_GRADES, type IncidentGrade };

/** 突发事件类型 (民发〔2025〕32号): 自然灾害、事故灾难、公共卫生事件、社会安全事件. */
export const INCIDENT_TYPES = ['natural_disaster', 'accident', 'public_health', 'social_security'] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const INCIDENT_STATUSES = ['reported', 'acknowledged'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export type IncidentAction = 'acknowledge' | 'open_follow_up';

/** 较大 or worse: the bureau page offers the grade decision (撤销 / 降级) of the institution's grade in force. */
export function mayLeadToGradeDecision(grade: IncidentGrade): boolean {
  return grade !== 'general';
}

/** The reporting deadline: the incident's time plus the grade's hours. */
export function reportDeadline(occurredAt: Date, grade: IncidentGrade, reportHours: Record<IncidentGrade, number>): Date {
  const hours = reportHours[grade];
  if (!(hours > 0)) throw new RangeError(`report hours of ${grade} must be > 0, got ${hours}`);
  return new Date(occurredAt.getTime() + hours * 3_600_000);
}

/** 迟报: reported after the deadline (the deadline itself is still on time). */
export function reportTiming(occurredAt: Date, reportedAt: Date, grade: IncidentGrade, reportHours: Record<IncidentGrade, number>): { deadline: Date; late: boolean; lateMinutes: number } {
  const deadline = reportDeadline(occurredAt, grade, reportHours);
  const over = reportedAt.getTime() - deadline.getTime();
  return { deadline, late: over > 0, lateMinutes: over > 0 ? Math.ceil(over / 60_000) : 0 };
}

/** Refusals of the report's times: not in the future (a minute of clock skew allowed). */
export function occurredAtIssues(occurredAt: Date, now: Date): { field: string; reason: string }[] {
  return occurredAt.getTime() > now.getTime() + 60_000 ? [{ field: 'occurredAt', reason: 'occurredInFuture' }] : [];
}

/**
 * The one lifecycle function: the next state of an incident for an action by a role, or the refusal.
 * 确认收到 once, by the bureau; a follow-up inspection once, after the acknowledgement.
 */
export function decideIncident(state: { status: IncidentStatus; followUpInspectionId: string | null }, action: IncidentAction, role: Role):
  { next: IncidentStatus } | { refusal: 'forbidden' | 'already_acknowledged' | 'not_acknowledged' | 'follow_up_exists' } {
  if (!roleCan(role, 'incident.acknowledge')) return { refusal: 'forbidden' };
  if (action === 'acknowledge') return state.status === 'reported' ? { next: 'acknowledged' } : { refusal: 'already_acknowledged' };
  if (state.status !== 'acknowledged') return { refusal: 'not_acknowledged' };
  if (state.followUpInspectionId) return { refusal: 'follow_up_exists' };
  return { next: 'acknowledged' };
}

/** What a role may do with an incident (for pages: show only the forms the service would accept). */
export function allowedIncidentActions(state: { status: IncidentStatus; followUpInspectionId: string | null }, role: Role): IncidentAction[] {
  return (['acknowledge', 'open_follow_up'] as const).filter((a) => 'next' in decideIncident(state, a, role));
}
