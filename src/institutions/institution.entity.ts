import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

import {
  GAS_SUPPLIES, GasSupply, HOST_BUILDING_USES, HostBuildingUse, INSTITUTION_KINDS, InstitutionKind, PROFIT_STATUSES, ProfitStatus,
} from './institution-kinds';

export { GAS_SUPPLIES, HOST_BUILDING_USES, INSTITUTION_KINDS, PROFIT_STATUSES };
export type { GasSupply, HostBuildingUse, InstitutionKind, ProfitStatus };
export const OWNERSHIPS = ['public', 'private', 'public_private'] as const;
export type Ownership = (typeof OWNERSHIPS)[number];
export const INSTITUTION_STATUSES = ['preparing', 'active', 'suspended', 'closed'] as const;
export type InstitutionStatus = (typeof INSTITUTION_STATUSES)[number];

const numeric = { to: (v: number | null) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

/** 养老机构 — an elderly-care institution with its building profile (which drives checklist applicability). */
@Entity('institution')
export class Institution {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column() name: string;
  @Column({ type: 'varchar' }) kind: InstitutionKind;
  @Column({ type: 'varchar' }) ownership: Ownership;
  /** 营利性 / 非营利性 (registry fact, the bureau's to record); null = not recorded */
  @Column({ type: 'varchar', nullable: true }) profitStatus: ProfitStatus | null;
  /** 统一社会信用代码 */
  @Column({ type: 'char' }) creditCode: string;
  @Column() divisionCode: string;
  @Column() divisionPath: string;
  @Column() address: string;
  @Column() contactName: string;
  @Column() contactPhone: string;
  @Column({ type: 'varchar' }) status: InstitutionStatus;

  @Column({ type: 'integer' }) storeys: number;
  @Column({ type: 'integer' }) lowestFloor: number;
  /** floors the facility itself occupies; null = not recorded (applicability reads it as 待核实) */
  @Column({ type: 'integer', nullable: true }) facilityLowestFloor: number | null;
  @Column({ type: 'integer', nullable: true }) facilityHighestFloor: number | null;
  /** the host building when the facility sits inside another building */
  @Column({ type: 'integer', nullable: true }) hostBuildingStoreys: number | null;
  @Column({ type: 'numeric', nullable: true, transformer: numeric }) buildingHeightM: number | null;
  @Column({ type: 'varchar', nullable: true }) hostBuildingUse: HostBuildingUse | null;
  /** 额定服务人数 of a facility without beds (day care, meal point, neighbourhood point) */
  @Column({ type: 'integer', nullable: true }) capacityPlaces: number | null;
  @Column({ type: 'numeric', transformer: numeric }) totalAreaM2: number;
  @Column({ type: 'numeric', nullable: true, transformer: numeric }) buildingVolumeM3: number | null;
  @Column({ type: 'integer' }) approvedBeds: number;
  @Column({ type: 'integer' }) occupiedBeds: number;
  @Column({ type: 'integer' }) residentsSelfCare: number;
  @Column({ type: 'integer' }) residentsMildlyDisabled: number;
  @Column({ type: 'integer' }) residentsModeratelyDisabled: number;
  @Column({ type: 'integer' }) residentsSeverelyDisabled: number;
  @Column({ type: 'integer', nullable: true }) highestFloorWithDisabled: number | null;
  @Column() hasFireControlRoom: boolean;
  @Column() hasAutoFireAlarm: boolean;
  @Column() hasSprinklers: boolean;
  @Column({ type: 'varchar' }) gasSupply: GasSupply;
  @Column() hasCanteen: boolean;
  @Column() hasMedicalUnit: boolean;
  @Column() hasElevator: boolean;
  @Column() hasBoiler: boolean;
  @Column() hasOxygenPipeline: boolean;
  @Column() insideOtherBuilding: boolean;
  @Column({ type: 'smallint', nullable: true }) fireResistanceGrade: number | null;
  @Column() hasWindowBars: boolean;

  @Column({ type: 'integer' }) version: number;
  @CreateDateColumn({ type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ type: 'timestamptz' }) updatedAt: Date;
}

/** The building-profile fields, in one list, for DTOs, seeding and applicability. */
export const PROFILE_FIELDS = [
  'storeys', 'lowestFloor', 'totalAreaM2', 'buildingVolumeM3', 'approvedBeds', 'occupiedBeds',
  'residentsSelfCare', 'residentsMildlyDisabled', 'residentsModeratelyDisabled', 'residentsSeverelyDisabled',
  'highestFloorWithDisabled', 'hasFireControlRoom', 'hasAutoFireAlarm', 'hasSprinklers', 'gasSupply',
  'hasCanteen', 'hasMedicalUnit', 'hasElevator', 'hasBoiler', 'hasOxygenPipeline', 'insideOtherBuilding',
  'fireResistanceGrade', 'hasWindowBars',
  'facilityLowestFloor', 'facilityHighestFloor', 'hostBuildingStoreys', 'buildingHeightM', 'hostBuildingUse', 'capacityPlaces',
] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];
export type BuildingProfile = Pick<Institution, ProfileField>;
