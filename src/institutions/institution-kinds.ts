/** The kinds of institution (机构类型) and gas supplies of a building profile: the columns' vocabulary. */
export const INSTITUTION_KINDS = [
  'nursing_home',
  'nursing_care',
  'community_complex',
  'day_care',
  'meal_point',
  'rural_home',
] as const;
export type InstitutionKind = (typeof INSTITUTION_KINDS)[number];

export const GAS_SUPPLIES = ['none', 'piped', 'lpg'] as const;
export type GasSupply = (typeof GAS_SUPPLIES)[number];
