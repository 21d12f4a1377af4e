/** The kinds of institution (机构类型) and gas supplies of a building profile: the columns' vocabulary. */
export const INSTITUTION_KINDS = [
  'nursing_home',
  'nursing_care',
  'community_complex',
  'day_care',
  'meal_point',
  'rural_home',
  /** 睦邻点 / 互助养老点: a neighbourhood mutual-aid point (daytime activities, no overnight stay) */
  'neighbourhood_point',
] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

/**
 * Kinds whose residents stay overnight by the kind alone (养老机构 proper). A community complex houses residents only
 * when it has beds (approvedBeds > 0); day care, meal points and neighbourhood points never do.
 */
export const RESIDENTIAL_KINDS: readonly InstitutionKind[] = ['nursing_home', 'nursing_care', 'rural_home'];

export const GAS_SUPPLIES = ['none', 'piped', 'lpg'] as const;
export type GasSupply = (typeof GAS_SUPPLIES)[number];

/** The use of the host building when the facility sits inside another building (所在建筑使用性质). */
export const HOST_BUILDING_USES = ['residential', 'commercial', 'office', 'mixed', 'other'] as const;
export type HostBuildingUse = (typeof HOST_BUILDING_USES)[number];

/** 营利性 / 非营利性: the registry fact (民政登记 vs 市场监管登记) subsidy policies may distinguish. */
export const PROFIT_STATUSES = ['for_profit', 'non_profit'] as const;
export type ProfitStatus = (typeof PROFIT_STATUSES)[number];

/** Residents stay overnight: the residential kinds, or a community complex with beds. */
export function residentsStayOvernight(p: { kind: InstitutionKind; approvedBeds?: number | null }): boolean {
  return RESIDENTIAL_KINDS.includes(p.kind) || (p.kind === 'community_complex' && (p.approvedBeds ?? 0) > 0);
}
