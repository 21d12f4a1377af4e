// @ts-check
/*
 * Drawing the page from the state: the checklist, each item's controls and completeness flag, the status line,
 * the list of what is missing, and the result after submitting. Reads state, never changes the draft.
 */
import { el, hhmm, must, part, zh } from './dom.js';
import { answeredCount, isDirty, knownLocations, pendingPhotos } from './draft.js';
import { allProblems, itemProblems, itemRequirements, photosNeeded } from './rules.js';
import { matchItems, sectionProgress } from './sections.js';
import { S, draft, env, form, isOffline, ui } from './state.js';
import { icon } from './icons.js';
import { hasMarkup, markupPending } from './markup.js';
import { renderConflict } from './conflicts.js';

/** @typedef {import('./types.js').FormItem} FormItem */

/** The scopes a finding may have, in the order offered (the values are the API's; the names come from `labels`). */
const SCOPES = ['single', 'multiple', 'widespread'];

/**
 * The display name of a value, from the form payload's `labels` (the server's one vocabulary, common/vocabulary.ts);
 * the raw value when the payload has none (a copy cached before the server sent labels).
 * @param {keyof import('./types.js').FormLabels} kind
 * @param {string} value
 * @returns {string}
 */
function label(kind, value) {
  const labels = form().labels;
  return (labels && labels[kind] && labels[kind][value]) || value;
}

/** @param {string} code */
export function itemEl(code) { return document.getElementById('item-' + code); }

/** @param {string} code */
export function criterionLabel(code) {
  const c = S.criteria[code];
  const text = c ? zh(c.text) : '';
  return code + (text ? ' ' + text : '（条文待补）');
}

/**
 * 地方规则: the item is required by the deploying city's rule set (e.g. 常州), not by the national rules.
 * @param {import('./types.js').RequiredBy} by
 */
function localRuleBadge(by) {
  const where = by.document + (by.clause ? ' ' + by.clause : '');
  return el('span', { class: 'tag local-rule', 'data-role': 'local-rule', title: by.title + '：' + where, text: '地方规则：' + by.document });
}

/** @param {number | null | undefined} days */
function deadlineText(days) {
  if (days === 0) return '立即/当场改正';
  if (days == null) return '';
  return days + ' 天内整改';
}

function renderHeaderMeta() {
  const f = form();
  /** @type {string[]} */
  const bits = [];
  if (f.inspection && f.inspection.kindLabel) bits.push(f.inspection.kindLabel);
  if (f.inspection && f.inspection.scheduledDate) bits.push('计划日期 ' + f.inspection.scheduledDate);
  if (f.checklist) bits.push(zh(f.checklist.title) + '（第 ' + f.checklist.versionNo + ' 版）');
  if (f.institution && f.institution.address) bits.push(f.institution.address);
  ui.meta.textContent = bits.join(' · ');
}

export function renderForm() {
  renderHeaderMeta();
  ui.items.textContent = '';
  buildSectionBar();
  (form().categories || []).forEach((cat) => {
    if (!cat.items || !cat.items.length) return;
    const count = el('span', { class: 'cat-count', id: 'cat-count-' + cat.code });
    const sec = el('section', { class: 'category', id: 'cat-' + cat.code, 'aria-labelledby': 'cat-h-' + cat.code }, [
      el('h2', { id: 'cat-h-' + cat.code, class: 'cat-title' }, [zh(cat.title), ' ', count]),
      buildBulkBar(cat.code),
    ]);
    cat.items.forEach((item) => { sec.appendChild(buildItem(item)); });
    ui.items.appendChild(sec);
  });
  renderPreviousNotice();
  ui.items.appendChild(el('datalist', { id: 'location-suggestions' }));
  ui.items.setAttribute('aria-busy', 'false');
  ui.actionBar.hidden = false;
  S.order.forEach(updateItem);
  updateLocationSuggestions();
  renderProgress();
}

/** @param {FormItem} item */
function buildItem(item) {
  const code = item.code;
  const a = draft().answers[code] || { photos: [] };
  const sevText = item.severity === 'major'
    ? '重大隐患项' + (item.majorCriterion ? '（' + item.majorCriterion + '）' : '')
    : '一般隐患项' + (item.escalatesTo ? '（符合 ' + item.escalatesTo + ' 情形时为重大隐患）' : '');
  const need = photosNeeded(S.req, code);
  // 'suspected': the item escalates to a criterion without verified text — only 疑似重大隐患 is offered.
  const suspectedOnly = itemRequirements(S.req, code).majorBy === 'suspected';
  const buttons = /** @type {const} */ (['pass', 'fail', 'na']).map((r) =>
    el('button', { type: 'button', class: 'choice-btn choice-' + r, 'data-result': r, 'aria-pressed': 'false', text: label('result', r) }));

  const fs = el('fieldset', { class: 'item-choice' }, [
    el('legend', null, [el('span', { class: 'item-code', text: code }), ' ', el('span', { class: 'item-title', text: zh(item.title) })]),
    // A copy cached before the server sent guidance keeps the old inline check text and basis line.
    !item.guidance && item.check ? el('p', { class: 'item-check', text: zh(item.check) }) : null,
    el('p', { class: 'item-basis' }, [
      !item.guidance && item.basisText ? '依据：' + item.basisText + ' · ' : '',
      el('span', { class: item.severity === 'major' ? 'tag warn' : 'tag', text: sevText }),
      item.deadlineDays != null ? ' ' + deadlineText(item.deadlineDays) : '',
      item.requiredBy ? ' ' : '',
      item.requiredBy ? localRuleBadge(item.requiredBy) : null,
    ]),
    item.previousFinding ? buildPrevious(item.previousFinding) : null,
    item.registerCandidate ? buildRegisterCandidate(item.registerCandidate) : null,
    el('div', { class: 'choices' }, buttons),
    el('p', { class: 'item-flag', 'data-role': 'flag', hidden: true }),
  ]);

  /** @param {string} p */
  const id = (p) => p + '-' + code;
  const sevSelect = el('select', { id: id('sev'), 'data-field': 'severity' }, [
    el('option', { value: 'general', text: label('severity', 'general') }),
    suspectedOnly && item.severity !== 'major' ? null : el('option', { value: 'major', text: label('severity', 'major') }),
  ]);
  const suspectBox = el('input', { id: id('susp'), type: 'checkbox', class: 'suspect-input', 'data-field': 'suspectedMajor' });
  const suspectReason = el('textarea', { id: id('susp-reason'), 'data-field': 'suspectedReason', rows: '2', placeholder: '为什么可能构成重大隐患，如：唯一疏散楼梯被杂物完全堵塞' });
  const scopeSelect = el('select', { id: id('scope'), 'data-field': 'scope' }, [el('option', { value: '', text: '请选择' })].concat(
    SCOPES.map((k) => el('option', { value: k, text: label('scope', k) }))));
  const critSelect = el('select', { id: id('crit'), 'data-field': 'majorCriterion' }, [el('option', { value: '', text: '请选择判定标准' })].concat(
    (form().majorCriteria || []).map((c) => el('option', { value: c.code, text: criterionLabel(c.code) }))));
  const note = el('textarea', { id: id('note'), 'data-field': 'note', rows: '3', placeholder: '发现的问题、数量、现场情况' });
  const loc = el('input', { id: id('loc'), type: 'text', 'data-field': 'location', list: 'location-suggestions', placeholder: '楼栋 / 楼层 / 房间，如：2号楼 3层 302室', autocomplete: 'off' });

  const detail = el('div', { class: 'fail-detail', 'data-role': 'detail', hidden: true }, [
    el('label', { for: id('note'), text: '情况说明' }), note,
    el('label', { for: id('loc'), text: '位置' }), loc,
    el('div', { class: 'pair' }, [
      el('div', null, [el('label', { for: id('sev'), text: '隐患等级' }), sevSelect]),
      el('div', null, [el('label', { for: id('scope'), text: '范围' }), scopeSelect]),
    ]),
    el('div', { class: 'crit', 'data-role': 'crit', hidden: true }, [
      el('label', { for: id('crit'), text: '判定标准' }), critSelect,
      el('p', { class: 'crit-text muted', 'data-role': 'crit-text' }),
    ]),
    item.escalatesTo && item.severity !== 'major'
      ? el('p', { class: 'muted hint', 'data-role': 'escalate-hint', text: '如现场情形符合判定标准 ' + item.escalatesTo + '，请将隐患等级改为“重大”。' }) : null,
    // 疑似重大隐患: any failed item; the bureau confirms against a criterion or downgrades it.
    el('div', { class: 'suspect', 'data-role': 'suspect' }, [
      el('label', { class: 'suspect-toggle', for: id('susp') }, [suspectBox, ' 疑似重大隐患（报主管部门认定）']),
      suspectedOnly ? el('p', { class: 'muted hint', text: '如现场情形可能构成重大隐患，请标记“疑似重大隐患”并写明理由，由主管部门认定。' }) : null,
      el('div', { 'data-role': 'suspect-detail', hidden: true }, [el('label', { for: id('susp-reason'), text: '疑似理由' }), suspectReason]),
    ]),
    el('div', { class: 'photos' }, [
      el('p', { class: 'photo-rule muted', text: need ? '不合格时须拍照，至少 ' + need + ' 张。' : '照片（可选）' }),
      el('ul', { class: 'thumbs', 'data-role': 'thumbs' }),
      el('input', { id: id('file'), class: 'photo-input', type: 'file', accept: 'image/*', capture: 'environment', multiple: true, 'data-field': 'photo' }),
      el('label', { class: 'photo-btn', for: id('file') }, [icon('camera', 'cam'), '拍照/添加照片']),
    ]),
    el('p', { class: 'item-msg', 'data-role': 'msg', 'aria-live': 'polite' }),
  ]);

  const sec = el('section', { class: 'item', id: 'item-' + code, 'data-code': code }, [fs, buildGuidance(item), detail]);
  // restore values
  note.value = a.note || '';
  loc.value = a.location || '';
  sevSelect.value = a.severity || item.severity || 'general';
  scopeSelect.value = a.scope || '';
  critSelect.value = a.majorCriterion || '';
  suspectBox.checked = !!a.suspectedMajor;
  suspectReason.value = a.suspectedReason || '';
  return sec;
}

/** Everything about one item that depends on its answer. @param {string} code */
export function updateItem(code) {
  const sec = itemEl(code);
  if (!sec) return;
  const a = draft().answers[code] || { photos: [] };
  sec.setAttribute('data-result', a.result || '');
  Array.prototype.forEach.call(sec.querySelectorAll('.choice-btn'), (/** @type {Element} */ b) => {
    b.setAttribute('aria-pressed', b.getAttribute('data-result') === a.result ? 'true' : 'false');
  });
  const isFail = a.result === 'fail';
  part(sec, 'detail').hidden = !isFail;
  // 重复隐患: failed again on the item the previous inspection failed.
  sec.classList.toggle('repeat', isFail && !!S.items[code].previousFinding);
  const suspected = !!a.suspectedMajor;
  const major = !suspected && (a.severity || S.items[code].severity) === 'major';
  part(sec, 'crit').hidden = !(isFail && major);
  part(sec, 'suspect-detail').hidden = !suspected;
  const sevSel = /** @type {HTMLSelectElement} */ (must(sec, '[data-field=severity]'));
  sevSel.disabled = suspected;
  if (suspected && sevSel.value !== 'general') sevSel.value = 'general';
  const box = /** @type {HTMLInputElement} */ (must(sec, '[data-field=suspectedMajor]'));
  if (box.checked !== suspected) box.checked = suspected;
  const hint = /** @type {HTMLElement | null} */ (sec.querySelector('[data-role="escalate-hint"]'));
  if (hint) hint.hidden = major;
  const critSel = /** @type {HTMLSelectElement} */ (must(sec, '[data-field=majorCriterion]'));
  if (critSel.value !== (a.majorCriterion || '')) critSel.value = a.majorCriterion || '';
  const ct = a.majorCriterion && S.criteria[a.majorCriterion] ? zh(S.criteria[a.majorCriterion].text) : '';
  part(sec, 'crit-text').textContent = ct;
  renderThumbs(code);
  renderFlag(code);
  sec.classList.toggle('show-problems', S.showProblems);
  renderConflict(code); // 答案冲突 card (conflicts.js)
}

/** The 待补充 line of a failed item (cheap: called on every keystroke). @param {string} code */
export function renderFlag(code) {
  const sec = itemEl(code);
  if (!sec) return;
  const a = draft().answers[code];
  const probs = itemProblems(S.req, code, a);
  const show = !!a && a.result === 'fail' && probs.length > 0;
  const flag = part(sec, 'flag');
  flag.hidden = !show;
  flag.textContent = show ? '待补充：' + probs.map((p) => p.text).join('、') : '';
  sec.classList.toggle('incomplete', show);
}

/** @param {string} code */
export function renderThumbs(code) {
  const sec = itemEl(code);
  if (!sec) return;
  const ul = part(sec, 'thumbs');
  ul.textContent = '';
  const a = draft().answers[code];
  ((a && a.photos) || []).forEach((p, i) => {
    const n = i + 1;
    let state, cls;
    if (p.remote && p.missing) { state = '在同组成员手机上，待其上传'; cls = 'wait'; }
    else if (p.missing) { state = '照片已丢失，请重拍'; cls = 'lost'; }
    else if (p.evidenceId) { state = '已上传'; cls = 'ok'; }
    else if (S.uploadingKey === p.key) { state = '上传中…'; cls = 'busy'; }
    else if (S.uploadErrors[p.key]) { state = '上传失败，将重试：' + S.uploadErrors[p.key]; cls = 'err'; }
    else { state = '待上传'; cls = 'wait'; }
    const src = S.photoUrls[p.key] || p.url || '';
    // Tapping a thumbnail opens the full-screen viewer (viewer.js); a badge says the photo carries markup (markup.js).
    const marked = hasMarkup(p);
    ul.appendChild(el('li', { class: 'thumb-item' }, [
      p.missing || !src ? el('span', { class: 'thumb thumb-missing', text: '无预览' })
        : el('button', { type: 'button', class: 'thumb-open', 'data-view': p.key, 'aria-label': '全屏查看照片 ' + n + (marked ? '（已标注）' : '') }, [
          el('img', { class: 'thumb', src, alt: code + ' 照片 ' + n }),
          marked ? el('span', { class: 'thumb-badge' + (markupPending(p) ? ' pending' : ''), 'aria-hidden': 'true', text: '已标注' }) : null,
        ]),
      el('span', { class: 'thumb-state ' + cls, text: state }),
      el('button', { type: 'button', class: 'thumb-remove', 'data-remove': p.key, 'aria-label': '删除照片 ' + n, text: '删除' }),
    ]));
  });
}

export function renderProgress() {
  if (!S.draft || !S.form) return;
  const d = S.draft;
  const total = S.order.length;
  const n = answeredCount(d, S.order);
  ui.progress.textContent = '已作答 ' + n + ' / ' + total;
  ui.bar.style.width = total ? Math.round((n / total) * 100) + '%' : '0%';
  sectionProgress(S.form.categories || [], d).forEach((p) => {
    const txt = p.done + '/' + p.total + (p.failed ? ' · ' + p.failed + ' 项不合格' : '');
    const c1 = document.getElementById('cat-count-' + p.code);
    if (c1) setText(c1, txt);
    const link = document.getElementById('nav-' + p.code);
    if (link) {
      link.classList.toggle('complete', p.complete);
      setText(must(link, '.section-count'), (p.complete ? '✓ ' : '') + p.done + '/' + p.total);
      setText(must(link, '.section-failed'), p.failed ? p.failed + ' 项不合格' : '');
      const w = Math.round((p.done / p.total) * 100) + '%';
      const fill = must(link, '.section-fill');
      if (fill.style.width !== w) fill.style.width = w;
    }
    renderBulkBar(p.code);
  });
  scheduleCurrentSection();
}

let sectionFrame = 0;
/** renderCurrentSection at the next frame, once (it reads layout: never in the middle of an answer's DOM writes). */
export function scheduleCurrentSection() {
  if (sectionFrame) return;
  sectionFrame = requestAnimationFrame(() => { sectionFrame = 0; renderCurrentSection(); });
}

/** The sticky header's height as --insp-sticky-h, so an item scrolled to is not hidden under it (CSS scroll-margin). */
export function measureSticky() {
  const sticky = ui.progress.closest('.insp-sticky');
  if (!(sticky instanceof HTMLElement)) return;
  const h = sticky.offsetHeight + 'px';
  if (ui.root.style.getPropertyValue('--insp-sticky-h') !== h) ui.root.style.setProperty('--insp-sticky-h', h);
}

/** Sets a text only when it differs (no layout work for an unchanged label). @param {Element} n @param {string} text */
function setText(n, text) { if (n.textContent !== text) n.textContent = text; }

export function updateLocationSuggestions() {
  const dl = document.getElementById('location-suggestions');
  if (!dl || !S.draft) return;
  dl.textContent = '';
  knownLocations(S.draft).forEach((l) => { dl.appendChild(el('option', { value: l })); });
}

/** @param {string} code @param {string} text @param {boolean} [isError] */
export function setItemMsg(code, text, isError) {
  const sec = itemEl(code);
  if (!sec) return;
  const m = part(sec, 'msg');
  m.textContent = text || '';
  m.classList.toggle('err', !!isError);
}

// ---------------------------------------------------------------- sections, bulk actions, guidance

/**
 * The section bar, kept in the sticky header: the current section with its progress (opens the list of every
 * section), search, and the list itself. Built into #category-nav, which moves into the sticky header.
 */
function buildSectionBar() {
  const nav = ui.nav;
  nav.textContent = '';
  const sticky = ui.progress.closest('.insp-sticky');
  if (sticky && nav.parentElement !== sticky) sticky.appendChild(nav);
  nav.classList.add('section-bar');
  nav.setAttribute('aria-label', '检查类别与搜索');
  const list = el('ul', { id: 'section-list', class: 'section-list', hidden: true });
  sectionProgress(form().categories || [], draft()).forEach((p, i) => {
    list.appendChild(el('li', null, [el('button', { type: 'button', class: 'section-link', id: 'nav-' + p.code, 'data-section-goto': p.code }, [
      el('span', { class: 'section-name', text: (i + 1) + '. ' + p.title }),
      el('span', { class: 'section-stats' }, [el('span', { class: 'section-count' }), el('span', { class: 'section-failed' })]),
      el('span', { class: 'section-meter', 'aria-hidden': 'true' }, [el('span', { class: 'section-fill' })]),
    ])]));
  });
  const input = el('input', { id: 'item-search', type: 'search', placeholder: '条文或编号，如 ESC-003', autocomplete: 'off', enterkeyhint: 'search' });
  input.value = S.search;
  nav.appendChild(el('div', { class: 'section-row' }, [
    el('button', { type: 'button', id: 'section-toggle', class: 'section-toggle', 'aria-expanded': 'false', 'aria-controls': 'section-list' }, [
      el('span', { class: 'section-now', id: 'section-now' }), el('span', { class: 'section-now-count', id: 'section-now-count' }),
    ]),
    el('button', { type: 'button', id: 'search-toggle', class: 'tool-btn', 'aria-expanded': S.search ? 'true' : 'false', 'aria-controls': 'search-row', text: '搜索' }),
  ]));
  nav.appendChild(el('div', { id: 'search-row', class: 'search-row', hidden: !S.search }, [
    el('label', { for: 'item-search', class: 'visually-hidden', text: '搜索检查项' }), input,
    el('span', { id: 'search-count', class: 'search-count', 'aria-live': 'polite' }),
  ]));
  nav.appendChild(list);
  nav.hidden = false;
  if (!document.getElementById('next-failed')) {
    ui.actionBar.insertBefore(el('button', { type: 'button', id: 'next-failed', class: 'secondary', text: '下一不合格' }), ui.openSubmit);
    ui.actionBar.classList.add('three');
  }
}

/** The section whose heading was scrolled past last (the one being read). @returns {string} */
export function currentSection() {
  const cats = (S.form && S.form.categories) || [];
  // A section scrolled to lands 8 px below the sticky header (scroll-margin-top): it counts as current from there.
  const sticky = ui.progress.closest('.insp-sticky') || ui.nav;
  const top = (sticky.getBoundingClientRect().bottom || 0) + 24;
  let code = cats.length ? cats[0].code : '';
  for (let i = 0; i < cats.length; i++) {
    const sec = document.getElementById('cat-' + cats[i].code);
    if (!sec || sec.hidden || sec.classList.contains('search-hidden')) continue;
    if (sec.getBoundingClientRect().top <= top) code = cats[i].code; else break;
  }
  return code;
}

/** The section toggle's label: which section is on screen, and how far it is done. */
export function renderCurrentSection() {
  measureSticky();
  const now = document.getElementById('section-now');
  const count = document.getElementById('section-now-count');
  if (!now || !count || !S.form || !S.draft) return;
  const code = currentSection();
  const all = sectionProgress(S.form.categories || [], S.draft);
  const i = all.findIndex((p) => p.code === code);
  const p = all[i];
  if (!p) return;
  setText(now, p.title);
  setText(count, '第 ' + (i + 1) + '/' + all.length + ' 节 · ' + p.done + '/' + p.total + (p.failed ? ' · ' + p.failed + ' 不合格' : ''));
}

/** @param {boolean} open */
export function setSectionListOpen(open) {
  const list = document.getElementById('section-list');
  const toggle = document.getElementById('section-toggle');
  if (!list || !toggle) return;
  list.hidden = !open;
  toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
}

/** Shows only the items matching the search (sections without a match fold away). */
export function renderSearch() {
  const cats = form().categories || [];
  const hits = matchItems(cats, S.search);
  cats.forEach((cat) => {
    const sec = document.getElementById('cat-' + cat.code);
    if (!sec) return;
    let shown = 0;
    (cat.items || []).forEach((it) => {
      const item = itemEl(it.code);
      const on = !hits || hits.has(it.code);
      if (item) item.classList.toggle('search-hidden', !on);
      if (on) shown++;
    });
    sec.classList.toggle('search-hidden', !shown);
    sec.classList.toggle('searching', !!hits);
  });
  const c = document.getElementById('search-count');
  if (c) c.textContent = hits ? (hits.size ? hits.size + ' 项' : '无匹配') : '';
  scheduleCurrentSection();
}

/** @param {string} code */
function buildBulkBar(code) {
  return el('div', { class: 'bulk-bar', id: 'bulk-' + code, 'data-section': code }, [
    el('div', { class: 'bulk-actions', 'data-role': 'bulk-actions' }, [
      el('button', { type: 'button', class: 'bulk-btn', 'data-bulk': 'pass', 'data-section': code, text: '本节其余' + label('result', 'pass') }),
      el('button', { type: 'button', class: 'bulk-btn', 'data-bulk': 'na', 'data-section': code, text: '本节' + label('result', 'na') }),
    ]),
    el('div', { class: 'bulk-confirm', 'data-role': 'bulk-confirm', role: 'group', 'aria-label': '确认批量操作', hidden: true }, [
      el('p', { class: 'bulk-question', 'data-role': 'bulk-question' }),
      // 本页不再询问 is offered for 本节其余合格 only (it changes no answer given); 本节不适用 always asks.
      el('label', { class: 'bulk-noask', for: 'bulk-noask-' + code, 'data-role': 'bulk-noask' }, [
        el('input', { type: 'checkbox', id: 'bulk-noask-' + code, 'data-bulk-noask': code }), ' 本页不再询问（仍可撤销）',
      ]),
      el('div', { class: 'bulk-confirm-btns' }, [
        el('button', { type: 'button', class: 'primary', 'data-bulk-confirm': code, text: '确认' }),
        el('button', { type: 'button', class: 'secondary', 'data-bulk-cancel': code, text: '取消' }),
      ]),
    ]),
    el('p', { class: 'bulk-done', 'data-role': 'bulk-done', 'aria-live': 'polite', hidden: true }, [
      el('span', { 'data-role': 'bulk-done-text' }),
      el('button', { type: 'button', class: 'link-like', 'data-bulk-undo': code, text: '撤销' }),
    ]),
    el('p', { class: 'bulk-done bulk-note', 'data-role': 'bulk-note', role: 'status', hidden: true }),
  ]);
}

/** The bulk bar of one section: its two actions with their counts, the pending confirmation, the undo. @param {string} code */
export function renderBulkBar(code) {
  const bar = document.getElementById('bulk-' + code);
  const cat = (form().categories || []).find((c) => c.code === code);
  if (!bar || !cat) return;
  const d = draft();
  const pending = S.bulkConfirm && S.bulkConfirm.section === code ? S.bulkConfirm : null;
  const undo = S.bulkUndo[code];
  const rest = cat.items.filter((it) => { const a = d.answers[it.code]; return !a || !a.result; }).length;
  const notNa = cat.items.filter((it) => { const a = d.answers[it.code]; return !a || (a.result !== 'na' && a.result !== 'fail'); }).length;
  const [passBtn, naBtn] = Array.prototype.slice.call(bar.querySelectorAll('[data-bulk]'));
  setText(passBtn, '本节其余' + label('result', 'pass') + (rest ? '（' + rest + '）' : ''));
  if (passBtn.disabled !== !rest) passBtn.disabled = !rest;
  if (naBtn.disabled !== !notNa) naBtn.disabled = !notNa;
  const actions = part(bar, 'bulk-actions');
  if (actions.hidden !== !!pending) actions.hidden = !!pending;
  const confirm = part(bar, 'bulk-confirm');
  if (confirm.hidden !== !pending) confirm.hidden = !pending;
  if (pending) {
    const what = label('result', pending.kind);
    part(bar, 'bulk-noask').hidden = pending.kind !== 'pass';
    const kept = [pending.failedKept ? pending.failedKept + ' 项' + label('result', 'fail') : '', pending.answeredKept ? pending.answeredKept + ' 项已作答' : ''].filter(Boolean);
    const passed = pending.kind === 'na' ? pending.codes.filter((c) => { const a = d.answers[c]; return a && a.result === 'pass'; }).length : 0;
    part(bar, 'bulk-question').textContent = '将本节 ' + pending.codes.length + ' 项' + (pending.kind === 'pass' ? '未作答的检查项' : '') +
      '记为“' + what + '”？' + (passed ? '（其中 ' + passed + ' 项原为' + label('result', 'pass') + '）' : '') + (kept.length ? kept.join('、') + '保持不变。' : '');
  }
  const done = part(bar, 'bulk-done');
  if (done.hidden !== (!undo || !!pending)) done.hidden = !undo || !!pending;
  if (undo) {
    part(bar, 'bulk-done-text').textContent = '已将 ' + Object.keys(undo.before).length + ' 项记为“' + label('result', undo.kind) + '”。';
  }
  const note = part(bar, 'bulk-note');
  const noteText = (!undo && !pending && S.bulkNote[code]) || '';
  setText(note, noteText);
  if (note.hidden !== !noteText) note.hidden = !noteText;
}

/** 上次检查发现 on the item. @param {import('./types.js').PreviousFinding} p */
function buildPrevious(p) {
  const labels = form().labels;
  const prev = form().previousInspection;
  const status = p.hazardStatus ? ((labels && labels.hazardStatus && labels.hazardStatus[p.hazardStatus]) || p.hazardStatus) : '';
  const bits = [p.note || '', p.location || '', status ? '隐患' + status : ''].filter(Boolean);
  return el('p', { class: 'prev-finding', 'data-role': 'previous' }, [
    el('span', { class: 'prev-tag', text: '上次不合格' }),
    el('span', { class: 'repeat-tag', text: '重复出现' }),
    ' ' + (prev && prev.date === p.date ? prev.dateText : p.date) + (bits.length ? '：' + bits.join(' · ') : ''),
  ]);
}

/** 台账提示: an expired certificate or statutory test of the institution's register, to confirm on site. @param {import('./types.js').RegisterCandidate} c */
function buildRegisterCandidate(c) {
  return el('div', { class: 'reg-candidate', 'data-role': 'register-candidate' }, [
    el('p', null, [el('span', { class: 'reg-tag', text: c.info ? '云值班数据' : '台账提示' }), ' ' + c.note]),
    c.info ? null : el('button', { type: 'button', class: 'reg-apply', 'data-register-candidate': '1', text: '核实属实，记为不符合' }),
  ]);
}

/** 检查要点与依据, folded: how to check, the legal basis, the interim measure — only what the checklist file holds. @param {FormItem} item */
function buildGuidance(item) {
  const g = item.guidance;
  if (!g) return null;
  const how = zh(g.howToCheck);
  const interim = zh(g.interim);
  return el('details', { class: 'guidance', 'data-role': 'guidance' }, [
    el('summary', { text: '检查要点与依据' }),
    how ? el('p', { class: 'g-line' }, [el('strong', { text: '怎么查：' }), how]) : null,
    el('div', { class: 'g-line' }, [
      // 依据, not 法规依据: the citations may be local rules (地方规定) as well as laws and national standards.
      el('strong', { text: '依据：' }),
      g.basis.length > 1 ? el('ul', { class: 'g-basis' }, g.basis.map((b) => el('li', { text: b }))) : (g.basis[0] || ''),
    ]),
    interim ? el('p', { class: 'g-line' }, [el('strong', { text: '不合格时立即采取：' }), interim]) : null,
  ]);
}

/** One line above the form when the institution was inspected before. */
function renderPreviousNotice() {
  const p = form().previousInspection;
  setNotice('previous', p ? '上次检查：' + p.dateText + '，' + (p.failedCount ? p.failedCount + ' 项不合格，已在对应检查项标出“上次不合格”。' : '未发现不合格项。') : null);
}

// ---------------------------------------------------------------- status

/** The status line: saved where, what is waiting, and what the inspector can do about it. */
export function renderStatus() {
  if (!S.draft || S.done) return;
  const d = S.draft;
  const total = S.order.length;
  const answered = answeredCount(d, S.order);
  const pend = pendingPhotos(d).length;
  const offline = isOffline();
  const dirty = isDirty(d);
  /** @type {string[]} */
  const parts = [];
  /** @type {string | undefined} */
  let state;
  if (S.localSaveError) { parts.push('⚠ ' + S.localSaveError); state = 'error'; }
  else if (offline) { parts.push('离线：内容已保存在本机，联网后自动上传'); state = 'offline'; }
  else parts.push('已保存在本机');
  parts.push(answered + '/' + total + ' 项已作答');
  if (pend) parts.push(pend + ' 张照片待上传');
  if (d.submitPending && offline) parts.push('检查结果待提交，联网后自动提交');
  if (!offline) {
    if (S.authExpired) { parts.push('登录已过期，重新登录后自动上传'); state = 'error'; }
    else if (S.csrfExpired) { parts.push('页面已过期，请刷新页面后继续同步'); state = 'error'; }
    else if (!dirty && !pend && !d.submitPending) { parts.push('已全部同步'); state = state || 'synced'; }
    else if (S.draftError || S.uploadError) { parts.push('同步未成功，稍后自动重试'); state = state || 'pending'; }
    else { parts.push(dirty ? '草稿待同步' : (d.submitPending ? '等待提交' : '照片上传中')); state = state || 'pending'; }
  }
  if (d.serverSavedAt) parts.push('服务器草稿 ' + hhmm(d.serverSavedAt));
  if (!S.photos.persistent) parts.push('注意：此浏览器无法在本机保存照片，请联网后尽快上传');
  setStatus(parts.join(' · '), state);

  // action line: login link / refresh / retry
  ui.action.textContent = '';
  if (S.authExpired && !offline) {
    ui.action.appendChild(el('a', { href: '/login?next=' + encodeURIComponent(location.pathname), text: '重新登录' }));
    ui.action.appendChild(document.createTextNode(' （已填写的内容保存在本机，登录后回到本页会自动同步）'));
  } else if (S.csrfExpired && !offline) {
    ui.action.appendChild(el('a', { href: location.pathname, text: '刷新页面' }));
    ui.action.appendChild(document.createTextNode(' （已填写的内容保存在本机，不会丢失）'));
  } else if (!offline && (S.draftError || S.uploadError || Object.keys(S.uploadErrors).length)) {
    ui.action.appendChild(el('button', { type: 'button', class: 'link-like', 'data-action': 'sync-now', text: '立即同步' }));
  }
  ui.action.hidden = !ui.action.firstChild;
  renderProgress();
  if (S.panelOpen) renderPhotoNote();
}

/** @param {string} text @param {string} [state] */
export function setStatus(text, state) {
  if (ui.status.textContent !== text) ui.status.textContent = text;
  ui.status.setAttribute('data-state', state || 'ok');
}

/** Informational messages above the form, by key (null text removes one). @param {string} key @param {string | null} text */
export function setNotice(key, text) {
  if (text) S.notices[key] = text; else delete S.notices[key];
  const all = Object.keys(S.notices).map((k) => S.notices[k]);
  let box = document.getElementById('form-notice');
  if (!box) {
    box = el('div', { id: 'form-notice', class: 'notice-box', role: 'note' });
    if (ui.error.parentNode) ui.error.parentNode.insertBefore(box, ui.error.nextSibling);
  }
  box.textContent = all.join(' ');
  box.hidden = !all.length;
}

// ---------------------------------------------------------------- submit panel (read side)

/** The list of items that keep the inspection from being submitted, each a link to the item. */
export function renderMissing() {
  const pr = allProblems(S.req, S.order, draft());
  ui.missingList.textContent = '';
  ui.missingSummary.textContent = '';
  if (!pr.all.length) {
    ui.missingSummary.appendChild(el('p', { class: 'ok-line', text: '✓ 全部 ' + S.order.length + ' 项均已作答，不合格项信息完整。' }));
  } else {
    /** @type {string[]} */
    const bits = [];
    if (pr.unanswered.length) bits.push('未作答 ' + pr.unanswered.length + ' 项');
    if (pr.incomplete.length) bits.push('不合格项信息不完整 ' + pr.incomplete.length + ' 项');
    ui.missingSummary.appendChild(el('p', { class: 'warn-line', text: '提交前还需处理：' + bits.join('，') + '。点击条目可跳转到该项。' }));
  }
  pr.all.forEach((p) => {
    const item = S.items[p.code];
    const what = p.problems[0].field === 'result' ? '未作答' : '缺少：' + p.problems.map((x) => x.text).join('、');
    ui.missingList.appendChild(el('li', null, [
      el('a', { href: '#item-' + p.code, 'data-goto': p.code }, [
        el('span', { class: 'item-code', text: p.code }), ' ', zh(item.title),
        el('span', { class: 'missing-what', text: what }),
      ]),
    ]));
  });
  renderPhotoNote();
}

export function renderPhotoNote() {
  const n = pendingPhotos(S.draft).length;
  ui.photoNote.hidden = !n;
  ui.photoNote.textContent = n ? '还有 ' + n + ' 张照片未上传，提交时会先上传照片' + (isOffline() ? '（当前离线，联网后自动上传）' : '') + '。' : '';
}

/**
 * @param {string} title
 * @param {string[]} lines
 * @param {{ field?: string, message?: string, reason?: string }[]} [details] the server's field issues
 */
export function showSubmitErrors(title, lines, details) {
  ui.submitErrors.textContent = '';
  ui.submitErrors.appendChild(el('p', { class: 'err-title', text: title }));
  const ul = el('ul');
  (lines || []).forEach((l) => { ul.appendChild(el('li', { text: l })); });
  (details || []).forEach((d) => {
    const m = /^responses\.([^.]+)/.exec(d.field || '');
    const code = m && S.items[m[1]] ? m[1] : null;
    ul.appendChild(el('li', null, [
      code ? el('a', { href: '#item-' + code, 'data-goto': code }, [code + ' ' + zh(S.items[code].title)]) : null,
      code ? '：' : '', d.message || d.reason || d.field || '',
    ]));
  });
  if (ul.firstChild) ui.submitErrors.appendChild(ul);
  ui.submitErrors.hidden = false;
}

/** @param {string} text */
export function setSubmitState(text) { ui.submitState.textContent = text || ''; }

/**
 * The page after submitting (or on opening an inspection already submitted).
 * @param {{ hazardCount?: number, hazards?: { itemCode: string, dueDate?: string }[], reportUrl?: string, fresh: boolean }} res
 */
export function showResult(res) {
  ui.items.textContent = '';
  ui.nav.hidden = true;
  ui.panel.hidden = true;
  ui.error.hidden = true;
  Object.keys(S.notices).forEach((k) => setNotice(k, null));
  ui.actionBar.hidden = true;
  ui.items.setAttribute('aria-busy', 'false');
  const count = Number(res.hazardCount) || 0;
  ui.progress.textContent = '已提交';
  ui.bar.style.width = '100%';
  setStatus(res.fresh ? '检查结果已提交 · 已全部同步' : '该检查已提交 · 已全部同步', 'synced');
  ui.action.hidden = true;
  ui.result.textContent = '';
  ui.result.appendChild(el('h2', { text: res.fresh ? '提交成功' : '已提交' }));
  ui.result.appendChild(el('p', { class: 'result-count' }, [count ? '已生成 ' + count + ' 条隐患' : '已生成 0 条隐患（未发现不合格项）']));
  if (res.hazards && res.hazards.length) {
    ui.result.appendChild(el('ul', { class: 'hazard-list' }, res.hazards.map((h) => {
      const item = S.items[h.itemCode];
      return el('li', null, [
        el('span', { class: 'item-code', text: h.itemCode }), ' ', item ? zh(item.title) : '',
        h.dueDate ? el('span', { class: 'muted', text: ' · 整改期限 ' + h.dueDate }) : null,
      ]);
    })));
  }
  if (res.fresh) ui.result.appendChild(el('p', { class: 'muted', text: '本机草稿和照片副本已清除，检查记录以服务器为准。' }));
  const links = el('p', { class: 'result-links' }, [el('a', { class: 'button', href: '/inspections/' + encodeURIComponent(env.inspectionId), text: '查看检查记录' })]);
  if (res.reportUrl) links.appendChild(el('a', { class: 'button secondary-link', href: res.reportUrl, text: '查看检查报告' }));
  ui.result.appendChild(links);
  ui.result.hidden = false;
  ui.result.focus();
}

/** @param {string} msg */
export function showLoadError(msg) {
  ui.items.textContent = '';
  ui.items.setAttribute('aria-busy', 'false');
  ui.error.textContent = '';
  ui.error.appendChild(el('p', { text: msg || '无法加载检查表。' }));
  const retry = el('button', { type: 'button', class: 'primary', text: '重试' });
  retry.addEventListener('click', () => location.reload());
  ui.error.appendChild(retry);
  ui.error.hidden = false;
  setStatus('检查表未加载' + (env.drafts.exists() ? ' · 本机草稿仍完好保存' : ''), 'error');
}
