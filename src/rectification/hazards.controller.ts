import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsUUID, Matches } from 'class-validator';
import { CurrentUser } from '../auth/auth.decorators';
import { PageQuery, pageOf } from '../common/pagination';
import { AuthUser } from '../common/scope';
import { HazardsRepository } from './hazards.repository';

class HazardQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'responded', 'returned', 'closed'] }) @IsOptional() @IsIn(['open', 'responded', 'returned', 'closed']) status?: string;
  @ApiPropertyOptional({ enum: ['general', 'major'] }) @IsOptional() @IsIn(['general', 'major']) severity?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Z]{2,8}$/) category?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() institutionId?: string;
  @ApiPropertyOptional({ description: '挂牌督办 / listed major hazards' })
  @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean() listed?: boolean;
}

@ApiTags('hazards 隐患')
@ApiBearerAuth()
@Controller('api/hazards')
export class HazardsController {
  constructor(private readonly hazards: HazardsRepository) {}

  @Get()
  @ApiOperation({ summary: '隐患台账（分页、筛选；机构只看到本机构）/ hazard ledger in scope' })
  async list(@CurrentUser() user: AuthUser, @Query() query: HazardQuery) {
    const [items, total] = await this.hazards.page(user, query, (query.page - 1) * query.pageSize, query.pageSize);
    return pageOf(items.map(({ divisionPath: _p, ...h }) => h), total, query);
  }
}
