import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { AccountActionDto, CreateUserDto, UpdateUserDto, UserQuery } from './dto/user.dto';
import { UsersService } from './users.service';

const notFoundOnBadId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('user.not_found') });

@ApiTags('users 账号')
@ApiBearerAuth()
@Can('account.manage')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: '辖区内账号（分页；按用户名或姓名搜索，按角色、状态、区划筛选）/ accounts in your division subtree (search, filters)' })
  list(@CurrentUser() admin: AuthUser, @Query() query: UserQuery) {
    return this.users.list(admin, query);
  }

  @Get('summary')
  @ApiOperation({ summary: '账号概况：按角色统计、停用数、最近创建 / accounts by role, disabled, recently created' })
  summary(@CurrentUser() admin: AuthUser) {
    return this.users.summary(admin);
  }

  @Get(':id')
  @ApiOperation({ summary: '一个账号（含最近登录时间）/ one account, with its last sign-in' })
  get(@CurrentUser() admin: AuthUser, @Param('id', notFoundOnBadId) id: string) {
    return this.users.get(admin, id);
  }

  @Post()
  @Can('account.manage')
  @ApiOperation({ summary: '创建账号（不给密码时生成一次性密码，仅在响应中返回一次）/ create an account (without a password: a one-time password, returned once)' })
  create(@CurrentUser() admin: AuthUser, @Body() dto: CreateUserDto) {
    return this.users.create(admin, dto);
  }

  @Patch(':id')
  @Can('account.manage')
  @ApiOperation({ summary: '修改、停用账号或重置密码 / update, disable or reset the password' })
  update(@CurrentUser() admin: AuthUser, @Param('id', notFoundOnBadId) id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(admin, id, dto);
  }

  @Post(':id/disable')
  @Can('account.manage')
  @HttpCode(200)
  @ApiOperation({ summary: '停用账号：不能再登录，现有会话立即失效 / disable: no sign-in, sessions end' })
  disable(@CurrentUser() admin: AuthUser, @Param('id', notFoundOnBadId) id: string, @Body() dto: AccountActionDto) {
    return this.users.setStatus(admin, id, 'disabled', dto.version);
  }

  @Post(':id/enable')
  @Can('account.manage')
  @HttpCode(200)
  @ApiOperation({ summary: '重新启用账号 / re-enable' })
  enable(@CurrentUser() admin: AuthUser, @Param('id', notFoundOnBadId) id: string, @Body() dto: AccountActionDto) {
    return this.users.setStatus(admin, id, 'active', dto.version);
  }

  @Post(':id/password-reset')
  @Can('account.manage')
  @HttpCode(200)
  @ApiOperation({ summary: '重置为一次性密码（仅在响应中返回一次），现有会话失效 / reset to a one-time password (returned once); sessions end' })
  resetPassword(@CurrentUser() admin: AuthUser, @Param('id', notFoundOnBadId) id: string, @Body() dto: AccountActionDto) {
    return this.users.resetPassword(admin, id, dto.version);
  }
}
