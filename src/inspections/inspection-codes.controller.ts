import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { InspectionCodeDto, RateVisitDto, RatingQuery, VisitQuery } from './dto/inspection-code.dto';
import { InspectionCodesService } from './inspection-codes.service';

const inspectionId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('inspection.not_found') });

/** 检查码: the team's code, the institution's 核验 on arrival and its 评价 after the submission, the bureau's ratings. */
@ApiTags('inspection codes 检查码与评价')
@ApiBearerAuth()
@Controller('api')
export class InspectionCodesController {
  constructor(private readonly codes: InspectionCodesService) {}

  @Get('inspections/:id/code')
  @ApiOperation({ summary: '本次检查的检查码与二维码地址（仅检查组成员）；机构是否已核验 / the team’s inspection code, its QR address and whether the institution confirmed it' })
  teamCode(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string) {
    return this.codes.teamCode(user, id);
  }

  @Post('inspection-codes/lookup')
  @Can('inspection_code.verify')
  @HttpCode(200)
  @ApiOperation({ summary: '核验检查码：查看检查类型、日期、检查人员姓名、所属单位和执法证号（机构用户；只查本机构的检查；输错过多 429）/ look up an inspection by its code (institution accounts, own inspections only; wrong guesses limited)' })
  lookup(@CurrentUser() user: AuthUser, @Body() dto: InspectionCodeDto) {
    return this.codes.lookup(user, dto.code);
  }

  @Post('inspection-codes/confirm')
  @Can('inspection_code.verify')
  @ApiOperation({ summary: '确认检查码：记录核验人与时间（再次确认返回首次结果，200）/ confirm the visit: who and when (again: the first confirmation, 200)' })
  async confirm(@CurrentUser() user: AuthUser, @Body() dto: InspectionCodeDto, @Res({ passthrough: true }) res: Response) {
    const { visit, alreadyConfirmed } = await this.codes.confirm(user, dto.code);
    res.status(alreadyConfirmed ? 200 : 201);
    return { ...visit, alreadyConfirmed };
  }

  @Get('inspection-codes/visits')
  @Can('inspection_code.verify')
  @ApiOperation({ summary: '本机构的检查：已提交的和本机构核验过的检查，及评价状态（机构用户）/ the institution’s visits and their rating state' })
  visits(@CurrentUser() user: AuthUser, @Query() query: VisitQuery) {
    return this.codes.visits(user, query);
  }

  @Get('inspection-codes/visits/:id')
  @Can('inspection_code.verify')
  @ApiOperation({ summary: '本机构的一次检查：检查组、核验记录、评价 / one visit of the institution' })
  visit(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string) {
    return this.codes.visit(user, id);
  }

  @Post('inspections/:id/rating')
  @Can('inspection.rate')
  @ApiOperation({ summary: '评价本次检查（提交后 30 天内，每次检查一次；执法规范、问题指出清楚各 1–5 分，意见选填）/ rate a submitted visit once' })
  rate(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string, @Body() dto: RateVisitDto) {
    return this.codes.rate(user, id, dto);
  }

  @Get('inspection-ratings')
  @Can('inspection_rating.read')
  @ApiOperation({ summary: '检查评价（主管部门，按辖区；按区划、检查日期、评分、检查人员筛选；含平均分和按检查人员统计）/ the ratings of the division subtree with averages' })
  ratings(@CurrentUser() user: AuthUser, @Query() query: RatingQuery) {
    return this.codes.ratings(user, query);
  }
}
