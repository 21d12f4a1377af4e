import { Injectable } from '@nestjs/common';
import { ChecklistsService } from '../checklists/checklists.service';
import { checklistContent } from '../checklists/domain';
import { shanghaiDate } from '../common/calendar';
import { AuthUser, scopeOf } from '../common/scope';
import { DivisionsService } from '../divisions/divisions.service';
import { DashboardRepository, TREND_MONTHS } from './dashboard.repository';
import { monthRange, monthsEnding } from './months';

@Injectable()
export class DashboardService {
  constructor(
    private readonly repo: DashboardRepository,
    private readonly divisions: DivisionsService,
    private readonly checklists: ChecklistsService,
  ) {}

  /**
   * The dashboard for a division in the caller's subtree (default: the caller's own) and a period (default: the 12
   * calendar months ending with the month of `to` — the months of the trend chart — so that the per-item figures
   * come from the monthly summaries; see DashboardRepository).
   */
  async dashboard(user: AuthUser, q: { divisionCode?: string; from?: string; to?: string }) {
    const today = shanghaiDate(new Date());
    const division = q.divisionCode ? await this.divisions.requireWithin(scopeOf(user), q.divisionCode, 'divisionCode') : null;
    const divisionPath = division?.path ?? user.divisionPath;
    const to = q.to ?? today;
    const from = q.from ?? monthRange(monthsEnding(to, TREND_MONTHS)[0]).first;
    const data = await this.repo.summary({ divisionPath, from, to, today });
    return { divisionCode: division?.code ?? user.divisionCode, from, to, today, ...data, categoryNames: await this.categoryNames() };
  }

  /** Category code → name, from the categories of the checklists in force (never a hard-coded list). */
  private async categoryNames(): Promise<Record<string, string>> {
    const versions = await this.checklists.currentOfKind('inspection_checklist');
    return Object.fromEntries(versions.flatMap((v) => checklistContent(v).categories.map((c) => [c.code, c.title.zh] as const)));
  }
}
