import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { AuditService } from '../audit/audit.service';
import { Public } from '../auth/auth.decorators';
import { shanghaiDate } from '../common/calendar';
import { CreditService } from '../credit/credit.service';
import { label } from '../common/vocabulary';
import { gradeName, GradeLevel } from '../scoring/domain/grade';
import { ScoringRepository } from '../scoring/scoring.repository';
import { layout } from '../web/layout';
import { disclosurePage } from './disclosure-page';
import { DisclosureRepository } from './disclosure.repository';

@ApiTags('public 公示')
@Public()
@Controller()
export class DisclosureController {
  constructor(private readonly repo: DisclosureRepository, private readonly grades: ScoringRepository, private readonly audit: AuditService, private readonly credit: CreditService) {}

  /** The published results, each with the institution's grade in force today (revocations, lowerings, later outcomes applied). */
  private async results(limit: number) {
    const rows = await this.repo.publishedResults(limit);
    const today = shanghaiDate(new Date());
    const inForce = new Map((await this.grades.gradeIntervals([...new Set(rows.map((r) => r.institutionId))], today, today)).map((g) => [g.institutionId, g.grade]));
    return rows.map(({ institutionId, ...r }) => {
      const grade = inForce.get(institutionId) ?? null;
      return { ...r, grade, gradeLabel: label('grade', grade ?? 0) };
    });
  }

  private async decisions(limit: number) {
    return (await this.repo.gradeDecisions(limit)).map((d) => ({
      ...d, decision: label('gradeDecisionKind', d.kind), assessedGradeLabel: gradeName(d.assessedGrade as GradeLevel),
      newGradeLabel: d.newGrade ? gradeName(d.newGrade as GradeLevel) : null,
    }));
  }

  /** 失信认定 in force whose rules said to publish them (checklists/credit-rules.yaml dishonesty.publish). */
  private async dishonesty(limit: number) {
    return (await this.credit.published('/', limit)).map((d) => ({ ...d, statusLabel: label('dishonestyStatus', d.status) }));
  }

  @Get('public/feed.json')
  @ApiOperation({ summary: '公示数据（JSON，无个人信息）/ public disclosure feed' })
  async feed() {
    const [results, majorHazards, gradeDecisions, auditHead, dishonesty] = await Promise.all([this.results(500), this.repo.listedMajorHazards(200), this.decisions(200), this.audit.dailyHead(), this.dishonesty(200)]);
    // auditHead: yesterday's audit-chain head (ADR 0001), published so that copies of the feed anchor it outside the server
    return { generatedAt: new Date().toISOString(), results, majorHazards, gradeDecisions, dishonesty, auditHead };
  }

  @Get('public')
  async page(@Res() res: Response) {
    const [results, major, decisions, dishonesty] = await Promise.all([this.results(200), this.repo.listedMajorHazards(100), this.decisions(100), this.dishonesty(100)]);
    const body = disclosurePage({ major, results, decisions, dishonesty });
    res.type('html').send(layout({ title: '结果公示', body }));
  }
}
