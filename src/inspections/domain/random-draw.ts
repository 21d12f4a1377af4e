/**
 * 双随机、一公开 — reproducible random draw of institutions and inspection teams.
 *
 * Pure: no NestJS, no database, no IO, no clock, no Math.random. Only node:crypto (SHA-256).
 * Anyone with the published seed, the two rosters, the conflict list, the sample size and
 * the team size can re-run the draw and check the published result. This header is the
 * specification of algorithm `yian-draw-v1`. Any change to the observable behaviour below
 * needs a new DRAW_ALGORITHM value; the golden test in random-draw.spec.ts pins it.
 *
 * ── Algorithm yian-draw-v1 ────────────────────────────────────────────────────────────────
 *
 * 1. Canonical order. Sort institution ids and inspector ids ascending by their UTF-8 bytes
 *    (this is the same as Unicode code-point order). All later steps use these sorted lists,
 *    so the order in which the caller passes the rosters does not matter. Conflicts form a
 *    set of (inspectorId, institutionId) pairs. The reason ('bound' | 'recent') does not
 *    change the draw, and pairs that name ids outside the pools are ignored.
 *
 * 2. Random stream. For k = 0, 1, 2, … compute
 *        block_k = SHA-256( UTF8("yian-draw-v1") ‖ 0x00 ‖ UTF8(seed) ‖ 0x00 ‖ uint64_be(k) )
 *    Join the 32-byte blocks into one byte stream and read it as consecutive unsigned
 *    32-bit big-endian words w0, w1, … (8 words per block, none skipped).
 *
 * 3. Uniform integer. uniform(m) for m ≥ 1: let limit = floor(2^32 / m) · m. Take the next
 *    word w, and while w ≥ limit take another one (rejection, so there is no modulo bias).
 *    Return w mod m. Every call uses at least one word, even uniform(1).
 *
 * 4. Sample size. n = number of institutions.
 *      - count given: k = count (an integer, 1 ≤ count ≤ n).
 *      - ratio given (0 < ratio ≤ 1): k = ceil(ratio · n − 1e-9), in IEEE-754 double
 *        arithmetic. The −1e-9 absorbs rounding noise such as 0.07·100 = 7.000000000000001.
 *        Then k = max(k, 1) if n > 0, and k = 0 if n = 0.
 *
 * 5. Institution selection (partial Fisher–Yates on the sorted pool P[0..n)):
 *        for i = 0 … k−1:  j = i + uniform(n − i);  swap P[i], P[j]
 *    The drawn institutions in draw order are P[0], P[1], …, P[k−1].
 *
 * 6. Team assignment. Start with load[x] = 0 for every inspector x. For each drawn
 *    institution D in draw order:
 *      a. E = the sorted inspectors with no conflict pair (x, D).
 *      b. If |E| < teamSize, record D as unstaffed with the reason
 *         "无足够无利害关系的检查人员（需要 T 名，仅有 N 名）". No random words are used and no
 *         loads change.
 *      c. Otherwise repeat teamSize times: among the members of E not yet on D's team, take
 *         those with the minimum current load, C (kept in sorted order). Pick C[uniform(|C|)]
 *         and append it to the team. After the team is complete, add 1 to load[x] for each
 *         member x.
 *    So ties between equally loaded inspectors are broken by the random stream, not by id,
 *    and the order within inspectorIds is the pick order. Without conflicts, picking the
 *    least-loaded inspectors keeps max(load) − min(load) ≤ 1 at all times.
 *
 * 7. Output. `selected` lists the staffed institutions in draw order, with their teams.
 *    `unstaffed` lists the drawn institutions that could not be staffed, also in draw order.
 *    Together they hold exactly the k drawn institutions. `load` maps every inspector in the
 *    pool (including those with 0) to the number of teams they are on. The key order of
 *    this object carries no meaning.
 */
import { createHash } from 'node:crypto';

export const DRAW_ALGORITHM = 'yian-draw-v1';

export interface DrawInput {
  /** Recorded with the plan; same seed + same rosters => same result. */
  seed: string;
  /** The candidate pool after the plan's filters. */
  institutions: { id: string }[];
  /** The inspector pool. */
  inspectors: { id: string }[];
  /** Exactly one of them. ratio in (0,1]; count = ceil(ratio*n), at least 1 if the pool is not empty. */
  sample: { count?: number; ratio?: number };
  /** At least 2 (two officers per inspection). */
  teamSize: number;
  /** Pairs that may not be teamed: bound to the institution, or inspected it recently. The caller computes these. */
  conflicts: { inspectorId: string; institutionId: string; reason: 'bound' | 'recent' }[];
}

export interface DrawResult {
  algorithm: typeof DRAW_ALGORITHM;
  seed: string;
  /** Staffed institutions in draw order. */
  selected: { institutionId: string; inspectorIds: string[] }[];
  /** Drawn, but no team free of conflicts could be formed (reason in Chinese). Draw order. */
  unstaffed: { institutionId: string; reason: string }[];
  /** Inspections per inspector, for every inspector in the pool. */
  load: Record<string, number>;
}

export class DrawInputError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'DrawInputError';
  }
}

/** Tolerance applied before ceil(ratio * n); part of the yian-draw-v1 specification. */
const RATIO_EPSILON = 1e-9;
const TWO_POW_32 = 0x1_0000_0000;

/** SHA-256 counter-mode word stream (step 2) with unbiased bounded integers (step 3); the algorithm's name heads each block. */
export class DrawRng {
  private readonly prefix: Buffer;
  private counter = 0;
  private block: Buffer = Buffer.alloc(0);
  private offset = 0;

  constructor(seed: string, algorithm: string = DRAW_ALGORITHM) {
    this.prefix = Buffer.concat([Buffer.from(algorithm, 'utf8'), Buffer.from([0]), Buffer.from(seed, 'utf8'), Buffer.from([0])]);
  }

  private nextWord(): number {
    if (this.offset >= this.block.length) {
      const ctr = Buffer.alloc(8);
      ctr.writeBigUInt64BE(BigInt(this.counter++));
      this.block = createHash('sha256').update(this.prefix).update(ctr).digest();
      this.offset = 0;
    }
    const w = this.block.readUInt32BE(this.offset);
    this.offset += 4;
    return w;
  }

  /** Uniform integer in [0, m). */
  uniform(m: number): number {
    if (!Number.isInteger(m) || m < 1 || m > TWO_POW_32) throw new RangeError(`uniform(${m})`);
    const limit = Math.floor(TWO_POW_32 / m) * m;
    let w = this.nextWord();
    while (w >= limit) w = this.nextWord();
    return w % m;
  }
}

export function isWellFormed(s: string): boolean {
  return Buffer.from(s, 'utf8').toString('utf8') === s;
}

/** Ascending by UTF-8 bytes (= Unicode code-point order). */
function canonicalSort(ids: string[]): string[] {
  return ids
    .map((id) => ({ id, bytes: Buffer.from(id, 'utf8') }))
    .sort((a, b) => Buffer.compare(a.bytes, b.bytes))
    .map((e) => e.id);
}

export function validateRoster(field: 'institutions' | 'inspectors', roster: unknown): string[] {
  if (!Array.isArray(roster)) throw new DrawInputError(field, `${field} 必须是数组`);
  const seen = new Set<string>();
  for (const entry of roster as unknown[]) {
    const id = (entry as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || id.length === 0 || !isWellFormed(id)) {
      throw new DrawInputError(field, `${field} 中存在无效的 id`);
    }
    if (seen.has(id)) throw new DrawInputError(field, `${field} 中存在重复的 id：${id}`);
    seen.add(id);
  }
  return canonicalSort([...seen]);
}

function sampleSize(sample: DrawInput['sample'], n: number): number {
  if (sample === null || typeof sample !== 'object') throw new DrawInputError('sample', '必须指定抽取数量或抽取比例');
  const hasCount = sample.count !== undefined && sample.count !== null;
  const hasRatio = sample.ratio !== undefined && sample.ratio !== null;
  if (hasCount === hasRatio) throw new DrawInputError('sample', '抽取数量（count）与抽取比例（ratio）必须且只能指定一个');
  if (hasCount) {
    const count = sample.count as number;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1) {
      throw new DrawInputError('sample.count', '抽取数量必须是不小于 1 的整数');
    }
    if (count > n) throw new DrawInputError('sample.count', `抽取数量（${count}）超过检查对象名录数量（${n}）`);
    return count;
  }
  const ratio = sample.ratio as number;
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio <= 0 || ratio > 1) {
    throw new DrawInputError('sample.ratio', '抽取比例必须大于 0 且不大于 1');
  }
  if (n === 0) return 0;
  return Math.min(n, Math.max(1, Math.ceil(ratio * n - RATIO_EPSILON)));
}

export function drawInspections(input: DrawInput): DrawResult {
  // ── validation ──
  const { seed, teamSize } = input;
  if (typeof seed !== 'string' || seed.length === 0 || !isWellFormed(seed)) {
    throw new DrawInputError('seed', '随机种子必须是非空字符串');
  }
  if (typeof teamSize !== 'number' || !Number.isInteger(teamSize) || teamSize < 2) {
    throw new DrawInputError('teamSize', '每个检查组至少需要 2 名检查人员');
  }
  const institutions = validateRoster('institutions', input.institutions);
  const inspectors = validateRoster('inspectors', input.inspectors);
  if (teamSize > inspectors.length) {
    throw new DrawInputError('teamSize', `检查组人数（${teamSize}）超过检查人员名录人数（${inspectors.length}）`);
  }
  const k = sampleSize(input.sample, institutions.length);

  const conflicted = conflictsByInstitution(input.conflicts);

  const rng = new DrawRng(seed);

  // ── step 5: partial Fisher–Yates over the sorted institution pool ──
  const pool = [...institutions];
  for (let i = 0; i < k; i++) {
    const j = i + rng.uniform(pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const drawn = pool.slice(0, k);

  // ── step 6: team assignment ──
  const { selected, unstaffed, load } = assignTeams(drawn, inspectors, teamSize, conflicted, rng);

  return {
    algorithm: DRAW_ALGORITHM,
    seed,
    selected,
    unstaffed,
    load,
  };
}

/** The conflict pairs by institution (step 1): institutionId → the inspectors who may not be on its team. */
export function conflictsByInstitution(conflicts: unknown): Map<string, Set<string>> {
  if (!Array.isArray(conflicts)) throw new DrawInputError('conflicts', 'conflicts 必须是数组');
  const conflicted = new Map<string, Set<string>>(); // institutionId -> inspectorIds
  for (const c of conflicts as DrawInput['conflicts']) {
    if (
      c === null ||
      typeof c !== 'object' ||
      typeof c.inspectorId !== 'string' ||
      typeof c.institutionId !== 'string' ||
      (c.reason !== 'bound' && c.reason !== 'recent')
    ) {
      throw new DrawInputError('conflicts', '利害关系记录无效');
    }
    let set = conflicted.get(c.institutionId);
    if (!set) conflicted.set(c.institutionId, (set = new Set()));
    set.add(c.inspectorId);
  }
  return conflicted;
}

/** Step 6, team assignment over the drawn institutions in draw order (the same for every algorithm version so far). */
export function assignTeams(drawn: string[], inspectors: string[], teamSize: number, conflicted: Map<string, Set<string>>, rng: DrawRng): Pick<DrawResult, 'selected' | 'unstaffed' | 'load'> {
  const load = new Map<string, number>(inspectors.map((id) => [id, 0]));
  const selected: DrawResult['selected'] = [];
  const unstaffed: DrawResult['unstaffed'] = [];

  for (const institutionId of drawn) {
    const excluded = conflicted.get(institutionId);
    const eligible = excluded ? inspectors.filter((id) => !excluded.has(id)) : inspectors;
    if (eligible.length < teamSize) {
      unstaffed.push({
        institutionId,
        reason: `无足够无利害关系的检查人员（需要 ${teamSize} 名，仅有 ${eligible.length} 名）`,
      });
      continue;
    }
    const team: string[] = [];
    const onTeam = new Set<string>();
    for (let s = 0; s < teamSize; s++) {
      let min = Infinity;
      for (const id of eligible) if (!onTeam.has(id)) min = Math.min(min, load.get(id)!);
      const candidates = eligible.filter((id) => !onTeam.has(id) && load.get(id) === min);
      const pick = candidates[rng.uniform(candidates.length)];
      team.push(pick);
      onTeam.add(pick);
    }
    for (const id of team) load.set(id, load.get(id)! + 1);
    selected.push({ institutionId, inspectorIds: team });
  }
  return { selected, unstaffed, load: Object.fromEntries(inspectors.map((id) => [id, load.get(id)!])) };
}
