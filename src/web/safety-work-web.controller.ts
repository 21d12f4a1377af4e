import { Controller, Get, Logger, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { shanghaiDate } from '../common/calendar';
import { PageQuery } from '../common/pagination';
import { AuthUser } from '../common/scope';
import { csvHeader, csvLine } from '../reports/tabular';
import { SafetyWorkService } from '../safety-work/safety-work.service';
import { render } from './render';
import { SAFETY_WORK_COLUMNS, safetyWorkPage } from './safety-work-pages';
import { webQuery } from './web-query';

/** 机构安全工作: the bureau's page and its CSV export (every institution in scope, the page's figures). */
@ApiExcludeController()
@Controller()
@Can('safety_work.read')
export class SafetyWorkWebController {
  private readonly logger = new Logger('SafetyWorkExport');

  constructor(private readonly safetyWork: SafetyWorkService) {}

  @Get('safety-work')
  async page(@CurrentUser() user: AuthUser, @Query() raw: Record<string, string>, @Res() res: Response) {
    const { query } = webQuery(PageQuery, { page: raw.page ?? '' }, []);
    const [lines, totals] = await Promise.all([this.safetyWork.page(user, query), this.safetyWork.totals(user)]);
    render(res, { title: '机构安全工作', user, body: safetyWorkPage({ lines, totals }) });
  }

  @Get('safety-work.csv')
  async csv(@CurrentUser() user: AuthUser, @Res() res: Response) {
    const name = `机构安全工作_${shanghaiDate(new Date())}.csv`;
    res.setHeader('Cache-Control', 'private, no-store');
    res.setHeader('Content-Disposition', `attachment; filename="safety-work.csv"; filename*=UTF-8''${encodeURIComponent(name)}`);
    const lines = this.safetyWork.all(user);
    // the first batch before any byte is sent, so a refusal or a failure still gets its error response
    const first = await lines.next();
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.write(csvHeader(SAFETY_WORK_COLUMNS));
    try {
      if (!first.done) res.write(csvLine(SAFETY_WORK_COLUMNS, first.value));
      for await (const line of lines) res.write(csvLine(SAFETY_WORK_COLUMNS, line));
      res.end();
    } catch (err) {
      // headers are gone: end the response as failed (the client sees a cut-off download, not a complete-looking file)
      this.logger.error(`safety-work.csv failed after the first rows: ${String(err)}`);
      res.destroy(err as Error);
    }
  }
}
