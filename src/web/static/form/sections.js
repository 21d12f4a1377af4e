// @ts-check
/*
 * Finding one's way in a long checklist: progress per section (类别), search by item text or code, and the next
 * unanswered or failed item. Pure functions over the form and the draft (no DOM: sections.spec.ts runs them in
 * Node); render.js draws the section bar from them and panel.js moves to what they pick.
 */

/** @typedef {import('./types.js').Draft} Draft */
/** @typedef {import('./types.js').FormCategory} FormCategory */
/** @typedef {import('./types.js').FormItem} FormItem */

/** The Chinese text (no DOM helpers here: this module runs in Node too). @param {import('./types.js').Text} t */
function zh(t) { return t == null ? '' : typeof t === 'string' ? t : t.zh || t.en || ''; }

/**
 * @typedef {object} SectionProgress
 * @property {string} code
 * @property {string} title
 * @property {number} total
 * @property {number} done answered (合格, 不合格 or 不适用)
 * @property {number} failed
 * @property {boolean} complete
 */

/** @param {FormCategory[]} categories @param {Draft} draft @returns {SectionProgress[]} */
export function sectionProgress(categories, draft) {
  return categories.filter((c) => c.items && c.items.length).map((c) => {
    let done = 0;
    let failed = 0;
    c.items.forEach((it) => {
      const a = draft.answers[it.code];
      if (a && a.result) done++;
      if (a && a.result === 'fail') failed++;
    });
    return { code: c.code, title: zh(c.title), total: c.items.length, done, failed, complete: done === c.items.length };
  });
}

/** Lower case, no spaces, full-width letters and digits folded to ASCII (a phone keyboard may type either). @param {string} s */
export function normalizeQuery(s) {
  return String(s || '').replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xFEE0))
    .replace(/\s+/g, '').toLowerCase();
}

/**
 * Items whose code, title or check text contain the query ('' = every item). "esc3" finds ESC-003.
 * @param {FormCategory[]} categories @param {string} query
 * @returns {Set<string> | null} null: no filter
 */
export function matchItems(categories, query) {
  const q = normalizeQuery(query);
  if (!q) return null;
  const bare = q.replace(/-/g, '');
  /** @type {Set<string>} */
  const out = new Set();
  categories.forEach((c) => (c.items || []).forEach((it) => {
    const code = it.code.toLowerCase();
    const shortCode = code.replace(/-0*/, '');
    const text = normalizeQuery(zh(it.title) + ' ' + zh(it.check));
    if (code.indexOf(q) >= 0 || code.replace(/-/g, '').indexOf(bare) >= 0 || shortCode === bare || text.indexOf(q) >= 0) out.add(it.code);
  }));
  return out;
}

/**
 * The next item after `from` (exclusive; '' = from the start) that is unanswered or failed, wrapping around.
 * @param {string[]} order @param {Draft} draft @param {string} from @param {'unanswered' | 'failed'} kind
 * @returns {string | null}
 */
export function nextItem(order, draft, from, kind) {
  const start = from ? order.indexOf(from) + 1 : 0;
  for (let j = 0; j < order.length; j++) {
    const code = order[(start + j) % order.length];
    const a = draft.answers[code];
    const hit = kind === 'failed' ? !!a && a.result === 'fail' : !a || !a.result;
    if (hit) return code;
  }
  return null;
}
