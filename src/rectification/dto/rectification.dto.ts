import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { AppError, FieldIssue } from '../../common/app-error';
import { PageQuery } from '../../common/pagination';
import { IsCalendarDate } from '../../common/validators';

/** The ledger's sort orders: 发现日期 / 整改期限 (a leading `-`: newest or latest first), 机构名称, 等级 (major first). */
export const HAZARD_SORTS = ['-found', 'found', 'due', '-due', 'institution', 'severity'] as const;
export type HazardSort = (typeof HAZARD_SORTS)[number];

const booleanQuery = () => Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

/**
 * The hazard ledger's filters (隐患台账) — ONE query for the API list (GET /api/hazards), the ledger page (/hazards)
 * and the exports (/api/exports/hazards.csv|xlsx), read by one condition builder (`hazardLedgerWhere`). Dates are
 * Shanghai calendar days, both ends inclusive.
 */
export class HazardQuery extends PageQuery {
  @ApiPropertyOptional({ description: '全文检索：隐患名称、情况说明、机构名称 / search item title, note, institution name' })
  @IsOptional() @IsString() @MaxLength(100) q?: string;
  @ApiPropertyOptional({ enum: ['open', 'responded', 'returned', 'closed'] }) @IsOptional() @IsIn(['open', 'responded', 'returned', 'closed']) status?: string;
  @ApiPropertyOptional({ enum: ['general', 'major'] }) @IsOptional() @IsIn(['general', 'major']) severity?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(/^[A-Z]{2,8}$/) category?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() institutionId?: string;
  @ApiPropertyOptional({ description: '来源检查 / the inspection that found it' }) @IsOptional() @IsUUID() inspectionId?: string;
  @ApiPropertyOptional({ description: '区划（街道或区，含下级）/ division subtree' }) @IsOptional() @Matches(/^\d{6}(\d{3}(\d{3})?)?$/) divisionCode?: string;
  @ApiPropertyOptional({ description: '挂牌督办 / listed major hazards' }) @IsOptional() @booleanQuery() @IsBoolean() listed?: boolean;
  @ApiPropertyOptional({ description: '已逾期 / overdue' }) @IsOptional() @booleanQuery() @IsBoolean() overdue?: boolean;
  @ApiPropertyOptional({ description: '整改期限自（含）/ due from (YYYY-MM-DD)' }) @IsOptional() @IsCalendarDate() dueFrom?: string;
  @ApiPropertyOptional({ description: '整改期限至（含）/ due to (YYYY-MM-DD)' }) @IsOptional() @IsCalendarDate() dueTo?: string;
  @ApiPropertyOptional({ description: '发现日期自（含）/ found from (YYYY-MM-DD)' }) @IsOptional() @IsCalendarDate() foundFrom?: string;
  @ApiPropertyOptional({ description: '发现日期至（含）/ found to (YYYY-MM-DD)' }) @IsOptional() @IsCalendarDate() foundTo?: string;
  @ApiPropertyOptional({ enum: HAZARD_SORTS, default: '-found' }) @IsOptional() @IsIn(HAZARD_SORTS) sort?: HazardSort;
}

/** The query keys of the ledger's filters (what the page form, the pager links and the export links carry). */
export const HAZARD_QUERY_KEYS = [
  'q', 'institutionId', 'divisionCode', 'category', 'severity', 'status', 'overdue', 'listed', 'dueFrom', 'dueTo', 'foundFrom', 'foundTo', 'inspectionId', 'sort',
] as const;

/** What the DTO alone cannot check: each date range runs forwards (a 400 naming the end that is before its start). */
export function checkLedgerQuery(q: Pick<HazardQuery, 'dueFrom' | 'dueTo' | 'foundFrom' | 'foundTo'>): void {
  const issues: FieldIssue[] = [];
  if (q.dueFrom && q.dueTo && q.dueTo < q.dueFrom) issues.push({ field: 'dueTo', reason: 'dateRangeBackwards', args: [q.dueFrom] });
  if (q.foundFrom && q.foundTo && q.foundTo < q.foundFrom) issues.push({ field: 'foundTo', reason: 'dateRangeBackwards', args: [q.foundFrom] });
  if (issues.length) throw AppError.validation(issues);
}

export class RespondDto {
  @ApiProperty({ description: '整改了什么 / what was fixed' }) @IsString() @MinLength(2) @MaxLength(2000) whatWasFixed: string;
  @ApiProperty({ description: '举一反三：还检查了哪些地方 / other places checked' }) @IsString() @MinLength(2) @MaxLength(2000) otherPlacesChecked: string;
  @ApiProperty({ description: '长效措施 / the lasting change' }) @IsString() @MinLength(2) @MaxLength(2000) lastingChange: string;
  @ApiProperty({ description: '整改责任人 / responsible person' }) @IsString() @MinLength(1) @MaxLength(64) responsiblePerson: string;
  @ApiProperty({ description: '完成日期 / completed on (YYYY-MM-DD)' }) @IsCalendarDate() completedOn: string;
  @ApiPropertyOptional({ type: [String], description: '整改后照片 / after-photos (evidence ids)' })
  @IsOptional() @IsArray() @ArrayMaxSize(20) @IsUUID('all', { each: true }) evidenceIds?: string[];
}

export class VerifyDto {
  @ApiProperty({ description: 'true 销号 / false 退回' }) @IsBoolean() accept: boolean;
  @ApiPropertyOptional({ description: '退回原因（退回时必填）/ reason (required to return)' }) @IsOptional() @IsString() @MaxLength(2000) reason?: string;
  @ApiPropertyOptional({ description: '退回后的新期限 / new due date when returned' }) @IsOptional() @IsCalendarDate() newDueDate?: string;
  @ApiPropertyOptional({ description: '是否现场核查 / verified on site' }) @IsOptional() @IsBoolean() onSite?: boolean;
}

export class ExtensionRequestDto {
  @ApiProperty({ description: '申请延期至 / requested due date' }) @IsCalendarDate() requestedDueDate: string;
  @ApiProperty({ description: '延期理由 / reason' }) @IsString() @MinLength(2) @MaxLength(2000) reason: string;
}

export class DecisionDto {
  @ApiProperty({ description: '同意 / approve (extension) or uphold (objection)' }) @IsBoolean() approve: boolean;
  @ApiProperty({ description: '理由 / reason' }) @IsString() @MinLength(2) @MaxLength(2000) reason: string;
}

export class ObjectionDto {
  @ApiProperty({ description: '陈述申辩内容 / statement' }) @IsString() @MinLength(2) @MaxLength(5000) statement: string;
}

export class PlanDto {
  @ApiProperty({ description: '临时管控措施 / interim measures' }) @IsString() @MinLength(2) @MaxLength(2000) interimMeasures: string;
  @ApiProperty({ description: '整改措施 / measures' }) @IsString() @MinLength(2) @MaxLength(2000) measures: string;
  @ApiProperty({ description: '整改资金 / funds' }) @IsString() @MinLength(1) @MaxLength(500) funds: string;
  @ApiProperty({ description: '责任人 / responsible person' }) @IsString() @MinLength(1) @MaxLength(64) responsiblePerson: string;
  @ApiProperty({ description: '完成时限 / deadline' }) @IsCalendarDate() deadline: string;
  @ApiProperty({ description: '应急预案 / emergency plan' }) @IsString() @MinLength(2) @MaxLength(2000) emergencyPlan: string;
}

export class DeadlineDto {
  @ApiProperty() @IsCalendarDate() dueDate: string;
  @ApiProperty({ description: '调整理由 / reason' }) @IsString() @MinLength(2) @MaxLength(2000) reason: string;
}

export class ReinspectionDto {
  @ApiProperty({ type: [String], description: '复查组（至少 2 人）/ team' }) @IsArray() @ArrayMaxSize(10) @IsUUID('all', { each: true }) teamUserIds: string[];
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() scheduledDate?: string;
}
