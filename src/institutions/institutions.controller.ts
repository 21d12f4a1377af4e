import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { CreateInstitutionDto, InstitutionQuery, UpdateInstitutionDto } from './dto/institution.dto';
import { InstitutionHistoryService } from './institution-history.service';
import { toInstitutionView } from './institution.view';
import { InstitutionsService } from './institutions.service';

const notFoundOnBadId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('institution.not_found') });

@ApiTags('institutions 养老机构')
@ApiBearerAuth()
@Controller('api/institutions')
export class InstitutionsController {
  constructor(private readonly institutions: InstitutionsService, private readonly history: InstitutionHistoryService) {}

  @Get()
  @ApiOperation({ summary: '机构列表（分页、按区划/类型/状态/名称筛选）/ list institutions in scope' })
  async list(@CurrentUser() user: AuthUser, @Query() query: InstitutionQuery) {
    const page = await this.institutions.list(user, query);
    return { ...page, items: page.items.map(toInstitutionView) };
  }

  @Get(':id')
  @ApiOperation({ summary: '机构详情 / one institution' })
  async get(@CurrentUser() user: AuthUser, @Param('id', notFoundOnBadId) id: string) {
    return toInstitutionView(await this.institutions.get(user, id));
  }

  @Get(':id/history')
  @ApiOperation({ summary: '机构历史：隐患（未销号/已销号/逾期）、等级评定与撤销降级决定、补贴发放表中的本机构行（仅主管部门）/ hazards, grades and subsidy lines' })
  async historyOf(@CurrentUser() user: AuthUser, @Param('id', notFoundOnBadId) id: string) {
    return this.history.history(user, id);
  }

  @Post()
  @Can('institution.create')
  @ApiOperation({ summary: '登记机构 / register an institution' })
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateInstitutionDto) {
    return toInstitutionView(await this.institutions.create(user, dto));
  }

  @Patch(':id')
  @Can('institution.update')
  @ApiOperation({ summary: '修改机构信息（须带版本号，过期版本返回 409）/ update; stale version gets 409' })
  async update(@CurrentUser() user: AuthUser, @Param('id', notFoundOnBadId) id: string, @Body() dto: UpdateInstitutionDto) {
    return toInstitutionView(await this.institutions.update(user, id, dto));
  }
}
