import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Put, Query, Res } from '@nestjs/common';
import { sendStoredFile } from '../common/send-file';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import {
  ConflictDto, CreateInspectionDto, DraftDto, InspectionQuery, ResolveDraftConflictDto, SectionAssignmentsDto, SubmitInspectionDto,
} from './dto/inspection.dto';
import { InspectionFormService } from './inspection-form.service';
import { InspectionReportService } from './inspection-report.service';
import { InspectionsService } from './inspections.service';
import { PlansService } from './plans.service';

const inspectionId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('inspection.not_found') });
const conflictId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('team.conflict_not_found') });

@ApiTags('inspections 检查')
@ApiBearerAuth()
@Controller('api')
export class InspectionsController {
  constructor(
    private readonly inspections: InspectionsService,
    private readonly plans: PlansService,
    private readonly forms: InspectionFormService,
    private readonly reports: InspectionReportService,
  ) {}

  @Get('inspections')
  @ApiOperation({ summary: '检查列表（检查员只看到自己参加的；机构只看到已提交的本机构检查）/ inspections in scope' })
  list(@CurrentUser() user: AuthUser, @Query() query: InspectionQuery) {
    return this.inspections.list(user, query);
  }

  @Post('inspections')
  @Can('inspection.create')
  @ApiOperation({ summary: '临时安排一次检查（检查组至少 2 人）/ an ad-hoc inspection' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateInspectionDto) {
    return this.plans.createAdHoc(user, dto);
  }

  @Get('inspections/:id')
  @ApiOperation({ summary: '检查详情：检查组、作答、隐患 / one inspection' })
  detail(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string) {
    return this.inspections.detail(user, id);
  }

  @Get('inspections/:id/form')
  @ApiOperation({ summary: '现场检查表：按类别分组的适用检查项 / the on-site form' })
  form(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string) {
    return this.forms.form(user, id);
  }

  @Post('inspections/:id/start')
  @Can('inspection.fill')
  @HttpCode(200)
  @ApiOperation({ summary: '开始检查 / start' })
  start(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string) {
    return this.inspections.start(user, id);
  }

  @Get('inspections/:id/draft')
  @ApiOperation({ summary: '服务器上保存的草稿 / the draft kept on the server' })
  draft(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string) {
    return this.inspections.draft(user, id);
  }

  @Put('inspections/:id/draft')
  @Can('inspection.fill')
  @ApiOperation({ summary: '保存草稿（手机丢失也不丢数据）/ keep the draft on the server too' })
  saveDraft(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string, @Body() dto: DraftDto) {
    return this.inspections.saveDraft(user, id, dto);
  }

  @Post('inspections/:id/draft/conflicts/:conflictId/resolve')
  @Can('inspection.fill')
  @HttpCode(200)
  @ApiOperation({ summary: '选定冲突答案（检查组成员；另一答案留在记录中）/ resolve an answer conflict by choosing one side' })
  resolveConflict(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string, @Param('conflictId', conflictId) cid: string, @Body() dto: ResolveDraftConflictDto) {
    return this.inspections.resolveDraftConflict(user, id, cid, dto.side);
  }

  @Put('inspections/:id/assignments')
  @Can('inspection.fill')
  @ApiOperation({ summary: '分工：组长把检查类别分配给组员 / the lead assigns sections to team members' })
  assignSections(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string, @Body() dto: SectionAssignmentsDto) {
    return this.inspections.assignSections(user, id, dto.assignments);
  }

  @Post('inspections/:id/submit')
  @Can('inspection.submit')
  @ApiOperation({ summary: '提交检查结果（幂等：相同 submissionId 重试返回首次结果）；不完整时 422 列出缺项 / submit; idempotent on submissionId' })
  async submit(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string, @Body() dto: SubmitInspectionDto, @Res({ passthrough: true }) res: Response) {
    const { replay, result } = await this.inspections.submit(user, id, dto);
    res.status(replay ? 200 : 201);
    return result;
  }

  @Get('inspections/:id/report.pdf')
  @ApiOperation({ summary: '检查记录 PDF / the inspection report' })
  async report(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string, @Res() res: Response) {
    const { file, reportNo } = await this.reports.read(user, id);
    res.setHeader('Content-Disposition', `inline; filename="inspection-${id}.pdf"; filename*=UTF-8''${encodeURIComponent(`${reportNo}.pdf`)}`);
    res.setHeader('Cache-Control', 'private, no-cache');
    sendStoredFile(res.type('application/pdf'), file, 'inspection.not_found');
  }

  @Post('conflicts-of-interest')
  @Can('conflict.declare')
  @HttpCode(204)
  @ApiOperation({ summary: '登记利害关系（抽取时回避）/ declare a conflict of interest' })
  async conflict(@CurrentUser() user: AuthUser, @Body() dto: ConflictDto) {
    await this.plans.declareConflict(user, dto);
  }
}
