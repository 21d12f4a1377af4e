import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { AppError } from '../common/app-error';
import { AuthUser } from '../common/scope';
import { label } from '../common/vocabulary';
import { renderSubsidySchedule } from '../reports/subsidy-schedule.pdf';
import { writeXlsx } from '../reports/tabular';
import { CreateScheduleDto } from './dto/scoring.dto';
import { CompareQuery, ScheduleQuery } from './dto/subsidy-pages.dto';
import { SubsidiesService } from './subsidies.service';

const uuid = (code: string) => new ParseUUIDPipe({ exceptionFactory: () => AppError.notFound(code) });
const GRADE_LABELS = ['未评级', '一级', '二级', '三级', '四级', '五级'];

@ApiTags('scoring 评分、等级与补贴')
@ApiBearerAuth()
@Controller('api')
export class SubsidiesController {
  constructor(private readonly scoring: SubsidiesService) {}

  @Post('subsidy-schedules')
  @Can('subsidy.create')
  @ApiOperation({ summary: '生成运营补贴发放表（版本化快照，逐项说明）/ compute a subsidy schedule snapshot' })
  createSchedule(@CurrentUser() user: AuthUser, @Body() dto: CreateScheduleDto) {
    return this.scoring.createSchedule(user, dto);
  }

  @Get('subsidy-schedules')
  @Can('subsidy.read')
  @ApiOperation({ summary: '补贴发放表列表（按状态、区划筛选）/ schedules, by status and division' })
  schedules(@CurrentUser() user: AuthUser, @Query() query: ScheduleQuery) {
    return this.scoring.schedules(user, query);
  }

  @Get('subsidy-schedules/:id')
  @Can('subsidy.read')
  schedule(@CurrentUser() user: AuthUser, @Param('id', uuid('subsidy.not_found')) id: string) {
    return this.scoring.schedule(user, id);
  }

  @Post('subsidy-schedules/:id/recompute')
  @Can('subsidy.create')
  @HttpCode(200)
  @ApiOperation({ summary: '重新计算草稿（已审批的发放表答复 409）/ recompute a draft in place; 409 when approved' })
  recompute(@CurrentUser() user: AuthUser, @Param('id', uuid('subsidy.not_found')) id: string) {
    return this.scoring.recompute(user, id);
  }

  @Get('subsidy-schedules/:id/compare')
  @Can('subsidy.read')
  @ApiOperation({ summary: '与上一期（或指定发放表）逐机构对比：新增、移除、金额变化及原因 / compare with the previous period, per institution' })
  async compare(@CurrentUser() user: AuthUser, @Param('id', uuid('subsidy.not_found')) id: string, @Query() query: CompareQuery) {
    const result = await this.scoring.compare(user, id, query.with);
    if (!result.other) throw AppError.notFound('subsidy.no_previous');
    return result;
  }

  @Post('subsidy-schedules/:id/approve')
  @Can('subsidy.approve')
  @HttpCode(200)
  @ApiOperation({ summary: '审批（审批后冻结，不可更改）/ approve and freeze' })
  approve(@CurrentUser() user: AuthUser, @Param('id', uuid('subsidy.not_found')) id: string) {
    return this.scoring.approve(user, id);
  }

  @Get('subsidy-schedules/:id/export.xlsx')
  @Can('subsidy.read')
  @ApiOperation({ summary: '补贴发放表（Excel）/ the schedule as XLSX' })
  async xlsx(@CurrentUser() user: AuthUser, @Param('id', uuid('subsidy.not_found')) id: string, @Res() res: Response) {
    const s = await this.scoring.schedule(user, id);
    type Line = ScheduleLine & { no: number };
    const rows: Line[] = (s.lines as ScheduleLine[]).map((l, i) => ({ ...l, no: i + 1 }));
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="subsidy.xlsx"; filename*=UTF-8''${encodeURIComponent(`运营补贴_${s.divisionName}_${s.periodStart}_${s.periodEnd}_v${s.versionNo}.xlsx`)}`);
    await writeXlsx<Line>(res, [{
      name: '补贴发放表', title: `${s.divisionName} 养老机构运营补贴（${s.periodStart} 至 ${s.periodEnd}，第 ${s.versionNo} 版，${s.status === 'approved' ? '已审批' : '草稿'}）`,
      columns: [
        { key: 'no', header: '序号', width: 6, value: (r) => r.no },
        { key: 'name', header: '机构', width: 30, value: (r) => r.institutionName },
        { key: 'grade', header: '等级（期末）', width: 10, value: (r) => GRADE_LABELS[r.grade ?? 0] },
        { key: 'score', header: '安全得分', width: 10, value: (r) => r.safetyScore },
        { key: 'beds', header: '入住床位（期末）', width: 12, value: (r) => r.occupiedBeds },
        { key: 'amount', header: '补贴金额（元）', width: 16, value: (r) => r.amount, numFmt: '#,##0.00' },
        { key: 'suspended', header: '暂停', width: 6, value: (r) => (r.suspended ? '是' : '') },
        { key: 'days', header: '计补天数', width: 10, value: (r) => (r.eligible === false ? '不符合条件' : r.paidDays ?? r.period?.days ?? '') },
        { key: 'street', header: '街道', width: 14, value: (r) => r.divisionName ?? '' },
        { key: 'kind', header: '机构类型', width: 14, value: (r) => (r.kind ? label('institutionKind', r.kind) : '') },
        { key: 'detail', header: '计算明细', width: 60, value: (r) => r.lines.map((x) => `${x.label}：${x.formula} = ${x.amount}`).join('；') },
      ],
      rows,
    }]);
  }

  @Get('subsidy-schedules/:id/export.pdf')
  @Can('subsidy.read')
  @ApiOperation({ summary: '补贴发放表（PDF）/ the schedule as PDF' })
  async pdf(@CurrentUser() user: AuthUser, @Param('id', uuid('subsidy.not_found')) id: string, @Res() res: Response) {
    const s = await this.scoring.scheduleDocument(user, id);
    const lines = s.lines as ScheduleLine[];
    const pdf = await renderSubsidySchedule({
      title: `${s.divisionName}养老机构运营补贴发放表（${s.periodStart} 至 ${s.periodEnd}）`, bureauName: s.bureauName,
      scheduleNo: `SUB-${s.divisionCode}-${s.periodStart}-v${s.versionNo}`, status: s.status, approvedAt: s.approvedAt, approvedBy: s.approvedByName,
      period: { start: s.periodStart, end: s.periodEnd }, policy: { code: s.policyCode, versionNo: s.policyVersionNo, contentHash: s.policyHash },
      rows: lines.map((l, i) => ({ no: i + 1, institutionName: l.institutionName, gradeLabel: GRADE_LABELS[l.grade ?? 0], safetyScore: l.safetyScore,
        occupiedBeds: l.occupiedBeds, amount: l.amount, lines: l.lines,
        // 本期暂停发放: nothing paid because of a major hazard (a partial suspension is explained by its own 0 line)
        suspended: l.suspended && (l.paidDays ?? 0) === 0 })),
      total: s.total, generatedAt: new Date(),
    });
    res.setHeader('Content-Disposition', `inline; filename="subsidy.pdf"; filename*=UTF-8''${encodeURIComponent(`运营补贴_${s.periodStart}_v${s.versionNo}.pdf`)}`);
    res.type('application/pdf').send(pdf);
  }
}

/**
 * One institution's line of a stored schedule. `grade` and `occupiedBeds` are those in force on the period's last day
 * (the lines show each segment's own); `eligible`, `paidDays` and `period` are absent on schedules stored before
 * issue 12.
 */
interface ScheduleLine {
  institutionId: string; institutionName: string; grade: number | null; safetyScore: number | null; occupiedBeds: number;
  amount: number; suspended: boolean; lines: { label: string; formula: string; amount: number }[];
  eligible?: boolean; paidDays?: number; period?: { days: number };
  /** the institution's street and kind when the schedule was computed (issue 13 on) */
  divisionName?: string; kind?: string;
}
