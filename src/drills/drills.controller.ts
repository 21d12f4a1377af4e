import { Body, Controller, Get, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { DrillsService } from './drills.service';
import { DrillQuery, RecordDrillDto, RecordTrainingDto, TraineeQuery } from './dto/drill.dto';

const institutionId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('institution.not_found') });
const drillId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('drill.not_found') });

/** 演练与培训: drills (live drills count toward the half-year minimum) and staff training, kept by the institution. */
@ApiTags('drills and training 演练与培训')
@ApiBearerAuth()
@Controller('api/institutions/:id')
@Can('drill.read')
export class DrillsController {
  constructor(private readonly drills: DrillsService) {}

  @Get('drills')
  @ApiOperation({ summary: '演练记录（分页，最近的在前）/ drills, latest first' })
  list(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query() query: DrillQuery) {
    return this.drills.list(user, id, query);
  }

  @Get('drill-status')
  @ApiOperation({ summary: '实战演练是否按期（每半年至少一次）/ is the live drill due or missed' })
  status(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string) {
    return this.drills.status(user, id);
  }

  @Get('drills/:drillId')
  @ApiOperation({ summary: '一条演练记录 / one drill' })
  get(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Param('drillId', drillId) drill: string) {
    return this.drills.get(user, id, drill);
  }

  @Post('drills')
  @Can('drill.record')
  @ApiOperation({ summary: '登记演练（按照护等级的疏散人数、用时、存在问题）/ record a drill' })
  record(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() dto: RecordDrillDto) {
    return this.drills.record(user, id, dto);
  }

  @Get('trainees')
  @ApiOperation({ summary: '按人员的培训记录（最久未培训的在前，含到期日）/ training by staff member' })
  trainees(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Query() query: TraineeQuery) {
    return this.drills.trainees(user, id, query);
  }

  @Post('trainings')
  @Can('drill.record')
  @ApiOperation({ summary: '登记一次培训（每位参训人员一条记录）/ record a training session' })
  recordTraining(@CurrentUser() user: AuthUser, @Param('id', institutionId) id: string, @Body() dto: RecordTrainingDto) {
    return this.drills.recordTraining(user, id, dto);
  }
}
