// @ts-check
/*
 * 本节其余合格 / 本节不适用: one action over a section's items, and its one undo. Pure functions over the draft (no
 * DOM: bulk.spec.ts runs them in Node); the page asks for the confirmation (panel.js) before `applyBulk`.
 *
 * What a bulk action never touches: an item answered 不合格 (its finding, photos and details stay as they are), and
 * for 本节其余合格 any item already answered. 不适用 is open to every item of the form: the server accepts it for
 * every applicable item and asks nothing of it (src/inspections/domain/submission.ts; excluded items are not on
 * the form), so no item's requirements are bypassed.
 */
import { setResult } from './draft.js';

/** @typedef {import('./types.js').Draft} Draft */
/** @typedef {import('./types.js').Answer} Answer */
/** @typedef {import('./types.js').FormCategory} FormCategory */
/** @typedef {'pass' | 'na'} BulkKind */

/**
 * What a bulk action would do to a section: the items it changes, and the answered ones it leaves alone.
 * @typedef {object} BulkPlan
 * @property {string} section category code
 * @property {BulkKind} kind
 * @property {string[]} codes items that change
 * @property {number} failedKept items answered 不合格, left as they are
 * @property {number} answeredKept other answered items left as they are (本节其余合格 only)
 */

/**
 * The one undo of a section: each changed item's answer before the action (null: it had none), and the time the
 * action stamped on them (an item changed by hand since then is not undone).
 * @typedef {object} BulkUndo
 * @property {string} section
 * @property {BulkKind} kind
 * @property {string} at
 * @property {Record<string, Answer | null>} before
 */

/** @param {Answer | null | undefined} a */
function resultOf(a) { return (a && a.result) || null; }

/**
 * @param {FormCategory} category @param {Draft} draft @param {BulkKind} kind
 * @returns {BulkPlan}
 */
export function bulkPlan(category, draft, kind) {
  /** @type {string[]} */
  const codes = [];
  let failedKept = 0;
  let answeredKept = 0;
  (category.items || []).forEach((item) => {
    const r = resultOf(draft.answers[item.code]);
    if (r === 'fail') { failedKept++; return; }
    if (kind === 'pass') {
      if (r) answeredKept++; else codes.push(item.code);
    } else if (r !== 'na') codes.push(item.code);
  });
  return { section: category.code, kind, codes, failedKept, answeredKept };
}

/** A deep copy of an answer (photos included), or null. @param {Answer | undefined} a @returns {Answer | null} */
function copyOf(a) { return a ? JSON.parse(JSON.stringify(a)) : null; }

/**
 * 本页不再询问 may skip the question for 本节其余合格 only: it answers unanswered items and changes no answer given.
 * 本节不适用 overwrites answers (合格 ones too), so it always asks. @param {BulkKind} kind @param {boolean} noAsk
 */
export function needsConfirm(kind, noAsk) { return kind === 'na' || !noAsk; }

/**
 * Carries out a plan through `setResult`: each item stamped with the time and place, its trail step named
 * `bulkPass` / `bulkNa` (not `result`: the officer's review tells a bulk answer from a tap on the item).
 * @param {Draft} draft @param {FormCategory} category @param {BulkPlan} plan @param {Date} [now]
 * @returns {BulkUndo}
 */
export function applyBulk(draft, category, plan, now) {
  const at = (now || new Date()).toISOString();
  /** @type {Record<string, Answer | null>} */
  const before = {};
  const byCode = new Map((category.items || []).map((i) => [i.code, i]));
  plan.codes.forEach((code) => {
    const item = byCode.get(code);
    if (!item) return;
    before[code] = copyOf(draft.answers[code]);
    setResult(draft, item, plan.kind, new Date(at), plan.kind === 'pass' ? 'bulkPass' : 'bulkNa');
  });
  return { section: plan.section, kind: plan.kind, at, before };
}

/**
 * The undo: each item the action changed gets back exactly its earlier answer — unless it was changed by hand
 * since (then it keeps the newer answer and is listed in `kept`). An item that had no answer gets an empty one.
 * The undo is itself an edit: `editedAt` says when (team drafts: a person's later edit wins over his earlier one).
 * @param {Draft} draft @param {BulkUndo} undo @param {Date} [now]
 * @returns {{ restored: string[], kept: string[] }}
 */
export function undoBulk(draft, undo, now) {
  const editedAt = (now || new Date()).toISOString();
  /** @type {string[]} */ const restored = [];
  /** @type {string[]} */ const kept = [];
  Object.keys(undo.before).forEach((code) => {
    const now = draft.answers[code];
    const touched = !now || now.result !== undo.kind || now.answeredAt !== undo.at || (!!now.editedAt && now.editedAt !== undo.at);
    if (touched) { kept.push(code); return; }
    const prev = copyOf(undo.before[code] || undefined);
    draft.answers[code] = prev ? Object.assign(prev, { editedAt }) : { result: null, photos: [], editedAt };
    restored.push(code);
  });
  return { restored, kept };
}

/**
 * What the bar says after the undo: how many items got their earlier answer back, and the ones left as they are
 * because they were edited by hand after the bulk action (the inspector must know the undo was not complete).
 * @param {{ restored: string[], kept: string[] }} r @returns {string}
 */
export function undoText(r) {
  const done = r.restored.length ? '已撤销 ' + r.restored.length + ' 项。' : '';
  const kept = r.kept.length ? r.kept.length + ' 项已手动修改，未撤销：' + r.kept.join('、') + '。' : '';
  return done + kept || '没有可撤销的项。';
}
