import type { Page } from '../common/pagination';
import { AuthUser } from '../common/scope';
import type { Inspection } from '../inspections/inspection.entity';
import type { TeamMemberView } from '../inspections/inspections.repository';
import { inspectionListView, InspectionListPage } from './home-view';

type InspectionRow = Inspection & { institutionName: string; team: TeamMemberView[] };

/** 我的检查任务 with the offline day: what the task list's script (static/tasks.js) needs from the server. */
export interface TaskListPage extends InspectionListPage {
  /** the inspector's own list: 下载今日任务, the outbox, per task its form link (null for everyone else) */
  offline: { userId: string; csrf: string } | null;
  /** per row: may be filled on this device (open, on the team) */
  fillable: ReadonlySet<string>;
}

export function taskListView(user: AuthUser, list: Page<InspectionRow>, status: string, csrf: string): TaskListPage {
  const base = inspectionListView(user, list, status);
  const open = (i: InspectionRow) => (i.status === 'assigned' || i.status === 'in_progress') && i.team.some((m) => m.userId === user.id);
  return {
    ...base,
    offline: base.ownTasks ? { userId: user.id, csrf } : null,
    fillable: new Set(base.ownTasks ? list.items.filter(open).map((i) => i.id) : []),
  };
}
