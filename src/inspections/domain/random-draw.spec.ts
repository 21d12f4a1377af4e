import { DRAW_ALGORITHM, DrawInput, DrawInputError, DrawResult, drawInspections } from './random-draw';

const ids = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${String(i + 1).padStart(3, '0')}` }));

function input(overrides: Partial<DrawInput> = {}): DrawInput {
  return {
    seed: 'plan-2025-09-东西湖',
    institutions: ids('inst', 50),
    inspectors: ids('insp', 8),
    sample: { count: 10 },
    teamSize: 2,
    conflicts: [],
    ...overrides,
  };
}

/** Deterministic Fisher–Yates with a tiny LCG, only to scramble caller order in tests. */
function scrambled<T>(xs: T[], salt: number): T[] {
  const a = [...xs];
  let s = salt >>> 0;
  for (let i = a.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

function expectInputError(patch: Partial<DrawInput>, field: string) {
  let caught: unknown;
  try {
    drawInspections(input(patch));
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(DrawInputError);
  expect(caught).toBeInstanceOf(Error);
  expect((caught as DrawInputError).field).toBe(field);
  expect((caught as DrawInputError).message.length).toBeGreaterThan(0);
}

const loads = (r: DrawResult) => Object.values(r.load);

describe('drawInspections (双随机)', () => {
  describe('reproducibility', () => {
    it('gives the identical result for the same seed and rosters', () => {
      const a = drawInspections(input());
      const b = drawInspections(input());
      expect(b).toEqual(a);
      expect(a.algorithm).toBe(DRAW_ALGORITHM);
      expect(a.seed).toBe('plan-2025-09-东西湖');
    });

    it('does not depend on the order in which the caller passes rosters and conflicts', () => {
      const conflicts: DrawInput['conflicts'] = [
        { inspectorId: 'insp-001', institutionId: 'inst-007', reason: 'bound' },
        { inspectorId: 'insp-002', institutionId: 'inst-007', reason: 'recent' },
        { inspectorId: 'insp-003', institutionId: 'inst-020', reason: 'recent' },
      ];
      const base = drawInspections(input({ conflicts }));
      for (const salt of [1, 2, 3, 42]) {
        const shuffled = drawInspections(
          input({
            institutions: scrambled(ids('inst', 50), salt),
            inspectors: scrambled(ids('insp', 8), salt + 100),
            conflicts: scrambled(conflicts, salt + 200),
          }),
        );
        expect(shuffled).toEqual(base);
      }
    });

    it('selects differently for a different seed (50 choose 10)', () => {
      const a = drawInspections(input({ seed: 'seed-A' })).selected.map((s) => s.institutionId);
      const b = drawInspections(input({ seed: 'seed-B' })).selected.map((s) => s.institutionId);
      expect(a).toHaveLength(10);
      expect(b).toHaveLength(10);
      expect(new Set(a)).not.toEqual(new Set(b));
    });
  });

  describe('sample size', () => {
    it('ratio 0.1 of 25 → 3 (ceil)', () => {
      const r = drawInspections(input({ institutions: ids('inst', 25), sample: { ratio: 0.1 } }));
      expect(r.selected.length + r.unstaffed.length).toBe(3);
    });

    it('ratio is robust to floating-point noise (0.07 × 100 → 7, 0.3 × 10 → 3)', () => {
      expect(drawInspections(input({ institutions: ids('inst', 100), sample: { ratio: 0.07 } })).selected).toHaveLength(7);
      expect(drawInspections(input({ institutions: ids('inst', 10), sample: { ratio: 0.3 } })).selected).toHaveLength(3);
    });

    it('ratio draws at least 1 from a non-empty pool and 0 from an empty one', () => {
      expect(drawInspections(input({ institutions: ids('inst', 5), sample: { ratio: 0.01 } })).selected).toHaveLength(1);
      const empty = drawInspections(input({ institutions: [], sample: { ratio: 0.3 } }));
      expect(empty.selected).toEqual([]);
      expect(empty.unstaffed).toEqual([]);
      expect(loads(empty).every((l) => l === 0)).toBe(true);
    });

    it('ratio 1 and count = n draw the whole pool, each institution once', () => {
      const r = drawInspections(input({ institutions: ids('inst', 12), sample: { ratio: 1 } }));
      const drawn = r.selected.map((s) => s.institutionId);
      expect(new Set(drawn).size).toBe(12);
      const c = drawInspections(input({ institutions: ids('inst', 12), sample: { count: 12 } }));
      expect(new Set(c.selected.map((s) => s.institutionId)).size).toBe(12);
    });
  });

  describe('teams', () => {
    it('respects team size with no duplicate inspector in a team', () => {
      for (const teamSize of [2, 3, 4]) {
        const r = drawInspections(input({ teamSize, sample: { count: 20 } }));
        expect(r.selected).toHaveLength(20);
        for (const s of r.selected) {
          expect(s.inspectorIds).toHaveLength(teamSize);
          expect(new Set(s.inspectorIds).size).toBe(teamSize);
        }
        const total = loads(r).reduce((a, b) => a + b, 0);
        expect(total).toBe(20 * teamSize);
      }
    });

    it('never teams a conflicted pair (bound or recent)', () => {
      const institutions = ids('inst', 20);
      const inspectors = ids('insp', 6);
      const conflicts: DrawInput['conflicts'] = [];
      institutions.forEach((inst, i) => {
        conflicts.push({ inspectorId: inspectors[i % 6].id, institutionId: inst.id, reason: 'bound' });
        conflicts.push({ inspectorId: inspectors[(i + 1) % 6].id, institutionId: inst.id, reason: 'recent' });
        conflicts.push({ inspectorId: inspectors[(i + 3) % 6].id, institutionId: inst.id, reason: 'recent' });
      });
      const banned = new Set(conflicts.map((c) => `${c.inspectorId}|${c.institutionId}`));
      for (let s = 0; s < 50; s++) {
        const r = drawInspections(input({ seed: `c-${s}`, institutions, inspectors, conflicts, sample: { ratio: 1 }, teamSize: 3 }));
        expect(r.unstaffed).toEqual([]);
        for (const sel of r.selected) {
          for (const insp of sel.inspectorIds) expect(banned.has(`${insp}|${sel.institutionId}`)).toBe(false);
        }
      }
    });

    it('spreads load evenly: max − min ≤ 1 (30 institutions × 7 inspectors × team 2, no conflicts)', () => {
      for (let s = 0; s < 25; s++) {
        const r = drawInspections(
          input({ seed: `load-${s}`, institutions: ids('inst', 30), inspectors: ids('insp', 7), sample: { ratio: 1 }, teamSize: 2 }),
        );
        expect(Object.keys(r.load)).toHaveLength(7);
        expect(Math.max(...loads(r)) - Math.min(...loads(r))).toBeLessThanOrEqual(1);
        expect(loads(r).reduce((a, b) => a + b, 0)).toBe(60);
      }
    });

    it('puts an institution in unstaffed when conflicts leave too few inspectors', () => {
      const inspectors = ids('insp', 3);
      const conflicts: DrawInput['conflicts'] = [
        { inspectorId: 'insp-001', institutionId: 'inst-002', reason: 'bound' },
        { inspectorId: 'insp-002', institutionId: 'inst-002', reason: 'recent' },
      ];
      const r = drawInspections(input({ institutions: ids('inst', 4), inspectors, conflicts, sample: { ratio: 1 }, teamSize: 2 }));
      expect(r.unstaffed).toEqual([{ institutionId: 'inst-002', reason: '无足够无利害关系的检查人员（需要 2 名，仅有 1 名）' }]);
      expect(r.selected.map((s) => s.institutionId).sort()).toEqual(['inst-001', 'inst-003', 'inst-004']);
      expect(r.selected.every((s) => s.inspectorIds.length === 2)).toBe(true);
      expect(loads(r).reduce((a, b) => a + b, 0)).toBe(6);
    });

    it('breaks load ties at random, not by id (each of 4 inspectors ≈ 1/2 for one team of 2)', () => {
      const hits: Record<string, number> = {};
      const firstPick: Record<string, number> = {};
      const runs = 2000;
      for (let s = 0; s < runs; s++) {
        const r = drawInspections(input({ seed: `tie-${s}`, institutions: ids('inst', 1), inspectors: ids('insp', 4), sample: { count: 1 } }));
        const team = r.selected[0].inspectorIds;
        for (const id of team) hits[id] = (hits[id] ?? 0) + 1;
        firstPick[team[0]] = (firstPick[team[0]] ?? 0) + 1;
      }
      for (const { id } of ids('insp', 4)) {
        expect(Math.abs(hits[id] / runs - 0.5)).toBeLessThan(0.05);
        expect(Math.abs(firstPick[id] / runs - 0.25)).toBeLessThan(0.04);
      }
    });
  });

  describe('fairness', () => {
    it('selects each of 20 institutions with probability ≈ count/n over 2,000 seeds (5/20 = 0.25 ± 0.04)', () => {
      const institutions = ids('inst', 20);
      const freq = new Map<string, number>(institutions.map((i) => [i.id, 0]));
      const firstDrawn = new Map<string, number>(institutions.map((i) => [i.id, 0]));
      const runs = 2000;
      for (let s = 0; s < runs; s++) {
        const r = drawInspections(input({ seed: `freq-${s}`, institutions, sample: { count: 5 } }));
        expect(r.selected).toHaveLength(5);
        r.selected.forEach((sel) => freq.set(sel.institutionId, freq.get(sel.institutionId)! + 1));
        firstDrawn.set(r.selected[0].institutionId, firstDrawn.get(r.selected[0].institutionId)! + 1);
      }
      for (const [, hits] of freq) expect(Math.abs(hits / runs - 5 / 20)).toBeLessThan(0.04);
      // draw order is unbiased too: each institution is drawn first ≈ 1/20 of the time
      for (const [, hits] of firstDrawn) expect(Math.abs(hits / runs - 1 / 20)).toBeLessThan(0.025);
    });
  });

  describe('input validation (DrawInputError names the field)', () => {
    it.each<[string, Partial<DrawInput>, string]>([
      ['teamSize < 2', { teamSize: 1 }, 'teamSize'],
      ['teamSize not an integer', { teamSize: 2.5 }, 'teamSize'],
      ['more team members than inspectors', { teamSize: 9 }, 'teamSize'],
      ['both count and ratio', { sample: { count: 3, ratio: 0.1 } }, 'sample'],
      ['neither count nor ratio', { sample: {} }, 'sample'],
      ['count > pool', { sample: { count: 51 } }, 'sample.count'],
      ['count < 1', { sample: { count: 0 } }, 'sample.count'],
      ['count not an integer', { sample: { count: 2.5 } }, 'sample.count'],
      ['ratio 0', { sample: { ratio: 0 } }, 'sample.ratio'],
      ['ratio > 1', { sample: { ratio: 1.5 } }, 'sample.ratio'],
      ['ratio NaN', { sample: { ratio: Number.NaN } }, 'sample.ratio'],
      ['duplicate institution id', { institutions: [{ id: 'a' }, { id: 'b' }, { id: 'a' }], sample: { count: 1 } }, 'institutions'],
      ['duplicate inspector id', { inspectors: [{ id: 'x' }, { id: 'y' }, { id: 'x' }] }, 'inspectors'],
      ['empty institution id', { institutions: [{ id: '' }], sample: { count: 1 } }, 'institutions'],
      ['empty seed', { seed: '' }, 'seed'],
      ['bad conflict reason', { conflicts: [{ inspectorId: 'insp-001', institutionId: 'inst-001', reason: 'friend' as 'bound' }] }, 'conflicts'],
    ])('%s', (_name, patch, field) => expectInputError(patch, field));
  });

  describe('golden draw (pins algorithm yian-draw-v1 — bump DRAW_ALGORITHM if this ever has to change)', () => {
    it('reproduces the exact published result for a fixed seed', () => {
      const r = drawInspections({
        seed: 'golden-2025-09',
        institutions: Array.from({ length: 12 }, (_, i) => ({ id: `inst-${String(i + 1).padStart(2, '0')}` })),
        inspectors: ['zhang', 'wang', 'li', 'zhao', 'liu'].map((id) => ({ id })),
        sample: { ratio: 0.3 },
        teamSize: 2,
        conflicts: [
          { inspectorId: 'zhang', institutionId: 'inst-03', reason: 'bound' },
          { inspectorId: 'wang', institutionId: 'inst-09', reason: 'bound' },
          { inspectorId: 'li', institutionId: 'inst-09', reason: 'recent' },
          { inspectorId: 'zhao', institutionId: 'inst-09', reason: 'recent' },
          { inspectorId: 'liu', institutionId: 'inst-09', reason: 'recent' },
        ],
      });
      expect(r).toEqual({
        algorithm: 'yian-draw-v1',
        seed: 'golden-2025-09',
        selected: [
          { institutionId: 'inst-04', inspectorIds: ['li', 'zhang'] },
          { institutionId: 'inst-05', inspectorIds: ['wang', 'liu'] },
          { institutionId: 'inst-01', inspectorIds: ['zhao', 'wang'] },
        ],
        unstaffed: [{ institutionId: 'inst-09', reason: '无足够无利害关系的检查人员（需要 2 名，仅有 1 名）' }],
        load: { li: 1, liu: 1, wang: 2, zhang: 1, zhao: 1 },
      });
      // draw order of institutions: inst-04, inst-09 (unstaffed), inst-05, inst-01
    });
  });
});
