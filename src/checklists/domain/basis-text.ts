import { ChecklistItem } from './rule-file.types';

/** An item's legal basis as one line of text (法规 条款；…), as printed on reports, notices and the form. */
export function basisText(i: Pick<ChecklistItem, 'basis'>): string {
  return i.basis.map((b) => {
    const entry = b as { document?: string; clause?: string; kind?: string; note?: string };
    if (entry.kind === 'product_default') return `产品默认（${entry.note ?? ''}）`;
    return [entry.document, entry.clause].filter(Boolean).join(' ');
  }).join('；');
}
