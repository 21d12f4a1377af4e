import type { FieldIssue } from '../../common/app-error';
import { shanghaiDate } from '../../common/calendar';
import type { ChecklistItem } from '../../checklists/domain';
import type { PolicyValues, WorkingCalendar } from '../../checklists/domain/policy';
import { deadlineFor } from '../../hazards/domain/deadlines';

export type ItemResult = 'pass' | 'fail' | 'na';
export type FindingScope = 'single' | 'multiple' | 'widespread';

export interface SubmittedResponse {
  itemCode: string;
  result: ItemResult;
  note?: string | null;
  location?: string | null;
  severity?: 'general' | 'major' | null;
  majorCriterion?: string | null;
  scope?: FindingScope | null;
  evidenceIds?: string[];
  /** 疑似重大隐患: the inspector believes the finding is major but it needs no criterion now; the bureau decides. */
  suspectedMajor?: boolean | null;
  suspectedReason?: string | null;
}

export interface SubmittedSignature {
  role: 'inspector' | 'institution_representative';
  userId?: string | null;
  signerName: string;
}

export interface SubmissionContext {
  /** The items of the pinned version that apply to the institution, in checklist order. */
  applicable: ChecklistItem[];
  /** Codes of the pinned version that exist but do not apply (answering them is allowed only as 不适用). */
  excludedCodes: Set<string>;
  team: { userId: string }[];
  /** Evidence uploaded for this inspection: id → the item it was taken for. */
  evidence: Map<string, { itemCode: string | null }>;
  /** 判定标准 criteria with retrieved text: a major finding must rest on one of them. */
  majorCriteria: Set<string>;
  /** 双人检查: distinct team members who must sign (policy.team.minInspectorSignatures of the pinned policy). */
  minInspectorSignatures: number;
}

/** What a 不合格 answer must fill in, in the order the issues are listed. */
export type FindingField = 'note' | 'location' | 'scope' | 'severity';
const FINDING_FIELDS: readonly FindingField[] = ['note', 'location', 'scope', 'severity'];
const FINDING_REASONS: Record<FindingField, string> = {
  note: 'findingNoteRequired', location: 'findingLocationRequired', scope: 'findingScopeRequired', severity: 'findingSeverityRequired',
};

export interface ItemRequirements {
  /** Fields a failed answer must fill. */
  whenFailed: FindingField[];
  /** Photos of this item a failed answer must carry (0: optional). */
  photosWhenFailed: number;
  /** A failed answer graded major must name one of `SubmissionRequirements.majorCriteria`. */
  criterionWhenMajor: boolean;
  /**
   * How the form offers a major finding on this item: `criterion` — 重大 with a criterion of `majorCriteria`, or
   * 疑似重大隐患; `suspected` — the item escalates to a criterion whose text is not retrieved (a placeholder), so the
   * form offers only 疑似重大隐患 (the placeholder itself is never sent).
   */
  majorBy: 'criterion' | 'suspected';
  /** A failed answer marked 疑似重大隐患 must give the reason (it needs no criterion and no grade: it is general until decided). */
  reasonWhenSuspected: boolean;
}

/**
 * What a submission must contain, per item and overall. Sent to the on-site form (GET /api/inspections/:id/form)
 * so the device checks exactly what `submissionIssues` will check, instead of deriving the rules again.
 */
export interface SubmissionRequirements {
  items: Record<string, ItemRequirements>;
  /** 判定标准 codes a major finding may rest on (those with retrieved text). */
  majorCriteria: string[];
  /** Distinct team members who must sign. */
  inspectorSignatures: number;
  /** The institution's representative must give a name and sign. */
  institutionSignature: boolean;
}

export function submissionRequirements(ctx: Pick<SubmissionContext, 'applicable' | 'majorCriteria' | 'minInspectorSignatures'>): SubmissionRequirements {
  const items: Record<string, ItemRequirements> = {};
  for (const item of ctx.applicable) {
    items[item.code] = {
      whenFailed: [...FINDING_FIELDS],
      photosWhenFailed: item.evidence.photoRequiredWhenFailed ? Math.max(1, item.evidence.minPhotos ?? 1) : 0,
      criterionWhenMajor: true,
      majorBy: item.escalatesTo && !ctx.majorCriteria.has(item.escalatesTo) ? 'suspected' : 'criterion',
      reasonWhenSuspected: true,
    };
  }
  return { items, majorCriteria: [...ctx.majorCriteria], inspectorSignatures: ctx.minInspectorSignatures, institutionSignature: true };
}

/**
 * Everything that stops a submission, each naming the item and what is missing, so the inspector gets one
 * complete list instead of fixing one error at a time. The rules are `submissionRequirements`.
 */
export function submissionIssues(ctx: SubmissionContext, responses: SubmittedResponse[], signatures: SubmittedSignature[]): FieldIssue[] {
  const required = submissionRequirements(ctx);
  const issues: FieldIssue[] = [];
  const byCode = new Map<string, SubmittedResponse>();
  for (const r of responses) {
    if (byCode.has(r.itemCode)) issues.push({ field: `responses.${r.itemCode}`, reason: 'duplicateResponse' });
    byCode.set(r.itemCode, r);
  }
  const applicableCodes = new Set(ctx.applicable.map((i) => i.code));
  for (const r of responses) {
    if (!applicableCodes.has(r.itemCode) && !(ctx.excludedCodes.has(r.itemCode) && r.result === 'na')) {
      issues.push({ field: `responses.${r.itemCode}`, reason: 'itemNotApplicable' });
    }
  }
  const criteria = new Set(required.majorCriteria);
  for (const item of ctx.applicable) {
    const need = required.items[item.code];
    const r = byCode.get(item.code);
    const field = `responses.${item.code}`;
    if (!r) {
      issues.push({ field, reason: 'unanswered', args: [item.code, item.title.zh] });
      continue;
    }
    if (r.result !== 'fail') continue;
    const suspected = r.suspectedMajor === true;
    for (const f of need.whenFailed) {
      // A suspected finding has no grade of its own yet: it is general until the bureau decides.
      if (f === 'severity' && suspected) continue;
      if (!String(r[f] ?? '').trim()) issues.push({ field: `${field}.${f}`, reason: FINDING_REASONS[f], args: [item.code] });
    }
    if (suspected) {
      if (r.severity === 'major') issues.push({ field: `${field}.severity`, reason: 'suspectedNotMajor', args: [item.code] });
      if (need.reasonWhenSuspected && !String(r.suspectedReason ?? '').trim()) {
        issues.push({ field: `${field}.suspectedReason`, reason: 'suspectedReasonRequired', args: [item.code] });
      }
    } else if (need.criterionWhenMajor && r.severity === 'major' && (!r.majorCriterion || !criteria.has(r.majorCriterion))) {
      issues.push({ field: `${field}.majorCriterion`, reason: 'majorCriterionRequired', args: [item.code] });
    }
    // The same photo listed twice counts once.
    const ids = [...new Set(r.evidenceIds ?? [])];
    const photos = ids.filter((id) => ctx.evidence.get(id)?.itemCode === item.code);
    const unknown = ids.filter((id) => ctx.evidence.get(id)?.itemCode !== item.code);
    if (unknown.length) issues.push({ field: `${field}.evidenceIds`, reason: 'evidenceNotFound', args: [item.code, unknown.join(', ')] });
    if (photos.length < need.photosWhenFailed) issues.push({ field: `${field}.photos`, reason: 'photoRequired', args: [item.code, need.photosWhenFailed, photos.length] });
  }
  const teamIds = new Set(ctx.team.map((m) => m.userId));
  const inspectorSigners = new Set(signatures.filter((s) => s.role === 'inspector').map((s) => s.userId));
  for (const s of signatures) {
    if (s.role === 'inspector' && (!s.userId || !teamIds.has(s.userId))) issues.push({ field: 'signatures', reason: 'signerNotOnTeam', args: [s.signerName] });
  }
  if ([...inspectorSigners].filter((id) => id && teamIds.has(id)).length < required.inspectorSignatures) {
    issues.push({ field: 'signatures.inspector', reason: 'inspectorSignaturesRequired', args: [required.inspectorSignatures] });
  }
  if (required.institutionSignature && !signatures.some((s) => s.role === 'institution_representative' && s.signerName.trim())) {
    issues.push({ field: 'signatures.institution_representative', reason: 'institutionSignatureRequired' });
  }
  return issues;
}

export interface NewHazard {
  itemCode: string;
  category: string;
  titleZh: string;
  severity: 'general' | 'major';
  majorCriterion: string | null;
  scope: FindingScope;
  location: string;
  note: string;
  deadlineDays: number;
  dueDate: string;
  /** Major hazards: the 五到位 rectification plan is due within policy.deadlines.majorPlanDays. */
  planDueDate: string | null;
  /** 挂牌督办 starts false: a major hazard is listed only after its objection window (the hazard lifecycle's `list`). */
  listed: boolean;
  /** 疑似重大隐患: 'suspected' until the bureau confirms or downgrades it; null for every other finding. */
  majorStatus: 'suspected' | null;
  suspectedReason: string | null;
  /** The bureau decides a suspected finding by this date (policy.suspectedMajor.confirmWorkingDays working days). */
  majorConfirmDue: string | null;
}

/** What a hazard's deadlines are decided by: the policy pinned on the inspection, the working calendar, the deadline rule. */
export interface HazardTerms {
  policy: PolicyValues;
  calendar: WorkingCalendar;
}

/**
 * One hazard per failed item. The deadline follows the severity the finding was filed with (an item escalated to
 * major gets the major deadline, not the general item's); a suspected major finding is general, with the date by
 * which the bureau must confirm or downgrade it.
 */
export function hazardsFrom(applicable: ChecklistItem[], responses: SubmittedResponse[], at: Date, terms: HazardTerms): NewHazard[] {
  const items = new Map(applicable.map((i) => [i.code, i]));
  return responses
    .filter((r) => r.result === 'fail' && items.has(r.itemCode))
    .map((r) => {
      const item = items.get(r.itemCode)!;
      const suspected = r.suspectedMajor === true;
      const severity = suspected ? 'general' : r.severity ?? item.severity;
      const deadline = deadlineFor(item, severity, terms.policy, terms.calendar, at);
      return {
        itemCode: item.code, category: item.category, titleZh: item.title.zh, severity,
        majorCriterion: severity === 'major' ? r.majorCriterion ?? item.majorCriterion ?? null : null,
        scope: r.scope!, location: r.location!.trim(), note: r.note!.trim(),
        deadlineDays: deadline.deadlineDays, dueDate: deadline.dueDate,
        planDueDate: severity === 'major' ? deadline.planDueDate : null,
        listed: false,
        majorStatus: suspected ? 'suspected' as const : null,
        suspectedReason: suspected ? r.suspectedReason!.trim() : null,
        majorConfirmDue: suspected ? terms.calendar.addWorkingDays(shanghaiDate(at), terms.policy.suspectedMajor.confirmWorkingDays) : null,
      };
    });
}
