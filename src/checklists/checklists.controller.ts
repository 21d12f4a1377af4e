import { ArgumentMetadata, Controller, Get, Param, ParseIntPipe, ParseUUIDPipe, PipeTransform, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { INT4_MAX } from '../common/validators';
import { PageQuery } from '../common/pagination';
import { AuthUser } from '../common/scope';
import { ChecklistsService } from './checklists.service';
import { ApplicableQuery, ItemQuery } from './dto/checklist-query.dto';

/** A version number in the path: an integer PostgreSQL's int can hold, or no such version (404). */
const versionNo = {
  pipe: new ParseIntPipe({ exceptionFactory: () => AppError.notFound('checklist.version_not_found') }),
  async transform(value: string, meta: ArgumentMetadata): Promise<number> {
    const n = await this.pipe.transform(value, meta);
    if (n < 1 || n > INT4_MAX) throw AppError.notFound('checklist.version_not_found');
    return n;
  },
} satisfies PipeTransform<string, Promise<number>> & { pipe: ParseIntPipe };
const institutionId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('institution.not_found') });

@ApiTags('checklists 检查表与规则')
@ApiBearerAuth()
@Controller('api')
export class ChecklistsController {
  constructor(private readonly checklists: ChecklistsService) {}

  @Get('checklists')
  @ApiOperation({ summary: '规则文件（检查表、判定标准、评定表、自查表）及现行版本 / rule sets and the version in force' })
  list(@Query() query: PageQuery) {
    return this.checklists.list(query);
  }

  @Get('checklists/:code/versions')
  @ApiOperation({ summary: '已发布的版本（新版本在前）/ published versions, newest first' })
  versions(@Param('code') code: string, @Query() query: PageQuery) {
    return this.checklists.versions(code, query);
  }

  @Get('checklists/:code/versions/:versionNo')
  @ApiOperation({ summary: '某一版本的完整内容（发布后不再改变）/ one version, unchanged since publication' })
  version(@Param('code') code: string, @Param('versionNo', versionNo) no: number) {
    return this.checklists.version(code, no);
  }

  @Get('checklists/:code/versions/:versionNo/items')
  @ApiOperation({ summary: '某一版本的检查项（分页，可按类别筛选）/ items of a version' })
  items(@Param('code') code: string, @Param('versionNo', versionNo) no: number, @Query() query: ItemQuery) {
    return this.checklists.items(code, no, query);
  }

  @Get('institutions/:id/applicable-items')
  @ApiOperation({ summary: '适用于该机构的检查项，以及每个不适用项的排除规则 / items that apply, and why the others do not' })
  applicable(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query() query: ApplicableQuery) {
    return this.checklists.applicableFor(user, id, query.checklist, query.version);
  }
}
