import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { CreateUserDto, UpdateUserDto, UserQuery } from './dto/user.dto';
import { UsersService } from './users.service';

const notFoundOnBadId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('user.not_found') });

@ApiTags('users 账号')
@ApiBearerAuth()
@Can('account.manage')
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @ApiOperation({ summary: '辖区内账号（分页）/ accounts in your division subtree' })
  list(@CurrentUser() admin: AuthUser, @Query() query: UserQuery) {
    return this.users.list(admin, query);
  }

  @Post()
  @Can('account.manage')
  @ApiOperation({ summary: '创建账号 / create an account' })
  create(@CurrentUser() admin: AuthUser, @Body() dto: CreateUserDto) {
    return this.users.create(admin, dto);
  }

  @Patch(':id')
  @Can('account.manage')
  @ApiOperation({ summary: '修改、停用账号或重置密码 / update, disable or reset the password' })
  update(@CurrentUser() admin: AuthUser, @Param('id', notFoundOnBadId) id: string, @Body() dto: UpdateUserDto) {
    return this.users.update(admin, id, dto);
  }
}
