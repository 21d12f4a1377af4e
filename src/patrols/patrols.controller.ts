import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { CloseSelfHazardDto, CreatePointDto, PatrolQuery, ScanDto, SelfHazardQuery, StartPatrolDto, SubmitPatrolDto } from './dto/patrol.dto';
import { PatrolsService } from './patrols.service';

const institutionId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('institution.not_found') });
const patrolId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('patrol.not_found') });
const pointId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('patrol.point_not_found') });
const selfHazardId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('self_hazard.not_found') });

/** 日巡查、夜间巡查、月检查 and 自查隐患: run by the institution, read by everyone who may read the institution. */
@ApiTags('patrols 巡查')
@ApiBearerAuth()
@Controller('api')
@Can('patrol.read')
export class PatrolsController {
  constructor(private readonly patrols: PatrolsService) {}

  @Get('institutions/:id/patrol-overview')
  @ApiOperation({ summary: '巡查概况：点位、当前时段、近 7 天各时段状态与完成率、自查隐患 / patrol overview' })
  overview(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string) {
    return this.patrols.overview(user, id);
  }

  @Get('institutions/:id/patrols')
  @ApiOperation({ summary: '巡查记录（分页，最近的在前）/ patrols, latest first' })
  list(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query() query: PatrolQuery) {
    return this.patrols.patrols(user, id, query);
  }

  @Post('institutions/:id/patrol-points')
  @Can('patrol.record')
  @ApiOperation({ summary: '登记巡查点位（生成二维码令牌与点位码）/ register a patrol point' })
  addPoint(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() dto: CreatePointDto) {
    return this.patrols.addPoint(user, id, dto);
  }

  @Post('institutions/:id/patrol-points/:pointId/retire')
  @Can('patrol.record')
  @HttpCode(200)
  @ApiOperation({ summary: '停用巡查点位 / retire a patrol point' })
  retirePoint(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('pointId', pointId) point: string) {
    return this.patrols.retirePoint(user, id, point);
  }

  @Post('institutions/:id/patrols')
  @Can('patrol.record')
  @ApiOperation({ summary: '开始当前时段的巡查（时段按服务器时间）/ start the patrol of the slot open now' })
  start(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() dto: StartPatrolDto) {
    return this.patrols.start(user, id, dto);
  }

  @Get('patrols/:patrolId')
  @ApiOperation({ summary: '一次巡查：巡查表、点位扫码时间、结果 / one patrol' })
  get(@CurrentUser() user: AuthUser, @Param('patrolId', patrolId) id: string) {
    return this.patrols.detail(user, id);
  }

  @Post('patrols/:patrolId/scans')
  @Can('patrol.record')
  @ApiOperation({ summary: '扫码或输入点位码记录到位（服务器时间）/ record a point scan' })
  scan(@CurrentUser() user: AuthUser, @Param('patrolId', patrolId) id: string, @Body() dto: ScanDto) {
    return this.patrols.scan(user, id, dto);
  }

  @Post('patrols/:patrolId/submit')
  @Can('patrol.record')
  @HttpCode(200)
  @ApiOperation({ summary: '提交巡查（异常项生成自查隐患）/ submit a patrol' })
  submit(@CurrentUser() user: AuthUser, @Param('patrolId', patrolId) id: string, @Body() dto: SubmitPatrolDto) {
    return this.patrols.submit(user, id, dto);
  }

  @Get('institutions/:id/self-hazards')
  @ApiOperation({ summary: '自查隐患（分页）/ self-reported hazards' })
  selfHazards(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query() query: SelfHazardQuery) {
    return this.patrols.selfHazards(user, id, query);
  }

  @Post('self-hazards/:hazardId/close')
  @Can('patrol.record')
  @HttpCode(200)
  @ApiOperation({ summary: '机构整改后自行销号 / the institution closes its own hazard' })
  close(@CurrentUser() user: AuthUser, @Param('hazardId', selfHazardId) id: string, @Body() dto: CloseSelfHazardDto) {
    return this.patrols.closeSelfHazard(user, id, dto);
  }
}
