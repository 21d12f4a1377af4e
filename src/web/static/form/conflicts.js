// @ts-check
/*
 * 答案冲突 (团队检查): two or three inspectors fill one inspection; the server merges their drafts item by item
 * (src/inspections/domain/draft-merge.ts). When two of them answered the same item differently, the item shows a
 * card with both answers, who and when ("张三 10:42：不合格" / "李四 10:44：合格"); a team member chooses one
 * (POST /api/inspections/:id/draft/conflicts/:cid/resolve) and the other stays on record. An open conflict keeps the
 * inspection from being submitted (the submit panel lists it; the server refuses it too). Also shows the sections
 * the team lead assigned to this inspector (分配给我).
 */
import { el, hhmm, targetOf, zh } from './dom.js';
import { applyTeamView, conflictOf, openConflicts } from './draft.js';
import { describeError, request } from './network.js';
import { itemEl, renderProgress, showSubmitErrors, updateItem } from './render.js';
import { S, env, form, isOffline, ui } from './state.js';
import { persist, pushDraft } from './sync.js';

/** @typedef {import('./types.js').TeamView} TeamView */
/** @typedef {import('./types.js').TeamSide} TeamSide */
/** @typedef {import('./types.js').Answer} Answer */

/** @type {Record<string, string>} */
const RESULT_FALLBACK = { pass: '合格', fail: '不合格', na: '不适用' };

/** @param {string} kind @param {string | null | undefined} value */
function labelOf(kind, value) {
  if (!value) return '';
  const labels = /** @type {Record<string, Record<string, string>> | undefined} */ (/** @type {unknown} */ (S.form && S.form.labels));
  return (labels && labels[kind] && labels[kind][value]) || (kind === 'result' ? RESULT_FALLBACK[value] : value) || value;
}

/** Card errors by item code (a refused resolution). @type {Record<string, string>} */
const errors = {};

/**
 * The team's merged draft, from a save, a pull or a resolution: taken into the device's draft and shown.
 * @param {unknown} data the server's answer (TeamView)
 * @param {Record<string, string>} [sent] what the save carried
 */
export function takeTeamView(data, sent) {
  const view = /** @type {TeamView | null} */ (data && typeof data === 'object' ? data : null);
  if (!S.draft || !view || !view.items || typeof view.items !== 'object' || !Array.isArray(view.conflicts)) return;
  const r = applyTeamView(S.draft, view, sent, (key) => !!S.photoUrls[key]);
  persist();
  r.adopted.forEach((code) => { syncFields(code); updateItem(code); });
  r.conflictCodes.forEach((code) => { if (r.adopted.indexOf(code) < 0) renderConflict(code); });
  if (r.adopted.length) renderProgress();
  renderTeamSummary();
}

/**
 * The inputs of an item whose answer came from a teammate (render.js sets them only when it builds the item).
 * A field being typed in is left alone.
 * @param {string} code
 */
function syncFields(code) {
  const sec = itemEl(code);
  const a = S.draft && S.draft.answers[code];
  if (!sec || !a) return;
  /** @type {Record<string, string>} */
  const values = {
    note: a.note || '', location: a.location || '', severity: a.severity || S.items[code].severity || 'general', scope: a.scope || '',
    majorCriterion: a.majorCriterion || '', suspectedReason: a.suspectedReason || '',
  };
  Object.keys(values).forEach((f) => {
    const input = /** @type {HTMLInputElement | null} */ (sec.querySelector('[data-field="' + f + '"]'));
    if (input && input !== document.activeElement && input.value !== values[f]) input.value = values[f];
  });
  const box = /** @type {HTMLInputElement | null} */ (sec.querySelector('[data-field="suspectedMajor"]'));
  if (box) box.checked = !!a.suspectedMajor;
}

/** @param {TeamSide} side */
function whoOf(side) {
  const me = S.draft && S.draft.team ? S.draft.team.me : '';
  const name = side.byName || (side.by && S.draft && S.draft.team && S.draft.team.names[side.by]) || (side.by ? '检查组成员' : '早先保存的草稿');
  return name + (side.by && side.by === me ? '（我）' : '');
}

/** What an answer says, in one line: 不合格 · 重大隐患 · 情况说明 … @param {Answer} a */
function answerText(a) {
  /** @type {string[]} */
  const bits = [];
  if (a.result === 'fail') {
    bits.push(a.suspectedMajor ? '疑似重大隐患' : labelOf('severity', a.severity || 'general'));
    if (a.note) bits.push(String(a.note));
    if (a.location) bits.push('位置：' + a.location);
    const n = (a.photos || []).length;
    if (n) bits.push('照片 ' + n + ' 张');
  } else if (a.note) bits.push(String(a.note));
  return bits.join(' · ');
}

/**
 * The conflict card of one item (called by render.js at the end of buildItem/updateItem, and here).
 * @param {string} code
 */
export function renderConflict(code) {
  const sec = itemEl(code);
  if (!sec) return;
  const c = conflictOf(S.draft, code);
  let box = /** @type {HTMLElement | null} */ (sec.querySelector('[data-role="conflict"]'));
  sec.classList.toggle('has-conflict', !!c);
  if (!c) { if (box) box.remove(); delete errors[code]; return; }
  if (!box) {
    box = el('div', { class: 'conflict-card', 'data-role': 'conflict', role: 'group', 'aria-labelledby': 'conflict-h-' + code });
    const choice = sec.querySelector('.item-choice');
    sec.insertBefore(box, choice ? choice.nextSibling : sec.firstChild);
  }
  box.textContent = '';
  const offline = isOffline();
  box.appendChild(el('p', { class: 'conflict-title', id: 'conflict-h-' + code }, [
    el('span', { class: 'conflict-mark', 'aria-hidden': 'true', text: '!' }), '答案冲突：检查组成员作答不一致',
  ]));
  box.appendChild(el('p', { class: 'conflict-hint', text: '请与同组成员核对现场后选定一个答案；另一答案保留在检查记录中。选定前不能提交。' }));
  const list = el('ul', { class: 'conflict-sides' });
  c.sides.forEach((side, i) => {
    const who = whoOf(side);
    const result = labelOf('result', side.answer.result) || '未作答';
    const detail = answerText(side.answer);
    list.appendChild(el('li', { class: 'conflict-side conflict-' + (side.answer.result || 'none') }, [
      el('p', { class: 'conflict-answer' }, [
        el('span', { class: 'conflict-who', text: who + ' ' + hhmm(side.at) }), '：',
        el('strong', { class: 'conflict-result', text: result }),
      ]),
      detail ? el('p', { class: 'conflict-detail', text: detail }) : null,
      el('button', {
        type: 'button', class: 'secondary conflict-choose', 'data-resolve': c.id, 'data-side': String(i),
        'aria-label': '采用' + who + '的答案：' + result, disabled: offline, text: '采用此答案',
      }),
    ]));
  });
  box.appendChild(list);
  const msg = errors[code] || (offline ? '当前离线：联网后才能选定答案。' : '');
  if (msg) box.appendChild(el('p', { class: errors[code] ? 'conflict-error' : 'conflict-hint', role: errors[code] ? 'alert' : null, text: msg }));
}

/** The team lines: the open conflicts (top of the form and in the submit panel) and the sections assigned to me. */
export function renderTeamSummary() {
  const top = document.getElementById('team-conflicts');
  const inPanel = document.getElementById('conflict-summary');
  const open = openConflicts(S.draft, S.order);
  const team = S.draft && S.draft.team;
  const mine = team ? team.assignments.filter((a) => a.userId === team.me) : [];
  const cats = (S.form && S.form.categories) || [];
  /** @param {boolean} inSubmitPanel */
  const conflictBlock = (inSubmitPanel) => el('div', { class: 'team-conflicts-block' }, [
    el('p', { class: 'warn-line', text: '检查组答案冲突 ' + open.length + ' 项，须选定答案后才能提交' + (inSubmitPanel ? '：' : '（点击跳转）：') }),
    el('ul', { class: 'missing-list' }, open.map((c) => el('li', null, [
      el('a', { href: '#item-' + c.itemCode, 'data-goto': c.itemCode }, [
        el('span', { class: 'item-code', text: c.itemCode }), ' ', S.items[c.itemCode] ? zh(S.items[c.itemCode].title) : '',
        el('span', { class: 'missing-what', text: c.sides.map((s) => whoOf(s) + ' ' + (labelOf('result', s.answer.result) || '未作答')).join(' / ') }),
      ]),
    ]))),
  ]);
  if (top) {
    const lines = slot(top, 'team-lines', 'div');
    lines.textContent = '';
    const assign = renderAssignForm(top);
    if (mine.length) {
      /** @type {(string | HTMLElement)[]} */
      const line = [el('strong', { text: '分配给我：' })];
      mine.forEach((a, i) => {
        const cat = cats.filter((x) => x.code === a.categoryCode)[0];
        if (i) line.push('、');
        line.push(el('a', { href: '#cat-' + a.categoryCode, text: cat ? zh(cat.title) : a.categoryCode }));
      });
      lines.appendChild(el('p', { class: 'team-mine' }, line));
    }
    if (open.length) lines.appendChild(conflictBlock(false));
    top.hidden = !mine.length && !open.length && !assign;
  }
  if (inPanel) {
    inPanel.textContent = '';
    if (open.length) inPanel.appendChild(conflictBlock(true));
    inPanel.hidden = !open.length;
  }
}

/**
 * A child of `parent` with data-role=`role`, created (first) on first use: the parts of the team box that are
 * re-rendered and the ones built once (a select being used must not be rebuilt under the finger).
 * @template {keyof HTMLElementTagNameMap} K
 * @param {HTMLElement} parent @param {string} role @param {K} tag
 * @returns {HTMLElementTagNameMap[K]}
 */
function slot(parent, role, tag) {
  const found = /** @type {HTMLElementTagNameMap[K] | null} */ (parent.querySelector('[data-role="' + role + '"]'));
  if (found) return found;
  const n = el(tag, { 'data-role': role });
  parent.appendChild(n);
  return n;
}

/** The lead's 分工 form: one select per category (任何人 or a member); kept in step with the server. @param {HTMLElement} top */
function renderAssignForm(top) {
  const team = S.draft && S.draft.team;
  const members = (S.form && S.form.team) || [];
  const lead = team && members.filter((m) => m.userId === team.me && m.role === 'lead')[0];
  if (!team || !lead || members.length < 2) return false;
  const cats = ((S.form && S.form.categories) || []).filter((c) => c.items && c.items.length);
  const box = slot(top, 'team-assign', 'details');
  if (!box.firstChild) {
    box.className = 'team-assign';
    box.appendChild(el('summary', { text: '分工（组长）：把检查类别分配给组员' }));
    box.appendChild(el('p', { class: 'conflict-hint', text: '未分配的类别任何组员都可作答；被分配的组员在本页顶部看到“分配给我”。' }));
    cats.forEach((c) => {
      box.appendChild(el('div', { class: 'assign-row' }, [
        el('label', { for: 'assign-' + c.code, text: zh(c.title) }),
        el('select', { id: 'assign-' + c.code, 'data-assign': c.code }, [el('option', { value: '', text: '任何人' })].concat(
          members.map((m) => el('option', { value: m.userId, text: m.displayName + (m.role === 'lead' ? '（组长）' : '') })))),
      ]));
    });
    box.appendChild(el('p', { class: 'conflict-hint', 'data-role': 'assign-msg', 'aria-live': 'polite' }));
    box.addEventListener('change', onAssignChange);
  }
  Array.prototype.forEach.call(box.querySelectorAll('select[data-assign]'), (/** @type {HTMLSelectElement} */ sel) => {
    const a = team.assignments.filter((x) => x.categoryCode === sel.getAttribute('data-assign'))[0];
    if (sel !== document.activeElement) sel.value = a ? a.userId : '';
    sel.disabled = isOffline();
  });
  return true;
}

/** @param {Event} e */
function onAssignChange(e) {
  const box = /** @type {HTMLElement} */ (e.currentTarget);
  const msg = /** @type {HTMLElement} */ (box.querySelector('[data-role="assign-msg"]'));
  /** @type {{ categoryCode: string, userId: string }[]} */
  const assignments = [];
  Array.prototype.forEach.call(box.querySelectorAll('select[data-assign]'), (/** @type {HTMLSelectElement} */ sel) => {
    if (sel.value) assignments.push({ categoryCode: sel.getAttribute('data-assign') || '', userId: sel.value });
  });
  msg.textContent = '正在保存分工…';
  request('PUT', env.api + '/assignments', { assignments }).then((r) => {
    msg.textContent = r.ok ? '分工已保存。' : '分工未保存：' + describeError(r);
    if (r.ok) takeTeamView(r.data);
  });
}

/** @param {string} conflictId @param {number} side @param {HTMLButtonElement} btn */
function resolve(conflictId, side, btn) {
  const sec = btn.closest('.item');
  const code = (sec && sec.getAttribute('data-code')) || '';
  if (isOffline()) { errors[code] = '当前离线：联网后才能选定答案。'; renderConflict(code); return; }
  btn.disabled = true;
  request('POST', env.api + '/draft/conflicts/' + encodeURIComponent(conflictId) + '/resolve', { side }).then((r) => {
    if (r.ok) { delete errors[code]; takeTeamView(r.data); return; }
    if (r.status === 404 || (r.status === 409 && r.data && r.data.code === 'team.conflict_not_open')) {
      // Someone else chose first: take the team's draft as it is now.
      delete errors[code];
      return pushDraft();
    }
    errors[code] = '未能选定：' + describeError(r);
    renderConflict(code);
  });
}

/** Blocks 确认提交 while a conflict is open, listing it (before the panel's own handler runs). @param {Event} e */
function guardSubmit(e) {
  const t = targetOf(e);
  if (!t || !t.closest('#confirm-submit')) return;
  const open = openConflicts(S.draft, S.order);
  if (!open.length) return;
  e.preventDefault();
  e.stopImmediatePropagation();
  showSubmitErrors('还有 ' + open.length + ' 项答案冲突，须先选定答案才能提交：', [],
    open.map((c) => ({ field: 'responses.' + c.itemCode, message: '检查组成员作答不一致，请选定一个答案' })));
  renderTeamSummary();
}

/** Wiring (main.js): the card's buttons, the submit guard, the team lines. */
export function bindConflicts() {
  ui.items.addEventListener('click', (e) => {
    const t = targetOf(e);
    const btn = /** @type {HTMLButtonElement | null} */ (t && t.closest('[data-resolve]'));
    if (btn) resolve(btn.getAttribute('data-resolve') || '', Number(btn.getAttribute('data-side')), btn);
  });
  ui.panel.addEventListener('click', guardSubmit, true);
  const rerender = () => { openConflicts(S.draft, S.order).forEach((c) => renderConflict(c.itemCode)); };
  window.addEventListener('online', rerender);
  window.addEventListener('offline', rerender);
  renderTeamSummary();
  if (form().team && (form().team || []).length > 1) rerender();
}
