import { drawInspections, DrawInputError } from './random-draw';
import { drawStratified, STRATIFIED_DRAW_ALGORITHM, StratifiedDrawInput, stratumSampleSize } from './stratified-draw';

const LEVELS = ['A', 'B', 'C', 'D'];
const pool = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `inst-${String(i + 1).padStart(3, '0')}`, stratum: LEVELS[i % 4] }));
const input = (o: Partial<StratifiedDrawInput> = {}): StratifiedDrawInput => ({
  seed: 'plan-2026-q4-天宁', institutions: pool(40),
  strata: [{ code: 'A', ratio: 0.05 }, { code: 'B', ratio: 0.1 }, { code: 'C', ratio: 0.2 }, { code: 'D', ratio: 0.5 }],
  inspectors: Array.from({ length: 6 }, (_, i) => ({ id: `insp-${i + 1}` })), teamSize: 2, conflicts: [], ...o,
});

describe('drawStratified (yian-draw-v2, 差异化抽查)', () => {
  it('draws each stratum at its own ratio, in the policy’s order, and re-runs to the same result', () => {
    const r = drawStratified(input());
    expect(r.algorithm).toBe(STRATIFIED_DRAW_ALGORITHM);
    expect(r.strata).toEqual([
      { code: 'A', ratio: 0.05, poolSize: 10, drawn: 1 }, { code: 'B', ratio: 0.1, poolSize: 10, drawn: 1 },
      { code: 'C', ratio: 0.2, poolSize: 10, drawn: 2 }, { code: 'D', ratio: 0.5, poolSize: 10, drawn: 5 },
    ]);
    expect(r.selected).toHaveLength(9);
    const strataOfDrawn = r.selected.map((s) => input().institutions.find((i) => i.id === s.institutionId)!.stratum);
    expect(strataOfDrawn).toEqual(['A', 'B', 'C', 'C', 'D', 'D', 'D', 'D', 'D']);
    expect(drawStratified(input())).toEqual(r);
    // the caller's order does not matter
    expect(drawStratified(input({ institutions: [...input().institutions].reverse(), inspectors: [...input().inspectors].reverse() }))).toEqual(r);
  });

  it('is pinned: this seed and roster give exactly this draw (a change needs a new algorithm name)', () => {
    const r = drawStratified(input());
    expect(r.selected.map((s) => `${s.institutionId}:${s.inspectorIds.join('+')}`)).toMatchInlineSnapshot(`
[
  "inst-017:insp-3+insp-2",
  "inst-038:insp-4+insp-1",
  "inst-011:insp-5+insp-6",
  "inst-039:insp-3+insp-2",
  "inst-028:insp-1+insp-6",
  "inst-024:insp-4+insp-5",
  "inst-012:insp-1+insp-4",
  "inst-036:insp-6+insp-2",
  "inst-016:insp-3+insp-5",
]
`);
  });

  it('takes no institution from a stratum at ratio 0, all at ratio 1, and at least one from a non-empty stratum', () => {
    expect(stratumSampleSize(0, 10)).toBe(0);
    expect(stratumSampleSize(1, 10)).toBe(10);
    expect(stratumSampleSize(0.01, 10)).toBe(1);
    expect(stratumSampleSize(0.5, 0)).toBe(0);
    expect(stratumSampleSize(0.07, 100)).toBe(7);
    const r = drawStratified(input({ strata: [{ code: 'A', ratio: 0 }, { code: 'B', ratio: 0 }, { code: 'C', ratio: 0 }, { code: 'D', ratio: 1 }] }));
    expect(r.strata.map((s) => s.drawn)).toEqual([0, 0, 0, 10]);
  });

  it('uses its own stream: the same seed gives v1 a different draw, and v1 is unchanged', () => {
    const v2 = drawStratified(input({ strata: [{ code: 'A', ratio: 0.25 }, { code: 'B', ratio: 0.25 }, { code: 'C', ratio: 0.25 }, { code: 'D', ratio: 0.25 }] }));
    const v1 = drawInspections({ seed: 'plan-2026-q4-天宁', institutions: pool(40).map(({ id }) => ({ id })), inspectors: input().inspectors, sample: { count: 12 }, teamSize: 2, conflicts: [] });
    expect(v1.algorithm).toBe('yian-draw-v1');
    expect(v2.selected.map((s) => s.institutionId)).not.toEqual(v1.selected.map((s) => s.institutionId));
  });

  it('refuses unknown or repeated strata, ratios outside [0, 1], and an institution without a stratum', () => {
    const field = (o: Partial<StratifiedDrawInput>) => {
      try { drawStratified(input(o)); } catch (e) { expect(e).toBeInstanceOf(DrawInputError); return (e as DrawInputError).field; }
      return null;
    };
    expect(field({ strata: [] })).toBe('strata');
    expect(field({ strata: [{ code: 'A', ratio: 0.1 }, { code: 'A', ratio: 0.2 }] })).toBe('strata');
    expect(field({ strata: [{ code: 'A', ratio: 1.5 }, { code: 'B', ratio: 0 }, { code: 'C', ratio: 0 }, { code: 'D', ratio: 0 }] })).toBe('strata');
    expect(field({ institutions: [{ id: 'x', stratum: 'E' }] })).toBe('institutions');
    expect(field({ teamSize: 1 })).toBe('teamSize');
  });
});
