import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators';
import { AuthUser } from '../common/scope';
import { OfflineBundleService } from './offline-bundle.service';

/** 下载今日任务 (the inspector's offline day). Registered before InspectionsController: a literal route before `:id`. */
@ApiTags('inspections 检查')
@ApiBearerAuth()
@Controller('api')
export class OfflineBundleController {
  constructor(private readonly bundles: OfflineBundleService) {}

  @Get('inspections/offline-bundle')
  @ApiOperation({ summary: '下载今日任务：本人全部待检查/检查中任务的检查表、机构概况和上次检查发现（离线使用）/ the inspector’s open assignments for offline use' })
  bundle(@CurrentUser() user: AuthUser) {
    return this.bundles.bundle(user);
  }
}
