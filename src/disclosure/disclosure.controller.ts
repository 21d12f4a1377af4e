import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/auth.decorators';
import { formatChineseDate, shanghaiDate } from '../common/calendar';
import { html } from '../common/html';
import { label } from '../common/vocabulary';
import { gradeName, GradeLevel } from '../scoring/domain/grade';
import { ScoringRepository } from '../scoring/scoring.repository';
import { layout } from '../web/layout';
import { DisclosureRepository } from './disclosure.repository';

const HAZARD_STATUS: Record<string, string> = { open: '整改中', responded: '整改中', returned: '整改中', closed: '已销号' };

@ApiTags('public 公示')
@Public()
@Controller()
export class DisclosureController {
  constructor(private readonly repo: DisclosureRepository, private readonly grades: ScoringRepository) {}

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

  @Get('public/feed.json')
  @ApiOperation({ summary: '公示数据（JSON，无个人信息）/ public disclosure feed' })
  async feed() {
    const [results, majorHazards, gradeDecisions] = await Promise.all([this.results(500), this.repo.listedMajorHazards(200), this.decisions(200)]);
    return { generatedAt: new Date().toISOString(), results, majorHazards, gradeDecisions };
  }

  @Get('public')
  async page(@Res() res: Response) {
    const [results, major, decisions] = await Promise.all([this.results(200), this.repo.listedMajorHazards(100), this.decisions(100)]);
    const body = html`<h1>养老机构安全检查结果公示</h1>
<p class="muted">依据“双随机、一公开”要求公开抽查结果和重大事故隐患挂牌督办情况。本页不含个人信息。<a href="/public/feed.json">数据下载（JSON）</a></p>
<section aria-labelledby="pub-major"><h2 id="pub-major">重大事故隐患挂牌督办</h2>
${major.length ? html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">机构</th><th scope="col">隐患</th><th scope="col">挂牌日期</th><th scope="col">整改期限</th><th scope="col">状态</th></tr></thead>
<tbody>${major.map((m) => html`<tr><td>${m.institutionName}</td><td>${m.itemCode} ${m.title}</td><td>${formatChineseDate(m.listedOn)}</td><td>${formatChineseDate(m.dueDate)}</td>
<td>${m.status === 'closed' ? html`<span class="tag">已销号${m.closedOn ? `（${formatChineseDate(m.closedOn)}）` : ''}</span>` : html`<span class="tag warn">${HAZARD_STATUS[m.status]}</span>`}</td></tr>`)}</tbody></table></div>`
      : html`<div class="empty">目前没有挂牌督办的重大事故隐患。</div>`}</section>
<section aria-labelledby="pub-results"><h2 id="pub-results">抽查结果</h2>
${results.length ? html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">计划</th><th scope="col">区域</th><th scope="col">机构</th><th scope="col">现行等级</th><th scope="col">检查日期</th><th scope="col">发现隐患</th><th scope="col">已销号</th></tr></thead>
<tbody>${results.map((r) => html`<tr><td>${r.planName}（${label('inspectionKind', r.kind)}）</td><td>${r.divisionName}</td><td>${r.institutionName}</td><td>${r.gradeLabel}</td><td>${formatChineseDate(r.inspectedOn)}</td><td>${r.hazards}</td><td>${r.closed}</td></tr>`)}</tbody></table></div>`
      : html`<div class="empty">暂无已公示的抽查结果。</div>`}</section>
<section aria-labelledby="pub-grades"><h2 id="pub-grades">等级撤销与降级</h2>
${decisions.length ? html`<div class="table-wrap"><table class="data"><thead><tr><th scope="col">机构</th><th scope="col">决定</th><th scope="col">等级</th><th scope="col">生效日期</th><th scope="col">理由</th><th scope="col">依据</th></tr></thead>
<tbody>${decisions.map((d) => html`<tr><td>${d.institutionName}</td><td>${d.decision}</td><td>${d.newGradeLabel ? `${d.assessedGradeLabel} → ${d.newGradeLabel}` : `${d.assessedGradeLabel}（已撤销）`}</td><td>${formatChineseDate(d.effectiveOn)}</td><td>${d.reason}</td><td>${d.basis}</td></tr>`)}</tbody></table></div>`
      : html`<div class="empty">目前没有撤销或降级的等级。</div>`}</section>`;
    res.type('html').send(layout({ title: '结果公示', body }));
  }
}
