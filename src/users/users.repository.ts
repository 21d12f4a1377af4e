import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope, scopeCondition } from '../common/scope';
import { updateIfVersion } from '../common/versioned-update.repository';
import type { AccountStatus } from './dto/user.dto';
import { Role, User } from './user.entity';

export interface UserFilter {
  q?: string;
  role?: Role;
  status?: AccountStatus;
  /** the division and its subtree */
  divisionCode?: string;
  institutionId?: string;
}

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  private scoped(scope: Scope, em: EntityManager = this.dataSource.manager) {
    const qb = em.getRepository(User).createQueryBuilder('u');
    const inScope = scopeCondition(scope, { divisionPath: 'u.division_path', institutionId: 'u.institution_id' });
    return qb.where(inScope.sql, inScope.params);
  }

  page(scope: Scope, filter: UserFilter, offset: number, limit: number): Promise<[User[], number]> {
    const qb = this.scoped(scope);
    if (filter.q) {
      qb.andWhere(`(u.username ILIKE :q ESCAPE '\\' OR u.display_name ILIKE :q ESCAPE '\\')`, { q: `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` });
    }
    if (filter.role) qb.andWhere('u.role = :role', { role: filter.role });
    if (filter.status) qb.andWhere('u.status = :status', { status: filter.status });
    if (filter.divisionCode) {
      qb.andWhere(`u.division_path LIKE (SELECT d.path FROM division d WHERE d.code = :dc) || '%'`, { dc: filter.divisionCode });
    }
    if (filter.institutionId) qb.andWhere('u.institution_id = :iid', { iid: filter.institutionId });
    return qb.orderBy('u.username').skip(offset).take(limit).getManyAndCount();
  }

  /** Accounts of the scope by role and status (the admin's home). */
  async countsByRoleAndStatus(scope: Scope): Promise<{ role: Role; status: 'active' | 'disabled'; count: number }[]> {
    const rows = await this.scoped(scope).select('u.role', 'role').addSelect('u.status', 'status').addSelect('count(*)::int', 'count')
      .groupBy('u.role').addGroupBy('u.status').getRawMany<{ role: Role; status: 'active' | 'disabled'; count: number }>();
    return rows;
  }

  /** The accounts created most recently in the scope. */
  recentlyCreated(scope: Scope, limit: number): Promise<User[]> {
    return this.scoped(scope).orderBy('u.created_at', 'DESC').addOrderBy('u.username').take(limit).getMany();
  }

  findById(scope: Scope, id: string, em?: EntityManager): Promise<User | null> {
    return this.scoped(scope, em).andWhere('u.id = :id', { id }).getOne();
  }

  async usernameTaken(username: string, em: EntityManager): Promise<boolean> {
    return (await em.getRepository(User).countBy({ username })) > 0;
  }

  async insert(em: EntityManager, values: Omit<User, 'id' | 'createdAt' | 'updatedAt' | 'lastSignInAt'>): Promise<User> {
    const result = await em.getRepository(User).insert(values);
    return em.findOneByOrFail(User, { id: result.identifiers[0].id });
  }

  updateIfVersion(em: EntityManager, scope: Scope, id: string, version: number, changes: Partial<User>): Promise<boolean> {
    return updateIfVersion(em, User, scope, { divisionPath: 'division_path', institutionId: 'institution_id' }, id, version, changes);
  }

  /**
   * Accounts that may inspect in `divisionPath`: active inspectors and officers within the caller's subtree,
   * or above it (a city inspector may inspect in a district).
   */
  findInspectors(scope: Scope, ids: string[], divisionPath: string, em: EntityManager = this.dataSource.manager): Promise<User[]> {
    // An institution account assigns no inspectors.
    if (!ids.length || scope.kind !== 'division') return Promise.resolve([]);
    const inScope = scopeCondition(scope, { divisionPath: 'u.division_path' });
    return em.getRepository(User).createQueryBuilder('u')
      .where('u.id IN (:...ids)', { ids })
      .andWhere(`u.role IN ('inspector','bureau_officer') AND u.status = 'active'`)
      .andWhere(`(${inScope.sql} OR :dp LIKE u.division_path || '%')`, { ...inScope.params, dp: divisionPath })
      .getMany();
  }

  /** The role of each of these accounts, those in the scope only. */
  async rolesByIds(scope: Scope, ids: string[]): Promise<Map<string, Role>> {
    if (!ids.length) return new Map();
    const rows = await this.scoped(scope).select('u.id', 'id').addSelect('u.role', 'role')
      .andWhere('u.id IN (:...ids)', { ids }).getRawMany<{ id: string; role: Role }>();
    return new Map(rows.map((r) => [r.id, r.role]));
  }

  /** Revokes every live session of an account (after it is disabled or its password reset). */
  async revokeSessions(em: EntityManager, userId: string): Promise<void> {
    await em.query('UPDATE auth_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  }
}
