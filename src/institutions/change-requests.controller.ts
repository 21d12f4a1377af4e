import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import * as fs from 'node:fs';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { sendStoredFile } from '../common/send-file';
import { EvidenceService } from '../evidence/evidence.service';
import { receiveUpload } from '../evidence/multipart-upload';
import { ChangeRequestsService, toChangeRequestView } from './change-requests.service';
import { ApproveChangeRequestDto, ChangeRequestQuery, CreateChangeRequestDto, RejectChangeRequestDto, WithdrawChangeRequestDto } from './dto/change-request.dto';

const institutionId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('institution.not_found') });
const requestId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('change_request.not_found') });

/** 机构档案变更申请: beds, residents by care level and the building profile, confirmed by the bureau. */
@ApiTags('institution change requests 档案变更申请')
@ApiBearerAuth()
@Controller('api')
@Can('change_request.read')
export class ChangeRequestsController {
  constructor(private readonly requests: ChangeRequestsService, private readonly evidence: EvidenceService) {}

  @Get('institution-change-requests')
  @ApiOperation({ summary: '辖区内的档案变更申请（分页，可按状态筛选）/ change requests in scope' })
  async listAll(@CurrentUser() user: AuthUser, @Query() query: ChangeRequestQuery) {
    const page = await this.requests.list(user, query);
    return { ...page, items: page.items.map(toChangeRequestView) };
  }

  @Get('institutions/:id/change-requests')
  @ApiOperation({ summary: '本机构的档案变更申请 / change requests of one institution' })
  async list(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query() query: ChangeRequestQuery) {
    const page = await this.requests.list(user, query, id);
    return { ...page, items: page.items.map(toChangeRequestView) };
  }

  @Post('institutions/:id/change-requests')
  @Can('change_request.file')
  @ApiOperation({ summary: '提交档案变更申请（须填理由；主管部门确认前档案不变）/ file a change request; the profile stays until approved' })
  async file(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() dto: CreateChangeRequestDto) {
    return toChangeRequestView(await this.requests.file(user, id, dto));
  }

  @Post('institutions/:id/change-requests/attachments')
  @Can('change_request.file')
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: '上传佐证材料图片（提交申请时引用其 id）/ upload a supporting document image' })
  async upload(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Req() req: Request) {
    const received = await receiveUpload(req, {
      fileField: 'file', maxBytes: this.evidence.maxBytes, maxMb: this.evidence.maxMb, dir: this.evidence.incomingDir,
      beforeFile: () => this.requests.assertMayFile(user, id),
    });
    try {
      const data = received.file ? await fs.promises.readFile(received.file.path) : undefined;
      const ev = await this.requests.uploadAttachment(user, id, data, received.file?.originalName ?? undefined);
      return { id: ev.id, sha256: ev.sha256, mime: ev.mime, sizeBytes: ev.sizeBytes };
    } finally {
      await received.discard();
    }
  }

  @Get('institutions/:id/change-requests/:crid')
  @ApiOperation({ summary: '一条档案变更申请（变更前后对照）/ one change request, before and after' })
  async get(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('crid', requestId) crid: string) {
    return toChangeRequestView(await this.requests.get(user, crid, id));
  }

  @Get('institutions/:id/change-requests/:crid/attachment')
  @ApiOperation({ summary: '佐证材料 / the supporting document' })
  async attachment(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('crid', requestId) crid: string, @Res() res: Response) {
    const file = await this.requests.attachment(user, id, crid);
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    sendStoredFile(res.type(file.mime), file.path, 'evidence.not_found');
  }

  @Post('institutions/:id/change-requests/:crid/approve')
  @Can('change_request.decide')
  @HttpCode(200)
  @ApiOperation({ summary: '确认变更：档案更新为申请值（原值已变化的申请返回 409）/ approve; a stale request gets 409' })
  async approve(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('crid', requestId) crid: string, @Body() dto: ApproveChangeRequestDto) {
    return toChangeRequestView(await this.requests.approve(user, id, crid, dto));
  }

  @Post('institutions/:id/change-requests/:crid/reject')
  @Can('change_request.decide')
  @HttpCode(200)
  @ApiOperation({ summary: '不予确认（须说明理由）/ reject with a reason' })
  async reject(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('crid', requestId) crid: string, @Body() dto: RejectChangeRequestDto) {
    return toChangeRequestView(await this.requests.reject(user, id, crid, dto));
  }

  @Post('institutions/:id/change-requests/:crid/withdraw')
  @Can('change_request.withdraw')
  @HttpCode(200)
  @ApiOperation({ summary: '撤回申请（机构）/ withdraw (the institution)' })
  async withdraw(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('crid', requestId) crid: string, @Body() dto: WithdrawChangeRequestDto) {
    return toChangeRequestView(await this.requests.withdraw(user, id, crid, dto));
  }
}
