import type { InstitutionProfile } from '../checklists/domain/institution-profile';
import type { InstitutionKind, ProfitStatus } from '../institutions/institution-kinds';

/**
 * 颐安 (Yi'an) demo / seed data for Changzhou (常州市).
 *
 * FICTIONAL DATA. Apart from the administrative-division names and codes, everything in
 * this file is invented for demonstration purposes: institution names, addresses, contact
 * persons, phone numbers, unified social credit codes (统一社会信用代码) and building
 * profiles do not describe any real institution or person. Any resemblance is coincidental.
 *
 * Division codes: city / county-level codes follow GB/T 2260 (常州市 320400, 天宁区 320402,
 * 钟楼区 320404, 新北区 320411, 武进区 320412, 金坛区 320413, 溧阳市 320481); street / town
 * codes are the 9-digit township codes of the national statistical division codes
 * (统计用区划代码, district code + 3 digits; 0xx = 街道, 1xx = 镇).
 *
 * Credit codes are syntactically valid per GB 32100-2015: 18 characters from
 * "0123456789ABCDEFGHJKLMNPQRTUWXY", positions 9-17 form an organisation code with a valid
 * GB 11714 check character, and position 18 is the GB 32100 check character.
 * Registration-authority/type prefixes used: 12 = 事业单位 (机构编制), 52 = 民办非企业单位 (民政),
 * 91 = 企业 (市场监管).
 *
 * Record invariants (all records): occupiedBeds <= approvedBeds; the four resident counts sum
 * to <= occupiedBeds; highestFloorWithDisabled is null iff moderately + severely disabled == 0,
 * otherwise lowestFloor <= highestFloorWithDisabled <= lowestFloor + storeys - 1 (and <= storeys);
 * hasFireControlRoom implies hasAutoFireAlarm; fireResistanceGrade is 1-4 or null.
 *
 * For a facility inside another building (insideOtherBuilding = true), lowestFloor is the lowest
 * floor the facility occupies and storeys is the host building's storey count (e.g. the
 * 荷花池 apartment occupies floors 3-5 of a 5-storey building).
 */

export interface DemoDivision {
  code: string;
  name: string;
  level: 'city' | 'district' | 'street';
  parentCode: string | null;
}

export interface DemoInstitution {
  name: string;
  kind: InstitutionKind;
  /** 公办 / 民办 / 公建民营 */
  ownership: 'public' | 'private' | 'public_private';
  /** 营利性 / 非营利性; absent = not recorded */
  profitStatus?: ProfitStatus;
  /** 统一社会信用代码 (GB 32100-2015), fictional but check-digit valid. */
  creditCode: string;
  /** A street-level code from DEMO_DIVISIONS. */
  divisionCode: string;
  address: string;
  contactName: string;
  contactPhone: string;
  status: 'active' | 'suspended' | 'preparing';
  profile: DemoProfile;

}

/** The facts added for real buildings (issue 12) are optional in the demo records; `demoProfile` fills them. */
type BuildingFacts = 'facilityLowestFloor' | 'facilityHighestFloor' | 'hostBuildingStoreys' | 'buildingHeightM' | 'hostBuildingUse' | 'capacityPlaces';
type DemoProfile = Omit<InstitutionProfile, 'kind' | BuildingFacts> & Partial<Pick<InstitutionProfile, BuildingFacts>>;

/**
 * The full stored profile of a demo record: a stand-alone building occupies its floors 1 … storeys; a facility
 * inside another building keeps its lowest floor, its highest floor as given (else not recorded) and the host's
 * storeys. Height, host use and capacity are null unless the record gives them.
 */
export function demoProfile(p: DemoProfile): Omit<InstitutionProfile, 'kind'> {
  return {
    ...p,
    facilityLowestFloor: p.facilityLowestFloor !== undefined ? p.facilityLowestFloor : p.lowestFloor,
    facilityHighestFloor: p.facilityHighestFloor !== undefined ? p.facilityHighestFloor : p.insideOtherBuilding ? null : p.storeys,
    hostBuildingStoreys: p.hostBuildingStoreys !== undefined ? p.hostBuildingStoreys : p.insideOtherBuilding ? p.storeys : null,
    buildingHeightM: p.buildingHeightM ?? null,
    hostBuildingUse: p.hostBuildingUse ?? null,
    capacityPlaces: p.capacityPlaces ?? null,
  };
}

/**
 * A single-storey kitchen with no beds, no residents and no fire systems (a 助餐点 or a small day centre):
 * only its size, gas supply and fire-resistance grade differ.
 */
function kitchenOnly(p: Pick<DemoProfile, 'totalAreaM2' | 'buildingVolumeM3' | 'gasSupply' | 'fireResistanceGrade'>): DemoProfile {
  return {
    storeys: 1, lowestFloor: 1, approvedBeds: 0, occupiedBeds: 0,
    residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0,
    highestFloorWithDisabled: null,
    hasFireControlRoom: false, hasAutoFireAlarm: false, hasSprinklers: false,
    hasCanteen: true, hasMedicalUnit: false, hasElevator: false, hasBoiler: false, hasOxygenPipeline: false,
    insideOtherBuilding: false, hasWindowBars: false,
    ...p,
  };
}

export const DEMO_DIVISION_ROOT = '320400';

export const DEMO_DIVISIONS: DemoDivision[] = [
  { code: '320400', name: '常州市', level: 'city', parentCode: null },
  { code: '320402', name: '天宁区', level: 'district', parentCode: '320400' },
  { code: '320404', name: '钟楼区', level: 'district', parentCode: '320400' },
  { code: '320411', name: '新北区', level: 'district', parentCode: '320400' },
  { code: '320412', name: '武进区', level: 'district', parentCode: '320400' },
  { code: '320413', name: '金坛区', level: 'district', parentCode: '320400' },
  { code: '320481', name: '溧阳市', level: 'district', parentCode: '320400' },
  { code: '320402002', name: '青龙街道', level: 'street', parentCode: '320402' },
  { code: '320402004', name: '红梅街道', level: 'street', parentCode: '320402' },
  { code: '320402005', name: '天宁街道', level: 'street', parentCode: '320402' },
  { code: '320402109', name: '郑陆镇', level: 'street', parentCode: '320402' },
  { code: '320404001', name: '五星街道', level: 'street', parentCode: '320404' },
  { code: '320404005', name: '南大街街道', level: 'street', parentCode: '320404' },
  { code: '320404006', name: '荷花池街道', level: 'street', parentCode: '320404' },
  { code: '320404116', name: '邹区镇', level: 'street', parentCode: '320404' },
  { code: '320411002', name: '三井街道', level: 'street', parentCode: '320411' },
  { code: '320411101', name: '孟河镇', level: 'street', parentCode: '320411' },
  { code: '320411103', name: '薛家镇', level: 'street', parentCode: '320411' },
  { code: '320411104', name: '罗溪镇', level: 'street', parentCode: '320411' },
  { code: '320412100', name: '湖塘镇', level: 'street', parentCode: '320412' },
  { code: '320412102', name: '牛塘镇', level: 'street', parentCode: '320412' },
  { code: '320412105', name: '横林镇', level: 'street', parentCode: '320412' },
  { code: '320412110', name: '雪堰镇', level: 'street', parentCode: '320412' },
  { code: '320413001', name: '西城街道', level: 'street', parentCode: '320413' },
  { code: '320413100', name: '金城镇', level: 'street', parentCode: '320413' },
  { code: '320413104', name: '儒林镇', level: 'street', parentCode: '320413' },
  { code: '320413109', name: '薛埠镇', level: 'street', parentCode: '320413' },
  { code: '320481002', name: '溧城街道', level: 'street', parentCode: '320481' },
  { code: '320481106', name: '天目湖镇', level: 'street', parentCode: '320481' },
  { code: '320481111', name: '竹箦镇', level: 'street', parentCode: '320481' },
  { code: '320481116', name: '社渚镇', level: 'street', parentCode: '320481' },
];

export const DEMO_INSTITUTIONS: DemoInstitution[] = [
  // ---- 天宁区 (320402) ----
  {
    name: '常州市天宁区红梅颐养院',
    kind: 'nursing_home',
    ownership: 'private',
    creditCode: '52320402MJ5767496T',
    divisionCode: '320402004',
    address: '常州市天宁区红梅街道竹林西路188号',
    contactName: '周建平',
    contactPhone: '0519-86614272',
    status: 'active',
    profile: {
      storeys: 6, lowestFloor: 1, totalAreaM2: 8600, buildingVolumeM3: 31000,
      approvedBeds: 260, occupiedBeds: 214,
      residentsSelfCare: 60, residentsMildlyDisabled: 58, residentsModeratelyDisabled: 52, residentsSeverelyDisabled: 40,
      highestFloorWithDisabled: 5,
      hasFireControlRoom: true, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'piped',
      hasCanteen: true, hasMedicalUnit: true, hasElevator: true, hasBoiler: false, hasOxygenPipeline: true,
      insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: false,
    },
  },
  {
    name: '常州市天宁区东横街颐养中心',
    kind: 'nursing_home',
    ownership: 'public',
    creditCode: '1232040246636536X1',
    divisionCode: '320402005',
    address: '常州市天宁区天宁街道东横街26号',
    contactName: '钱慧芳',
    contactPhone: '0519-86827351',
    status: 'active',
    profile: {
      storeys: 9, lowestFloor: 1, totalAreaM2: 15800, buildingVolumeM3: 58000,
      approvedBeds: 420, occupiedBeds: 365,
      residentsSelfCare: 80, residentsMildlyDisabled: 95, residentsModeratelyDisabled: 110, residentsSeverelyDisabled: 75,
      highestFloorWithDisabled: 6,
      hasFireControlRoom: true, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'piped',
      hasCanteen: true, hasMedicalUnit: true, hasElevator: true, hasBoiler: true, hasOxygenPipeline: true,
      insideOtherBuilding: false, fireResistanceGrade: 1, hasWindowBars: false,
    },
  },
  {
    name: '天宁区青龙街道社区养老服务综合体',
    kind: 'community_complex',
    ownership: 'public_private',
    creditCode: '52320402MJ6156494C',
    divisionCode: '320402002',
    address: '常州市天宁区青龙街道龙锦路519号',
    contactName: '蒋丽娟',
    contactPhone: '0519-85503618',
    status: 'active',
    profile: {
      storeys: 3, lowestFloor: 1, totalAreaM2: 2400, buildingVolumeM3: 9600,
      approvedBeds: 45, occupiedBeds: 38,
      residentsSelfCare: 8, residentsMildlyDisabled: 10, residentsModeratelyDisabled: 12, residentsSeverelyDisabled: 6,
      highestFloorWithDisabled: 3,
      hasFireControlRoom: false, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'piped',
      hasCanteen: true, hasMedicalUnit: true, hasElevator: true, hasBoiler: false, hasOxygenPipeline: false,
      insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: false,
    },
  },
  {
    name: '天宁区郑陆镇敬老院',
    kind: 'rural_home',
    ownership: 'public',
    creditCode: '12320402466850293Y',
    divisionCode: '320402109',
    address: '常州市天宁区郑陆镇舜南路8号',
    contactName: '恽国强',
    contactPhone: '0519-88601725',
    status: 'active',
    profile: {
      storeys: 2, lowestFloor: 1, totalAreaM2: 1850, buildingVolumeM3: 6900,
      approvedBeds: 80, occupiedBeds: 52,
      residentsSelfCare: 30, residentsMildlyDisabled: 12, residentsModeratelyDisabled: 6, residentsSeverelyDisabled: 2,
      highestFloorWithDisabled: 2,
      hasFireControlRoom: false, hasAutoFireAlarm: true, hasSprinklers: false, gasSupply: 'lpg',
      hasCanteen: true, hasMedicalUnit: false, hasElevator: false, hasBoiler: false, hasOxygenPipeline: false,
      insideOtherBuilding: false, fireResistanceGrade: 3, hasWindowBars: true,
    },
  },
  {
    name: '天宁区天宁街道舣舟亭社区老年助餐点',
    kind: 'meal_point',
    ownership: 'public_private',
    creditCode: '52320402MJ628498XG',
    divisionCode: '320402005',
    address: '常州市天宁区天宁街道东坡路37号',
    contactName: '吴秀英',
    contactPhone: '13961208457',
    status: 'active',
    profile: kitchenOnly({ totalAreaM2: 120, buildingVolumeM3: 430, gasSupply: 'piped', fireResistanceGrade: 2 }),
  },
  // ---- 钟楼区 (320404) ----
  {
    name: '钟楼区五星街道日间照料中心',
    kind: 'day_care',
    ownership: 'public_private',
    creditCode: '52320404MJ5540697Y',
    divisionCode: '320404001',
    address: '常州市钟楼区五星街道新庄路65号',
    contactName: '史美华',
    contactPhone: '0519-86953406',
    status: 'active',
    profile: {
      storeys: 2, lowestFloor: 1, totalAreaM2: 680, buildingVolumeM3: 2500,
      approvedBeds: 8, occupiedBeds: 0, capacityPlaces: 40,
      residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0,
      highestFloorWithDisabled: null,
      hasFireControlRoom: false, hasAutoFireAlarm: false, hasSprinklers: false, gasSupply: 'piped',
      hasCanteen: true, hasMedicalUnit: false, hasElevator: false, hasBoiler: false, hasOxygenPipeline: false,
      insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: false,
    },
  },
  {
    name: '钟楼区荷花池街道康怡老年公寓',
    kind: 'nursing_home',
    ownership: 'private',
    creditCode: '52320404MJ5709747N',
    divisionCode: '320404006',
    address: '常州市钟楼区荷花池街道西新桥路12号商业综合楼3-5层',
    contactName: '顾志明',
    contactPhone: '13915084263',
    status: 'active',
    profile: {
      storeys: 5, lowestFloor: 3, facilityHighestFloor: 5, hostBuildingUse: 'commercial', totalAreaM2: 2100, buildingVolumeM3: null,
      approvedBeds: 68, occupiedBeds: 61,
      residentsSelfCare: 12, residentsMildlyDisabled: 18, residentsModeratelyDisabled: 20, residentsSeverelyDisabled: 9,
      highestFloorWithDisabled: 5,
      hasFireControlRoom: false, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'none',
      hasCanteen: false, hasMedicalUnit: false, hasElevator: true, hasBoiler: false, hasOxygenPipeline: false,
      insideOtherBuilding: true, fireResistanceGrade: 2, hasWindowBars: false,
    },
  },
  {
    name: '常州康乐护理院',
    kind: 'nursing_care',
    ownership: 'private',
    creditCode: '52320404MJ6314237Q',
    divisionCode: '320404005',
    address: '常州市钟楼区南大街街道怀德南路277号',
    contactName: '沈卫东',
    contactPhone: '0519-86681937',
    status: 'active',
    profile: {
      storeys: 7, lowestFloor: 1, totalAreaM2: 12500, buildingVolumeM3: 46000,
      approvedBeds: 300, occupiedBeds: 276,
      residentsSelfCare: 10, residentsMildlyDisabled: 46, residentsModeratelyDisabled: 110, residentsSeverelyDisabled: 105,
      highestFloorWithDisabled: 6,
      hasFireControlRoom: true, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'piped',
      hasCanteen: true, hasMedicalUnit: true, hasElevator: true, hasBoiler: true, hasOxygenPipeline: true,
      insideOtherBuilding: false, fireResistanceGrade: 1, hasWindowBars: false,
    },
  },
  {
    name: '钟楼区邹区镇敬老院',
    kind: 'rural_home',
    ownership: 'public',
    creditCode: '12320404466956063B',
    divisionCode: '320404116',
    address: '常州市钟楼区邹区镇泰村路41号',
    contactName: '汤永良',
    contactPhone: '0519-83208816',
    status: 'active',
    profile: {
      storeys: 2, lowestFloor: 1, totalAreaM2: 2600, buildingVolumeM3: 9800,
      approvedBeds: 110, occupiedBeds: 74,
      residentsSelfCare: 40, residentsMildlyDisabled: 20, residentsModeratelyDisabled: 9, residentsSeverelyDisabled: 3,
      highestFloorWithDisabled: 1,
      hasFireControlRoom: false, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'lpg',
      hasCanteen: true, hasMedicalUnit: true, hasElevator: false, hasBoiler: false, hasOxygenPipeline: false,
      insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: true,
    },
  },
  {
    name: '钟楼区邹区镇福康养老院',
    kind: 'nursing_home',
    ownership: 'private',
    creditCode: '52320404MJ6241453Q',
    divisionCode: '320404116',
    address: '常州市钟楼区邹区镇岳津路156号',
    contactName: '承晓燕',
    contactPhone: '13906141528',
    status: 'active',
    profile: {
      storeys: 3, lowestFloor: 1, totalAreaM2: 2900, buildingVolumeM3: 10400,
      approvedBeds: 100, occupiedBeds: 84,
      residentsSelfCare: 20, residentsMildlyDisabled: 30, residentsModeratelyDisabled: 22, residentsSeverelyDisabled: 10,
      highestFloorWithDisabled: 3,
      hasFireControlRoom: false, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'lpg',
      hasCanteen: true, hasMedicalUnit: true, hasElevator: true, hasBoiler: false, hasOxygenPipeline: false,
      insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: false,
    },
  },
  // ---- 新北区 (320411) ----
  {
    name: '新北区薛家社区养老服务综合体',
    kind: 'community_complex',
    ownership: 'public_private',
    creditCode: '52320411MJ60133627',
    divisionCode: '320411103',
    address: '常州市新北区薛家镇顺园路90号',
    contactName: '陆海燕',
    contactPhone: '0519-85126730',
    status: 'active',
    profile: {
      storeys: 4, lowestFloor: 1, totalAreaM2: 3800, buildingVolumeM3: 15200,
      approvedBeds: 80, occupiedBeds: 63,
      residentsSelfCare: 15, residentsMildlyDisabled: 18, residentsModeratelyDisabled: 20, residentsSeverelyDisabled: 8,
      highestFloorWithDisabled: 4,
      hasFireControlRoom: true, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'piped',
      hasCanteen: true, hasMedicalUnit: true, hasElevator: true, hasBoiler: false, hasOxygenPipeline: false,
      insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: false,
    },
  },
  {
    name: '常州市新北区三井颐和养老中心',
    kind: 'nursing_home',
    ownership: 'public_private',
    creditCode: '52320411MJ6783519B',
    divisionCode: '320411002',
    address: '常州市新北区三井街道太湖东路358号',
    contactName: '刘振华',
    contactPhone: '0519-85962204',
    status: 'active',
    profile: {
      storeys: 12, lowestFloor: 1, totalAreaM2: 19650, buildingVolumeM3: 72000,
      approvedBeds: 600, occupiedBeds: 488,
      residentsSelfCare: 150, residentsMildlyDisabled: 130, residentsModeratelyDisabled: 120, residentsSeverelyDisabled: 80,
      highestFloorWithDisabled: 6,
      hasFireControlRoom: true, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'piped',
      hasCanteen: true, hasMedicalUnit: true, hasElevator: true, hasBoiler: true, hasOxygenPipeline: true,
      insideOtherBuilding: false, fireResistanceGrade: 1, hasWindowBars: false,
    },
  },
  {
    name: '新北区孟河镇敬老院',
    kind: 'rural_home',
    ownership: 'public',
    creditCode: '123204114666383485',
    divisionCode: '320411101',
    address: '常州市新北区孟河镇通江路22号',
    contactName: '巢建新',
    contactPhone: '0519-83419652',
    status: 'active',
    profile: {
      storeys: 3, lowestFloor: 1, totalAreaM2: 2200, buildingVolumeM3: 8000,
      approvedBeds: 90, occupiedBeds: 66,
      residentsSelfCare: 36, residentsMildlyDisabled: 18, residentsModeratelyDisabled: 8, residentsSeverelyDisabled: 2,
      highestFloorWithDisabled: 3,
      hasFireControlRoom: false, hasAutoFireAlarm: true, hasSprinklers: false, gasSupply: 'lpg',
      hasCanteen: true, hasMedicalUnit: false, hasElevator: false, hasBoiler: false, hasOxygenPipeline: false,
      insideOtherBuilding: false, fireResistanceGrade: 3, hasWindowBars: true,
    },
  },
  {
    name: '新北区罗溪镇老年助餐点',
    kind: 'meal_point',
    ownership: 'public',
    creditCode: '12320411466966763Y',
    divisionCode: '320411104',
    address: '常州市新北区罗溪镇罗溪中路17号',
    contactName: '王桂芬',
    contactPhone: '13961475302',
    status: 'active',
    profile: kitchenOnly({ totalAreaM2: 150, buildingVolumeM3: 600, gasSupply: 'lpg', fireResistanceGrade: 3 }),
  },
  {
    name: '新北区三井街道锦绣社区日间照料中心',
    kind: 'day_care',
    ownership: 'public_private',
    creditCode: '52320411MJ521586XL',
    divisionCode: '320411002',
    address: '常州市新北区三井街道锦绣路25号',
    contactName: '朱红梅',
    contactPhone: '0519-85207718',
    status: 'active',
    profile: {
      storeys: 1, lowestFloor: 1, totalAreaM2: 420, buildingVolumeM3: 1600,
      approvedBeds: 6, occupiedBeds: 0, capacityPlaces: 30,
      residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0,
      highestFloorWithDisabled: null,
      hasFireControlRoom: false, hasAutoFireAlarm: false, hasSprinklers: false, gasSupply: 'none',
      hasCanteen: false, hasMedicalUnit: false, hasElevator: false, hasBoiler: false, hasOxygenPipeline: false,
      insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: false,
    },
  },
  // ---- 武进区 (320412) ----
  {
    name: '武进区湖塘镇敬老院',
    kind: 'rural_home',
    ownership: 'public',
    creditCode: '12320412466645329N',
    divisionCode: '320412100',
    address: '常州市武进区湖塘镇长安路66号',
    contactName: '徐国平',
    contactPhone: '0519-86330185',
    status: 'active',
    profile: {
      storeys: 4, lowestFloor: 1, totalAreaM2: 5200, buildingVolumeM3: 19000,
      approvedBeds: 180, occupiedBeds: 142,
      residentsSelfCare: 60, residentsMildlyDisabled: 40, residentsModeratelyDisabled: 28, residentsSeverelyDisabled: 12,
      highestFloorWithDisabled: 3,
      hasFireControlRoom: true, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'piped',
      hasCanteen: true, hasMedicalUnit: true, hasElevator: true, hasBoiler: true, hasOxygenPipeline: false,
      insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: false,
    },
  },
  {
    name: '常州市武进区牛塘镇福寿养老院',
    kind: 'nursing_home',
    ownership: 'private',
    creditCode: '52320412MJ6842363D',
    divisionCode: '320412102',
    address: '常州市武进区牛塘镇卢家巷路203号',
    contactName: '许文静',
    contactPhone: '13915029846',
    status: 'active',
    profile: {
      storeys: 5, lowestFloor: 1, totalAreaM2: 6200, buildingVolumeM3: 22500,
      approvedBeds: 200, occupiedBeds: 158,
      residentsSelfCare: 30, residentsMildlyDisabled: 40, residentsModeratelyDisabled: 50, residentsSeverelyDisabled: 35,
      highestFloorWithDisabled: 5,
      hasFireControlRoom: true, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'piped',
      hasCanteen: true, hasMedicalUnit: true, hasElevator: true, hasBoiler: false, hasOxygenPipeline: true,
      insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: false,
    },
  },
  {
    name: '武进区横林镇崔桥社区养老服务综合体',
    kind: 'community_complex',
    ownership: 'public_private',
    creditCode: '52320412MJ5979579J',
    divisionCode: '320412105',
    address: '常州市武进区横林镇崔桥村委对面新横路8号',
    contactName: '杨小琴',
    contactPhone: '0519-88502371',
    status: 'active',
    profile: {
      storeys: 3, lowestFloor: 1, totalAreaM2: 1600, buildingVolumeM3: 5800,
      approvedBeds: 30, occupiedBeds: 22,
      residentsSelfCare: 6, residentsMildlyDisabled: 8, residentsModeratelyDisabled: 5, residentsSeverelyDisabled: 2,
      highestFloorWithDisabled: 2,
      hasFireControlRoom: false, hasAutoFireAlarm: true, hasSprinklers: false, gasSupply: 'lpg',
      hasCanteen: true, hasMedicalUnit: false, hasElevator: true, hasBoiler: false, hasOxygenPipeline: false,
      insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: false,
    },
  },
  {
    name: '武进区雪堰镇老年助餐点',
    kind: 'meal_point',
    ownership: 'public_private',
    creditCode: '52320412MJ5568307G',
    divisionCode: '320412110',
    address: '常州市武进区雪堰镇城湾路31号',
    contactName: '潘玉兰',
    contactPhone: '13961227584',
    status: 'active',
    profile: kitchenOnly({ totalAreaM2: 95, buildingVolumeM3: null, gasSupply: 'lpg', fireResistanceGrade: 3 }),
  },
  {
    name: '常州武进颐康护理院',
    kind: 'nursing_care',
    ownership: 'private',
    creditCode: '91320412MA28AE9E2F',
    divisionCode: '320412100',
    address: '常州市武进区湖塘镇花园街129号',
    contactName: '黄志刚',
    contactPhone: '0519-86578123',
    status: 'active',
    profile: {
      storeys: 6, lowestFloor: 1, totalAreaM2: 9800, buildingVolumeM3: 36000,
      approvedBeds: 240, occupiedBeds: 205,
      residentsSelfCare: 5, residentsMildlyDisabled: 30, residentsModeratelyDisabled: 90, residentsSeverelyDisabled: 78,
      highestFloorWithDisabled: 6,
      hasFireControlRoom: true, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'piped',
      hasCanteen: true, hasMedicalUnit: true, hasElevator: true, hasBoiler: true, hasOxygenPipeline: true,
      insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: false,
    },
  },
  // ---- 金坛区 (320413) ----
  {
    name: '金坛区儒林镇老年助餐点',
    kind: 'meal_point',
    ownership: 'public',
    creditCode: '12320413466100476N',
    divisionCode: '320413104',
    address: '常州市金坛区儒林镇儒林街5号',
    contactName: '汤春花',
    contactPhone: '13921093675',
    status: 'active',
    profile: kitchenOnly({ totalAreaM2: 80, buildingVolumeM3: null, gasSupply: 'lpg', fireResistanceGrade: null }),
  },
  {
    name: '金坛区薛埠镇特困人员供养服务中心',
    kind: 'rural_home',
    ownership: 'public',
    creditCode: '12320413466201189R',
    divisionCode: '320413109',
    address: '常州市金坛区薛埠镇茅山大道286号',
    contactName: '虞建军',
    contactPhone: '0519-82631046',
    status: 'active',
    profile: {
      storeys: 2, lowestFloor: 1, totalAreaM2: 3100, buildingVolumeM3: 11800,
      approvedBeds: 120, occupiedBeds: 81,
      residentsSelfCare: 45, residentsMildlyDisabled: 22, residentsModeratelyDisabled: 10, residentsSeverelyDisabled: 3,
      highestFloorWithDisabled: 2,
      hasFireControlRoom: false, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'lpg',
      hasCanteen: true, hasMedicalUnit: true, hasElevator: true, hasBoiler: false, hasOxygenPipeline: false,
      insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: true,
    },
  },
  {
    name: '常州市金坛区金城镇安康老年公寓',
    kind: 'nursing_home',
    ownership: 'private',
    creditCode: '52320413MJ6813757X',
    divisionCode: '320413100',
    address: '常州市金坛区金城镇东门大街73号',
    contactName: '曹国华',
    contactPhone: '13906120739',
    status: 'suspended',
    profile: {
      storeys: 3, lowestFloor: 1, totalAreaM2: 1400, buildingVolumeM3: 4800,
      approvedBeds: 60, occupiedBeds: 0,
      residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0,
      highestFloorWithDisabled: null,
      hasFireControlRoom: false, hasAutoFireAlarm: false, hasSprinklers: false, gasSupply: 'lpg',
      hasCanteen: true, hasMedicalUnit: false, hasElevator: false, hasBoiler: false, hasOxygenPipeline: false,
      insideOtherBuilding: false, fireResistanceGrade: 3, hasWindowBars: true,
    },
  },
  {
    name: '金坛区西城街道日间照料中心',
    kind: 'day_care',
    ownership: 'public_private',
    creditCode: '52320413MJ6582266N',
    divisionCode: '320413001',
    address: '常州市金坛区西城街道南环二路48号',
    contactName: '袁丽萍',
    contactPhone: '0519-82825164',
    status: 'active',
    profile: kitchenOnly({ totalAreaM2: 360, buildingVolumeM3: 1350, gasSupply: 'piped', fireResistanceGrade: 2 }),
  },
  {
    name: '金坛区华康医养中心',
    kind: 'nursing_care',
    ownership: 'private',
    creditCode: '52320413MJ5971876Y',
    divisionCode: '320413001',
    address: '常州市金坛区西城街道金沙大道1066号',
    contactName: '于正清',
    contactPhone: '0519-82268490',
    status: 'active',
    profile: {
      storeys: 5, lowestFloor: 1, totalAreaM2: 7200, buildingVolumeM3: 26500,
      approvedBeds: 180, occupiedBeds: 143,
      residentsSelfCare: 12, residentsMildlyDisabled: 25, residentsModeratelyDisabled: 55, residentsSeverelyDisabled: 48,
      highestFloorWithDisabled: 5,
      hasFireControlRoom: true, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'piped',
      hasCanteen: true, hasMedicalUnit: true, hasElevator: true, hasBoiler: false, hasOxygenPipeline: true,
      insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: false,
    },
  },
  // ---- 溧阳市 (320481) ----
  {
    name: '溧阳市燕山颐养中心',
    kind: 'nursing_home',
    ownership: 'public',
    creditCode: '123204814663580550',
    divisionCode: '320481002',
    address: '溧阳市溧城街道燕山南路112号',
    contactName: '狄建伟',
    contactPhone: '0519-87213560',
    status: 'active',
    profile: {
      storeys: 6, lowestFloor: 1, totalAreaM2: 11200, buildingVolumeM3: 41000,
      approvedBeds: 320, occupiedBeds: 251,
      residentsSelfCare: 80, residentsMildlyDisabled: 70, residentsModeratelyDisabled: 60, residentsSeverelyDisabled: 36,
      highestFloorWithDisabled: 6,
      hasFireControlRoom: true, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'piped',
      hasCanteen: true, hasMedicalUnit: true, hasElevator: true, hasBoiler: true, hasOxygenPipeline: true,
      insideOtherBuilding: false, fireResistanceGrade: 1, hasWindowBars: false,
    },
  },
  {
    name: '溧阳市天目湖镇敬老院',
    kind: 'rural_home',
    ownership: 'public',
    creditCode: '12320481466588379U',
    divisionCode: '320481106',
    address: '溧阳市天目湖镇平桥街29号',
    contactName: '彭金娣',
    contactPhone: '0519-87956231',
    status: 'active',
    profile: {
      storeys: 2, lowestFloor: 1, totalAreaM2: 1500, buildingVolumeM3: 5400,
      approvedBeds: 60, occupiedBeds: 38,
      residentsSelfCare: 22, residentsMildlyDisabled: 10, residentsModeratelyDisabled: 4, residentsSeverelyDisabled: 1,
      highestFloorWithDisabled: 2,
      hasFireControlRoom: false, hasAutoFireAlarm: false, hasSprinklers: false, gasSupply: 'lpg',
      hasCanteen: true, hasMedicalUnit: false, hasElevator: false, hasBoiler: false, hasOxygenPipeline: false,
      insideOtherBuilding: false, fireResistanceGrade: 3, hasWindowBars: true,
    },
  },
  {
    name: '溧阳市社渚镇老年助餐点',
    kind: 'meal_point',
    ownership: 'public_private',
    creditCode: '52320481MJ51326427',
    divisionCode: '320481116',
    address: '溧阳市社渚镇社渚中街62号',
    contactName: '芮小英',
    contactPhone: '13915041289',
    status: 'active',
    profile: kitchenOnly({ totalAreaM2: 110, buildingVolumeM3: 420, gasSupply: 'lpg', fireResistanceGrade: 3 }),
  },
  {
    name: '溧阳市竹箦镇日间照料中心',
    kind: 'day_care',
    ownership: 'public',
    creditCode: '12320481466859191H',
    divisionCode: '320481111',
    address: '溧阳市竹箦镇竹箦大街15号',
    contactName: '史国强',
    contactPhone: '0519-87485307',
    status: 'active',
    profile: {
      storeys: 1, lowestFloor: 1, totalAreaM2: 260, buildingVolumeM3: 950,
      approvedBeds: 4, occupiedBeds: 0,
      residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0,
      highestFloorWithDisabled: null,
      hasFireControlRoom: false, hasAutoFireAlarm: false, hasSprinklers: false, gasSupply: 'none',
      hasCanteen: false, hasMedicalUnit: false, hasElevator: false, hasBoiler: false, hasOxygenPipeline: false,
      insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: false,
    },
  },
  {
    name: '溧阳市溧城街道康宁颐养院',
    kind: 'nursing_home',
    ownership: 'private',
    creditCode: '52320481MJ6950276U',
    divisionCode: '320481002',
    address: '溧阳市溧城街道昆仑北路398号',
    contactName: '马红霞',
    contactPhone: '13961162058',
    status: 'preparing',
    profile: {
      storeys: 5, lowestFloor: 1, totalAreaM2: 6800, buildingVolumeM3: 25000,
      approvedBeds: 150, occupiedBeds: 0,
      residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0,
      highestFloorWithDisabled: null,
      hasFireControlRoom: true, hasAutoFireAlarm: true, hasSprinklers: true, gasSupply: 'piped',
      hasCanteen: true, hasMedicalUnit: true, hasElevator: true, hasBoiler: false, hasOxygenPipeline: true,
      insideOtherBuilding: false, fireResistanceGrade: 2, hasWindowBars: false,
    },
  },
  // ---- 睦邻点 / 互助养老点 (neighbourhood_point) ----
  {
    name: '天宁区红梅街道青枫睦邻点',
    kind: 'neighbourhood_point',
    ownership: 'public',
    profitStatus: 'non_profit',
    creditCode: '52320402MJ57130849',
    divisionCode: '320402004',
    address: '常州市天宁区红梅街道青枫苑12幢一楼',
    contactName: '吴秀英',
    contactPhone: '13915063827',
    status: 'active',
    profile: {
      storeys: 6, lowestFloor: 1, facilityHighestFloor: 1, hostBuildingUse: 'residential', totalAreaM2: 180, buildingVolumeM3: 560,
      approvedBeds: 0, occupiedBeds: 0, capacityPlaces: 25,
      residentsSelfCare: 0, residentsMildlyDisabled: 0, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0,
      highestFloorWithDisabled: null,
      hasFireControlRoom: false, hasAutoFireAlarm: false, hasSprinklers: false, gasSupply: 'none',
      hasCanteen: false, hasMedicalUnit: false, hasElevator: false, hasBoiler: false, hasOxygenPipeline: false,
      insideOtherBuilding: true, fireResistanceGrade: 2, hasWindowBars: false,
    },
  },
];

/**
 * 双随机 人员库: more inspectors of 天宁区 besides the two demo team members, so the README tour's random draw in
 * 天宁区 staffs every drawn institution with the policy's defaults (teams of 2; whoever inspected an institution in
 * the last 12 months is kept away from it — the demo history has `inspector` + `inspector2` on two 天宁 institutions).
 */
export const DEMO_POOL_INSPECTORS = [
  { username: 'inspector3', displayName: '检查员 赵敏', role: 'inspector' as const, divisionCode: '320402', note: '检查员（双随机人员库）：天宁区 / inspector of the draw pool (天宁区)' },
  { username: 'inspector4', displayName: '检查员 陈静', role: 'inspector' as const, divisionCode: '320402', note: '检查员（双随机人员库）：天宁区 / inspector of the draw pool (天宁区)' },
  { username: 'inspector5', displayName: '检查员 刘洋', role: 'inspector' as const, divisionCode: '320402', note: '检查员（双随机人员库）：天宁区 / inspector of the draw pool (天宁区)' },
  { username: 'inspector6', displayName: '检查员 周婷', role: 'inspector' as const, divisionCode: '320402', note: '检查员（双随机人员库）：天宁区 / inspector of the draw pool (天宁区)' },
];
