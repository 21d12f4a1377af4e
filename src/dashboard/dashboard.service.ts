import { Injectable } from '@nestjs/common';
import { ChecklistsService } from '../checklists/checklists.service';
import { checklistContent } from '../checklists/domain';
import { addDays, shanghaiDate } from '../common/calendar';
import { AuthUser, scopeOf } from '../common/scope';
import { DivisionsService } from '../divisions/divisions.service';
import { DashboardRepository } from './dashboard.repository';

@Injectable()
export class DashboardService {
  constructor(
    private readonly repo: DashboardRepository,
    private readonly divisions: DivisionsService,
    private readonly checklists: ChecklistsService,
  ) {}

  /** The dashboard for a division in the caller's subtree (default: the caller's own) and a period (default: the last 12 months). */
  async dashboard(user: AuthUser, q: { divisionCode?: string; from?: string; to?: string }) {
    const today = shanghaiDate(new Date());
    const division = q.divisionCode ? await this.divisions.requireWithin(scopeOf(user), q.divisionCode, 'divisionCode') : null;
    const divisionPath = division?.path ?? user.divisionPath;
    const to = q.to ?? today;
    const from = q.from ?? addDays(to, -365);
    const data = await this.repo.summary({ divisionPath, from, to, today });
    return { divisionCode: division?.code ?? user.divisionCode, from, to, today, ...data, categoryNames: await this.categoryNames() };
  }

  /** Category code → name, from the categories of the checklists in force (never a hard-coded list). */
  private async categoryNames(): Promise<Record<string, string>> {
    const versions = await this.checklists.currentOfKind('inspection_checklist');
    return Object.fromEntries(versions.flatMap((v) => checklistContent(v).categories.map((c) => [c.code, c.title.zh] as const)));
  }
}
