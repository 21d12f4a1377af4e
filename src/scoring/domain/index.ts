/** Pure domain of scoring: institution safety score, GB/T 37276 grade, operating subsidy. See docs/scoring.md. */
export * from './grade';
export * from './safety-score';
export * from './subsidy';
export { Ratio } from './exact';
