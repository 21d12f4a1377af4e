import type { FieldIssue } from '../../common/app-error';
import { dueDate } from '../../common/calendar';
import type { ChecklistItem } from '../../checklists/domain';

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
  minInspectorSignatures: number;
}

/** 双人检查: a submission carries the signatures of at least this many team members. */
export const MIN_INSPECTOR_SIGNATURES = 2;

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
    for (const f of need.whenFailed) {
      if (!String(r[f] ?? '').trim()) issues.push({ field: `${field}.${f}`, reason: FINDING_REASONS[f], args: [item.code] });
    }
    if (need.criterionWhenMajor && r.severity === 'major' && (!r.majorCriterion || !criteria.has(r.majorCriterion))) {
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
  /** Major hazards: the 五到位 rectification plan is due within 7 days. */
  planDueDate: string | null;
  listed: boolean;
}

export const MAJOR_PLAN_DAYS = 7;

/** One hazard per failed item, due in the item's default number of Asia/Shanghai calendar days. */
export function hazardsFrom(applicable: ChecklistItem[], responses: SubmittedResponse[], at: Date): NewHazard[] {
  const items = new Map(applicable.map((i) => [i.code, i]));
  return responses
    .filter((r) => r.result === 'fail' && items.has(r.itemCode))
    .map((r) => {
      const item = items.get(r.itemCode)!;
      const severity = r.severity ?? item.severity;
      return {
        itemCode: item.code, category: item.category, titleZh: item.title.zh, severity,
        majorCriterion: severity === 'major' ? r.majorCriterion ?? item.majorCriterion ?? null : null,
        scope: r.scope!, location: r.location!.trim(), note: r.note!.trim(), deadlineDays: item.deadlineDays,
        dueDate: dueDate(at, item.deadlineDays),
        planDueDate: severity === 'major' ? dueDate(at, MAJOR_PLAN_DAYS) : null,
        // 挂牌督办: a major hazard is listed for supervision until it is closed.
        listed: severity === 'major',
      };
    });
}
