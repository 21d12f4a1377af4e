import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Can, CurrentUser } from '../auth/auth.decorators';
import { shanghaiDate } from '../common/calendar';
import { AuthUser, scopeOf } from '../common/scope';
import { DivisionsService } from '../divisions/divisions.service';
import { Column, writeXlsx } from '../reports/tabular';
import { HazardFilter } from '../hazards/hazards.repository';
import { checkLedgerQuery, HazardQuery } from '../rectification/dto/rectification.dto';
import { ExportSql, ExportsRepository } from './exports.repository';
import { RatingQuery } from '../inspections/dto/inspection-code.dto';
import { InspectionCodesService } from '../inspections/inspection-codes.service';

class ExportQuery {
  @ApiPropertyOptional({ description: '区划（含下级，默认本级）/ division subtree' }) @IsOptional() @Matches(/^\d{6}(\d{3}(\d{3})?)?$/) divisionCode?: string;
}

const BOM = '\uFEFF';

/** The bureau's exports. CSV streams straight from PostgreSQL COPY; XLSX from a cursor; both in constant memory. */
@ApiTags('exports 导出')
@ApiBearerAuth()
@Can('export.read')
@Controller('api/exports')
export class ExportsController {
  constructor(private readonly exports: ExportsRepository, private readonly divisions: DivisionsService, private readonly codes: InspectionCodesService) {}

  @Get('compliance.csv')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: '机构合规得分（CSV，UTF-8 BOM，Excel 可直接打开）/ compliance scores as CSV' })
  async complianceCsv(@CurrentUser() user: AuthUser, @Query() q: ExportQuery, @Res() res: Response) {
    await this.csv(res, await this.path(user, q), `合规得分_${shanghaiDate(new Date())}.csv`, (p, csv) => this.exports.complianceSql(p, csv));
  }

  @Get('compliance.xlsx')
  @ApiOperation({ summary: '机构合规得分（Excel）/ compliance scores as XLSX' })
  async complianceXlsx(@CurrentUser() user: AuthUser, @Query() q: ExportQuery, @Res() res: Response) {
    await this.xlsx(res, await this.path(user, q), `合规得分_${shanghaiDate(new Date())}.xlsx`, '合规得分', (p, csv) => this.exports.complianceSql(p, csv));
  }

  @Get('hazards.csv')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: '隐患台账及处理记录（CSV；与 GET /api/hazards 相同的筛选，导出全部符合条件的隐患）/ the filtered hazard ledger with its history as CSV' })
  async hazardsCsv(@CurrentUser() user: AuthUser, @Query() q: HazardQuery, @Res() res: Response) {
    const filter = await this.hazardFilter(user, q);
    const stream = await this.exports.copyHazardLedger(scopeOf(user), filter);
    await this.sendCsv(res, stream, `隐患台账_${shanghaiDate(new Date())}.csv`);
  }

  @Get('hazards.xlsx')
  @ApiOperation({ summary: '隐患台账及处理记录（Excel；与 GET /api/hazards 相同的筛选）/ the filtered hazard ledger as XLSX' })
  async hazardsXlsx(@CurrentUser() user: AuthUser, @Query() q: HazardQuery, @Res() res: Response) {
    const filter = await this.hazardFilter(user, q);
    const rows = await this.exports.cursorHazardLedger(scopeOf(user), filter);
    await this.sendXlsx(res, rows, `隐患台账_${shanghaiDate(new Date())}.xlsx`, '隐患台账', (p, csv) => this.exports.hazardLedgerSql(p, csv));
  }

  @Get('inspection-ratings.csv')
  @Can('inspection_rating.read')
  @ApiProduces('text/csv')
  @ApiOperation({ summary: '检查评价（CSV；与 GET /api/inspection-ratings 相同的筛选，导出全部符合条件的评价，含评价意见）/ the filtered inspection ratings as CSV' })
  async ratingsCsv(@CurrentUser() user: AuthUser, @Query() q: RatingQuery, @Res() res: Response) {
    const filter = await this.codes.ratingFilter(user, q);
    await this.sendCsv(res, await this.exports.copyInspectionRatings(scopeOf(user), filter), `检查评价_${shanghaiDate(new Date())}.csv`);
  }

  @Get('inspection-ratings.xlsx')
  @Can('inspection_rating.read')
  @ApiOperation({ summary: '检查评价（Excel；与 GET /api/inspection-ratings 相同的筛选）/ the filtered inspection ratings as XLSX' })
  async ratingsXlsx(@CurrentUser() user: AuthUser, @Query() q: RatingQuery, @Res() res: Response) {
    const filter = await this.codes.ratingFilter(user, q);
    const rows = await this.exports.cursorInspectionRatings(scopeOf(user), filter);
    await this.sendXlsx(res, rows, `检查评价_${shanghaiDate(new Date())}.xlsx`, '检查评价', (p, csv) => this.exports.inspectionRatingsSql(p, csv));
  }

  /** The ledger's filters, checked as the ledger checks them (date ranges); a division outside the viewer's scope is refused. */
  private async hazardFilter(user: AuthUser, q: HazardQuery): Promise<HazardFilter> {
    checkLedgerQuery(q);
    if (q.divisionCode) await this.divisions.requireWithin(scopeOf(user), q.divisionCode, 'divisionCode');
    const { page: _page, pageSize: _size, ...filter } = q;
    return filter;
  }

  private async path(user: AuthUser, q: ExportQuery): Promise<string> {
    return q.divisionCode ? (await this.divisions.requireWithin(scopeOf(user), q.divisionCode, 'divisionCode')).path : user.divisionPath;
  }

  private async csv(res: Response, divisionPath: string, filename: string, sql: ExportSql): Promise<void> {
    await this.sendCsv(res, await this.exports.copyCsv(sql, divisionPath), filename);
  }

  private async sendCsv(res: Response, stream: Readable, filename: string): Promise<void> {
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="export.csv"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    res.write(BOM);
    await pipeline(stream, res);
  }

  private async xlsx(res: Response, divisionPath: string, filename: string, sheet: string, sql: ExportSql): Promise<void> {
    await this.sendXlsx(res, await this.exports.cursor(sql, divisionPath), filename, sheet, sql);
  }

  private async sendXlsx(res: Response, rows: AsyncIterable<Record<string, unknown>> & Readable, filename: string, sheet: string, sql: ExportSql): Promise<void> {
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="export.xlsx"; filename*=UTF-8''${encodeURIComponent(filename)}`);
    try {
      const columns = await this.columnsOf(sql);
      await writeXlsx(res, [{ name: sheet, columns, rows, title: `${sheet}（${shanghaiDate(new Date())} 导出）` }]);
    } finally {
      rows.destroy();
    }
  }

  /** Column headers are the query's own (Chinese) column names, in order. */
  private async columnsOf(sql: ExportSql): Promise<Column<Record<string, unknown>>[]> {
    const fields: { name: string }[] = await this.exports.fields(sql);
    return fields.map((f) => ({ key: f.name, header: f.name, value: (row: Record<string, unknown>) => normalise(row[f.name]) }));
  }
}

function normalise(v: unknown): string | number | Date | null {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) && v.length < 15) return Number(v);
  return String(v);
}
