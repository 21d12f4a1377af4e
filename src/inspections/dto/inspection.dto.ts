import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsHexadecimal, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, IsUUID, Matches, Max, MaxLength, Min,
  registerDecorator, ValidateIf, ValidateNested, ValidationOptions,
} from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { IsCalendarDate, IsInstant, IsSignaturePng } from '../../common/validators';
import { checkMarkup } from '../../evidence/markup';
import { INSPECTION_KINDS, InspectionKind } from '../inspection.entity';

/** The plan DTOs live in plan.dto.ts; re-exported for the callers that import them from here. */
export { CreatePlanDto, PlanQuery, UpdatePlanDto } from './plan.dto';

export class CreateInspectionDto {
  @ApiProperty() @IsUUID() institutionId: string;
  @ApiProperty({ enum: INSPECTION_KINDS }) @IsIn(INSPECTION_KINDS) kind: InspectionKind;
  @ApiProperty({ type: [String], description: '检查组（第一位为组长，至少 2 人）/ team, lead first' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(10) @IsUUID('all', { each: true }) teamUserIds: string[];
  @ApiPropertyOptional() @IsOptional() @IsCalendarDate() scheduledDate?: string;
  @ApiPropertyOptional({ default: 'fire-safety-inspection' }) @IsOptional() @Matches(/^[A-Za-z0-9][A-Za-z0-9.-]*$/) checklistCode?: string;
}

export class InspectionQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['assigned', 'in_progress', 'submitted', 'cancelled'] })
  @IsOptional() @IsIn(['assigned', 'in_progress', 'submitted', 'cancelled']) status?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() institutionId?: string;
  @ApiPropertyOptional() @IsOptional() @IsUUID() planId?: string;
}

/** 作答轨迹的一步: when (and where) one part of an answer was set on the device (issue 14). */
export class TrailStepDto {
  @ApiProperty({ description: '作答/修改时间 / when' }) @IsInstant() at: string;
  @ApiProperty({ description: '作答的字段（result：逐项点选；bulkPass / bulkNa：本节其余合格 / 本节不适用；note、location…）/ which part of the answer (bulkPass / bulkNa: a bulk action)' }) @Matches(/^[A-Za-z]{1,24}$/) f: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(-90) @Max(90) lat?: number;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(-180) @Max(180) lng?: number;
  @ApiPropertyOptional({ description: '定位精度（米）/ accuracy, metres' }) @IsOptional() @IsNumber() @Min(0) @Max(100_000) acc?: number;
}

export class ResponseDto {
  @ApiProperty() @Matches(/^[A-Z]{2,8}-\d{3}$/) itemCode: string;
  @ApiProperty({ enum: ['pass', 'fail', 'na'] }) @IsIn(['pass', 'fail', 'na']) result: 'pass' | 'fail' | 'na';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
  @ApiPropertyOptional({ description: '楼栋/楼层/房间' }) @IsOptional() @IsString() @MaxLength(200) location?: string;
  @ApiPropertyOptional({ enum: ['general', 'major'] }) @IsOptional() @IsIn(['general', 'major']) severity?: 'general' | 'major';
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) majorCriterion?: string;
  @ApiPropertyOptional({ enum: ['single', 'multiple', 'widespread'] }) @IsOptional() @IsIn(['single', 'multiple', 'widespread']) scope?: 'single' | 'multiple' | 'widespread';
  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(20) @IsUUID('all', { each: true }) evidenceIds?: string[];
  @ApiPropertyOptional({ description: '疑似重大隐患：不合格项可标记为疑似重大，无须选择判定标准，由主管部门认定或降级 / suspected major hazard, decided by the bureau' })
  @IsOptional() @IsBoolean() suspectedMajor?: boolean;
  @ApiPropertyOptional({ description: '疑似理由 / why the finding may be major' }) @IsOptional() @IsString() @MaxLength(1000) suspectedReason?: string;
  @ApiPropertyOptional({ type: [TrailStepDto], description: '作答轨迹：每次作答/修改的时间与位置（旧客户端可不传）/ when and where the answer was given or changed' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => TrailStepDto) trail?: TrailStepDto[];
}

export class SignatureDto {
  @ApiProperty({ enum: ['inspector', 'institution_representative'] }) @IsIn(['inspector', 'institution_representative']) role: 'inspector' | 'institution_representative';
  @ApiPropertyOptional() @IsOptional() @IsUUID() userId?: string;
  @ApiProperty() @IsString() @MaxLength(64) signerName: string;
  @ApiProperty({ description: 'data:image/png;base64,…（PNG，不超过 300 KB）' }) @IsString() @MaxLength(420_000) @IsSignaturePng() image: string;
}

export class SubmitInspectionDto {
  @ApiProperty({ description: '客户端生成的提交编号，重试时不变 / client-generated, reused on retry' }) @IsUUID() submissionId: string;
  @ApiProperty({ type: [ResponseDto] }) @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => ResponseDto) responses: ResponseDto[];
  @ApiProperty({ type: [SignatureDto] }) @IsArray() @ArrayMaxSize(12) @ValidateNested({ each: true }) @Type(() => SignatureDto) signatures: SignatureDto[];
}

/** A photo's markup layer as the form keeps it (evidence/markup.ts checks it), or null. */
function IsMarkupLayer(options?: ValidationOptions): PropertyDecorator {
  return (object: object, propertyName: string | symbol) => registerDecorator({
    name: 'markupInvalid', target: object.constructor, propertyName: String(propertyName), options,
    validator: { validate: (v: unknown) => v === null || v === undefined || checkMarkup(v).issues.length === 0, defaultMessage: () => '$property markupInvalid' },
  });
}

/** 照片位置: a position (the camera's Exif). */
export class DraftLatLngDto {
  @ApiProperty() @IsNumber() @Min(-90) @Max(90) lat: number;
  @ApiProperty() @IsNumber() @Min(-180) @Max(180) lng: number;
}

/** 草稿中的照片: one photo of a draft answer, as the form keeps it (bytes on a device until `evidenceId` is set). */
export class DraftPhotoDto {
  @ApiProperty({ description: '设备上的照片键 / the photo\'s key on the device' }) @IsString() @MaxLength(64) @Matches(/^[A-Za-z0-9_.-]{1,64}$/) key: string;
  @ApiPropertyOptional({ description: '已上传的证据编号 / set once uploaded' }) @IsOptional() @IsUUID() evidenceId?: string | null;
  @ApiPropertyOptional({ description: '已上传照片的地址（站内路径）/ the uploaded photo\'s path on this site' })
  @IsOptional() @IsString() @MaxLength(200) @Matches(/^\/api\/[A-Za-z0-9/_.-]*$/) url?: string | null;
  @ApiPropertyOptional() @IsOptional() @IsInstant() takenAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(-90) @Max(90) lat?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsNumber() @Min(-180) @Max(180) lng?: number | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(50_000_000) bytes?: number;
  @ApiPropertyOptional() @IsOptional() @IsHexadecimal() @MaxLength(64) sha256?: string;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() missing?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() remote?: boolean;
  @ApiPropertyOptional({ type: DraftLatLngDto }) @IsOptional() @ValidateNested() @Type(() => DraftLatLngDto) exif?: DraftLatLngDto;
  @ApiPropertyOptional({ description: '照片标注层 / the markup layer' }) @IsOptional() @IsMarkupLayer() markup?: Record<string, unknown> | null;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) markupRev?: number;
  @ApiPropertyOptional() @IsOptional() @IsInt() @Min(0) @Max(1_000_000) markupSent?: number;
}

/** At most this many photos per draft answer: what a submitted response may carry (ResponseDto.evidenceIds). */
export const DRAFT_PHOTOS_MAX = 20;

/**
 * 草稿答案: one item's answer as the on-site form keeps it — the fields of the submission's ResponseDto with the
 * same values and bounds, the photos not yet uploaded, and when it was answered. Unknown fields are refused.
 */
export class DraftAnswerDto {
  @ApiPropertyOptional({ enum: ['pass', 'fail', 'na'] }) @IsOptional() @IsIn(['pass', 'fail', 'na']) result?: 'pass' | 'fail' | 'na' | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(2000) note?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) location?: string;
  @ApiPropertyOptional({ enum: ['general', 'major'] }) @IsOptional() @IsIn(['general', 'major']) severity?: 'general' | 'major' | null;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(32) majorCriterion?: string | null;
  @ApiPropertyOptional({ enum: ['single', 'multiple', 'widespread'] }) @IsOptional() @IsIn(['single', 'multiple', 'widespread']) scope?: 'single' | 'multiple' | 'widespread' | null;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() suspectedMajor?: boolean;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(1000) suspectedReason?: string;
  @ApiPropertyOptional({ type: [DraftPhotoDto] }) @IsOptional() @IsArray() @ArrayMaxSize(DRAFT_PHOTOS_MAX) @ValidateNested({ each: true }) @Type(() => DraftPhotoDto) photos?: DraftPhotoDto[];
  @ApiPropertyOptional() @IsOptional() @IsInstant() answeredAt?: string;
  @ApiPropertyOptional() @IsOptional() @IsInstant() editedAt?: string;
  @ApiPropertyOptional({ type: [TrailStepDto] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @ValidateNested({ each: true }) @Type(() => TrailStepDto) trail?: TrailStepDto[];
}

/** One changed item of a team draft: the device's answer and the item's revision the device last saw. */
export class DraftItemChangeDto {
  @ApiProperty() @Matches(/^[A-Z]{2,8}-\d{3}$/) itemCode: string;
  @ApiProperty({ type: DraftAnswerDto, description: '该项的答案（结果、说明、位置、照片…）/ the item\'s answer' })
  @IsObject() @ValidateNested() @Type(() => DraftAnswerDto) answer: DraftAnswerDto;
  @ApiPropertyOptional({ description: '设备上次看到的该项版本（0：从未看到）/ the item revision the device last saw (0: none)' })
  @IsOptional() @IsInt() @Min(0) @Max(1_000_000) baseRev?: number;
  @ApiPropertyOptional({ description: '作答时间 / when the answer was given on the device' }) @IsOptional() @IsInstant() answeredAt?: string;
}

/**
 * A draft save: `items`, the items changed since the device's base (merged per item with the team's answers);
 * or `draft`, the whole document the previous release's page sends (taken item by item).
 */
export class DraftDto {
  @ApiPropertyOptional({ type: [DraftItemChangeDto], description: '自上次同步以来改动的检查项 / items changed since the device\'s base' })
  @IsOptional() @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => DraftItemChangeDto) items?: DraftItemChangeDto[];
  @ApiPropertyOptional({ description: '整份草稿（上一版本的页面）/ a whole-document draft (previous release)' }) @ValidateIf((o) => o.items === undefined) @IsObject() draft?: Record<string, unknown>;
  @ApiProperty() @IsInstant() savedAt: string;
}

/** 选定答案: one side of a conflict, by its index in the conflict's `sides`. */
export class ResolveDraftConflictDto {
  @ApiProperty({ description: '选定的答案序号（sides 中的下标）/ the chosen side' }) @IsInt() @Min(0) @Max(9) side: number;
}

export class SectionAssignmentDto {
  @ApiProperty({ description: '检查类别代码 / category code' }) @Matches(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/) categoryCode: string;
  @ApiProperty() @IsUUID() userId: string;
}

/** 分工: categories assigned to team members (replaces the earlier assignment; empty: anyone answers any item). */
export class SectionAssignmentsDto {
  @ApiProperty({ type: [SectionAssignmentDto] }) @IsArray() @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => SectionAssignmentDto) assignments: SectionAssignmentDto[];
}

export class ConflictDto {
  @ApiProperty() @IsUUID() userId: string;
  @ApiProperty() @IsUUID() institutionId: string;
  @ApiProperty({ description: '利害关系说明 / the relationship' }) @IsString() @MaxLength(200) note: string;
}

export class EvidenceUploadDto {
  @ApiProperty() @IsUUID() inspectionId: string;
  @ApiProperty() @Matches(/^[A-Z]{2,8}-\d{3}$/) itemCode: string;
  @ApiPropertyOptional({ description: '设备拍摄时间 / device time' }) @IsOptional() @IsInstant() takenAt?: string;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsNumber() @Min(-90) @Max(90) lat?: number;
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsNumber() @Min(-180) @Max(180) lng?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) clientId?: string;
}
