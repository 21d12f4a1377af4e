import { Controller, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import * as fs from 'node:fs';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AuthUser } from '../common/scope';
import { formFields } from '../evidence/form-fields';
import { receiveUpload } from '../evidence/multipart-upload';
import { EvidenceService } from '../evidence/evidence.service';
import { EvidenceUploadDto } from './dto/inspection.dto';
import { InspectionsService } from './inspections.service';

/**
 * Uploading a finding photo of an inspection (`POST /api/evidence`): an inspection use case, so it lives here; reading
 * a stored photo is the evidence module's (EvidenceController), which knows nothing of inspections.
 */
@ApiTags('evidence 照片佐证')
@ApiBearerAuth()
@Controller('api/evidence')
export class InspectionPhotosController {
  constructor(private readonly inspections: InspectionsService, private readonly evidence: EvidenceService) {}

  @Post()
  @Can('inspection.fill')
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
}
