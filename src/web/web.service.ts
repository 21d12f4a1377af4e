import { Injectable } from '@nestjs/common';
import { AuthUser, scopeOf } from '../common/scope';
import { Division } from '../divisions/division.entity';
import { DivisionsService } from '../divisions/divisions.service';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { InstitutionsService } from '../institutions/institutions.service';
import { HomeData } from './pages';
import { InspectionsService } from '../inspections/inspections.service';
import { HazardsRepository } from '../hazards/hazards.repository';
import { UsersService } from '../users/users.service';
import { AuditService } from '../audit/audit.service';

/** What the pages need, gathered from the same services the API uses. */
@Injectable()
export class WebService {
  constructor(
    private readonly institutionsRepo: InstitutionsRepository,
    private readonly institutions: InstitutionsService,
    private readonly divisions: DivisionsService,
    private readonly inspections: InspectionsService,
    private readonly hazards: HazardsRepository,
    private readonly users: UsersService,
    private readonly audit: AuditService,
  ) {}

  async homeData(user: AuthUser): Promise<HomeData> {
    if (user.role === 'institution') {
      const [institution, hazards] = await Promise.all([
        this.institutions.get(user, user.institutionId!),
        this.hazards.page(scopeOf(user), {}, 0, 50).then(([items]) => items.filter((h) => h.status !== 'closed')),
      ]);
      return { institution, hazards };
    }
    if (user.role === 'inspector') {
      const tasks = await this.inspections.list(user, { page: 1, pageSize: 20, mine: true });
      return { tasks: tasks.items.filter((t) => t.status === 'assigned' || t.status === 'in_progress') };
    }
    const [rows, admin] = await Promise.all([
      this.institutionsRepo.countsByKindAndStatus(scopeOf(user)),
      // The admin's home adds its accounts and the audit log's state to what an officer sees.
      user.role === 'bureau_admin'
        ? Promise.all([this.users.summary(user), this.audit.status(user.divisionPath)]).then(([accounts, audit]) => ({ accounts, audit }))
        : Promise.resolve(undefined),
    ]);
    const byKind = new Map<string, number>();
    for (const r of rows) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + r.count);
    return {
      bureau: {
        total: rows.reduce((s, r) => s + r.count, 0),
        byKind: [...byKind.entries()].map(([kind, count]) => ({ kind, count })),
        suspended: rows.filter((r) => r.status === 'suspended').reduce((s, r) => s + r.count, 0),
      },
      admin,
    };
  }

  async divisionsFor(user: AuthUser): Promise<Division[]> {
    return (await this.divisions.list(scopeOf(user), { page: 1, pageSize: 100 })).items;
  }
}
