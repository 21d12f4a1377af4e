import { can } from '../auth/permissions';
import { AuthUser } from '../common/scope';
import type { Hazard } from '../hazards/hazard.entity';
import type { NoticeRow } from '../rectification/rectification.repository';

export interface NoticePage {
  notice: NoticeRow;
  hazards: Hazard[];
  today: string;
  csrf: string;
  can: { acknowledge: boolean };
}

export function noticeView(user: AuthUser, d: { notice: NoticeRow; hazards: Hazard[] }, today: string, csrf: string): NoticePage {
  return { ...d, today, csrf, can: { acknowledge: can(user, 'notice.acknowledge') && !d.notice.acknowledgedAt } };
}
