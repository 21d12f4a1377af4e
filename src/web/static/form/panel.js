// @ts-check
/*
 * The submit panel: what is missing (links to the items), the inspectors' and the institution's signatures, and
 * 确认提交. How many inspectors must sign comes from the server's requirements.
 */
import { el, must, targetOf, uuid } from './dom.js';
import { applyBulk, bulkPlan, needsConfirm, undoBulk, undoText } from './bulk.js';
import { allProblems, countZh, itemProblems, signatureProblems } from './rules.js';
import {
  itemEl, measureSticky, renderBulkBar, renderCurrentSection, renderMissing, renderProgress, renderSearch, setSectionListOpen, showSubmitErrors, updateItem,
} from './render.js';
import { nextItem } from './sections.js';
import { makePad } from './signature-pad.js';
import { S, draft, form, ui } from './state.js';
import { changed, submit } from './sync.js';

/** @typedef {import('./types.js').TeamMember} TeamMember */

export function openPanel() {
  S.panelOpen = true;
  S.showProblems = true;
  ui.panel.hidden = false;
  ui.openSubmit.setAttribute('aria-expanded', 'true');
  renderMissing();
  renderSignatures();
  S.order.forEach((c) => { const s = itemEl(c); if (s) s.classList.add('show-problems'); });
  ui.panel.scrollIntoView({ block: 'start' });
  ui.panelTitle.focus({ preventScroll: true });
  allPads().forEach((p) => p.size());
}

/** Every signature pad on the panel (resized when the layout changes). */
export function allPads() { return S.pads.concat(S.repPad ? [S.repPad] : []); }

function renderSignatures() {
  const team = form().team || [];
  const sigs = draft().signatures;
  const required = S.req.inspectorSignatures;
  const count = Math.max(required, sigs.inspectors.length);
  ui.teamRule.textContent = '至少' + countZh(required) + '名检查人员分别选择本人姓名并签名。';
  ui.teamSigs.textContent = '';
  S.pads = [];
  for (let i = 0; i < count; i++) ui.teamSigs.appendChild(buildTeamBlock(i, team));
  ui.addSigner.hidden = count >= Math.max(required, team.length);
  if (team.length < required) {
    ui.teamSigs.appendChild(el('p', { class: 'error', text: '检查组成员不足' + countZh(required) + '人（当前 ' + team.length + ' 人），无法满足' + countZh(required) + '名检查人员签名的要求，请联系监管人员调整检查组。' }));
  }
  ui.repSig.textContent = '';
  const rep = sigs.rep;
  const nameInput = el('input', { id: 'rep-name', type: 'text', autocomplete: 'off', placeholder: '机构负责人或授权代表姓名' });
  nameInput.value = rep.name || '';
  nameInput.addEventListener('input', () => { draft().signatures.rep.name = nameInput.value; changed(); });
  const canvas = el('canvas', { class: 'signature', role: 'img', 'aria-label': '签收签名区，请用手指在框内签名' });
  const clear = el('button', { type: 'button', class: 'secondary sig-clear', text: '清除' });
  ui.repSig.appendChild(el('div', { class: 'sig-block', 'data-signer': 'institution_representative' }, [
    el('label', { for: 'rep-name', text: '机构签收人' }), nameInput,
    el('p', { class: 'sig-hint muted', text: '请在框内签名' }), canvas, clear,
  ]));
  const pad = makePad(canvas, rep.image, (img) => { draft().signatures.rep.image = img; changed(); });
  S.repPad = pad;
  clear.addEventListener('click', () => pad.clear());
  requestAnimationFrame(() => allPads().forEach((p) => p.size()));
}

/** @param {number} i @param {TeamMember[]} team */
function buildTeamBlock(i, team) {
  const sigs = draft().signatures.inspectors;
  if (!sigs[i]) sigs[i] = { userId: '', image: null };
  const s = sigs[i];
  const sel = el('select', { id: 'signer-' + i }, [el('option', { value: '', text: '请选择检查人员' })].concat(team.map((m) =>
    el('option', { value: m.userId, text: m.displayName + (m.role === 'lead' ? '（组长）' : '') }))));
  sel.value = s.userId || '';
  sel.addEventListener('change', () => { sigs[i].userId = sel.value; changed(); });
  const canvas = el('canvas', { class: 'signature', role: 'img', 'aria-label': '检查人员签名区 ' + (i + 1) + '，请用手指在框内签名' });
  const clear = el('button', { type: 'button', class: 'secondary sig-clear', text: '清除' });
  const block = el('div', { class: 'sig-block', 'data-signer': 'inspector', 'data-index': String(i) }, [
    el('p', { class: 'sig-no', text: '检查人员 ' + (i + 1) }),
    el('label', { for: 'signer-' + i, text: '签名人' }), sel,
    el('p', { class: 'sig-hint muted', text: '请在框内签名' }), canvas, clear,
  ]);
  const pad = makePad(canvas, s.image, (img) => { sigs[i].image = img; changed(); });
  S.pads.push(pad);
  clear.addEventListener('click', () => pad.clear());
  return block;
}

/** 添加检查人员签名: one more block, up to the team's size. */
export function addSigner() {
  const team = form().team || [];
  const sigs = draft().signatures.inspectors;
  const i = sigs.length;
  sigs.push({ userId: '', image: null });
  changed();
  const block = buildTeamBlock(i, team);
  ui.teamSigs.appendChild(block);
  S.pads[S.pads.length - 1].size();
  ui.addSigner.hidden = sigs.length >= team.length;
  must(block, 'select').focus();
}

/** 确认提交: refuses with the complete list of what is missing, or marks the submit pending and sends it. */
export function confirmSubmit() {
  ui.submitErrors.hidden = true;
  const d = draft();
  const pr = allProblems(S.req, S.order, d);
  const sigErr = signatureProblems(S.req, d.signatures, form().team || []);
  if (pr.all.length || sigErr.length) {
    /** @type {string[]} */
    const lines = [];
    if (pr.all.length) lines.push('还有 ' + pr.all.length + ' 个检查项需要处理（见上方清单）');
    showSubmitErrors('暂不能提交：', lines.concat(sigErr));
    renderMissing();
    if (pr.all.length) ui.panelTitle.focus();
    return;
  }
  if (!d.submissionId) d.submissionId = uuid();
  d.submitPending = true;
  changed();
  submit(false);
}

/** Scrolls to an item and focuses the first control it still lacks. @param {string} code */
export function gotoItem(code) {
  const sec = itemEl(code);
  if (!sec) return;
  setSectionListOpen(false);
  measureSticky();
  sec.scrollIntoView({ block: 'start' });
  sec.classList.remove('flash');
  void sec.offsetWidth;
  sec.classList.add('flash');
  const a = draft().answers[code];
  /** @type {HTMLElement | null} */
  let target = null;
  if (a && a.result === 'fail') {
    const probs = itemProblems(S.req, code, a);
    for (let i = 0; i < probs.length && !target; i++) {
      const f = probs[i].field;
      target = /** @type {HTMLElement | null} */ (sec.querySelector(f === 'photos' ? '.photo-input' : '[data-field=' + f + ']'));
    }
  }
  if (!target) target = /** @type {HTMLElement | null} */ (sec.querySelector('.choice-btn'));
  if (target && target.focus) target.focus({ preventScroll: true });
}

/** The index in S.order of the first item below the top of the screen. */
function topIndex() {
  for (let i = 0; i < S.order.length; i++) {
    const s = itemEl(S.order[i]);
    if (s && s.getBoundingClientRect().top > 80) return i;
  }
  return 0;
}

/** 下一未答项: the first problem after the item at the top of the screen, wrapping around. */
export function nextProblem() {
  const pr = allProblems(S.req, S.order, draft());
  if (!pr.all.length) { openPanel(); return; }
  const top = topIndex();
  const codes = pr.all.map((p) => p.code);
  /** @type {string | null} */
  let pick = null;
  for (let j = 0; j < S.order.length && !pick; j++) {
    const c = S.order[(top + j) % S.order.length];
    if (codes.indexOf(c) >= 0) pick = c;
  }
  gotoItem(pick || codes[0]);
}


// ---------------------------------------------------------------- sections, search, bulk actions

/** 下一不合格: the next failed item below the top of the screen, wrapping around. */
export function nextFailed() {
  const top = topIndex();
  const from = top > 0 ? S.order[top - 1] : '';
  const code = nextItem(S.order, draft(), from, 'failed');
  if (code) gotoItem(code);
  else ui.nextUnanswered.focus();
}

/** @param {string} code */
function gotoSection(code) {
  setSectionListOpen(false);
  measureSticky();
  const sec = document.getElementById('cat-' + code);
  if (!sec) return;
  sec.scrollIntoView({ block: 'start' });
  const h = sec.querySelector('h2');
  if (h instanceof HTMLElement) { h.tabIndex = -1; h.focus({ preventScroll: true }); }
}

/**
 * The section's plan, confirmed inline first — 本节其余合格 not when the inspector chose 不再询问; 本节不适用 always
 * (it overwrites answers already given). @param {string} code @param {'pass' | 'na'} kind
 */
function askBulk(code, kind) {
  const cat = (form().categories || []).find((c) => c.code === code);
  if (!cat) return;
  const plan = bulkPlan(cat, draft(), kind);
  if (!plan.codes.length) return;
  const before = S.bulkConfirm;
  S.bulkConfirm = null;
  if (before && before.section !== code) renderBulkBar(before.section);
  delete S.bulkNote[code];
  if (!needsConfirm(kind, S.bulkNoAsk)) { doBulk(plan); return; }
  S.bulkConfirm = plan;
  renderBulkBar(code);
  const bar = document.getElementById('bulk-' + code);
  const ok = bar && bar.querySelector('[data-bulk-confirm]');
  if (ok instanceof HTMLElement) ok.focus();
}

/** @param {import('./bulk.js').BulkPlan} plan */
function doBulk(plan) {
  const cat = (form().categories || []).find((c) => c.code === plan.section);
  if (!cat) return;
  S.bulkConfirm = null;
  // Planned again on the draft as it is now (an answer may have come in while the question was open).
  const fresh = bulkPlan(cat, draft(), plan.kind);
  S.bulkUndo[plan.section] = applyBulk(draft(), cat, fresh);
  changed();
  fresh.codes.forEach(updateItem);
  renderProgress();
  const bar = document.getElementById('bulk-' + plan.section);
  const undo = bar && bar.querySelector('[data-bulk-undo]');
  if (undo instanceof HTMLElement) undo.focus({ preventScroll: true });
}

/** @param {string} code */
function undoSection(code) {
  const undo = S.bulkUndo[code];
  if (!undo) return;
  delete S.bulkUndo[code];
  const result = undoBulk(draft(), undo);
  // Items edited by hand since the bulk action keep the newer answer: the bar says which (role=status).
  S.bulkNote[code] = undoText(result);
  if (result.restored.length) changed();
  result.restored.forEach(updateItem);
  renderProgress();
  renderBulkBar(code);
}

/** The section bar's and the bulk bars' events (wired once by main.js). */
export function bindSectionTools() {
  ui.nav.addEventListener('click', (e) => {
    const t = targetOf(e);
    if (!t) return;
    const go = t.closest('[data-section-goto]');
    if (go) { gotoSection(go.getAttribute('data-section-goto') || ''); return; }
    if (t.closest('#section-toggle')) {
      const list = document.getElementById('section-list');
      setSectionListOpen(!!list && list.hidden);
      return;
    }
    if (t.closest('#search-toggle')) {
      const row = must(ui.nav, '#search-row');
      const input = /** @type {HTMLInputElement} */ (must(ui.nav, '#item-search'));
      const open = row.hidden;
      row.hidden = !open;
      must(ui.nav, '#search-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
      if (open) input.focus();
      else if (S.search) { S.search = ''; input.value = ''; renderSearch(); }
      measureSticky();
    }
  });
  ui.nav.addEventListener('input', (e) => {
    const t = targetOf(e);
    if (!(t instanceof HTMLInputElement) || t.id !== 'item-search') return;
    S.search = t.value;
    renderSearch();
    window.scrollTo({ top: ui.items.offsetTop - ui.nav.getBoundingClientRect().bottom });
  });
  ui.items.addEventListener('click', (e) => {
    const t = targetOf(e);
    const b = t && t.closest('button');
    if (!b) return;
    const kind = b.getAttribute('data-bulk');
    const sec = b.getAttribute('data-section') || '';
    if (kind === 'pass' || kind === 'na') { askBulk(sec, kind); return; }
    const ok = b.getAttribute('data-bulk-confirm');
    if (ok && S.bulkConfirm && S.bulkConfirm.section === ok) { doBulk(S.bulkConfirm); return; }
    const cancel = b.getAttribute('data-bulk-cancel');
    if (cancel) { S.bulkConfirm = null; renderBulkBar(cancel); return; }
    const undo = b.getAttribute('data-bulk-undo');
    if (undo) undoSection(undo);
  });
  ui.items.addEventListener('change', (e) => {
    const t = targetOf(e);
    if (t instanceof HTMLInputElement && t.hasAttribute('data-bulk-noask')) S.bulkNoAsk = t.checked;
  });
  const nf = document.getElementById('next-failed');
  if (nf) nf.addEventListener('click', nextFailed);
  let queued = false;
  window.addEventListener('scroll', () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; renderCurrentSection(); });
  }, { passive: true });
}
