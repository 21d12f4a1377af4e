import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { sendStoredFile } from '../common/send-file';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { EvidenceUploadDto } from '../inspections/dto/inspection.dto';
import { InspectionsService } from '../inspections/inspections.service';
import { EvidenceService } from './evidence.service';

const evidenceId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('evidence.not_found') });

@ApiTags('evidence 照片佐证')
@ApiBearerAuth()
@Controller('api/evidence')
export class EvidenceController {
  constructor(private readonly inspections: InspectionsService, private readonly evidence: EvidenceService) {}

  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiOperation({ summary: '上传检查照片（按文件头识别类型，按 SHA-256 去重存储）/ upload a finding photo' })
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: 100 * 1024 * 1024, files: 1 } }))
  async upload(@CurrentUser() user: AuthUser, @UploadedFile() file: { buffer: Buffer; originalname: string } | undefined, @Body() dto: EvidenceUploadDto) {
    const ev = await this.inspections.uploadPhoto(user, dto.inspectionId, dto.itemCode, file?.buffer, {
      takenAt: dto.takenAt ? new Date(dto.takenAt) : undefined, lat: dto.lat, lng: dto.lng, originalName: file?.originalname?.slice(0, 200),
    });
    return { id: ev.id, sha256: ev.sha256, mime: ev.mime, sizeBytes: ev.sizeBytes, gps: ev.gpsLat === null ? null : { lat: ev.gpsLat, lng: ev.gpsLng, source: ev.gpsSource }, deviceTakenAt: ev.deviceTakenAt, receivedAt: ev.receivedAt, url: `/api/evidence/${ev.id}` };
  }

  @Get(':id')
  @ApiOperation({ summary: '查看照片（仅限范围内账号）/ a photo, to accounts in scope' })
  async read(@CurrentUser() user: AuthUser, @Param('id', evidenceId) id: string, @Res() res: Response) {
    const ev = await this.evidence.readable(user, id);
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    sendStoredFile(res.type(ev.mime), this.evidence.store.pathOf(ev.sha256), 'evidence.not_found');
  }
}
