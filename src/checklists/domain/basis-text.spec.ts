import { readFileSync } from 'fs';
import { resolve } from 'path';
import { basisCitations, basisText, criterionText, isPrintableCitation, PRODUCT_SUGGESTION_TEXT, verifiedClause } from './basis-text';
import { applyLocalRules } from './local-rules';
import { parseRuleFile } from './rule-file.loader';
import { checklistContent, localRuleSetContent } from './rule-content';
import type { BasisEntry } from './rule-file.types';

const DIR = resolve(__dirname, '../../../checklists');
const shipped = (name: string) => parseRuleFile(name, readFileSync(resolve(DIR, name), 'utf8'));
const national = checklistContent(shipped('fire-safety-inspection.yaml')).items;
const changzhou = localRuleSetContent(shipped('local-changzhou.yaml'));

const legal = (document: string, clause?: string, source?: string, note?: string): BasisEntry => ({
  kind: 'legal', document, ...(clause ? { clause } : {}), ...(source ? { source } : {}), ...(note ? { note } : {}),
});
const text = (...basis: BasisEntry[]) => basisText({ basis });

/** What an official document must never print. */
const FORBIDDEN = /CMS|NFPA|K\d{3}|参照|未核实|待核实|未核对|NOT FOUND|征求意见稿|产品默认/;

describe('basisText — 依据 on official documents', () => {
  it('prints a Chinese normative document with its verified, numbered clause', () => {
    expect(text(legal('消防法', '第二十八条', 'S39'))).toBe('消防法 第二十八条');
    expect(text(legal('GB 50016-2014（2018年版）建筑设计防火规范', '5.5.24A', 'S14'), legal('GB 50016-2014（2018年版）建筑设计防火规范', '5.5.24A', 'S15')))
      .toBe('GB 50016-2014（2018年版）建筑设计防火规范 5.5.24A');
    expect(text(legal('GB 50016-2014（2018年版）建筑设计防火规范', '8.4.1 第7款', 'S17'), legal('消防法', '第二十八条', 'S39')))
      .toBe('GB 50016-2014（2018年版）建筑设计防火规范 8.4.1 第7款；消防法 第二十八条');
  });

  it('never prints a foreign reference (CMS, NFPA, K-tags, 参照)', () => {
    expect(text(legal('消防法', '第二十八条', 'S39'), legal('CMS Life Safety Code K222（参照）', undefined, 'S73'))).toBe('消防法 第二十八条');
    expect(text(legal('CMS Life Safety Code K291（参照）', undefined, 'S74'))).toBe(PRODUCT_SUGGESTION_TEXT);
    expect(isPrintableCitation({ document: 'NFPA 101 19.2.8' })).toBe(false);
    expect(isPrintableCitation({ document: '上海虹口 养老院 感应门（参照）' })).toBe(false);
  });

  it('prints the document title alone when the clause is unverified (never "（条号未核实）")', () => {
    expect(text(legal('GB 50016-2014（2018年版）建筑设计防火规范', '老年人照料设施安全出口规定（条号未核实）', 'S15'))).toBe('GB 50016-2014（2018年版）建筑设计防火规范');
    expect(text(legal('安全生产法（2021）', '第三十六条第四款（条号待核实；转载页作第三十三条）', 'S37'))).toBe('安全生产法（2021）');
    expect(verifiedClause({ clause: '8.3.4', source: 'R', note: '条号凭记忆，未核对原文' })).toBeNull();
    expect(verifiedClause({ clause: '4.2', source: 'S22-weak' })).toBeNull();
    expect(verifiedClause({ clause: '服务防护（噎食）', source: 'S12' })).toBeNull();
    expect(verifiedClause({ clause: '5.2 a)', source: 'S21' })).toBe('5.2 a)');
  });

  it('an item with only a product default, or only non-normative sources, says it is the system\'s suggestion', () => {
    expect(text({ kind: 'product_default', note: '配电设施检查要点为产品建议。' })).toBe('本系统建议项（非法定要求）');
    expect(text(legal('民政部 养老院火灾常见原因（2025）', undefined, 'S-ypynws'), legal('民政局 养老机构安全督导检查内容', undefined, 'S89'))).toBe(PRODUCT_SUGGESTION_TEXT);
    expect(text(legal('关于切实采取过硬措施坚决防范遏制养老机构重特大火灾事故的通知（征求意见稿，2025）', '微型消防站', 'S29'))).toBe(PRODUCT_SUGGESTION_TEXT);
    // another locality's practice is not a basis here
    expect(text({ kind: 'local_rule', document: '兴化 “拆窗破网”专项行动倡议书（2024）', source: 'S40' })).toBe(PRODUCT_SUGGESTION_TEXT);
  });

  it('an item required by the local rule set cites the local document first', () => {
    const items = new Map(applyLocalRules(national, changzhou).map((i) => [i.code, i]));
    const local = '常州市深入推进“常有颐养”三年行动方案（2024–2026年）（常政办发〔2024〕16号）第18项';
    expect(basisText(items.get('NET-901')!)).toBe(local);
    expect(basisText(items.get('REF-007')!)).toBe(local);
    expect(basisCitations(items.get('PPE-001')!)[0]).toBe(local);
  });

  it('a provincial regulation the national file cites as a local rule is printed where the local set says it is in force', () => {
    const jiangsu = national.filter((i) => i.basis.some((b) => b.kind === 'local_rule' && b.document.startsWith('江苏省燃气管理条例')));
    expect(jiangsu.map((i) => i.code)).toContain('GAS-002');
    const local = new Map(applyLocalRules(national, changzhou).map((i) => [i.code, i]));
    for (const item of jiangsu) {
      expect(basisText(item)).not.toContain('江苏省燃气管理条例');
      expect(basisCitations(local.get(item.code)!)).toContain('江苏省燃气管理条例');
      expect(local.get(item.code)!.requiredBy).toBeNull();
    }
  });

  it('no shipped item, national or 常州, prints a foreign, unverified or draft source', () => {
    for (const item of applyLocalRules(national, changzhou)) {
      const printed = basisText(item);
      expect([item.code, printed]).toEqual([item.code, expect.not.stringMatching(FORBIDDEN)]);
      expect(printed.trim()).not.toBe('');
    }
  });

  it('prints a criterion only when its text was retrieved (never a placeholder such as MZ2023-6.X)', () => {
    const printable = new Set(['MZ2023-4.2']);
    expect(criterionText('MZ2023-4.2', printable)).toBe('MZ2023-4.2');
    expect(criterionText('MZ2023-6.X', printable)).toBeNull();
    expect(criterionText(null, printable)).toBeNull();
  });
});
