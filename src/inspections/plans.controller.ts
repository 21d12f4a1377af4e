import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsInt, Max, Min } from 'class-validator';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { INT4_MAX } from '../common/validators';
import { CreatePlanDto, PlanQuery, UpdatePlanDto } from './dto/plan.dto';
import { PlansService } from './plans.service';

const planId = new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound('plan.not_found') });
class VersionDto {
  @ApiProperty() @IsInt() @Min(1) @Max(INT4_MAX) version: number;
}

@ApiTags('inspection plans 检查计划')
@ApiBearerAuth()
@Can('plan.read')
@Controller('api/inspection-plans')
export class PlansController {
  constructor(private readonly plans: PlansService) {}

  @Post()
  @Can('plan.create')
  @ApiOperation({ summary: '制定检查计划；双随机时按种子抽取机构和检查组并记录 / create a plan; random plans draw with a recorded seed' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreatePlanDto) {
    return this.plans.createPlan(user, dto);
  }

  @Get()
  @ApiOperation({ summary: '检查计划（分页，可按状态、类型、检查期间筛选；含进度）/ plans, with filters and progress' })
  list(@CurrentUser() user: AuthUser, @Query() query: PlanQuery) {
    return this.plans.plans(user, query);
  }

  @Get('form-options')
  @ApiOperation({ summary: '制定计划可选的检查人员（含上级区划人员，注明所属单位）、区划和默认值 / inspector pool candidates, divisions and defaults' })
  formOptions(@CurrentUser() user: AuthUser) {
    return this.plans.formOptions(user);
  }

  @Get(':id')
  get(@CurrentUser() user: AuthUser, @Param('id', planId) id: string) {
    return this.plans.plan(user, id);
  }

  @Patch(':id')
  @Can('plan.update')
  @ApiOperation({ summary: '公示前编辑计划；机构池、人员或抽取参数变化时重新抽取（未给种子沿用原种子）/ edit a plan before publication; a changed draw input draws again' })
  update(@CurrentUser() user: AuthUser, @Param('id', planId) id: string, @Body() dto: UpdatePlanDto) {
    return this.plans.updatePlan(user, id, dto);
  }

  @Get(':id/verify')
  @ApiOperation({ summary: '用记录的种子和名单重新抽取，核对结果 / re-run the recorded draw' })
  verify(@CurrentUser() user: AuthUser, @Param('id', planId) id: string) {
    return this.plans.verifyPlan(user, id);
  }

  @Post(':id/publish')
  @Can('plan.publish')
  @HttpCode(200)
  @ApiOperation({ summary: '公示抽查结果（计划内检查全部完成后）/ publish the results' })
  publish(@CurrentUser() user: AuthUser, @Param('id', planId) id: string, @Body() dto: VersionDto) {
    return this.plans.publishPlan(user, id, dto.version);
  }
}
