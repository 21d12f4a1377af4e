import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsNotEmpty, IsOptional, Matches, IsString, IsUUID, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { INT4_MAX, IsCalendarDate, IsPhone } from '../../common/validators';
import { CERTIFICATE_TYPES, EQUIPMENT_KINDS, STAFF_ROLES, TEST_KINDS } from '../domain/register-rules';
import type { CertificateType, EquipmentKind, StaffRole, TestKind } from '../domain/register-rules';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** '' from a form field means "not given". */
const trimOrNull = ({ value }: { value: unknown }) => (typeof value === 'string' ? (value.trim() === '' ? null : value.trim()) : value);
const ENTRY_STATES = ['current', 'retired'] as const;

export class CreateStaffDto {
  @ApiProperty({ description: '姓名 / name' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(50) name: string;
  @ApiProperty({ enum: STAFF_ROLES, isArray: true, description: '岗位（可多选）/ safety posts' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(STAFF_ROLES.length) @IsIn(STAFF_ROLES, { each: true }) roles: StaffRole[];
  @ApiPropertyOptional({ description: '职务 / job title' }) @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(50) post?: string | null;
  @ApiPropertyOptional({ description: '联系电话（安全责任人、安全员必填）/ phone, required for the people on the board' })
  @IsOptional() @Transform(trimOrNull) @IsPhone() phone?: string | null;
}

export class UpdateStaffDto extends CreateStaffDto {
  @ApiProperty({ description: '记录版本号 / the entry version' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
}

export class CreateCertificateDto {
  @ApiProperty({ description: '持证人（台账中的人员）/ the holder' }) @IsUUID() staffId: string;
  @ApiProperty({ enum: CERTIFICATE_TYPES, description: '证书类型 / type' }) @IsIn(CERTIFICATE_TYPES) certType: CertificateType;
  @ApiProperty({ description: '证书编号 / number' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(60) certNo: string;
  @ApiProperty({ description: '发证日期 YYYY-MM-DD / issued' }) @IsCalendarDate() issuedOn: string;
  @ApiPropertyOptional({ description: '有效期至 YYYY-MM-DD（长期有效则留空）/ expires; empty: no expiry' }) @IsOptional() @Transform(trimOrNull) @IsCalendarDate() expiresOn?: string | null;
  @ApiPropertyOptional({ description: '证书照片（先上传到 …/registers/photos）/ photo, uploaded first' }) @IsOptional() @Transform(trimOrNull) @IsUUID() photoId?: string | null;
}

export class UpdateCertificateDto {
  @ApiProperty({ description: '记录版本号 / the entry version' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
  @ApiProperty({ description: '证书编号 / number' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(60) certNo: string;
  @ApiProperty({ description: '发证日期 / issued' }) @IsCalendarDate() issuedOn: string;
  @ApiPropertyOptional({ description: '有效期至（续期：填新的日期）/ expires (a renewal: the new date)' }) @IsOptional() @Transform(trimOrNull) @IsCalendarDate() expiresOn?: string | null;
  @ApiPropertyOptional({ description: '证书照片 / photo' }) @IsOptional() @Transform(trimOrNull) @IsUUID() photoId?: string | null;
}

export class CreateEquipmentDto {
  @ApiProperty({ enum: EQUIPMENT_KINDS, description: '设备类别 / kind' }) @IsIn(EQUIPMENT_KINDS) kind: EquipmentKind;
  @ApiProperty({ description: '名称 / name, e.g. 1号楼客梯' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @ApiPropertyOptional({ description: '位置 / location' }) @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(100) location?: string | null;
  @ApiPropertyOptional({ description: '使用登记证编号 / registration number' }) @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(60) registrationNo?: string | null;
}

export class UpdateEquipmentDto {
  @ApiProperty({ description: '记录版本号 / the entry version' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
  @ApiProperty({ description: '名称 / name' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @ApiPropertyOptional({ description: '位置 / location' }) @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(100) location?: string | null;
  @ApiPropertyOptional({ description: '使用登记证编号 / registration number' }) @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(60) registrationNo?: string | null;
}

/** Records a statutory date of one equipment; a second call for the same kind is a renewal (send the version). */
export class RecordTestDto {
  @ApiProperty({ enum: TEST_KINDS, description: '检验类别 / test kind' }) @IsIn(TEST_KINDS) testKind: TestKind;
  @ApiPropertyOptional({ description: '检验（检测、签订）日期 / done on' }) @IsOptional() @Transform(trimOrNull) @IsCalendarDate() lastDoneOn?: string | null;
  @ApiProperty({ description: '有效期至（下次检验日期、合同到期日）/ valid until' }) @IsCalendarDate() expiresOn: string;
  @ApiPropertyOptional({ description: '报告（合同）编号 / report number' }) @IsOptional() @Transform(trimOrNull) @IsString() @MaxLength(60) reportNo?: string | null;
  @ApiPropertyOptional({ description: '更新已有记录时：其版本号 / the version of the record being renewed' }) @IsOptional() @IsInt() @Min(1) @Max(INT4_MAX) version?: number;
}

export class RetireDto {
  @ApiProperty({ description: '记录版本号 / the entry version' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
}

export class BoardContactDto {
  @ApiProperty({ description: '属地监管责任人 / the local supervisor' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(50) supervisorName: string;
  @ApiProperty({ description: '属地监管责任人电话 / the supervisor\'s phone' }) @Transform(trim) @IsPhone() supervisorPhone: string;
  @ApiProperty({ description: '监督举报电话（主管部门，如 0519-12345 或 12345）/ the bureau hotline' })
  @Transform(trim) @IsString() @Matches(/^[0-9][0-9 -]{2,29}$/) hotline: string;
  @ApiPropertyOptional({ description: '更新时：当前版本号 / the current version when updating' }) @IsOptional() @IsInt() @Min(1) @Max(INT4_MAX) version?: number;
}

export class RegisterQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ENTRY_STATES, default: 'current', description: '在用 / 已停用 / current or retired entries' })
  @IsOptional() @IsIn(ENTRY_STATES) state: (typeof ENTRY_STATES)[number] = 'current';
}
