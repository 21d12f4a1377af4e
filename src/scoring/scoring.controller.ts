import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsUUID } from 'class-validator';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { PageQuery } from '../common/pagination';
import { AuthUser } from '../common/scope';
import { DecideGradeDto, FinalizeDto, GradeOnQuery, OpenAssessmentDto, ScoreItemsDto } from './dto/scoring.dto';
import { ScoringService } from './scoring.service';

const uuid = (code: string) => new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound(code) });

class AssessmentQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID() institutionId?: string;
}

@ApiTags('scoring 评分、等级与补贴')
@ApiBearerAuth()
@Controller('api')
export class ScoringController {
  constructor(private readonly scoring: ScoringService) {}

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
    return this.scoring.finalize(user, id, dto.version);
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
