import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { sendStoredFile } from '../common/send-file';
import { ComplaintRow } from './complaints.repository';
import { ComplaintsService } from './complaints.service';
import {
  AcceptComplaintDto, ComplaintQuery, MergeComplaintDto, OpenComplaintInspectionDto, ReferComplaintDto, RejectComplaintDto, ReplyComplaintDto,
} from './dto/complaint.dto';

const complaintId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('complaint.not_found') });
const position = new ParseIntPipe({ exceptionFactory: () => AppError.notFound('evidence.not_found') });

/** The API shape of a complaint: without the internal scope column (and never the contact: see `get`). */
export function toComplaintView(c: ComplaintRow) {
  const { divisionPath: _path, ...view } = c;
  return view;
}

/** 投诉举报 for the handling bureau: list, read (with the complainant's contact), triage, inspection, reply. */
@ApiTags('complaints 投诉举报')
@ApiBearerAuth()
@Controller('api/complaints')
@Can('complaint.read')
export class ComplaintsController {
  constructor(private readonly complaints: ComplaintsService) {}

  @Get()
  @ApiOperation({ summary: '辖区内的投诉（分页；按状态、收到天数、机构、逾期筛选；不含投诉人联系方式）/ complaints in scope, without contacts' })
  async list(@CurrentUser() user: AuthUser, @Query() query: ComplaintQuery) {
    const page = await this.complaints.list(user, query);
    return { ...page, items: page.items.map(toComplaintView) };
  }

  @Get(':id')
  @ApiOperation({ summary: '一件投诉（含投诉人联系方式，仅受理的主管部门可见）/ one complaint, with the contact' })
  async get(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string) {
    const d = await this.complaints.detail(user, id);
    return {
      ...toComplaintView(d.complaint), contact: d.contact, mergedFrom: d.mergedFrom,
      photos: d.photos.map((p) => ({ position: p.position, mime: p.mime, sizeBytes: p.sizeBytes, url: `/api/complaints/${id}/photos/${p.position}` })),
    };
  }

  @Get(':id/photos/:position')
  @ApiOperation({ summary: '投诉照片（已重新编码，去除位置信息）/ a photo, re-encoded without EXIF' })
  async photo(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string, @Param('position', position) n: number, @Res() res: Response) {
    const file = await this.complaints.photo(user, id, n);
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    sendStoredFile(res.type(file.mime), file.path, 'evidence.not_found');
  }

  @Post(':id/accept')
  @Can('complaint.triage')
  @HttpCode(200)
  @ApiOperation({ summary: '受理 / accept' })
  async accept(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string, @Body() dto: AcceptComplaintDto) {
    return toComplaintView(await this.complaints.accept(user, id, dto));
  }

  @Post(':id/merge')
  @Can('complaint.triage')
  @HttpCode(200)
  @ApiOperation({ summary: '合并到另一件投诉（重复投诉）/ merge into another complaint' })
  async merge(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string, @Body() dto: MergeComplaintDto) {
    return toComplaintView(await this.complaints.merge(user, id, dto));
  }

  @Post(':id/refer')
  @Can('complaint.triage')
  @HttpCode(200)
  @ApiOperation({ summary: '转办其他部门（须填部门名称）/ refer to another agency' })
  async refer(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string, @Body() dto: ReferComplaintDto) {
    return toComplaintView(await this.complaints.refer(user, id, dto));
  }

  @Post(':id/reject')
  @Can('complaint.triage')
  @HttpCode(200)
  @ApiOperation({ summary: '不予受理（须说明理由，投诉人可见）/ reject with a reason' })
  async reject(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string, @Body() dto: RejectComplaintDto) {
    return toComplaintView(await this.complaints.reject(user, id, dto));
  }

  @Post(':id/inspection')
  @Can('complaint.triage')
  @HttpCode(200)
  @ApiOperation({ summary: '发起投诉核查（创建 complaint 类检查）/ open a complaint inspection' })
  async openInspection(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string, @Body() dto: OpenComplaintInspectionDto) {
    return toComplaintView(await this.complaints.openInspection(user, id, dto));
  }

  @Post(':id/reply')
  @Can('complaint.reply')
  @HttpCode(200)
  @ApiOperation({ summary: '答复投诉人（凭查询码可见）/ reply to the complainant' })
  async reply(@CurrentUser() user: AuthUser, @Param('id', complaintId) id: string, @Body() dto: ReplyComplaintDto) {
    return toComplaintView(await this.complaints.reply(user, id, dto));
  }
}
