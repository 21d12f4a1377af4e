import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { Can, CurrentUser } from '../auth/auth.decorators';
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
@Can('audit.read')
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
  @Can('audit.verify')
  @ApiOperation({
    summary: '重新计算审计哈希链，报告本辖区事件的核验结果 / recompute the hash chain and report on your subtree',
    description: '哈希链全市一条，始终从第一条事件完整核验；checked、unverified 和 firstBroken 只统计本辖区的事件；断点在辖区外时 brokenOutsideScope 为 true 且不指明事件。'
      + ' / The chain is city-wide and always verified from its first event; checked, unverified and firstBroken count only events in your subtree; a break outside it sets brokenOutsideScope without naming the event.',
  })
  verify(@CurrentUser() admin: AuthUser) {
    return this.audit.verifyForScope(admin.divisionPath);
  }
}
