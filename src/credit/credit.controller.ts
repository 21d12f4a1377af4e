import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { creditCsv } from './credit-export';
import { CreditService } from './credit.service';
import { AsOfQuery, CreditExportQuery, CreditListQuery, DecideDishonestyDto, ObjectDishonestyDto, RepairDto, ReviewObjectionDto } from './dto/credit.dto';

const institutionId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('credit.institution_not_found') });
const decisionId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('credit.decision_not_found') });

/** 信用评价 and 失信认定: levels with their ledgers; the bureau's dishonesty decisions, objections and 信用修复. */
@ApiTags('credit 信用评价')
@ApiBearerAuth()
@Controller('api/credit')
@Can('credit.read')
export class CreditController {
  constructor(private readonly credit: CreditService) {}

  @Get('institutions')
  @ApiOperation({ summary: '辖区机构的信用等级（分页；按街道、等级、失信筛选；附各街道各等级数量）/ credit levels in scope' })
  list(@CurrentUser() user: AuthUser, @Query() q: CreditListQuery) {
    return this.credit.list(user, q);
  }

  @Get('institutions.csv')
  @Can('export.read')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: '信用等级清单（CSV，UTF-8 BOM，中文表头）/ credit levels as CSV' })
  async csv(@CurrentUser() user: AuthUser, @Query() q: CreditExportQuery, @Res() res: Response) {
    const data = await this.credit.exportRows(user, q);
    creditCsv(res, data);
  }

  @Get('institutions/:id')
  @ApiOperation({ summary: '一个机构的信用等级与计分明细（每一分对应其记录）/ one institution’s level and ledger' })
  institution(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query() q: AsOfQuery) {
    return this.credit.institutionCredit(user, id, q.asOf);
  }

  @Post('dishonesty')
  @Can('credit.decide')
  @ApiOperation({ summary: '失信认定（局方；理由、依据、认定日期；申辩期限按规则）/ decide an institution is dishonest' })
  decide(@CurrentUser() user: AuthUser, @Body() dto: DecideDishonestyDto) {
    return this.credit.decide(user, dto);
  }

  @Get('dishonesty/:id')
  @ApiOperation({ summary: '一项失信认定 / one dishonesty decision' })
  decision(@CurrentUser() user: AuthUser, @Param('id', decisionId) id: string) {
    return this.credit.decision(user, id);
  }

  @Post('dishonesty/:id/objection')
  @Can('credit.object')
  @HttpCode(200)
  @ApiOperation({ summary: '陈述申辩（机构，申辩期限内）/ object within the window' })
  object(@CurrentUser() user: AuthUser, @Param('id', decisionId) id: string, @Body() dto: ObjectDishonestyDto) {
    return this.credit.object(user, id, dto);
  }

  @Post('dishonesty/:id/review')
  @Can('credit.decide')
  @HttpCode(200)
  @ApiOperation({ summary: '处理申辩：维持（uphold）或撤销认定（withdraw）/ review the objection' })
  review(@CurrentUser() user: AuthUser, @Param('id', decisionId) id: string, @Body() dto: ReviewObjectionDto) {
    return this.credit.review(user, id, dto);
  }

  @Post('dishonesty/:id/repair')
  @Can('credit.decide')
  @HttpCode(200)
  @ApiOperation({ summary: '信用修复（无新扣分满规定月数后）/ credit repair after the clean period' })
  repair(@CurrentUser() user: AuthUser, @Param('id', decisionId) id: string, @Body() dto: RepairDto) {
    return this.credit.repair(user, id, dto);
  }
}
