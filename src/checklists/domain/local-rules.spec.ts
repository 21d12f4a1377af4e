import { readFileSync } from 'fs';
import { resolve } from 'path';
import { applicableItems } from './applicability';
import { applyLocalRules, checkLocalRuleSets, requirementFor, RuledItem } from './local-rules';
import { FOUR_STOREY_HOME, profile } from './profile.fixture';
import { parseRuleFile } from './rule-file.loader';
import { checklistContent, localRuleSetContent } from './rule-content';
import type { InstitutionProfile } from './institution-profile';
import type { ParsedRuleFile } from './rule-file.types';

const DIR = resolve(__dirname, '../../../checklists');
const shipped = (name: string) => parseRuleFile(name, readFileSync(resolve(DIR, name), 'utf8'));
const nationalFile = shipped('fire-safety-inspection.yaml');
const changzhouFile = shipped('local-changzhou.yaml');
const national = checklistContent(nationalFile).items;
const changzhou = localRuleSetContent(changzhouFile);

/** The 2-storey home of the issue: moderately/severely disabled residents up to floor 2, no control room. */
const TWO_STOREY_HOME = profile({ storeys: 2, totalAreaM2: 1500, residentsModeratelyDisabled: 12, residentsSeverelyDisabled: 0, highestFloorWithDisabled: 2 });

function split(items: readonly RuledItem[], p: InstitutionProfile) {
  const r = applicableItems({ items }, p);
  const applicable = new Map(r.applicable.map((i) => [i.code, requirementFor(i, p)]));
  return { applicable, excluded: new Map(r.excluded.map((e) => [e.item.code, e.reason])) };
}

const LOCAL_YAML = (rules: string, extendsCode = 'fire-safety-inspection') => `kind: local_rule_set
code: testcity
title: { zh: 测试市地方规则, en: Test city local rules }
extends: ${extendsCode}
source:
  document: 测试市养老服务行动方案
  number: 测政办发〔2025〕3号
  clause: 第1项
  source: seed-000
rules:
${rules}
`;

describe('the 常州 local rule set (checklists/local-changzhou.yaml)', () => {
  it('names the national checklist it extends and its source, 常政办发〔2024〕16号 第18项', () => {
    expect(changzhou).toMatchObject({
      code: 'changzhou', extends: 'fire-safety-inspection', divisionCode: '320400',
      source: { document: '常州市深入推进“常有颐养”三年行动方案（2024–2026年）', number: '常政办发〔2024〕16号', clause: '第18项', source: 'seed-000' },
    });
    expect(changzhou.rules.map((r) => [r.rule, r.rule === 'add' ? r.item.code : r.item])).toEqual([
      ['enable', 'REF-007'], ['override', 'PPE-001'], ['add', 'NET-901'],
    ]);
    expect(changzhou.majorHazardCriteria).toBeUndefined();
    expect(checkLocalRuleSets([nationalFile, changzhouFile])).toEqual([]);
  });

  it('the IoT duty item says 有条件的 and applies to institutions with a fire control room', () => {
    const add = changzhou.rules.find((r) => r.rule === 'add');
    expect(add?.rule === 'add' && add.item).toMatchObject({ code: 'NET-901', category: 'NET', appliesWhen: { type: 'flag', field: 'hasFireControlRoom' } });
    expect(add?.rule === 'add' && add.item.check.zh).toContain('有条件的');
  });
});

describe('applyLocalRules', () => {
  it('without a local rule set: the national items as they are, each required by the national rules', () => {
    const items = applyLocalRules(national, null);
    expect(items.map((i) => i.code)).toEqual(national.map((i) => i.code));
    expect(items.every((i) => i.requiredBy === null && i.localRule === undefined)).toBe(true);
  });

  it('enables REF-007, overrides PPE-001, adds NET-901 after the last NET item; each says 常州 required it', () => {
    const items = applyLocalRules(national, changzhou);
    const by = new Map(items.map((i) => [i.code, i]));
    const requiredBy = { code: 'changzhou', title: '常州市养老机构安全检查地方规则', document: '常州市深入推进“常有颐养”三年行动方案（2024–2026年）（常政办发〔2024〕16号）', clause: '第18项' };
    expect(by.get('REF-007')).toMatchObject({ enabled: true, requiredBy, localRule: { rule: 'enable' } });
    expect(by.get('PPE-001')).toMatchObject({ appliesWhen: { type: 'flag', field: 'hasDisabledResidents' }, requiredBy, localRule: { rule: 'override' } });
    expect(by.get('PPE-001')!.check.zh).toContain('每名中度、重度失能老人');
    expect(by.get('NET-901')).toMatchObject({ requiredBy, localRule: { rule: 'add' } });
    const codes = items.map((i) => i.code);
    const lastNet = national.map((i) => i.category).lastIndexOf('NET');
    expect(codes.indexOf('NET-901')).toBe(lastNet + 1);
    expect(items).toHaveLength(national.length + 1);
    // every other item untouched and national
    for (const i of items.filter((x) => !['REF-007', 'PPE-001', 'NET-901'].includes(x.code))) expect(i.requiredBy).toBeNull();
    // the local document comes first in the basis of every item a rule touched
    for (const code of ['REF-007', 'PPE-001', 'NET-901']) expect(by.get(code)!.basis[0]).toMatchObject({ kind: 'local_rule', document: requiredBy.document });
    // an enabled product proposal is no longer "only a product default"
    expect(by.get('REF-007')!.basis.some((b) => b.kind === 'product_default')).toBe(false);
  });

  it('is deterministic and leaves the national items unchanged', () => {
    const before = JSON.stringify(national);
    expect(applyLocalRules(national, changzhou)).toEqual(applyLocalRules(national, changzhou));
    expect(JSON.stringify(national)).toBe(before);
  });

  it('skips a rule whose item this national version does not have (or already has, for add)', () => {
    const older = national.filter((i) => i.code !== 'PPE-001');
    const withNet901 = [...national, { ...national[0], code: 'NET-901', category: 'NET' }];
    expect(applyLocalRules(older, changzhou).some((i) => i.code === 'PPE-001')).toBe(false);
    expect(applyLocalRules(withNet901, changzhou).filter((i) => i.code === 'NET-901')).toEqual([{ ...withNet901.at(-1), requiredBy: null }]);
  });
});

describe('applicability with the 常州 rules: a 2-storey home with moderately disabled residents', () => {
  const nationalOnly = applyLocalRules(national, null);
  const local = applyLocalRules(national, changzhou);

  it('national rules: no masks (only above 2 storeys), no refuge-room item, no IoT duty', () => {
    const r = split(nationalOnly, { ...TWO_STOREY_HOME, hasFireControlRoom: true });
    expect(r.applicable.has('PPE-001')).toBe(false);
    expect(r.excluded.get('PPE-001')).toContain('storeys > 2');
    expect(r.excluded.get('REF-007')).toBe('disabled in this checklist version (本版本未启用)');
    expect(r.applicable.has('NET-901') || r.excluded.has('NET-901')).toBe(false);
  });

  it('常州: masks and the refuge-room item, required by 常州', () => {
    const r = split(local, TWO_STOREY_HOME);
    expect(r.applicable.get('PPE-001')?.requiredBy?.code).toBe('changzhou');
    expect(r.applicable.get('REF-007')?.requiredBy?.code).toBe('changzhou');
    expect(r.excluded.get('NET-901')).toBe('hasFireControlRoom (实际 否)');
  });

  it('常州: the IoT duty item when the home has a fire control room', () => {
    const r = split(local, { ...TWO_STOREY_HOME, hasFireControlRoom: true });
    expect(r.applicable.get('NET-901')?.requiredBy?.code).toBe('changzhou');
  });

  it('no disabled residents: no masks even under the local rule, and the exclusion says why', () => {
    const r = split(local, { ...TWO_STOREY_HOME, residentsModeratelyDisabled: 0, residentsSeverelyDisabled: 0, highestFloorWithDisabled: null });
    expect(r.applicable.has('PPE-001')).toBe(false);
    expect(r.excluded.get('PPE-001')).toBe('hasDisabledResidents (实际 否)');
  });

  it('a 4-storey home: the national rule already requires masks, so they are required by the national rules', () => {
    const r = split(local, profile(FOUR_STOREY_HOME));
    expect(r.applicable.get('PPE-001')?.requiredBy).toBeNull();
    expect(r.applicable.get('PPE-001')?.localRule?.rule).toBe('override');
  });
});

describe('checkLocalRuleSets', () => {
  const file = (rules: string, extendsCode?: string): ParsedRuleFile => parseRuleFile('local-test.yaml', LOCAL_YAML(rules, extendsCode));
  const messages = (f: ParsedRuleFile) => checkLocalRuleSets([nationalFile, f]).map((i) => `${i.line} ${i.context ?? ''} ${i.field}: ${i.message}`);

  it('refuses an unknown checklist, enabling an enabled item, and overriding an unknown or disabled one', () => {
    expect(messages(file('  - { rule: enable, item: REF-007, quote: 原文 }', 'no-such-list'))).toEqual([
      '4  extends: unknown inspection checklist "no-such-list" (loaded: fire-safety-inspection)',
    ]);
    const bad = file([
      '  - { rule: enable, item: PPE-001, quote: 原文 }',
      '  - { rule: override, item: XYZ-001, appliesWhen: hasDisabledResidents, quote: 原文 }',
      '  - { rule: override, item: REF-007, appliesWhen: hasDisabledResidents, quote: 原文 }',
    ].join('\n'));
    expect(messages(bad)).toEqual([
      '11 rule #1 (enable PPE-001) item: item "PPE-001" is already enabled in fire-safety-inspection.yaml; use override to change its applicability',
      '12 rule #2 (override XYZ-001) item: unknown item "XYZ-001" (not in fire-safety-inspection.yaml)',
      '13 rule #3 (override REF-007) item: item "REF-007" is disabled in fire-safety-inspection.yaml; use enable (with appliesWhen) to switch it on',
    ]);
  });

  it('the schema refuses an added item outside the local series CAT-9NN and a second rule for one item', () => {
    const item = (code: string) => `    item: { code: ${code}, category: NET, title: { zh: 新项, en: New }, check: { zh: 查 }, basis: [{ kind: product_default, note: 建议 }], severity: general, deadlineDays: 30, evidence: { photoRequiredWhenFailed: false } }`;
    expect(() => file(`  - rule: add\n    quote: 原文\n${item('NET-008')}`)).toThrow(/local-test\.yaml:13 rule #1 \(add NET-008\) field item\.code: an added item is numbered from 900/);
    expect(() => file('  - { rule: enable, item: REF-007, quote: 原文 }\n  - { rule: enable, item: REF-007, quote: 原文 }')).toThrow(/item "REF-007" already has a rule \(rules\[0\]\)/);
    expect(() => file('  - { rule: remove, item: REF-007, quote: 原文 }')).toThrow(/unknown value "remove" \(allowed: enable, override, add\)/);
  });
});
