import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQuery } from '../../common/pagination';

export class DivisionQuery extends PageQuery {
  @ApiPropertyOptional({ description: '上级区划代码 / parent division code' })
  @IsOptional() @Matches(/^\d{6}(\d{3}(\d{3})?)?$/)
  parentCode?: string;

  @ApiPropertyOptional({ enum: ['province', 'city', 'district', 'street', 'community'] })
  @IsOptional() @IsIn(['province', 'city', 'district', 'street', 'community'])
  level?: string;
}
