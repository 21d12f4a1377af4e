import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { INT4_MAX } from '../../common/validators';

export class ItemQuery extends PageQuery {
  @ApiPropertyOptional({ default: 200, maximum: 500, description: '一次最多 500 项 / at most 500 items a page' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(500)
  override pageSize = 200;

  @ApiPropertyOptional({ description: '类别代码，如 GAS / category code' })
  @IsOptional() @Matches(/^[A-Z]{2,8}$/)
  category?: string;
}

export class ApplicableQuery {
  @ApiPropertyOptional({ default: 'fire-safety-inspection', description: '检查表代码 / checklist code' })
  @IsOptional() @Matches(/^[A-Za-z0-9][A-Za-z0-9.-]*$/)
  checklist = 'fire-safety-inspection';

  @ApiPropertyOptional({ description: '版本号，默认为现行版本 / version number; default: the one in force' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(INT4_MAX)
  version?: number;
}
