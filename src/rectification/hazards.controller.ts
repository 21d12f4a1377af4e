import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { sendStoredFile } from '../common/send-file';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsNumber, IsOptional, Max, Min } from 'class-validator';
import type { Request, Response } from 'express';
import * as fs from 'node:fs';
import { Can, CurrentUser, Public } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { PageQuery } from '../common/pagination';
import { AuthUser, scopeOf } from '../common/scope';
import { IsInstant } from '../common/validators';
import { EvidenceService } from '../evidence/evidence.service';
import { formFields } from '../evidence/form-fields';
import { receiveUpload } from '../evidence/multipart-upload';
import { DecisionDto, DeadlineDto, ExtensionRequestDto, HazardQuery, ObjectionDto, PlanDto, ReinspectionDto, RespondDto, VerifyDto } from './dto/rectification.dto';
import { InboxQuery } from '../notifications/dto/inbox.dto';
import { NotificationsService } from '../notifications/notifications.service';
import { NoticePdfService } from './notice-pdf.service';
import { RectificationRepository } from './rectification.repository';
import { RectificationService } from './rectification.service';

class PhotoUploadDto {
  @ApiPropertyOptional() @IsOptional() @IsInstant() takenAt?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsNumber() @Min(-90) @Max(90) lat?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsNumber() @Min(-180) @Max(180) lng?: number;
}

const uuid = (code: string) => new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound(code) });

@ApiTags('rectification 隐患整改')
@ApiBearerAuth()
@Controller('api')
export class HazardsController {
  constructor(
    private readonly rectification: RectificationService, private readonly repo: RectificationRepository, private readonly noticePdfs: NoticePdfService,
    private readonly evidence: EvidenceService, private readonly inbox: NotificationsService,
  ) {}

  @Get('hazards')
  @ApiOperation({ summary: '隐患台账（分页；按状态、等级、类别、逾期、区划、挂牌督办筛选；机构只看到本机构）/ hazard ledger' })
  async list(@CurrentUser() user: AuthUser, @Query() query: HazardQuery) {
    const page = await this.rectification.ledger(user, query);
    return { ...page, items: page.items.map(({ divisionPath: _p, ...h }) => h) };
  }

  @Get('hazards/:id')
  @ApiOperation({ summary: '隐患详情与整改过程 / a hazard and its history' })
  get(@CurrentUser() user: AuthUser, @Param('id', uuid('hazard.not_found')) id: string) {
    return this.rectification.hazard(user, id);
  }

  @Post('hazards/:id/photos')
  @Can('hazard.photo')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: {
    takenAt: { type: 'string', format: 'date-time' }, lat: { type: 'number' }, lng: { type: 'number' }, file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: '上传整改后照片（统一转存为 JPEG）/ upload an after-photo (re-encoded as JPEG)' })
  async photo(@CurrentUser() user: AuthUser, @Param('id', uuid('hazard.not_found')) id: string, @Req() req: Request) {
    const received = await receiveUpload(req, {
      fileField: 'file', maxBytes: this.evidence.maxBytes, maxMb: this.evidence.maxMb, dir: this.evidence.incomingDir,
      // A hazard out of scope is refused before a byte of the photo is written; the service checks the rest.
      beforeFile: async () => {
        if (!(await this.repo.hazard(scopeOf(user), id))) throw AppError.notFound('hazard.not_found');
      },
    });
    try {
      const dto = await formFields(PhotoUploadDto, received.fields);
      const data = received.file ? await fs.promises.readFile(received.file.path) : undefined;
      const ev = await this.rectification.uploadRectificationPhoto(user, id, data, {
        takenAt: dto.takenAt ? new Date(dto.takenAt) : undefined, lat: dto.lat, lng: dto.lng, originalName: received.file?.originalName ?? undefined,
      });
      return { id: ev.id, sha256: ev.sha256, mime: ev.mime, url: `/api/evidence/${ev.id}` };
    } finally {
      await received.discard();
    }
  }

  @Post('hazards/:id/responses')
  @Can('hazard.respond')
  @ApiOperation({ summary: '提交整改情况（机构）/ respond with what was done' })
  respond(@CurrentUser() user: AuthUser, @Param('id', uuid('hazard.not_found')) id: string, @Body() dto: RespondDto) {
    return this.rectification.respond(user, id, dto);
  }

  @Post('hazards/:id/verifications')
  @Can('hazard.verify')
  @ApiOperation({ summary: '复核：销号或退回（不能复核自己提交的整改）/ verify: close or return' })
  verify(@CurrentUser() user: AuthUser, @Param('id', uuid('hazard.not_found')) id: string, @Body() dto: VerifyDto) {
    return this.rectification.verify(user, id, dto);
  }

  @Post('hazards/:id/extension-requests')
  @Can('extension.request')
  @ApiOperation({ summary: '申请延期（期限届满前）/ ask for an extension before the deadline' })
  extension(@CurrentUser() user: AuthUser, @Param('id', uuid('hazard.not_found')) id: string, @Body() dto: ExtensionRequestDto) {
    return this.rectification.requestExtension(user, id, dto);
  }

  @Post('extension-requests/:id/decision')
  @Can('extension.decide')
  @HttpCode(200)
  @ApiOperation({ summary: '审批延期申请 / decide an extension request' })
  decideExtension(@CurrentUser() user: AuthUser, @Param('id', uuid('extension.not_found')) id: string, @Body() dto: DecisionDto) {
    return this.rectification.decideExtension(user, id, dto);
  }

  @Post('hazards/:id/objections')
  @Can('objection.file')
  @ApiOperation({ summary: '陈述申辩（规定工作日内）/ file an objection' })
  objection(@CurrentUser() user: AuthUser, @Param('id', uuid('hazard.not_found')) id: string, @Body() dto: ObjectionDto) {
    return this.rectification.fileObjection(user, id, dto);
  }

  @Post('objections/:id/decision')
  @Can('objection.decide')
  @HttpCode(200)
  @ApiOperation({ summary: '处理陈述申辩（非检查组成员）；approve = 采纳 / decide an objection' })
  decideObjection(@CurrentUser() user: AuthUser, @Param('id', uuid('objection.not_found')) id: string, @Body() dto: DecisionDto) {
    return this.rectification.decideObjection(user, id, dto);
  }

  @Post('hazards/:id/plan')
  @Can('hazard.plan_submit')
  @HttpCode(200)
  @ApiOperation({ summary: '重大隐患“五到位”整改方案 / the plan of a major hazard' })
  plan(@CurrentUser() user: AuthUser, @Param('id', uuid('hazard.not_found')) id: string, @Body() dto: PlanDto) {
    return this.rectification.submitPlan(user, id, dto);
  }

  @Post('hazards/:id/deadline')
  @Can('hazard.deadline_change')
  @HttpCode(200)
  @ApiOperation({ summary: '调整整改期限（须说明理由）/ change the deadline, with a reason' })
  deadline(@CurrentUser() user: AuthUser, @Param('id', uuid('hazard.not_found')) id: string, @Body() dto: DeadlineDto) {
    return this.rectification.changeDeadline(user, id, dto);
  }

  @Post('inspections/:id/reinspection')
  @Can('reinspection.schedule')
  @ApiOperation({ summary: '对未销号隐患安排现场复查 / a re-inspection of the open items' })
  reinspection(@CurrentUser() user: AuthUser, @Param('id', uuid('inspection.not_found')) id: string, @Body() dto: ReinspectionDto) {
    return this.rectification.createReinspection(user, id, dto);
  }

  @Post('inspections/:id/notice')
  @Can('notice.issue')
  @ApiOperation({ summary: '下达整改通知书（每次检查一份，编号按发文机关和年度连续）/ issue the rectification notice' })
  async issue(@CurrentUser() user: AuthUser, @Param('id', uuid('inspection.not_found')) id: string, @Res({ passthrough: true }) res: Response) {
    const { notice, created } = await this.rectification.issueNotice(user, id);
    res.status(created ? 201 : 200);
    return notice;
  }

  @Get('notices')
  @ApiOperation({ summary: '整改通知书（分页）/ notices' })
  notices(@CurrentUser() user: AuthUser, @Query() query: PageQuery) {
    return this.rectification.notices(user, query);
  }

  @Get('notices/:id')
  notice(@CurrentUser() user: AuthUser, @Param('id', uuid('notice.not_found')) id: string) {
    return this.rectification.notice(user, id);
  }

  @Post('notices/:id/acknowledge')
  @Can('notice.acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: '机构签收通知书 / acknowledge receipt' })
  acknowledge(@CurrentUser() user: AuthUser, @Param('id', uuid('notice.not_found')) id: string) {
    return this.rectification.acknowledge(user, id);
  }

  @Get('notices/:id/pdf')
  @ApiOperation({ summary: '整改通知书 PDF / the notice PDF' })
  async pdf(@CurrentUser() user: AuthUser, @Param('id', uuid('notice.not_found')) id: string, @Res() res: Response) {
    const { file, noticeNo } = await this.noticePdfs.read(user, id);
    res.setHeader('Content-Disposition', `inline; filename="notice-${id}.pdf"; filename*=UTF-8''${encodeURIComponent(`${noticeNo}.pdf`)}`);
    sendStoredFile(res.type('application/pdf'), file, 'notice.not_found');
  }

  /** The previous release's list: now the first 20 of the inbox (same visibility: inspectors see only their own). */
  @Get('notifications')
  @ApiOperation({ summary: '站内通知（最近 20 条）（旧接口，请用 /api/notifications/inbox）/ in-app notifications (deprecated: use /api/notifications/inbox)', deprecated: true })
  async notifications(@CurrentUser() user: AuthUser) {
    return (await this.inbox.inbox(user, Object.assign(new InboxQuery(), { page: 1, pageSize: 20 }))).items;
  }

  @Public()
  @Get('public/notices/:token')
  @ApiOperation({ summary: '核验整改通知书真伪（公开，不含个人信息）/ verify a notice (public)' })
  async verifyNotice(@Param('token') token: string) {
    const notice = /^[0-9a-f]{32}$/.test(token) ? await this.repo.noticeByToken(token) : null;
    if (!notice) throw AppError.notFound('notice.not_found');
    return { noticeNo: notice.noticeNo, institutionName: notice.institutionName, issuedAt: notice.issuedAt, acknowledged: !!notice.acknowledgedAt };
  }
}
