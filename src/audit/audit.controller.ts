import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { PageQuery, pageOf } from '../common/pagination';
import { AuthUser } from '../common/scope';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';

class AuditQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(40) entityType?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) entityId?: string;
}

@ApiTags('audit 审计')
@ApiBearerAuth()
@Roles('bureau_admin')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService, private readonly events: AuditRepository) {}

  @Get('events')
  @ApiOperation({ summary: '辖区内的审计事件（分页）/ audit events in your subtree' })
  async list(@CurrentUser() admin: AuthUser, @Query() query: AuditQuery) {
    const [items, total] = await this.events.page({ scopePath: admin.divisionPath, ...query }, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items, total, query);
  }

  @Get('verify')
  @ApiOperation({ summary: '重新计算审计哈希链，指出第一条被篡改的事件 / recompute the hash chain' })
  verify() {
    return this.audit.verifyChain();
  }
}
