import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { passwordIssues } from '../auth/password-policy';
import { hashPassword } from '../auth/passwords';
import { AppError, FieldIssue } from '../common/app-error';
import { Page, pageOf } from '../common/pagination';
import { AuthUser, Scope, scopeOf } from '../common/scope';
import { DivisionsService } from '../divisions/divisions.service';
import { InstitutionsRepository } from '../institutions/institutions.repository';
import { CreateUserDto, UpdateUserDto, UserQuery } from './dto/user.dto';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

/** Accounts, managed by a bureau admin within its division subtree. */
@Injectable()
export class UsersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly users: UsersRepository,
    private readonly divisions: DivisionsService,
    private readonly institutions: InstitutionsRepository,
    private readonly audit: AuditService,
  ) {}

  async list(admin: AuthUser, query: UserQuery): Promise<Page<User>> {
    const [items, total] = await this.users.page(scopeOf(admin), query, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  async create(admin: AuthUser, dto: CreateUserDto): Promise<User> {
    return this.createInScope(scopeOf(admin), dto);
  }

  /** Also used by the demo seeder with the system scope. */
  async createInScope(scope: Scope, dto: CreateUserDto): Promise<User> {
    const issues: FieldIssue[] = [];
    issues.push(...passwordIssues(dto.password, { username: dto.username, displayName: dto.displayName }));
    if (dto.role === 'institution' && !dto.institutionId) issues.push({ field: 'institutionId', reason: 'institutionRequired' });
    if (dto.role !== 'institution' && !dto.divisionCode) issues.push({ field: 'divisionCode', reason: 'divisionRequired' });
    if (dto.role !== 'institution' && dto.institutionId) issues.push({ field: 'institutionId', reason: 'whitelistValidation' });
    if (issues.length) throw AppError.validation(issues);

    let divisionCode: string;
    let divisionPath: string;
    if (dto.role === 'institution') {
      const institution = await this.institutions.findById(scope, dto.institutionId!);
      if (!institution) throw AppError.validation([{ field: 'institutionId', reason: 'divisionOutOfScope' }]);
      const named = passwordIssues(dto.password, { username: dto.username, displayName: dto.displayName, institutionName: institution.name });
      if (named.length) throw AppError.validation(named);
      ({ divisionCode, divisionPath } = institution);
    } else {
      const division = await this.divisions.requireWithin(scope, dto.divisionCode!, 'divisionCode');
      ({ code: divisionCode, path: divisionPath } = division);
    }
    const passwordHash = await hashPassword(dto.password);
    return this.dataSource.transaction(async (em) => {
      if (await this.users.usernameTaken(dto.username, em)) throw AppError.validation([{ field: 'username', reason: 'taken' }]);
      const user = await this.users.insert(em, {
        username: dto.username, displayName: dto.displayName, role: dto.role, divisionCode, divisionPath,
        institutionId: dto.institutionId ?? null, passwordHash, status: 'active', version: 1,
      });
      await this.audit.record(em, { action: 'user.create', entityType: 'user', entityId: user.id, scopePath: divisionPath, after: user });
      return user;
    });
  }

  async update(admin: AuthUser, id: string, dto: UpdateUserDto): Promise<User> {
    const scope = scopeOf(admin);
    const { version, password, ...rest } = dto;
    if (password !== undefined) await this.checkNewPassword(scope, id, password, dto.displayName);
    const changes: Partial<User> = { ...rest };
    if (password !== undefined) changes.passwordHash = await hashPassword(password);
    return this.dataSource.transaction(async (em) => {
      const current = await this.users.findById(scope, id, em);
      if (!current) throw AppError.notFound('user.not_found');
      if (!(await this.users.updateIfVersion(em, scope, id, version, changes))) throw AppError.conflict('user.version_conflict');
      if (password || dto.status === 'disabled') await this.users.revokeSessions(em, id);
      const updated = (await this.users.findById(scope, id, em))!;
      await this.audit.record(em, {
        action: password ? 'user.update_with_password_reset' : 'user.update', entityType: 'user', entityId: id, scopePath: updated.divisionPath,
        before: { displayName: current.displayName, status: current.status }, after: { displayName: updated.displayName, status: updated.status },
      });
      return updated;
    });
  }

  /** A reset password must pass the same policy as a new one, judged against the account's own name and institution. */
  private async checkNewPassword(scope: Scope, id: string, password: string, newDisplayName?: string): Promise<void> {
    const current = await this.users.findById(scope, id);
    if (!current) throw AppError.notFound('user.not_found');
    const institution = current.institutionId ? await this.institutions.findById(scope, current.institutionId) : null;
    const issues = passwordIssues(password, { username: current.username, displayName: newDisplayName ?? current.displayName, institutionName: institution?.name });
    if (issues.length) throw AppError.validation(issues);
  }
}
