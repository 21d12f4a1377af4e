import { applicableItems, compileRule, evaluate, explainExclusion, explainUnverified, formatRule, Rule, RuleSyntaxError } from './applicability';
import { profile } from './profile.fixture';

/** The shared profile with LPG and a canteen, its fire-resistance grade not yet recorded. */
const home = profile({ gasSupply: 'lpg', hasCanteen: true, fireResistanceGrade: null });

function syntaxError(raw: unknown): RuleSyntaxError {
  try {
    compileRule(raw);
  } catch (e) {
    if (e instanceof RuleSyntaxError) return e;
    throw e;
  }
  throw new Error('expected a RuleSyntaxError');
}

describe('compileRule', () => {
  it('compiles the string forms', () => {
    expect(compileRule('storeys >= 3')).toEqual({ type: 'compare', field: 'storeys', op: '>=', value: 3 });
    expect(compileRule('gasSupply in [piped, lpg]')).toEqual({ type: 'in', field: 'gasSupply', values: ['piped', 'lpg'] });
    expect(compileRule('hasFireControlRoom')).toEqual({ type: 'flag', field: 'hasFireControlRoom' });
    expect(compileRule('not hasAutoFireAlarm')).toEqual({ type: 'not', rule: { type: 'flag', field: 'hasAutoFireAlarm' } });
    expect(compileRule('buildingVolumeM3 == null')).toEqual({ type: 'compare', field: 'buildingVolumeM3', op: '==', value: null });
    expect(compileRule("kind == 'meal_point'")).toEqual({ type: 'compare', field: 'kind', op: '==', value: 'meal_point' });
  });

  it('gives "and" precedence over "or" and honours parentheses', () => {
    expect(formatRule(compileRule('hasBoiler or hasElevator and storeys > 2'))).toBe('hasBoiler or (hasElevator and storeys > 2)');
    expect(formatRule(compileRule('(hasBoiler or hasElevator) and storeys > 2'))).toBe('(hasBoiler or hasElevator) and storeys > 2');
  });

  it('compiles YAML map composition', () => {
    const rule = compileRule({ all: ['totalAreaM2 > 3000', { any: ['storeys >= 3', { not: 'hasSprinklers' }] }] });
    expect(formatRule(rule)).toBe('totalAreaM2 > 3000 and (storeys >= 3 or not hasSprinklers)');
  });

  it.each([
    ['floors >= 3', [], 'malformed rule "floors >= 3": unknown profile field "floors"'],
    ['storeys >=', [], 'malformed rule "storeys >=": expected a value after ">=" but found end of rule'],
    ['storeys = 3', [], 'malformed rule "storeys = 3": "=" at column 9 is not an operator; use "=="'],
    ['storeys', [], 'malformed rule "storeys": field "storeys" is a number, not a yes/no field; compare it (e.g. "storeys >= 3")'],
    ['gasSupply == propane', [], 'malformed rule "gasSupply == propane": propane is not a value of "gasSupply" (allowed: none, piped, lpg)'],
    ['gasSupply > piped', [], 'malformed rule "gasSupply > piped": ">" cannot be used on one of [none, piped, lpg]'],
    ['storeys > null', [], 'malformed rule "storeys > null": ">" cannot be used with null'],
    ['hasBoiler and', [], 'malformed rule "hasBoiler and": expected a profile field but found end of rule'],
    ['(hasBoiler', [], 'malformed rule "(hasBoiler": expected ")" but found end of rule'],
  ])('rejects %j', (raw, path, message) => {
    const e = syntaxError(raw);
    expect(e.message.startsWith(message)).toBe(true);
    expect(e.path).toEqual(path);
  });

  it('locates errors inside composed rules', () => {
    const e = syntaxError({ all: ['hasGas', { any: ['storeys >= 3', 'floors > 1'] }] });
    expect(e.path).toEqual(['all', 1, 'any', 1]);
    expect(syntaxError({ all: [] }).message).toBe('malformed rule: "all" takes a non-empty list of rules');
    expect(syntaxError({ some: ['hasGas'] }).message).toBe('malformed rule: a rule map has exactly one key, all, any or not (found: some)');
    expect(syntaxError(3).message).toBe(
      'malformed rule: expected a string like "storeys >= 3" or a map with all/any/not, found number',
    );
  });
});

describe('evaluate', () => {
  const rule = (raw: unknown): Rule => compileRule(raw);

  it('evaluates comparisons, lists, flags and composition', () => {
    expect(evaluate(rule('storeys >= 2'), home)).toBe(true);
    expect(evaluate(rule('storeys > 2'), home)).toBe(false);
    expect(evaluate(rule('gasSupply in [piped, lpg]'), home)).toBe(true);
    expect(evaluate(rule('gasSupply == piped'), home)).toBe(false);
    expect(evaluate(rule('not hasAutoFireAlarm'), home)).toBe(false);
    expect(evaluate(rule({ any: ['hasBoiler', 'hasCanteen'] }), home)).toBe(true);
    expect(evaluate(undefined, home)).toBe(true);
  });

  it('treats an unrecorded fact as unknown, and an unknown rule applies (the stricter reading); == null tests the record', () => {
    expect(evaluate(rule('fireResistanceGrade >= 3'), home)).toBe(true);
    expect(evaluate(rule('fireResistanceGrade < 3'), home)).toBe(true);
    expect(evaluate(rule('fireResistanceGrade == null'), home)).toBe(true);
    expect(evaluate(rule('fireResistanceGrade != null'), home)).toBe(false);
    expect(explainUnverified(rule('fireResistanceGrade >= 3'), home)).toBe('适用（从严）：耐火等级未填写，待核实');
    expect(explainUnverified(rule('fireResistanceGrade == null'), home)).toBeNull();
    // unknown and false is false; unknown or true is true: a recorded fact decides when it can
    expect(evaluate(rule('fireResistanceGrade >= 3 and storeys >= 3'), home)).toBe(false);
    expect(explainUnverified(rule('fireResistanceGrade >= 3 or storeys >= 2'), home)).toBeNull();
    expect(explainUnverified(rule('not (fireResistanceGrade >= 3)'), home)).toBe('适用（从严）：耐火等级未填写，待核实');
  });

  it('keeps null a plain value for facts whose null means "none" (highest floor with disabled residents)', () => {
    const none = { ...home, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null };
    expect(evaluate(rule('highestFloorWithDisabled > 2'), none)).toBe(false);
    expect(explainUnverified(rule('highestFloorWithDisabled > 2'), none)).toBeNull();
  });

  it('evaluates derived facts', () => {
    expect(evaluate(rule('hasDisabledResidents'), home)).toBe(true);
    expect(evaluate(rule('disabledResidents == 20'), home)).toBe(true);
    expect(evaluate(rule('hasKitchen and hasGas'), home)).toBe(true);
    expect(evaluate(rule('disabledAboveFloor2'), home)).toBe(false);
    expect(evaluate(rule('hasKitchen'), { ...home, kind: 'meal_point', hasCanteen: false, gasSupply: 'piped' })).toBe(true);
    expect(evaluate(rule('hasKitchen'), { ...home, kind: 'day_care', hasCanteen: false, gasSupply: 'piped' })).toBe(false);
  });
});

describe('explainExclusion', () => {
  it('names the failing sub-rule with the actual value', () => {
    expect(explainExclusion(compileRule('storeys >= 3'), home)).toBe('storeys >= 3 (实际 2)');
    expect(explainExclusion(compileRule('not hasAutoFireAlarm'), home)).toBe('not hasAutoFireAlarm (实际 是)');
    expect(explainExclusion(compileRule('fireResistanceGrade >= 3'), home)).toBeNull();
    expect(explainExclusion(compileRule('fireResistanceGrade >= 3 and storeys >= 3'), home)).toBe('storeys >= 3 (实际 2)');
    expect(explainExclusion(compileRule({ all: ['hasCanteen', 'storeys > 2', 'hasBoiler'] }), home)).toBe(
      'storeys > 2 (实际 2); hasBoiler (实际 否)',
    );
    expect(explainExclusion(compileRule({ any: ['hasBoiler', { all: ['hasElevator', 'storeys > 2'] }] }), home)).toBe(
      'none of (均不满足): hasBoiler (实际 否) | (hasElevator and storeys > 2) (实际 hasElevator = 否, storeys = 2)',
    );
    expect(explainExclusion(compileRule('hasCanteen'), home)).toBeNull();
  });
});

describe('applicableItems', () => {
  it('splits items and reports disabled ones', () => {
    const checklist = {
      items: [
        { code: 'A-001', enabled: true },
        { code: 'A-002', enabled: true, appliesWhen: compileRule('storeys >= 3') },
        { code: 'A-003', enabled: false },
      ],
    };
    const r = applicableItems(checklist, home);
    expect(r.applicable.map((i) => i.code)).toEqual(['A-001']);
    expect(r.excluded.map((e) => [e.item.code, e.reason])).toEqual([
      ['A-002', 'storeys >= 3 (实际 2)'],
      ['A-003', 'disabled in this checklist version (本版本未启用)'],
    ]);
  });
});
