/**
 * 依据 as printed on official documents (整改通知书, 检查记录, the form, exports): Chinese normative sources only.
 *
 *  - a local rule set's requirement cites its local document first (文件名称（文号）+ clause);
 *  - a legal citation prints its document title, and its clause only when the clause is a numbered clause read
 *    from a checked source (not recalled [R], not a weak source, not marked 未核实/待核实): an unverified clause
 *    prints the title alone, never "（条号未核实）";
 *  - foreign references (CMS, NFPA, K-tags, anything marked 参照), drafts (征求意见稿), other localities' practice
 *    (the national file's `local_rule` entries) and sources that are not normative documents are never printed —
 *    they stay in the rule files and docs;
 *  - an item left with nothing to cite prints "本系统建议项（非法定要求）".
 */
import type { LocalRuleRef } from './local-rules';
import type { BasisEntry } from './rule-file.types';

/** What an item whose basis is only a product proposal prints. */
export const PRODUCT_SUGGESTION_TEXT = '本系统建议项（非法定要求）';

const FOREIGN = /\bCMS\b|NFPA|Life Safety Code|\bCFR\b|\bK\d{3}\b|[（(]参照[）)]/;
const DRAFT = /征求意见稿|草案|送审稿/;
/** A law, regulation, rule, standard or official notice, by how its title reads. */
const NORMATIVE = /法$|法[（(]|条例|规定|办法|规范|标准|准则|规程|细则|要求|通知|意见|决定|规则|令|〔\d{4}〕|^(GB|GB\/T|DB\d*(\/T)?|MZ\/T|JGJ|GA|XF)\s?\d/;
/** A "/" outside a standard's code (GB/T, MZ/T …) marks a description, not a document title. */
const NOT_A_TITLE = /(?<![A-Z\d])\/|\/(?![T\s\d])/;
const UNVERIFIED = /未核实|待核实|未核对|凭记忆|NOT FOUND|未检索到/i;
/** 第二十八条, 第4项, 第5章, 5.5.24A, 8.4.1 第7款, 5.2 a) … */
const NUMBERED_CLAUSE = /^(第[一二三四五六七八九十百零〇\d]+[条章节款项]|\d+(\.\d+)*[A-Z]?(?![\d.]))/;

type Legal = Extract<BasisEntry, { kind: 'legal' }>;

/** Whether a legal citation may be printed on an official document. */
export function isPrintableCitation(entry: Pick<Legal, 'document'>): boolean {
  const d = entry.document.trim();
  return !FOREIGN.test(d) && !DRAFT.test(d) && NORMATIVE.test(d) && !NOT_A_TITLE.test(d);
}

/** The clause of a citation when it may be printed (numbered, from a checked source), else null. */
export function verifiedClause(entry: Pick<Legal, 'clause' | 'source' | 'note'>): string | null {
  const clause = entry.clause?.trim();
  if (!clause || !NUMBERED_CLAUSE.test(clause)) return null;
  const source = entry.source ?? '';
  if (source === 'R' || source.endsWith('-weak')) return null;
  if (UNVERIFIED.test(clause) || UNVERIFIED.test(entry.note ?? '')) return null;
  return clause;
}

/** The local document a local rule rests on: `文件名称（文号）第18项`. */
export function localCitation(ref: Pick<LocalRuleRef, 'document' | 'clause'>): string {
  return `${ref.document}${ref.clause ?? ''}`;
}

export interface BasisSource {
  basis: readonly BasisEntry[];
  /** present on an item a local rule enabled, overrode or added (see local-rules.ts) */
  localRule?: Pick<LocalRuleRef, 'document' | 'clause'> | null;
}

/** The printable citations of an item, in order: the local document, then each national document with its clauses. */
export function basisCitations(item: BasisSource): string[] {
  const out: string[] = [];
  if (item.localRule) out.push(localCitation(item.localRule));
  const clauses = new Map<string, string[]>();
  for (const b of item.basis) {
    if (b.kind !== 'legal' || !isPrintableCitation(b)) continue;
    const doc = b.document.trim();
    const list = clauses.get(doc) ?? [];
    const clause = verifiedClause(b);
    if (clause && !list.includes(clause)) list.push(clause);
    clauses.set(doc, list);
  }
  for (const [doc, list] of clauses) out.push(list.length ? `${doc} ${list.join('、')}` : doc);
  return out;
}

/** An item's legal basis as one line of text (法规 条款；…), as printed on records, notices, the form and exports. */
export function basisText(item: BasisSource): string {
  const citations = basisCitations(item);
  return citations.length ? citations.join('；') : PRODUCT_SUGGESTION_TEXT;
}

/**
 * The criterion a major hazard rests on, as printed: only a criterion whose text was retrieved (a placeholder such
 * as MZ2023-6.X is never printed). `printable` = the codes of the retrieved criteria.
 */
export function criterionText(code: string | null | undefined, printable: ReadonlySet<string>): string | null {
  return code && printable.has(code) ? code : null;
}
