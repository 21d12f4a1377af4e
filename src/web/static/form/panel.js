// @ts-check
/*
 * The submit panel: what is missing (links to the items), the inspectors' and the institution's signatures, and
 * 确认提交. How many inspectors must sign comes from the server's requirements.
 */
import { el, must, uuid } from './dom.js';
import { allProblems, countZh, itemProblems, signatureProblems } from './rules.js';
import { itemEl, renderMissing, showSubmitErrors } from './render.js';
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

/** 下一未答项: the first problem after the item at the top of the screen, wrapping around. */
export function nextProblem() {
  const pr = allProblems(S.req, S.order, draft());
  if (!pr.all.length) { openPanel(); return; }
  let top = 0;
  for (let i = 0; i < S.order.length; i++) {
    const s = itemEl(S.order[i]);
    if (s && s.getBoundingClientRect().top > 80) { top = i; break; }
  }
  const codes = pr.all.map((p) => p.code);
  /** @type {string | null} */
  let pick = null;
  for (let j = 0; j < S.order.length && !pick; j++) {
    const c = S.order[(top + j) % S.order.length];
    if (codes.indexOf(c) >= 0) pick = c;
  }
  gotoItem(pick || codes[0]);
}

