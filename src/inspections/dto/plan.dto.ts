import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min, MinLength,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { INT4_MAX, IsCalendarDate, IsDivisionCode } from '../../common/validators';
import { INSTITUTION_KINDS, INSTITUTION_STATUSES } from '../../institutions/institution.entity';
import { JOINT_AGENCIES, PLAN_KINDS, PlanKind, RISK_LEVELS, RiskLevel } from '../domain/plan-rules';

/** 制定检查计划: the plan, its institution pool (filters) and inspector pool, and the draw's parameters. */
export class CreatePlanDto {
  @ApiProperty({ description: '计划名称 / plan name' }) @IsString() @MinLength(1) @MaxLength(100) name: string;
  @ApiProperty({ enum: PLAN_KINDS, description: '检查类型：routine 日常检查、random 双随机抽查、joint 联合检查、special 专项整治、complaint 投诉核查（复查由整改流程发起）' })
  @IsIn(PLAN_KINDS) kind: PlanKind;
  @ApiPropertyOptional({ description: '联合检查部门 / joint agencies (消防 fire, 市场监管 market, 卫健 health, 住建 housing)', isArray: true, enum: JOINT_AGENCIES })
  @IsOptional() @IsArray() @IsIn(JOINT_AGENCIES, { each: true }) jointAgencies?: string[];
  @ApiProperty({ description: '范围：行政区划（含下级）/ division subtree' }) @IsDivisionCode() divisionCode: string;
  @ApiPropertyOptional({ isArray: true, enum: INSTITUTION_KINDS, description: '机构类型筛选 / institution kinds' })
  @IsOptional() @IsArray() @IsIn(INSTITUTION_KINDS, { each: true }) institutionKinds?: string[];
  @ApiPropertyOptional({ isArray: true, enum: INSTITUTION_STATUSES, default: ['active'] })
  @IsOptional() @IsArray() @IsIn(INSTITUTION_STATUSES, { each: true }) institutionStatuses?: string[];
  @ApiPropertyOptional({ isArray: true, enum: RISK_LEVELS, description: '风险等级（按现行安全分：high <60，elevated 60–79.9，normal ≥80，unscored 无安全分）/ risk bands of the current safety score' })
  @IsOptional() @IsArray() @IsIn(RISK_LEVELS, { each: true }) riskLevels?: RiskLevel[];
  @ApiPropertyOptional({ description: '上次检查早于该日（含从未检查）/ last inspected before this day (or never)' })
  @IsOptional() @IsCalendarDate() lastInspectedBefore?: string;
  @ApiPropertyOptional({ description: '按信用频次应检：只含本年度已检查（含已安排）次数少于其信用等级要求的机构（规则见信用评价规则 frequency）/ only institutions behind the yearly inspection count their credit level sets' })
  @IsOptional() @IsBoolean() creditDue?: boolean;
  @ApiPropertyOptional({ description: '差异化抽查：按信用等级分层，各层按信用规则的比例抽取（仅双随机抽查；不填抽取数量或比例）/ stratified by credit level, each stratum at the credit rules’ ratio (random plans only; no sample count or ratio)' })
  @IsOptional() @IsBoolean() stratified?: boolean;
  @ApiPropertyOptional({ description: '抽取数量 / number to draw' }) @IsOptional() @IsInt() @Min(1) @Max(100_000) sampleCount?: number;
  @ApiPropertyOptional({ description: '抽取比例 (0,1] / ratio to draw' }) @IsOptional() @IsNumber() @Min(0.0001) @Max(1) sampleRatio?: number;
  @ApiPropertyOptional({ description: '每组人数（默认与最少人数见监管策略 team.minSize）/ team size (default and minimum: policy team.minSize)' }) @IsOptional() @IsInt() @Min(1) @Max(10) teamSize?: number;
  @ApiProperty({ description: '检查人员名单 / inspector pool (user ids)', type: [String] })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @IsUUID('all', { each: true }) inspectorIds: string[];
  @ApiPropertyOptional({ default: 12, description: '近 N 个月检查过该机构的人员回避（默认见监管策略 draw.conflictMonths）/ months a previous inspector is excluded' })
  @IsOptional() @IsInt() @Min(0) @Max(60) conflictMonths?: number;
  @ApiPropertyOptional({ description: '随机种子（留空自动生成并记录）/ seed; generated and recorded when empty' })
  @IsOptional() @IsString() @Matches(/^[\w.:-]{1,128}$/) seed?: string;
  @ApiPropertyOptional({ description: '检查期间起 / period from' }) @IsOptional() @IsCalendarDate() scheduledFrom?: string;
  @ApiPropertyOptional({ description: '检查期间止 / period to' }) @IsOptional() @IsCalendarDate() scheduledTo?: string;
  @ApiPropertyOptional({ default: 'fire-safety-inspection' }) @IsOptional() @Matches(/^[A-Za-z0-9][A-Za-z0-9.-]*$/) checklistCode?: string;
}

/**
 * 编辑计划（公示前）: any of the plan's fields, and the version it was read at. A change to the pool, the inspectors
 * or the draw's parameters draws again (a seed left out keeps the plan's seed); name, period and agencies do not.
 */
export class UpdatePlanDto extends PartialType(CreatePlanDto) {
  @ApiProperty({ description: '读取时的版本号 / the version read' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
}

/** Also used by the page for the inspector pool: the candidates for a plan of this division. */
export class PlanCandidatesQuery {
  @ApiPropertyOptional({ description: '计划范围（默认本人辖区）/ the plan division' }) @IsOptional() @IsDivisionCode() divisionCode?: string;
}

export class PlanQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['drawn', 'published'] }) @IsOptional() @IsIn(['drawn', 'published']) status?: 'drawn' | 'published';
  @ApiPropertyOptional({ enum: PLAN_KINDS }) @IsOptional() @IsIn(PLAN_KINDS) kind?: PlanKind;
  @ApiPropertyOptional({ description: '检查期间与此区间重叠：起 / period overlaps: from' }) @IsOptional() @IsCalendarDate() periodFrom?: string;
  @ApiPropertyOptional({ description: '检查期间与此区间重叠：止 / period overlaps: to' }) @IsOptional() @IsCalendarDate() periodTo?: string;
}

