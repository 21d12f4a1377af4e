/**
 * The institution's building profile (机构建筑档案) as the applicability rules see it.
 * Field names are shared with the institutions module's database columns; a rule may
 * reference only these fields and the derived ones below, anything else is a load error.
 */
import { GAS_SUPPLIES, GasSupply, INSTITUTION_KINDS, InstitutionKind } from '../../institutions/institution-kinds';

// The vocabulary of the building profile is the institutions module's (its columns); the rules read it from here.
export { GAS_SUPPLIES, INSTITUTION_KINDS };
export type { GasSupply, InstitutionKind };

export interface InstitutionProfile {
  kind: InstitutionKind;
  /** storeys above ground of the building (for a facility inside another building: the host building) */
  storeys: number;
  /** lowest floor the facility occupies (1 unless inside another building) */
  lowestFloor: number;
  totalAreaM2: number;
  buildingVolumeM3: number | null;
  approvedBeds: number;
  occupiedBeds: number;
  residentsSelfCare: number;
  residentsMildlyDisabled: number;
  residentsModeratelyDisabled: number;
  residentsSeverelyDisabled: number;
  /** highest floor housing moderately-or-worse disabled residents; null = none */
  highestFloorWithDisabled: number | null;
  hasFireControlRoom: boolean;
  hasAutoFireAlarm: boolean;
  hasSprinklers: boolean;
  gasSupply: GasSupply;
  hasCanteen: boolean;
  hasMedicalUnit: boolean;
  hasElevator: boolean;
  hasBoiler: boolean;
  hasOxygenPipeline: boolean;
  insideOtherBuilding: boolean;
  /** 耐火等级 1..4 */
  fireResistanceGrade: number | null;
  hasWindowBars: boolean;
}

export type FieldType =
  | { type: 'number'; nullable: boolean }
  | { type: 'boolean' }
  | { type: 'enum'; values: readonly string[] };

export interface FieldDescriptor {
  name: string;
  zh: string;
  spec: FieldType;
}

const num = (nullable = false): FieldType => ({ type: 'number', nullable });
const bool: FieldType = { type: 'boolean' };

/** Stored fields, in the order of the profile form. */
export const PROFILE_FIELDS: readonly FieldDescriptor[] = [
  { name: 'kind', zh: '机构类型', spec: { type: 'enum', values: INSTITUTION_KINDS } },
  { name: 'storeys', zh: '地上层数', spec: num() },
  { name: 'lowestFloor', zh: '所在最低楼层', spec: num() },
  { name: 'totalAreaM2', zh: '总建筑面积(m²)', spec: num() },
  { name: 'buildingVolumeM3', zh: '建筑体积(m³)', spec: num(true) },
  { name: 'approvedBeds', zh: '核定床位', spec: num() },
  { name: 'occupiedBeds', zh: '在住床位', spec: num() },
  { name: 'residentsSelfCare', zh: '自理老人数', spec: num() },
  { name: 'residentsMildlyDisabled', zh: '轻度失能老人数', spec: num() },
  { name: 'residentsModeratelyDisabled', zh: '中度失能老人数', spec: num() },
  { name: 'residentsSeverelyDisabled', zh: '重度失能老人数', spec: num() },
  { name: 'highestFloorWithDisabled', zh: '中度及以上失能老人居住最高楼层', spec: num(true) },
  { name: 'hasFireControlRoom', zh: '设有消防控制室', spec: bool },
  { name: 'hasAutoFireAlarm', zh: '设有火灾自动报警系统', spec: bool },
  { name: 'hasSprinklers', zh: '设有自动喷水灭火系统', spec: bool },
  { name: 'gasSupply', zh: '燃气供应', spec: { type: 'enum', values: GAS_SUPPLIES } },
  { name: 'hasCanteen', zh: '设有内部食堂', spec: bool },
  { name: 'hasMedicalUnit', zh: '内设医疗机构', spec: bool },
  { name: 'hasElevator', zh: '设有电梯', spec: bool },
  { name: 'hasBoiler', zh: '设有锅炉', spec: bool },
  { name: 'hasOxygenPipeline', zh: '设有氧气管道', spec: bool },
  { name: 'insideOtherBuilding', zh: '设置在其他建筑内', spec: bool },
  { name: 'fireResistanceGrade', zh: '耐火等级', spec: num(true) },
  { name: 'hasWindowBars', zh: '外窗设有防盗网/栅栏', spec: bool },
];

/** Derived facts: computed from the stored profile, documented in docs/checklists.md. */
export interface DerivedFacts {
  /** 有中度及以上失能老人: residentsModeratelyDisabled + residentsSeverelyDisabled > 0 */
  hasDisabledResidents: boolean;
  /** 中度及以上失能老人数: residentsModeratelyDisabled + residentsSeverelyDisabled */
  disabledResidents: number;
  /** 在住老人总数 (all four resident counts) */
  residentsTotal: number;
  /** 失能老人住在 2 层以上: highestFloorWithDisabled > 2 */
  disabledAboveFloor2: boolean;
  /** 使用燃气: gasSupply != none */
  hasGas: boolean;
  /** 有厨房: hasCanteen, or a meal point cooking with gas */
  hasKitchen: boolean;
  /** 有特种设备: hasElevator or hasBoiler or hasOxygenPipeline */
  hasSpecialEquipment: boolean;
}

export const DERIVED_FIELDS: readonly FieldDescriptor[] = [
  { name: 'hasDisabledResidents', zh: '有中度及以上失能老人', spec: bool },
  { name: 'disabledResidents', zh: '中度及以上失能老人数', spec: num() },
  { name: 'residentsTotal', zh: '在住老人总数', spec: num() },
  { name: 'disabledAboveFloor2', zh: '失能老人居住在2层以上', spec: bool },
  { name: 'hasGas', zh: '使用燃气', spec: bool },
  { name: 'hasKitchen', zh: '有厨房(食堂或燃气助餐点)', spec: bool },
  { name: 'hasSpecialEquipment', zh: '有特种设备(电梯/锅炉/氧气管道)', spec: bool },
];

export type Facts = InstitutionProfile & DerivedFacts;
export type FactName = keyof Facts;
export type FactValue = string | number | boolean | null;

const FIELD_INDEX = new Map<string, FieldDescriptor>(
  [...PROFILE_FIELDS, ...DERIVED_FIELDS].map((f) => [f.name, f]),
);

export function describeField(name: string): FieldDescriptor | undefined {
  return FIELD_INDEX.get(name);
}

export function knownFieldNames(): string[] {
  return [...FIELD_INDEX.keys()];
}

export function deriveFacts(p: InstitutionProfile): Facts {
  const disabled = (p.residentsModeratelyDisabled ?? 0) + (p.residentsSeverelyDisabled ?? 0);
  const hasGas = p.gasSupply !== 'none';
  return {
    ...p,
    hasDisabledResidents: disabled > 0,
    disabledResidents: disabled,
    residentsTotal: (p.residentsSelfCare ?? 0) + (p.residentsMildlyDisabled ?? 0) + disabled,
    disabledAboveFloor2: p.highestFloorWithDisabled !== null && p.highestFloorWithDisabled > 2,
    hasGas,
    hasKitchen: p.hasCanteen || (p.kind === 'meal_point' && hasGas),
    hasSpecialEquipment: p.hasElevator || p.hasBoiler || p.hasOxygenPipeline,
  };
}
