import { can } from '../auth/permissions';
import { isOnTeam } from '../auth/relations';
import { AuthUser } from '../common/scope';
import type { Hazard } from '../hazards/hazard.entity';
import type { Inspection } from '../inspections/inspection.entity';
import type { TeamMemberView } from '../inspections/inspections.repository';

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
