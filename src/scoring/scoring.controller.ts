import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { IssuingBureaus } from '../documents/issuing-bureau';
import { gradeName } from './domain/grade';
import { AssessmentQuery, DecideGradeDto, FinalizeDto, GradeOnQuery, OpenAssessmentDto, ScoreItemsDto } from './dto/scoring.dto';
import { renderGradeResult } from './grade-pdf';
import { ScoringService } from './scoring.service';

const uuid = (code: string) => new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound(code) });

@ApiTags('scoring 评分、等级与补贴')
@ApiBearerAuth()
@Controller('api')
export class ScoringController {
  constructor(private readonly scoring: ScoringService, private readonly bureaus: IssuingBureaus) {}

  @Get('institutions/:id/score')
  @ApiOperation({ summary: '安全得分及逐项明细（每一分的来源与规则版本）/ the safety score and its ledger' })
  score(@CurrentUser() user: AuthUser, @Param('id', uuid('institution.not_found')) id: string) {
    return this.scoring.latestScore(user, id);
  }

  @Post('institutions/:id/score/recompute')
  @Can('score.recompute')
  @ApiOperation({ summary: '立即重算安全得分 / recompute now' })
  async recompute(@CurrentUser() user: AuthUser, @Param('id', uuid('institution.not_found')) id: string) {
    await this.scoring.latestScore(user, id);
    await this.scoring.recompute(id);
    return this.scoring.latestScore(user, id);
  }

  @Post('grade-assessments')
  @Can('grade.open')
  @ApiOperation({ summary: '开启等级评定（核查前置条件）/ open a grade assessment' })
  open(@CurrentUser() user: AuthUser, @Body() dto: OpenAssessmentDto) {
    return this.scoring.openAssessment(user, dto);
  }

  @Get('grade-assessments')
  @Can('grade.read')
  @ApiOperation({ summary: '等级评定列表（状态、即将到期筛选，按开启时间或有效期排序）/ assessments with their standing today' })
  assessments(@CurrentUser() user: AuthUser, @Query() query: AssessmentQuery) {
    return this.scoring.assessments(user, query);
  }

  @Get('grade-assessments/:id')
  @Can('grade.read')
  assessment(@CurrentUser() user: AuthUser, @Param('id', uuid('grade.not_found')) id: string) {
    return this.scoring.assessment(user, id);
  }

  @Patch('grade-assessments/:id/scores')
  @Can('grade.score')
  @ApiOperation({ summary: '录入评分项得分与扣分说明 / record points and deduction notes' })
  scoreItems(@CurrentUser() user: AuthUser, @Param('id', uuid('grade.not_found')) id: string, @Body() dto: ScoreItemsDto) {
    return this.scoring.scoreItems(user, id, dto);
  }

  @Post('grade-assessments/:id/finalize')
  @Can('grade.finalize')
  @HttpCode(200)
  @ApiOperation({ summary: '完成评定：按门槛得出等级（或未达等级及原因）/ finalize: the grade follows from the thresholds' })
  finalize(@CurrentUser() user: AuthUser, @Param('id', uuid('grade.not_found')) id: string, @Body() dto: FinalizeDto) {
    return this.scoring.finalize(user, id, dto.version, { requireGrade: dto.requireGrade });
  }

  @Get('grade-assessments/:id/result.pdf')
  @Can('grade.read')
  @ApiProduces('application/pdf')
  @ApiOperation({ summary: '等级评定结果（PDF，已定稿的评定）/ the grade result of a finalized assessment as PDF' })
  async resultPdf(@CurrentUser() user: AuthUser, @Param('id', uuid('grade.not_found')) id: string, @Res() res: Response) {
    const pdf = await gradeResultPdf(this.scoring, this.bureaus, user, id);
    res.setHeader('Content-Disposition', `inline; filename="grade.pdf"; filename*=UTF-8''${encodeURIComponent(pdf.fileName)}`);
    res.type('application/pdf').send(pdf.bytes);
  }

  @Post('grades/:id/decisions')
  @Can('grade.decide')
  @ApiOperation({ summary: '撤销或降级已评定的等级（理由、依据、生效日期；不可更改，留痕）/ revoke or lower a finalized grade' })
  decide(@CurrentUser() user: AuthUser, @Param('id', uuid('grade.not_found')) id: string, @Body() dto: DecideGradeDto) {
    return this.scoring.decide(user, id, dto);
  }

  @Get('institutions/:id/grade')
  @ApiOperation({ summary: '某日有效的等级（含撤销、降级与后评覆盖）/ the grade in force on a date' })
  grade(@CurrentUser() user: AuthUser, @Param('id', uuid('institution.not_found')) id: string, @Query() query: GradeOnQuery) {
    return this.scoring.gradeInForce(user, id, query.on);
  }
}

/** The grade result PDF of a finalized assessment in the caller's scope (the API route and the page link serve the same). */
export async function gradeResultPdf(scoring: ScoringService, bureaus: IssuingBureaus, user: AuthUser, id: string): Promise<{ bytes: Buffer; fileName: string }> {
  const { assessment: a, form, result, institution, openedByName, finalizedByName } = await scoring.resultDocument(user, id);
  const bureau = await bureaus.of(a.divisionPath);
  const decisions = (a.decisions as { kind: 'revoke' | 'lower'; newGrade: number | null; reason: string; basis: string; effectiveOn: string }[]).map((d) => ({
    label: d.kind === 'revoke' ? '撤销等级' : `降为${gradeName(d.newGrade as 1 | 2 | 3 | 4 | 5)}`, effectiveOn: d.effectiveOn, reason: d.reason, basis: d.basis,
  }));
  const bytes = await renderGradeResult({
    bureauName: bureau.name,
    institution: { name: a.institutionName, address: institution?.address ?? '', creditCode: institution?.creditCode ?? '' },
    openedAt: new Date(a.openedAt), finalizedAt: new Date(a.finalizedAt),
    parts: result.parts.map((p) => ({ title: p.title, points: p.points, max: p.max, percent: p.percent })),
    total: result.total, totalMax: form.form.totalPoints, gradeLabel: a.gradeLabel, reasons: a.reasons ?? result.reasons,
    validFrom: a.validFrom, validUntil: a.validUntil,
    assessors: { openedBy: openedByName, finalizedBy: finalizedByName },
    form: { code: form.code, title: form.form.title.zh, versionNo: form.versionNo, contentHash: form.contentHash },
    standard: form.form.standard,
    decisions, generatedAt: new Date(),
  });
  return { bytes, fileName: `等级评定结果_${a.institutionName}_${a.validFrom}.pdf` };
}
