/**
 * 差异化抽查 — the risk-weighted 双随机 draw: institutions are drawn stratum by stratum (a credit level or risk
 * class), each stratum with its own sampling ratio, from the same published, re-runnable random stream as
 * yian-draw-v1. Pure: no NestJS, no database, no clock, no Math.random; only node:crypto via DrawRng.
 *
 * This header is the specification of algorithm `yian-draw-v2`. The stratum of each institution and the ratio of
 * each stratum are inputs, recorded with the plan: the draw within a stratum stays random (a stratum's rate is
 * public, the reason for an individual draw is not). Plans drawn with yian-draw-v1 keep verifying with v1.
 *
 * ── Algorithm yian-draw-v2 ────────────────────────────────────────────────────────────────
 *
 * 1. Canonical order. As v1: institution and inspector ids sorted ascending by their UTF-8 bytes; conflicts as a set
 *    of (inspectorId, institutionId) pairs. The strata keep the order they are given in (the policy's order) and
 *    their codes are distinct; every institution names one of them.
 * 2. Random stream. As v1 step 2 with the algorithm name "yian-draw-v2":
 *        block_k = SHA-256( UTF8("yian-draw-v2") ‖ 0x00 ‖ UTF8(seed) ‖ 0x00 ‖ uint64_be(k) )
 * 3. Uniform integer. As v1 step 3.
 * 4. Sample size per stratum s with n_s institutions and ratio r_s (0 ≤ r_s ≤ 1):
 *        k_s = 0 if n_s = 0 or r_s = 0, else max(1, ceil(r_s · n_s − 1e-9))   (IEEE-754 doubles, as v1 step 4).
 * 5. Selection. For each stratum in the given order, a partial Fisher–Yates (v1 step 5) over that stratum's sorted
 *    pool, taking k_s; all strata draw from the one stream, in that order. The drawn institutions are the strata's
 *    draws concatenated in stratum order.
 * 6. Team assignment. As v1 step 6, over the drawn institutions in that order, continuing the same stream.
 * 7. Output. v1's output plus `strata`: for each stratum in order its code, ratio, pool size and the number drawn.
 */
import { assignTeams, conflictsByInstitution, DrawInputError, DrawResult, DrawRng, isWellFormed, validateRoster } from './random-draw';

export const STRATIFIED_DRAW_ALGORITHM = 'yian-draw-v2';
const RATIO_EPSILON = 1e-9;

export interface StratifiedDrawInput {
  seed: string;
  /** The candidate pool, each with its stratum (the credit level the plan was drawn under). */
  institutions: { id: string; stratum: string }[];
  /** The strata in the policy's order, each with its sampling ratio. */
  strata: { code: string; ratio: number }[];
  inspectors: { id: string }[];
  teamSize: number;
  conflicts: { inspectorId: string; institutionId: string; reason: 'bound' | 'recent' }[];
}

export interface StratifiedDrawResult extends Omit<DrawResult, 'algorithm'> {
  algorithm: typeof STRATIFIED_DRAW_ALGORITHM;
  strata: { code: string; ratio: number; poolSize: number; drawn: number }[];
}

export function stratumSampleSize(ratio: number, n: number): number {
  if (n === 0 || ratio === 0) return 0;
  return Math.min(n, Math.max(1, Math.ceil(ratio * n - RATIO_EPSILON)));
}

export function drawStratified(input: StratifiedDrawInput): StratifiedDrawResult {
  const { seed, teamSize } = input;
  if (typeof seed !== 'string' || seed.length === 0 || !isWellFormed(seed)) throw new DrawInputError('seed', '随机种子必须是非空字符串');
  if (typeof teamSize !== 'number' || !Number.isInteger(teamSize) || teamSize < 2) throw new DrawInputError('teamSize', '每个检查组至少需要 2 名检查人员');
  if (!Array.isArray(input.strata) || input.strata.length === 0) throw new DrawInputError('strata', '必须给出抽查分层及各层比例');
  const codes = new Set<string>();
  for (const s of input.strata) {
    if (s === null || typeof s !== 'object' || typeof s.code !== 'string' || !s.code || codes.has(s.code)) throw new DrawInputError('strata', '抽查分层无效或重复');
    if (typeof s.ratio !== 'number' || !Number.isFinite(s.ratio) || s.ratio < 0 || s.ratio > 1) throw new DrawInputError('strata', `分层 ${s.code} 的抽查比例须在 0 到 1 之间`);
    codes.add(s.code);
  }
  const ids = validateRoster('institutions', input.institutions);
  const stratumOf = new Map<string, string>();
  for (const i of input.institutions) {
    if (typeof i.stratum !== 'string' || !codes.has(i.stratum)) throw new DrawInputError('institutions', `机构 ${i.id} 的分层无效`);
    stratumOf.set(i.id, i.stratum);
  }
  const inspectors = validateRoster('inspectors', input.inspectors);
  if (teamSize > inspectors.length) throw new DrawInputError('teamSize', `检查组人数（${teamSize}）超过检查人员名录人数（${inspectors.length}）`);
  const conflicted = conflictsByInstitution(input.conflicts);

  const rng = new DrawRng(seed, STRATIFIED_DRAW_ALGORITHM);
  const drawn: string[] = [];
  const strata: StratifiedDrawResult['strata'] = [];
  for (const s of input.strata) {
    const pool = ids.filter((id) => stratumOf.get(id) === s.code);
    const k = stratumSampleSize(s.ratio, pool.length);
    for (let i = 0; i < k; i++) {
      const j = i + rng.uniform(pool.length - i);
      [pool[i], pool[j]] = [pool[j], pool[i]];
    }
    drawn.push(...pool.slice(0, k));
    strata.push({ code: s.code, ratio: s.ratio, poolSize: pool.length, drawn: k });
  }
  const { selected, unstaffed, load } = assignTeams(drawn, inspectors, teamSize, conflicted, rng);
  return { algorithm: STRATIFIED_DRAW_ALGORITHM, seed, selected, unstaffed, load, strata };
}
