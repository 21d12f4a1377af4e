import { can } from '../auth/permissions';
import { isOnTeam } from '../auth/relations';
import { AuthUser } from '../common/scope';
import type { Hazard } from '../hazards/hazard.entity';
import type { Inspection } from '../inspections/inspection.entity';
import type { TeamMemberView } from '../inspections/inspections.repository';
import type { InspectionReview } from '../inspections/inspection-report.service';
import { formatChineseDateTime } from '../common/calendar';
import { reviewTrailView, ReviewTrailView } from './evidence-view';
import type { CodeVerificationState } from '../inspections/domain/inspection-code';
import type { RatingState } from '../inspections/domain/visit-rating';
import type { RatingView, TeamCodeView } from '../inspections/inspection-codes.service';
import { ratingShown, RatingShown, teamCodeCard, TeamCodeCard } from './inspection-code-view';

// ---------------------------------------------------------------- inspections

export interface InspectionPage {
  inspection: Inspection;
  institution: { id: string; name: string };
  team: TeamMemberView[];
  hazards: Hazard[];
  responses: { result: string }[];
  today: string;
  csrf: string;
  can: {
    /** 开始/继续检查: the team only, while the inspection is open */
    fill: boolean;
    /** 下达整改通知书: a submitted inspection with hazards */
    issueNotice: boolean;
  };
  /** 检查码: the team's card (code, QR address, state) — team members only, while the inspection is open */
  code: TeamCodeCard | null;
  /** the record's sentence about the code (检查码已于 … 核验 / 未经被检查机构核验检查码); null without a code */
  verification: { text: string; warn: boolean } | null;
}

/** The code facts of an inspection page: the team's code (null for anyone not on the team) and the record's sentence. */
export interface InspectionCodeFacts {
  team: TeamCodeView | null;
  verification: { state: CodeVerificationState; text: string | null };
}

export function verificationLine(v: InspectionCodeFacts['verification'] | undefined): { text: string; warn: boolean } | null {
  return v?.text ? { text: v.text, warn: v.state === 'unconfirmed' || v.state === 'confirmed_after_start' } : null;
}

export function inspectionView(
  user: AuthUser, d: Omit<InspectionPage, 'today' | 'csrf' | 'can' | 'code' | 'verification'>, today: string, csrf: string, codes?: InspectionCodeFacts,
): InspectionPage {
  const i = d.inspection;
  const open = i.status === 'assigned' || i.status === 'in_progress';
  return {
    ...d, today, csrf,
    code: open && isOnTeam(d.team, user.id) ? teamCodeCard(codes?.team ?? null) : null,
    verification: verificationLine(codes?.verification),
    can: {
      fill: open && can(user, 'inspection.fill') && isOnTeam(d.team, user.id),
      issueNotice: i.status === 'submitted' && d.hazards.length > 0 && can(user, 'notice.issue'),
    },
  };
}

// ---------------------------------------------------------------- reviewing a submitted inspection

/** 检查记录审阅: the page of a submitted inspection, with every answer and its evidence. */
export interface InspectionReviewPage {
  review: InspectionReview;
  /** ?failed=1: only the items answered 不合格 */
  failedOnly: boolean;
  categories: InspectionReview['categories'];
  counts: { pass: number; fail: number; na: number; all: number };
  /** Where the inspection was: the photos' positions (device or EXIF), first one first; none without GPS. */
  gps: { lat: number; lng: number; source: string | null }[];
  /** 作答轨迹: when and where the answers were given; what stands out. The bureau's only (null for others):
   *  it is how the bureau checks its inspectors — the inspected institution must not read it. */
  trail: ReviewTrailView | null;
  /** per photo id: "标注于 12月1日 15:20 修改" when its markup layer changed after the submission */
  markupChanged: Record<string, string>;
  today: string;
  report: { state: 'rendered' | 'failed' | 'pending'; href: string };
  notice: { id: string; noticeNo: string } | null;
  can: {
    /** 下达整改通知书 (to the preview): the bureau, hazards found, no notice yet */
    issueNotice: boolean;
  };
  links: { all: string; failed: string; preview: string };
  /** 检查码核验 as the record says it (null: the inspection had no code) */
  verification: { text: string; warn: boolean } | null;
  /** 机构评价: the bureau reads the institution's rating (null for everyone else) */
  rating: { shown: RatingShown | null; readable: boolean; pendingText: string };
  /** the institution: where it rates this visit or sees its rating */
  institutionRating: { href: string; label: string } | null;
}

/** Who reads the answer trail and its desk-filling warnings: the bureau (not the institution, not the inspectors). */
const TRAIL_READERS: readonly AuthUser['role'][] = ['bureau_admin', 'bureau_officer'];

/** Photos whose markup layer was changed after the inspection was submitted (the layer as shown is not the one submitted). */
export function markupChangedView(review: InspectionReview): Record<string, string> {
  const submitted = review.inspection.submittedAt;
  const out: Record<string, string> = {};
  if (!submitted) return out;
  for (const p of review.categories.flatMap((c) => c.items).flatMap((x) => x.photos)) {
    const at = (p as { markupUpdatedAt?: Date | string | null }).markupUpdatedAt;
    const t = at ? new Date(at) : null;
    if (t && t.getTime() > new Date(submitted).getTime()) out[p.id] = `标注于 ${formatChineseDateTime(t)} 修改（提交之后）`;
  }
  return out;
}

/** What the bureau reads where no rating is: still possible (within N days of the submission) or no longer. */
export function ratingPendingText(w: { days: number; state: RatingState } | undefined): string {
  if (!w) return '被检查机构尚未评价本次检查。';
  return w.state === 'closed'
    ? `被检查机构未在评价期限内评价本次检查（检查记录提交后 ${w.days} 天内）。`
    : `被检查机构尚未评价本次检查（检查记录提交后 ${w.days} 天内可评价）。`;
}

export function inspectionReviewView(
  user: AuthUser, review: InspectionReview,
  opts: {
    failedOnly: boolean; today: string; notice: { id: string; noticeNo: string } | null;
    verification?: InspectionCodeFacts['verification'];
    rating?: RatingView | null;
    /** the rating window of the policy version the inspection pinned, and whether it is still open */
    ratingWindow?: { days: number; state: RatingState };
    /** the institution's own visit state (institution accounts) */
    visitState?: RatingState | null;
  },
): InspectionReviewPage {
  const i = review.inspection;
  const all = review.categories.flatMap((c) => c.items);
  const count = (r: string) => all.filter((x) => x.result === r).length;
  const categories = opts.failedOnly
    ? review.categories.map((c) => ({ ...c, items: c.items.filter((x) => x.result === 'fail') })).filter((c) => c.items.length > 0)
    : review.categories;
  const gps = all.flatMap((x) => x.photos).flatMap((p) => (p.gps ? [p.gps] : []));
  return {
    review, failedOnly: opts.failedOnly, categories, today: opts.today, notice: opts.notice,
    counts: { pass: count('pass'), fail: count('fail'), na: count('na'), all: all.length },
    gps,
    trail: TRAIL_READERS.includes(user.role) ? reviewTrailView(review) : null,
    markupChanged: markupChangedView(review),
    report: { state: i.reportStatus === 'rendered' ? 'rendered' : i.reportStatus === 'failed' ? 'failed' : 'pending', href: `/api/inspections/${i.id}/report.pdf` },
    can: { issueNotice: !opts.notice && review.hazards.length > 0 && can(user, 'notice.issue') },
    links: { all: `/inspections/${i.id}`, failed: `/inspections/${i.id}?failed=1`, preview: `/inspections/${i.id}/notice/preview` },
    verification: verificationLine(opts.verification),
    rating: {
      readable: can(user, 'inspection_rating.read'), shown: can(user, 'inspection_rating.read') && opts.rating ? ratingShown(opts.rating) : null,
      pendingText: ratingPendingText(opts.ratingWindow),
    },
    institutionRating: user.role === 'institution' && opts.visitState
      ? { href: `/inspection-codes/visits/${i.id}`, label: opts.visitState === 'open' ? '评价本次检查' : opts.visitState === 'rated' ? '查看本机构的评价' : '本次检查的核验与评价' }
      : null,
  };
}
