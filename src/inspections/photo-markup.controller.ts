import { Body, Controller, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { MARKUP_LIMITS } from '../evidence/markup';
import { MarkupDto } from './dto/markup.dto';
import { PhotoMarkupService } from './photo-markup.service';

const inspectionId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('inspection.not_found') });
const evidenceId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('evidence.not_found') });

/** 照片标注: the markup layer over a finding photo of an inspection (the photo itself is never changed). */
@ApiTags('evidence 照片佐证')
@ApiBearerAuth()
@Controller('api/inspections')
export class PhotoMarkupController {
  constructor(private readonly markups: PhotoMarkupService) {}

  @Put(':id/photos/:evidenceId/markup')
  @Can('inspection.fill')
  @ApiBody({ type: MarkupDto })
  @ApiOperation({
    summary: `保存照片标注图层（箭头、圆圈、文字；坐标为照片宽高的比例 0–1；最多 ${MARKUP_LIMITS.shapes} 个图形，文字不超过 ${MARKUP_LIMITS.text} 字；原图不变）` +
      ' / replace a photo\'s markup layer (the original is preserved); null clears it',
  })
  save(@CurrentUser() user: AuthUser, @Param('id', inspectionId) id: string, @Param('evidenceId', evidenceId) ev: string, @Body() dto: MarkupDto) {
    return this.markups.save(user, id, ev, dto.markup);
  }
}
