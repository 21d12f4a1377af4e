import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Scope } from '../common/scope';
import { Role, User } from './user.entity';

@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  private scoped(scope: Scope, em: EntityManager = this.dataSource.manager) {
    const qb = em.getRepository(User).createQueryBuilder('u');
    return scope.kind === 'institution'
      ? qb.where('u.institution_id = :sid', { sid: scope.institutionId })
      : qb.where('u.division_path LIKE :sp', { sp: `${scope.path}%` });
  }

  page(scope: Scope, filter: { role?: Role; institutionId?: string }, offset: number, limit: number): Promise<[User[], number]> {
    const qb = this.scoped(scope);
    if (filter.role) qb.andWhere('u.role = :role', { role: filter.role });
    if (filter.institutionId) qb.andWhere('u.institution_id = :iid', { iid: filter.institutionId });
    return qb.orderBy('u.username').skip(offset).take(limit).getManyAndCount();
  }

  findById(scope: Scope, id: string, em?: EntityManager): Promise<User | null> {
    return this.scoped(scope, em).andWhere('u.id = :id', { id }).getOne();
  }

  async usernameTaken(username: string, em: EntityManager): Promise<boolean> {
    return (await em.getRepository(User).countBy({ username })) > 0;
  }

  async insert(em: EntityManager, values: Omit<User, 'id' | 'createdAt' | 'updatedAt'>): Promise<User> {
    const result = await em.getRepository(User).insert(values);
    return em.findOneByOrFail(User, { id: result.identifiers[0].id });
  }

  async updateIfVersion(em: EntityManager, scope: Scope, id: string, version: number, changes: Partial<User>): Promise<boolean> {
    const qb = em.getRepository(User).createQueryBuilder().update()
      .set({ ...changes, version: () => 'version + 1', updatedAt: () => 'now()' })
      .where('id = :id AND version = :version', { id, version });
    if (scope.kind === 'division') qb.andWhere('division_path LIKE :sp', { sp: `${scope.path}%` });
    else qb.andWhere('institution_id = :sid', { sid: scope.institutionId });
    return (await qb.execute()).affected === 1;
  }

  /**
   * Accounts that may inspect in `divisionPath`: active inspectors and officers within the caller's subtree,
   * or above it (a city inspector may inspect in a district).
   */
  findInspectors(scope: Scope, ids: string[], divisionPath: string, em: EntityManager = this.dataSource.manager): Promise<User[]> {
    if (!ids.length) return Promise.resolve([]);
    return em.getRepository(User).createQueryBuilder('u')
      .where('u.id IN (:...ids)', { ids })
      .andWhere(`u.role IN ('inspector','bureau_officer') AND u.status = 'active'`)
      .andWhere(scope.kind === 'division' ? '(u.division_path LIKE :sp OR :dp LIKE u.division_path || \'%\')' : '1 = 0', { sp: `${scope.path}%`, dp: divisionPath })
      .getMany();
  }

  /** Revokes every live session of an account (after it is disabled or its password reset). */
  async revokeSessions(em: EntityManager, userId: string): Promise<void> {
    await em.query('UPDATE auth_session SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [userId]);
  }
}
