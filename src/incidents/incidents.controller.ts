import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { AcknowledgeIncidentDto, IncidentQuery, OpenFollowUpDto, ReportIncidentDto } from './dto/incident.dto';
import { IncidentsService, toIncidentView } from './incidents.service';

const institutionId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('institution.not_found') });
const incidentId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('incident.not_found') });

/** 突发事件报告: reported by the institution within the hours its grade allows, acknowledged by the bureau. */
@ApiTags('incident reports 突发事件')
@ApiBearerAuth()
@Controller('api')
@Can('incident.read')
export class IncidentsController {
  constructor(private readonly incidents: IncidentsService) {}

  @Get('incidents')
  @ApiOperation({ summary: '辖区内的突发事件报告（分页；可按等级、状态、是否迟报筛选）/ incidents in scope' })
  async listAll(@CurrentUser() user: AuthUser, @Query() query: IncidentQuery) {
    const page = await this.incidents.list(user, query);
    return { ...page, items: page.items.map(toIncidentView) };
  }

  @Get('incidents/summary')
  @ApiOperation({ summary: '未确认的突发事件（按等级）/ unacknowledged incidents by grade' })
  summary(@CurrentUser() user: AuthUser) {
    return this.incidents.summary(user);
  }

  @Get('incidents/:incidentId')
  @ApiOperation({ summary: '一份突发事件报告 / one incident report' })
  async get(@CurrentUser() user: AuthUser, @Param('incidentId', incidentId) id: string) {
    return toIncidentView(await this.incidents.get(user, id));
  }

  @Post('incidents/:incidentId/acknowledge')
  @Can('incident.acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: '确认收到（须填确认意见，只能确认一次）/ acknowledge with a note' })
  async acknowledge(@CurrentUser() user: AuthUser, @Param('incidentId', incidentId) id: string, @Body() dto: AcknowledgeIncidentDto) {
    return toIncidentView(await this.incidents.acknowledge(user, id, dto));
  }

  @Post('incidents/:incidentId/follow-up-inspection')
  @Can('incident.acknowledge')
  @HttpCode(200)
  @ApiOperation({ summary: '安排跟进检查（专项检查，确认收到后，一次）/ open a follow-up inspection' })
  async followUp(@CurrentUser() user: AuthUser, @Param('incidentId', incidentId) id: string, @Body() dto: OpenFollowUpDto) {
    return toIncidentView(await this.incidents.openFollowUp(user, id, dto));
  }

  @Get('institutions/:id/incidents')
  @ApiOperation({ summary: '本机构的突发事件报告 / incidents of one institution' })
  async list(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query() query: IncidentQuery) {
    const page = await this.incidents.list(user, query, id);
    return { ...page, items: page.items.map(toIncidentView) };
  }

  @Post('institutions/:id/incidents')
  @Can('incident.report')
  @ApiOperation({ summary: '报告突发事件（报告时限按等级，见安全工作策略）/ report an incident' })
  async report(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() dto: ReportIncidentDto) {
    return toIncidentView(await this.incidents.report(user, id, dto));
  }
}
