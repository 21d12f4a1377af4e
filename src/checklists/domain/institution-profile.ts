/**
 * The institution's building profile (机构建筑档案) as the applicability rules see it.
 * Field names are shared with the institutions module's database columns; a rule may
 * reference only these fields and the derived ones below, anything else is a load error.
 */
import {
  GAS_SUPPLIES,
  GasSupply,
  HOST_BUILDING_USES,
  HostBuildingUse,
  INSTITUTION_KINDS,
  InstitutionKind,
  residentsStayOvernight,
} from '../../institutions/institution-kinds';

// The vocabulary of the building profile is the institutions module's (its columns); the rules read it from here.
export { GAS_SUPPLIES, HOST_BUILDING_USES, INSTITUTION_KINDS };
export type { GasSupply, HostBuildingUse, InstitutionKind };

export interface InstitutionProfile {
  kind: InstitutionKind;
  /** storeys above ground of the building (for a facility inside another building: the host building) */
  storeys: number;
  /** lowest floor the facility occupies (1 unless inside another building); legacy, mirrors facilityLowestFloor */
  lowestFloor: number;
  /** lowest / highest floor the facility itself occupies; null = not recorded (待核实) */
  facilityLowestFloor: number | null;
  facilityHighestFloor: number | null;
  /** storeys above ground of the host building when the facility sits inside another building; null = not recorded */
  hostBuildingStoreys: number | null;
  /** building height in metres (建筑高度); null = not recorded */
  buildingHeightM: number | null;
  /** use of the host building when the facility sits inside another building; null = not recorded */
  hostBuildingUse: HostBuildingUse | null;
  /** 额定服务人数 (places) of a facility without beds (day care, meal point …); null = not recorded */
  capacityPlaces: number | null;
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
  | { type: 'boolean'; nullable?: boolean }
  | { type: 'enum'; values: readonly string[]; nullable?: boolean };

export interface FieldDescriptor {
  name: string;
  zh: string;
  spec: FieldType;
  /**
   * For a nullable fact whose null means "not recorded": what is unknown, as the explanation names it
   * ("楼层" → "…（楼层待核实）"). A condition on such a fact is unknown, and an unknown condition applies the item
   * (the stricter reading). Without it, null is a value like any other (e.g. highestFloorWithDisabled: null = none).
   */
  unknownAs?: string;
}

const num = (nullable = false): FieldType => ({ type: 'number', nullable });
const bool: FieldType = { type: 'boolean' };
const maybeBool: FieldType = { type: 'boolean', nullable: true };

/** Stored fields, in the order of the profile form. */
export const PROFILE_FIELDS: readonly FieldDescriptor[] = [
  { name: 'kind', zh: '机构类型', spec: { type: 'enum', values: INSTITUTION_KINDS } },
  { name: 'storeys', zh: '地上层数', spec: num() },
  { name: 'lowestFloor', zh: '所在最低楼层', spec: num() },
  { name: 'facilityLowestFloor', zh: '机构所在最低楼层', spec: num(true), unknownAs: '楼层' },
  { name: 'facilityHighestFloor', zh: '机构所在最高楼层', spec: num(true), unknownAs: '楼层' },
  { name: 'hostBuildingStoreys', zh: '所在建筑地上层数（设在其他建筑内时）', spec: num(true), unknownAs: '所在建筑层数' },
  { name: 'buildingHeightM', zh: '建筑高度(m)', spec: num(true), unknownAs: '建筑高度' },
  {
    name: 'hostBuildingUse', zh: '所在建筑使用性质（设在其他建筑内时）',
    spec: { type: 'enum', values: HOST_BUILDING_USES, nullable: true }, unknownAs: '所在建筑使用性质',
  },
  { name: 'totalAreaM2', zh: '总建筑面积(m²)', spec: num() },
  { name: 'buildingVolumeM3', zh: '建筑体积(m³)', spec: num(true), unknownAs: '建筑体积' },
  { name: 'approvedBeds', zh: '核定床位', spec: num() },
  { name: 'capacityPlaces', zh: '额定服务人数（无床位机构）', spec: num(true), unknownAs: '额定服务人数' },
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
  { name: 'fireResistanceGrade', zh: '耐火等级', spec: num(true), unknownAs: '耐火等级' },
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
  /**
   * 老年人入住过夜 (养老机构 proper): kind nursing_home, nursing_care or rural_home, or a community_complex with
   * approvedBeds > 0. Day care, meal points and neighbourhood points never house residents overnight.
   */
  residentsStayOvernight: boolean;
  /**
   * 床位或额定服务人数 (GB 50016's 老年人照料设施 = ≥ 20 beds or capacity ≥ 20 people, standards.md §4.1):
   * max(approvedBeds, capacityPlaces); for an institution where residents stay overnight with capacityPlaces
   * unfilled, approvedBeds; otherwise null (额定服务人数待核实).
   */
  carePlaces: number | null;
  /**
   * 设施三层及以上 (GB 50016 5.5.24A, standards.md §4.3: "3 or more storeys, including facilities on the 3rd floor or
   * above of another building"): facilityHighestFloor >= 3 when recorded; else true when facilityLowestFloor >= 3;
   * else, for a stand-alone building, storeys >= 3; else false when the host building has ≤ 2 storeys; else null
   * (楼层待核实).
   */
  facilityFloor3OrAbove: boolean | null;
}

export const DERIVED_FIELDS: readonly FieldDescriptor[] = [
  { name: 'hasDisabledResidents', zh: '有中度及以上失能老人', spec: bool },
  { name: 'disabledResidents', zh: '中度及以上失能老人数', spec: num() },
  { name: 'residentsTotal', zh: '在住老人总数', spec: num() },
  { name: 'disabledAboveFloor2', zh: '失能老人居住在2层以上', spec: bool },
  { name: 'hasGas', zh: '使用燃气', spec: bool },
  { name: 'hasKitchen', zh: '有厨房(食堂或燃气助餐点)', spec: bool },
  { name: 'hasSpecialEquipment', zh: '有特种设备(电梯/锅炉/氧气管道)', spec: bool },
  { name: 'residentsStayOvernight', zh: '老年人入住过夜（提供住宿）', spec: bool },
  { name: 'carePlaces', zh: '床位或额定服务人数', spec: num(true), unknownAs: '额定服务人数' },
  { name: 'facilityFloor3OrAbove', zh: '设施位于三层及以上（含设在其他建筑内三层及以上楼层）', spec: maybeBool, unknownAs: '楼层' },
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

/** Residents stay overnight (the institutions module's vocabulary): the residential kinds, or a community complex with beds. */
export { residentsStayOvernight };

function carePlaces(p: InstitutionProfile, overnight: boolean): number | null {
  const beds = p.approvedBeds ?? 0;
  if (p.capacityPlaces != null) return Math.max(beds, p.capacityPlaces);
  return overnight ? beds : null;
}

function facilityFloor3OrAbove(p: InstitutionProfile): boolean | null {
  if (p.facilityHighestFloor != null) return p.facilityHighestFloor >= 3;
  if (p.facilityLowestFloor != null && p.facilityLowestFloor >= 3) return true;
  if (!p.insideOtherBuilding) return p.storeys >= 3;
  const host = p.hostBuildingStoreys ?? p.storeys;
  return host <= 2 ? false : null;
}

export function deriveFacts(p: InstitutionProfile): Facts {
  const disabled = (p.residentsModeratelyDisabled ?? 0) + (p.residentsSeverelyDisabled ?? 0);
  const hasGas = p.gasSupply !== 'none';
  const overnight = residentsStayOvernight(p);
  return {
    ...p,
    hasDisabledResidents: disabled > 0,
    disabledResidents: disabled,
    residentsTotal: (p.residentsSelfCare ?? 0) + (p.residentsMildlyDisabled ?? 0) + disabled,
    disabledAboveFloor2: p.highestFloorWithDisabled !== null && p.highestFloorWithDisabled > 2,
    hasGas,
    hasKitchen: p.hasCanteen || (p.kind === 'meal_point' && hasGas),
    hasSpecialEquipment: p.hasElevator || p.hasBoiler || p.hasOxygenPipeline,
    residentsStayOvernight: overnight,
    carePlaces: carePlaces(p, overnight),
    facilityFloor3OrAbove: facilityFloor3OrAbove(p),
  };
}

/**
 * Whether the GB/T 37276 grading form (养老机构等级划分与评定) applies: only to institutions where residents stay
 * overnight (养老机构 proper). The grade service refuses to open an assessment otherwise, with `reason`.
 */
export function gradingApplies(p: Pick<InstitutionProfile, 'kind' | 'approvedBeds'>): { applies: true } | { applies: false; reason: string } {
  if (residentsStayOvernight(p)) return { applies: true };
  return {
    applies: false,
    reason: p.kind === 'community_complex'
      ? 'GB/T 37276 等级评定仅适用于提供住宿的养老机构：本社区养老服务综合体未设床位'
      : 'GB/T 37276 等级评定仅适用于提供住宿的养老机构：本机构类型不提供住宿',
  };
}
