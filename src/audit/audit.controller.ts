import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AuthUser } from '../common/scope';
import { AuditService } from './audit.service';
import { AuditQuery } from './dto/audit-query.dto';

@ApiTags('audit 审计')
@ApiBearerAuth()
@Can('audit.read')
@Controller('api/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get('events')
  @ApiOperation({ summary: '辖区内的审计事件（分页；按对象、操作人、操作、日期筛选）/ audit events in your subtree (filters: entity, actor, action, dates)' })
  list(@CurrentUser() admin: AuthUser, @Query() query: AuditQuery) {
    return this.audit.list(admin.divisionPath, query);
  }

  @Get('status')
  @ApiOperation({ summary: '审计状态：最近事件时间、最近一次核验结果 / last event time and the last verification' })
  status(@CurrentUser() admin: AuthUser) {
    return this.audit.status(admin.divisionPath);
  }

  @Get('verify')
  @Can('audit.verify')
  @ApiOperation({
    summary: '重新计算审计哈希链，报告本辖区事件的核验结果（结果留存，作为“最近一次核验”）/ recompute the hash chain and report on your subtree (kept as the last verification)',
    description: '哈希链全市一条，始终从第一条事件完整核验；checked、unverified 和 firstBroken 只统计本辖区的事件；断点在辖区外时 brokenOutsideScope 为 true 且不指明事件。'
      + ' / The chain is city-wide and always verified from its first event; checked, unverified and firstBroken count only events in your subtree; a break outside it sets brokenOutsideScope without naming the event.',
  })
  async verify(@CurrentUser() admin: AuthUser) {
    const { verifiedAt: _at, ...report } = await this.audit.verifyAndRecord(admin.divisionPath, admin.id);
    return report;
  }
}
