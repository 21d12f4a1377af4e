import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { DEVICE_TYPES, type DeviceType } from '../../checklists/domain/safety-work-policy';
import { PageQuery } from '../../common/pagination';
import { IsDivisionCode } from '../../common/validators';
import { ALARM_OUTCOMES, type AlarmOutcome } from '../domain/device-rules';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const emptyToUndefined = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : trim({ value }));

export class RegisterDeviceDto {
  @ApiProperty({ description: '上报该设备事件的接入凭据 / the credential its events are signed with' }) @IsUUID() credentialId: string;
  @ApiProperty({ description: '设备编号（厂商平台中的编号）/ the vendor’s device id' }) @Transform(trim) @IsString() @Matches(/^[A-Za-z0-9._:-]{1,64}$/) vendorDeviceId: string;
  @ApiProperty({ enum: DEVICE_TYPES, description: '设备类型 / type' }) @IsIn(DEVICE_TYPES) type: DeviceType;
  @ApiProperty({ description: '安装位置（如：三楼东侧走廊）/ location' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(100) location: string;
}

export class CreateCredentialDto {
  @ApiProperty({ description: '凭据名称（如：一号楼报警主机网关）/ name' }) @Transform(trim) @IsString() @IsNotEmpty() @MaxLength(60) name: string;
}

export class CreatePlatformCredentialDto extends CreateCredentialDto {
  @ApiProperty({ description: '平台覆盖的行政区划代码 / the division the platform serves' }) @IsDivisionCode() divisionCode: string;
}

export class ConfirmAlarmDto {
  @ApiProperty({ enum: ALARM_OUTCOMES, description: '真实火警、误报或测试 / real, false or test' }) @IsIn(ALARM_OUTCOMES) outcome: AlarmOutcome;
  @ApiPropertyOptional({ description: '处置情况 / what was done' }) @IsOptional() @Transform(emptyToUndefined) @IsString() @MaxLength(500) note?: string;
}

export class AlarmQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['open', 'escalated', 'unconfirmed', 'confirmed'] }) @IsOptional() @IsIn(['open', 'escalated', 'unconfirmed', 'confirmed'])
  state?: 'open' | 'escalated' | 'unconfirmed' | 'confirmed';
  @ApiPropertyOptional() @IsOptional() @IsUUID() institutionId?: string;
}
