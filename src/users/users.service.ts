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
import { AccountStatus, CreateUserDto, UpdateUserDto, UserQuery } from './dto/user.dto';
import { generateOneTimePassword } from './one-time-password';
import { Role, User } from './user.entity';
import { UsersRepository } from './users.repository';

/** An account with the one-time password the server generated for it (returned once, never stored in clear). */
export type UserWithOneTimePassword = User & { oneTimePassword?: string };

/** 账号概况 — the admin's home: accounts of the subtree by role, the disabled ones, the newest. */
export interface AccountSummary {
  total: number;
  byRole: { role: Role; active: number; disabled: number }[];
  disabled: number;
  recent: User[];
}

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

  async get(admin: AuthUser, id: string): Promise<User> {
    const user = await this.users.findById(scopeOf(admin), id);
    if (!user) throw AppError.notFound('user.not_found');
    return user;
  }

  async summary(admin: AuthUser, recentCount = 5): Promise<AccountSummary> {
    const scope = scopeOf(admin);
    const [rows, recent] = await Promise.all([this.users.countsByRoleAndStatus(scope), this.users.recentlyCreated(scope, recentCount)]);
    const byRole = new Map<Role, { role: Role; active: number; disabled: number }>();
    for (const r of rows) {
      const entry = byRole.get(r.role) ?? { role: r.role, active: 0, disabled: 0 };
      entry[r.status] += r.count;
      byRole.set(r.role, entry);
    }
    return {
      total: rows.reduce((n, r) => n + r.count, 0),
      byRole: [...byRole.values()],
      disabled: rows.filter((r) => r.status === 'disabled').reduce((n, r) => n + r.count, 0),
      recent,
    };
  }

  /** Without a password in the request, the server generates a one-time password and returns it once. */
  async create(admin: AuthUser, dto: CreateUserDto): Promise<UserWithOneTimePassword> {
    if (dto.password !== undefined) return this.createInScope(scopeOf(admin), dto);
    const oneTimePassword = generateOneTimePassword();
    const user = await this.createInScope(scopeOf(admin), { ...dto, password: oneTimePassword });
    return { ...user, oneTimePassword };
  }

  /** Also used by the demo seeder with the system scope. */
  async createInScope(scope: Scope, dto: CreateUserDto): Promise<User> {
    const issues: FieldIssue[] = [];
    if (dto.password === undefined) issues.push({ field: 'password', reason: 'isString' });
    else issues.push(...passwordIssues(dto.password, { username: dto.username, displayName: dto.displayName }));
    if (dto.role === 'institution' && !dto.institutionId) issues.push({ field: 'institutionId', reason: 'institutionRequired' });
    if (dto.role !== 'institution' && !dto.divisionCode) issues.push({ field: 'divisionCode', reason: 'divisionRequired' });
    if (dto.role !== 'institution' && dto.institutionId) issues.push({ field: 'institutionId', reason: 'whitelistValidation' });
    const warrantNo = warrantNoOf(dto.warrantNo);
    if (dto.role === 'institution' && warrantNo) issues.push({ field: 'warrantNo', reason: 'warrantNoForInstitution' });
    if (issues.length) throw AppError.validation(issues);

    let divisionCode: string;
    let divisionPath: string;
    if (dto.role === 'institution') {
      const institution = await this.institutions.findById(scope, dto.institutionId!);
      if (!institution) throw AppError.validation([{ field: 'institutionId', reason: 'divisionOutOfScope' }]);
      const named = passwordIssues(dto.password!, { username: dto.username, displayName: dto.displayName, institutionName: institution.name });
      if (named.length) throw AppError.validation(named);
      ({ divisionCode, divisionPath } = institution);
    } else {
      const division = await this.divisions.requireWithin(scope, dto.divisionCode!, 'divisionCode');
      ({ code: divisionCode, path: divisionPath } = division);
    }
    const passwordHash = await hashPassword(dto.password!);
    return this.dataSource.transaction(async (em) => {
      if (await this.users.usernameTaken(dto.username, em)) throw AppError.validation([{ field: 'username', reason: 'taken' }]);
      const user = await this.users.insert(em, {
        username: dto.username, displayName: dto.displayName, role: dto.role, divisionCode, divisionPath,
        institutionId: dto.institutionId ?? null, warrantNo, passwordHash, status: 'active', version: 1,
      });
      await this.audit.record(em, { action: 'user.create', entityType: 'user', entityId: user.id, scopePath: divisionPath, after: user });
      return user;
    });
  }

  async update(admin: AuthUser, id: string, dto: UpdateUserDto): Promise<User> {
    const scope = scopeOf(admin);
    const { version, password, warrantNo: rawWarrantNo, ...rest } = dto;
    // The same rule as 停用 (setStatus): an admin does not lock itself out.
    if (dto.status === 'disabled' && id === admin.id) throw AppError.validation([{ field: 'status', reason: 'cannotDisableSelf' }]);
    if (password !== undefined) await this.checkNewPassword(scope, id, password, dto.displayName);
    const changes: Partial<User> = { ...rest };
    if (rawWarrantNo !== undefined) changes.warrantNo = warrantNoOf(rawWarrantNo);
    if (password !== undefined) changes.passwordHash = await hashPassword(password);
    return this.dataSource.transaction(async (em) => {
      const current = await this.users.findById(scope, id, em);
      if (!current) throw AppError.notFound('user.not_found');
      if (changes.warrantNo && current.role === 'institution') throw AppError.validation([{ field: 'warrantNo', reason: 'warrantNoForInstitution' }]);
      if (!(await this.users.updateIfVersion(em, scope, id, version, changes))) throw AppError.conflict('user.version_conflict');
      if (password || dto.status === 'disabled') await this.users.revokeSessions(em, id);
      const updated = (await this.users.findById(scope, id, em))!;
      await this.audit.record(em, {
        action: password ? 'user.update_with_password_reset' : 'user.update', entityType: 'user', entityId: id, scopePath: updated.divisionPath,
        before: { displayName: current.displayName, status: current.status, warrantNo: current.warrantNo },
        after: { displayName: updated.displayName, status: updated.status, warrantNo: updated.warrantNo },
      });
      return updated;
    });
  }

  /** 停用 / 启用: a disabled account cannot sign in and its sessions end at once. An admin does not disable itself. */
  async setStatus(admin: AuthUser, id: string, status: AccountStatus, version: number): Promise<User> {
    if (status === 'disabled' && id === admin.id) throw AppError.validation([{ field: 'status', reason: 'cannotDisableSelf' }]);
    const scope = scopeOf(admin);
    return this.dataSource.transaction(async (em) => {
      const current = await this.users.findById(scope, id, em);
      if (!current) throw AppError.notFound('user.not_found');
      if (!(await this.users.updateIfVersion(em, scope, id, version, { status }))) throw AppError.conflict('user.version_conflict');
      if (status === 'disabled') await this.users.revokeSessions(em, id);
      const updated = (await this.users.findById(scope, id, em))!;
      await this.audit.record(em, {
        action: status === 'disabled' ? 'user.disable' : 'user.enable', entityType: 'user', entityId: id, scopePath: updated.divisionPath,
        before: { status: current.status, version: current.version }, after: { status: updated.status, version: updated.version },
      });
      return updated;
    });
  }

  /** 重置密码: a new one-time password (returned once, stored only as its hash); the account's sessions end. */
  async resetPassword(admin: AuthUser, id: string, version: number): Promise<UserWithOneTimePassword & { oneTimePassword: string }> {
    const scope = scopeOf(admin);
    const oneTimePassword = generateOneTimePassword();
    const passwordHash = await hashPassword(oneTimePassword);
    const user = await this.dataSource.transaction(async (em) => {
      const current = await this.users.findById(scope, id, em);
      if (!current) throw AppError.notFound('user.not_found');
      if (!(await this.users.updateIfVersion(em, scope, id, version, { passwordHash }))) throw AppError.conflict('user.version_conflict');
      await this.users.revokeSessions(em, id);
      const updated = (await this.users.findById(scope, id, em))!;
      await this.audit.record(em, {
        action: 'user.password_reset', entityType: 'user', entityId: id, scopePath: updated.divisionPath,
        before: { version: current.version }, after: { version: updated.version, sessionsEnded: true },
      });
      return updated;
    });
    return { ...user, oneTimePassword };
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

/** 执法证号 as stored: trimmed, null when empty or absent. */
function warrantNoOf(v: string | null | undefined): string | null {
  const s = typeof v === 'string' ? v.trim() : '';
  return s || null;
}
