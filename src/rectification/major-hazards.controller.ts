import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { MajorHazardsService } from './major-hazards.service';

export class MajorDecisionDto {
  @ApiProperty({ description: 'true 认定为重大隐患；false 不认定（按一般隐患整改）/ confirm or downgrade' }) @IsBoolean() confirm: boolean;
  @ApiPropertyOptional({ description: '认定所依据的判定标准条款（现行判定标准中已核实原文的条款，如 MZ2023-4.2）/ the criterion (confirm only)' })
  @IsOptional() @IsString() @MaxLength(32) criterionCode?: string;
  @ApiProperty({ description: '认定或不认定的理由 / the reason' }) @IsString() @MaxLength(1000) reason: string;
}

const uuid = (code: string) => new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound(code) });

@ApiTags('rectification 隐患整改')
@ApiBearerAuth()
@Controller('api')
export class MajorHazardsController {
  constructor(private readonly majorHazards: MajorHazardsService) {}

  @Post('hazards/:id/major-decision')
  @Can('hazard.major_decide')
  @HttpCode(200)
  @ApiOperation({ summary: '疑似重大隐患的认定或不认定（非检查组成员）/ confirm or downgrade a suspected major hazard' })
  decide(@CurrentUser() user: AuthUser, @Param('id', uuid('hazard.not_found')) id: string, @Body() dto: MajorDecisionDto) {
    return this.majorHazards.decideMajor(user, id, dto);
  }
}
