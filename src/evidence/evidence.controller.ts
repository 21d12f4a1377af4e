import { Controller, Get, Param, ParseUUIDPipe, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { sendStoredFile } from '../common/send-file';
import { EvidenceService } from './evidence.service';

const evidenceId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('evidence.not_found') });

/** Stored photos and signatures, to accounts in scope (uploads are the features': inspections, hazards, change requests). */
@ApiTags('evidence 照片佐证')
@ApiBearerAuth()
@Controller('api/evidence')
export class EvidenceController {
  constructor(private readonly evidence: EvidenceService) {}

  @Get(':id')
  @ApiOperation({ summary: '查看照片（仅限范围内账号）/ a photo, to accounts in scope' })
  async read(@CurrentUser() user: AuthUser, @Param('id', evidenceId) id: string, @Res() res: Response) {
    const ev = await this.evidence.readable(user, id);
    res.setHeader('Cache-Control', 'private, max-age=86400, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    sendStoredFile(res.type(ev.mime), this.evidence.store.pathOf(ev.sha256), 'evidence.not_found');
  }
}
