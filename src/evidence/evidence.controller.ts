import { Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import * as fs from 'node:fs';
import { CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { sendStoredFile } from '../common/send-file';
import { EvidenceUploadDto } from '../inspections/dto/inspection.dto';
import { InspectionsService } from '../inspections/inspections.service';
import { EvidenceService } from './evidence.service';
import { formFields } from './form-fields';
import { receiveUpload } from './multipart-upload';

const evidenceId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('evidence.not_found') });

@ApiTags('evidence 照片佐证')
@ApiBearerAuth()
@Controller('api/evidence')
export class EvidenceController {
  constructor(private readonly inspections: InspectionsService, private readonly evidence: EvidenceService) {}

  @Post()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['inspectionId', 'itemCode', 'file'], properties: {
    inspectionId: { type: 'string', format: 'uuid' }, itemCode: { type: 'string' }, takenAt: { type: 'string', format: 'date-time' },
    lat: { type: 'number' }, lng: { type: 'number' }, clientId: { type: 'string' }, file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: '上传检查照片（解码后统一转存为 JPEG，去除元数据，按 SHA-256 去重存储；字段须在文件之前）/ upload a finding photo (re-encoded as JPEG; send the fields before the file)' })
  async upload(@CurrentUser() user: AuthUser, @Req() req: Request) {
    const received = await receiveUpload(req, {
      fileField: 'file', maxBytes: this.evidence.maxBytes, maxMb: this.evidence.maxMb, dir: this.evidence.incomingDir,
      // Fields sent before the file (as the pages do) are checked before a byte of it is written.
      beforeFile: async (fields) => {
        if (fields.inspectionId === undefined || fields.itemCode === undefined) return;
        const early = await formFields(EvidenceUploadDto, fields, { partial: true });
        await this.inspections.photoTarget(user, early.inspectionId, early.itemCode);
      },
    });
    try {
      const dto = await formFields(EvidenceUploadDto, received.fields);
      const data = received.file ? await fs.promises.readFile(received.file.path) : undefined;
      const ev = await this.inspections.uploadPhoto(user, dto.inspectionId, dto.itemCode, data, {
        takenAt: dto.takenAt ? new Date(dto.takenAt) : undefined, lat: dto.lat, lng: dto.lng, originalName: received.file?.originalName ?? undefined,
      });
      return { id: ev.id, sha256: ev.sha256, mime: ev.mime, sizeBytes: ev.sizeBytes, gps: ev.gpsLat === null ? null : { lat: ev.gpsLat, lng: ev.gpsLng, source: ev.gpsSource }, deviceTakenAt: ev.deviceTakenAt, receivedAt: ev.receivedAt, url: `/api/evidence/${ev.id}` };
    } finally {
      await received.discard();
    }
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
