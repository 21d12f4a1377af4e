import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsNotEmpty, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { PageQuery } from '../../common/pagination';
import { INT4_MAX, IsCreditCode, IsDivisionCode, IsOmittable, IsPhone } from '../../common/validators';
import {
  GAS_SUPPLIES, GasSupply, HOST_BUILDING_USES, HostBuildingUse, INSTITUTION_KINDS, INSTITUTION_STATUSES, InstitutionKind, InstitutionStatus,
  OWNERSHIPS, Ownership, PROFIT_STATUSES, ProfitStatus,
} from '../institution.entity';

/** The building profile (建筑与设施概况) that drives which checklist items apply. */
export class BuildingProfileDto {
  @ApiProperty({ description: '地上层数 / storeys above ground', minimum: 1 }) @IsInt() @Min(1) @Max(200) storeys: number;
  @ApiPropertyOptional({ description: '机构所在最低楼层（独立建筑为 1）/ lowest floor the facility occupies', default: 1 })
  @IsOmittable() @IsInt() @Min(-5) @Max(200) lowestFloor?: number;
  @ApiProperty({ description: '总建筑面积（m²）/ total floor area' }) @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(10_000_000) totalAreaM2: number;
  @ApiPropertyOptional({ description: '建筑体积（m³）/ building volume', nullable: true })
  @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(100_000_000_000) buildingVolumeM3?: number | null;
  @ApiProperty({ description: '核定床位 / approved beds' }) @IsInt() @Min(0) @Max(100_000) approvedBeds: number;
  @ApiProperty({ description: '实际入住床位 / occupied beds' }) @IsInt() @Min(0) @Max(100_000) occupiedBeds: number;
  @ApiPropertyOptional({ description: '自理老人 / self-care residents', default: 0 }) @IsOmittable() @IsInt() @Min(0) @Max(100_000) residentsSelfCare?: number;
  @ApiPropertyOptional({ description: '轻度失能 / mildly disabled', default: 0 }) @IsOmittable() @IsInt() @Min(0) @Max(100_000) residentsMildlyDisabled?: number;
  @ApiPropertyOptional({ description: '中度失能 / moderately disabled', default: 0 }) @IsOmittable() @IsInt() @Min(0) @Max(100_000) residentsModeratelyDisabled?: number;
  @ApiPropertyOptional({ description: '重度失能 / severely disabled', default: 0 }) @IsOmittable() @IsInt() @Min(0) @Max(100_000) residentsSeverelyDisabled?: number;
  @ApiPropertyOptional({ description: '中度及以上失能老人居住的最高楼层 / highest floor housing moderately-or-worse disabled residents', nullable: true })
  @IsOptional() @IsInt() @Min(-5) @Max(200) highestFloorWithDisabled?: number | null;
  @ApiProperty({ description: '设有消防控制室 / has a fire-control room' }) @IsBoolean() hasFireControlRoom: boolean;
  @ApiProperty({ description: '设有火灾自动报警系统 / automatic fire-alarm system' }) @IsBoolean() hasAutoFireAlarm: boolean;
  @ApiProperty({ description: '设有自动喷水灭火系统 / sprinklers' }) @IsBoolean() hasSprinklers: boolean;
  @ApiProperty({ description: '燃气 / gas supply', enum: GAS_SUPPLIES }) @IsIn(GAS_SUPPLIES) gasSupply: GasSupply;
  @ApiProperty({ description: '设有食堂 / canteen' }) @IsBoolean() hasCanteen: boolean;
  @ApiProperty({ description: '内设医疗机构 / in-house medical unit' }) @IsBoolean() hasMedicalUnit: boolean;
  @ApiProperty({ description: '电梯 / elevator' }) @IsBoolean() hasElevator: boolean;
  @ApiProperty({ description: '锅炉 / boiler' }) @IsBoolean() hasBoiler: boolean;
  @ApiProperty({ description: '氧气管道 / oxygen pipeline' }) @IsBoolean() hasOxygenPipeline: boolean;
  @ApiPropertyOptional({ description: '设在其他建筑内 / located inside another building', default: false }) @IsOmittable() @IsBoolean() insideOtherBuilding?: boolean;
  @ApiPropertyOptional({ description: '耐火等级 1–4 / fire-resistance grade', nullable: true }) @IsOptional() @IsInt() @Min(1) @Max(4) fireResistanceGrade?: number | null;
  @ApiProperty({ description: '外窗设有防盗窗/铁栅栏 / window bars present' }) @IsBoolean() hasWindowBars: boolean;
  @ApiPropertyOptional({ description: '机构所在最低楼层（未填写=待核实；独立建筑默认 1）/ lowest floor the facility occupies', nullable: true })
  @IsOptional() @IsInt() @Min(-5) @Max(200) facilityLowestFloor?: number | null;
  @ApiPropertyOptional({ description: '机构所在最高楼层（未填写=待核实；独立建筑默认为地上层数）/ highest floor the facility occupies', nullable: true })
  @IsOptional() @IsInt() @Min(-5) @Max(200) facilityHighestFloor?: number | null;
  @ApiPropertyOptional({ description: '设在其他建筑内时，所在建筑地上层数 / storeys of the host building', nullable: true })
  @IsOptional() @IsInt() @Min(1) @Max(200) hostBuildingStoreys?: number | null;
  @ApiPropertyOptional({ description: '建筑高度（m）/ building height in metres', nullable: true })
  @IsOptional() @IsNumber({ maxDecimalPlaces: 2 }) @Min(0) @Max(1000) buildingHeightM?: number | null;
  @ApiPropertyOptional({ description: '设在其他建筑内时，所在建筑使用性质 / use of the host building', enum: HOST_BUILDING_USES, nullable: true })
  @IsOptional() @IsIn(HOST_BUILDING_USES) hostBuildingUse?: HostBuildingUse | null;
  @ApiPropertyOptional({ description: '额定服务人数（无床位的日间照料、助餐点、睦邻点等）/ capacity in places', nullable: true })
  @IsOptional() @IsInt() @Min(0) @Max(100_000) capacityPlaces?: number | null;
}

export class CreateInstitutionDto extends BuildingProfileDto {
  @ApiProperty({ description: '机构名称 / name' }) @IsString() @IsNotEmpty() @MaxLength(100) name: string;
  @ApiProperty({ enum: INSTITUTION_KINDS, description: '机构类型 / kind' }) @IsIn(INSTITUTION_KINDS) kind: InstitutionKind;
  @ApiProperty({ enum: OWNERSHIPS, description: '性质：公办/民办/公建民营 / ownership' }) @IsIn(OWNERSHIPS) ownership: Ownership;
  @ApiPropertyOptional({ enum: PROFIT_STATUSES, nullable: true, description: '营利性/非营利性（未填写=未登记）/ profit status' })
  @IsOptional() @IsIn(PROFIT_STATUSES) profitStatus?: ProfitStatus | null;
  @ApiProperty({ description: '统一社会信用代码 / unified social credit code' }) @IsCreditCode() creditCode: string;
  @ApiProperty({ description: '所在行政区划代码 / division code' }) @IsDivisionCode() divisionCode: string;
  @ApiProperty({ description: '地址 / address' }) @IsString() @IsNotEmpty() @MaxLength(200) address: string;
  @ApiProperty({ description: '联系人 / contact person' }) @IsString() @IsNotEmpty() @MaxLength(50) contactName: string;
  @ApiProperty({ description: '联系电话 / contact phone' }) @IsPhone() contactPhone: string;
  @ApiPropertyOptional({ enum: INSTITUTION_STATUSES, default: 'active', description: '状态 / status' })
  @IsOmittable() @IsIn(INSTITUTION_STATUSES) status?: InstitutionStatus;
}

/** Every field may be left out; `null` is refused except where the column is nullable (volume, disabled floor, grade, the facility/host-building facts, capacity, profit status). */
export class UpdateInstitutionDto extends PartialType(CreateInstitutionDto, { skipNullProperties: false }) {
  @ApiProperty({ description: '修改所基于的版本号 / the version this change is based on' }) @IsInt() @Min(1) @Max(INT4_MAX) version: number;
}

export class InstitutionQuery extends PageQuery {
  @ApiPropertyOptional({ description: '行政区划代码（含下级）/ division code, subtree included' }) @IsOptional() @IsDivisionCode() divisionCode?: string;
  @ApiPropertyOptional({ enum: INSTITUTION_KINDS }) @IsOptional() @IsIn(INSTITUTION_KINDS) kind?: InstitutionKind;
  @ApiPropertyOptional({ enum: INSTITUTION_STATUSES }) @IsOptional() @IsIn(INSTITUTION_STATUSES) status?: InstitutionStatus;
  @ApiPropertyOptional({ description: '名称包含 / name contains' }) @IsOptional() @IsString() @MaxLength(50)
  @Transform(({ value }) => (typeof value === 'string' ? value.trim() : value)) name?: string;
}

export const INSTITUTION_ROLE_EDITABLE = ['address', 'contactName', 'contactPhone'] as const;
