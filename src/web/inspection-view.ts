import { can } from '../auth/permissions';
import { isOnTeam } from '../auth/relations';
import { AuthUser } from '../common/scope';
import type { Hazard } from '../hazards/hazard.entity';
import type { Inspection } from '../inspections/inspection.entity';
import type { TeamMemberView } from '../inspections/inspections.repository';
import type { InspectionReview } from '../inspections/inspection-report.service';

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
}

export function inspectionView(user: AuthUser, d: Omit<InspectionPage, 'today' | 'csrf' | 'can'>, today: string, csrf: string): InspectionPage {
  const i = d.inspection;
  const open = i.status === 'assigned' || i.status === 'in_progress';
  return {
    ...d, today, csrf,
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
  today: string;
  report: { state: 'rendered' | 'failed' | 'pending'; href: string };
  notice: { id: string; noticeNo: string } | null;
  can: {
    /** 下达整改通知书 (to the preview): the bureau, hazards found, no notice yet */
    issueNotice: boolean;
  };
  links: { all: string; failed: string; preview: string };
}

export function inspectionReviewView(
  user: AuthUser, review: InspectionReview, opts: { failedOnly: boolean; today: string; notice: { id: string; noticeNo: string } | null },
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
    report: { state: i.reportStatus === 'rendered' ? 'rendered' : i.reportStatus === 'failed' ? 'failed' : 'pending', href: `/api/inspections/${i.id}/report.pdf` },
    can: { issueNotice: !opts.notice && review.hazards.length > 0 && can(user, 'notice.issue') },
    links: { all: `/inspections/${i.id}`, failed: `/inspections/${i.id}?failed=1`, preview: `/inspections/${i.id}/notice/preview` },
  };
}
