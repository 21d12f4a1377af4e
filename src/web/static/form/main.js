// @ts-check
/*
 * 颐安 · 现场检查填报（检查人员手机端）— the entry module, loaded by the page as <script type="module">.
 * The draft lives on the device:
 *   answers/signatures  → localStorage  "yian.draft.<inspectionId>"                      (draft.js)
 *   photo bytes         → IndexedDB db "yian", store "photos"                            (photo-store.js)
 *   checklist copy      → localStorage  "yian.form.<inspectionId>" (when no service worker)
 * and is synced to the server (sync.js). What a submission must contain comes from the form payload's
 * `requirements` (rules.js). This module loads the form and the draft and wires the page's events.
 */
import { hhmm, noop, targetOf } from './dom.js';
import { adoptServerDraft, markLostPhotos, newDraft, setField, setResult } from './draft.js';
import { configure, describeError, request } from './network.js';
import { bundledForm, registerSw } from './offline.js';
import { openPhotoStore, recBlob } from './photo-store.js';
import { addPhotos, removePhoto } from './photos.js';
import { addSigner, allPads, bindSectionTools, confirmSubmit, gotoItem, nextProblem, openPanel } from './panel.js';
import { renderFlag, renderForm, renderProgress, renderStatus, setNotice, setSubmitState, showLoadError, showResult, updateItem, updateLocationSuggestions } from './render.js';
import { isUsableForm } from './rules.js';
import { S, draft, env, readJson, setUp, ui } from './state.js';
import { changed, persist, showOutbox, syncAll, tick } from './sync.js';
import { bindConflicts } from './conflicts.js';
import { askGeo, geoSettled } from './geo.js';
import { syncMarkups } from './markup.js';
import { currentFix, fillSteps } from './trail.js';
import { openViewer } from './viewer.js';

/** @typedef {import('./types.js').Form} Form */
/** @typedef {import('./types.js').Draft} Draft */
/** @typedef {import('./types.js').Result} Result */

const RETRY_MS = 15000;

/** What each answer tells about the connection and the session. */
configure({
  onReply(reachedNetwork, r) {
    const was = S.offline;
    S.offline = !reachedNetwork;
    if (r.status === 401) S.authExpired = true;
    else if (r.ok && reachedNetwork) S.authExpired = false;
    if (r.status === 403 && r.data && r.data.code === 'csrf.invalid') S.csrfExpired = true;
    if (reachedNetwork && S.notices.cache) setNotice('cache', null); // network is back: the copy is no longer the only one
    if (was !== S.offline) renderStatus();
  },
});

/** @param {Form} f */
function indexForm(f) {
  S.items = {}; S.order = []; S.criteria = {};
  (f.categories || []).forEach((cat) => {
    (cat.items || []).forEach((item) => {
      S.items[item.code] = item;
      S.order.push(item.code);
    });
  });
  (f.majorCriteria || []).forEach((c) => { S.criteria[c.code] = c; });
}

// ---------------------------------------------------------------- items

/** 作答轨迹: where the answers were given — a position fixed after an answer is stamped on it (trail.js). */
function locateAnswers() {
  askGeo();
  geoSettled().then(() => { if (S.draft && !S.done && fillSteps(S.draft, currentFix())) persist(); });
}

/** @param {string} code @param {Result} result */
function onResult(code, result) {
  if (!setResult(draft(), S.items[code], result)) return;
  changed();
  locateAnswers();
  updateItem(code);
  renderProgress();
}

/** @param {string} code @param {string} field @param {string} value */
function onField(code, field, value) {
  if (!setField(draft(), S.items[code], field, value)) return;
  changed();
  // keep typing smooth: only refresh the completeness flag
  if (field === 'note' || field === 'location' || field === 'suspectedReason') renderFlag(code);
  else updateItem(code);
}

/** @param {Event} e @returns {{ code: string, t: Element } | null} */
function itemTarget(e) {
  const t = targetOf(e);
  const sec = t && t.closest('.item');
  const code = sec && sec.getAttribute('data-code');
  return t && code ? { code, t } : null;
}

/** @param {Event} e */
function onItemsClick(e) {
  const t = targetOf(e);
  const btn = t && t.closest('button');
  const sec = btn && btn.closest('.item');
  const code = sec && sec.getAttribute('data-code');
  if (!btn || !code) return;
  if (btn.hasAttribute('data-register-candidate')) { applyRegisterCandidate(code, sec); return; }
  const result = btn.getAttribute('data-result');
  if (result === 'pass' || result === 'fail' || result === 'na') { onResult(code, result); return; }
  const view = btn.getAttribute('data-view');
  if (view) { openViewer(code, view); return; } // 全屏照片查看 (viewer.js)
  const key = btn.getAttribute('data-remove');
  if (key) removePhoto(code, key);
}

/**
 * 台账提示 confirmed by the inspector: 不符合, with the register's note when the note is still empty.
 * @param {string} code @param {Element} sec
 */
function applyRegisterCandidate(code, sec) {
  const c = S.items[code] && S.items[code].registerCandidate;
  if (!c) return;
  onResult(code, 'fail');
  const note = /** @type {HTMLTextAreaElement | null} */ (sec.querySelector('[data-field="note"]'));
  if (note && !note.value.trim()) {
    note.value = c.note;
    onField(code, 'note', c.note);
  }
}

/** @param {Event} e */
function onItemsInput(e) {
  const hit = itemTarget(e);
  if (!hit) return;
  const f = hit.t.getAttribute('data-field');
  if (f !== 'note' && f !== 'location' && f !== 'suspectedReason') return;
  onField(hit.code, f, /** @type {HTMLInputElement} */ (hit.t).value);
}

/** @param {Event} e */
function onItemsChange(e) {
  const hit = itemTarget(e);
  if (!hit) return;
  const f = hit.t.getAttribute('data-field');
  if (!f) return;
  const input = /** @type {HTMLInputElement} */ (hit.t);
  if (f === 'photo') { addPhotos(hit.code, input); return; }
  if (f === 'location') { updateLocationSuggestions(); return; }
  if (f === 'note' || f === 'suspectedReason') return;
  onField(hit.code, f, input.type === 'checkbox' ? (input.checked ? 'true' : 'false') : input.value);
}

function bindEvents() {
  ui.items.addEventListener('click', onItemsClick);
  ui.items.addEventListener('input', onItemsInput);
  ui.items.addEventListener('change', onItemsChange);
  ui.root.addEventListener('click', (e) => {
    const t = targetOf(e);
    const a = t && t.closest('[data-goto]');
    if (a) { e.preventDefault(); gotoItem(a.getAttribute('data-goto') || ''); return; }
    if (t && t.closest('[data-action=sync-now]')) { S.draftError = ''; S.uploadError = ''; S.uploadErrors = {}; syncAll(); }
  });
  ui.openSubmit.addEventListener('click', openPanel);
  ui.confirm.addEventListener('click', confirmSubmit);
  ui.addSigner.addEventListener('click', addSigner);
  ui.nextUnanswered.addEventListener('click', nextProblem);
  window.addEventListener('online', () => { S.offline = false; renderStatus(); syncAll(); });
  window.addEventListener('offline', () => { S.offline = true; renderStatus(); });
  document.addEventListener('visibilitychange', () => { if (document.visibilityState === 'visible') tick(); });
  window.addEventListener('resize', () => allPads().forEach((p) => p.size()));
  window.addEventListener('storage', (e) => {
    if (e.key !== env.drafts.key || S.done || !e.newValue) return;
    ui.error.textContent = '此检查表正在另一个窗口中填写。为避免互相覆盖，请关闭其他窗口后刷新本页。';
    ui.error.hidden = false;
  });
}

// ---------------------------------------------------------------- start-up

/** The form from the network, else the service worker's or local storage's copy. @returns {Promise<Form | null>} */
function loadForm() {
  return request('GET', env.api + '/form', undefined, { timeout: 20000 }).then((r) => {
    if (r.ok && isUsableForm(r.data)) {
      S.formFromCache = r.fromCache;
      if (!r.fromCache) { try { localStorage.setItem(env.formKey, JSON.stringify(r.data)); } catch (e) { /* quota */ } }
      return r.data;
    }
    if (!r.networkError && r.status >= 400 && r.status < 500 && r.status !== 401) {
      S.loadError = describeError(r);
      return null;
    }
    const cached = readJson(env.formKey);
    if (isUsableForm(cached)) { S.formFromCache = true; return cached; }
    return bundledForm(env.inspectionId).then((fromBundle) => {
      if (isUsableForm(fromBundle)) { S.formFromCache = true; return fromBundle; } // 下载今日任务's copy (IndexedDB)
      S.loadError = r.ok ? '本机保存的检查表副本版本过旧，请联网后重试。'
        : r.networkError ? '当前离线，本机也没有这份检查表的副本。请联网后重试。'
          : r.status === 401 ? '登录已过期，请重新登录。' : describeError(r);
      return null;
    });
  });
}

/** The local draft, else the server's copy, else a new one. @returns {Promise<Draft>} */
function loadDraft() {
  const local = env.drafts.load();
  if (local) return Promise.resolve(local);
  if (!navigator.onLine) return Promise.resolve(newDraft(env.inspectionId));
  return request('GET', env.api + '/draft', undefined, { timeout: 15000 }).then((r) => {
    if (r.ok && r.data && r.data.draft && typeof r.data.draft === 'object' && r.data.draft.answers) {
      const savedAt = r.data.savedAt || null;
      const { draft: d, dropped } = adoptServerDraft(r.data.draft, savedAt, env.inspectionId);
      S.notice = '已从服务器恢复草稿（' + hhmm(savedAt) + ' 保存）。' +
        (dropped ? '有 ' + dropped + ' 张照片在原设备上尚未上传，无法恢复，请在原设备联网上传或重新拍摄。' : '');
      return d;
    }
    return newDraft(env.inspectionId);
  });
}

/** Previews for the photos on the device; photos whose bytes were evicted are marked lost. */
function loadPhotoUrls() {
  return S.photos.ofInspection().then((recs) => {
    recs.forEach((rec) => {
      if (!S.photoUrls[rec.key]) S.photoUrls[rec.key] = URL.createObjectURL(recBlob(rec));
    });
    const lost = S.photos.persistent ? markLostPhotos(draft(), new Set(recs.map((r) => r.key))) : 0;
    if (lost) {
      persist();
      S.notice = (S.notice ? S.notice + ' ' : '') + '有 ' + lost + ' 张照片在本机存储中已丢失（可能被浏览器清理），请在相应检查项重新拍摄。';
    }
  });
}

/** @param {{ submissionId: string, hazardCount: number }} sub */
function showSubmitted(sub) {
  const local = env.drafts.load();
  if (local && local.submissionId && local.submissionId === sub.submissionId) {
    env.drafts.remove();
    // the photo store is per inspection, shared by accounts: another account's unsent photos stay
    if (!env.drafts.foreign()) S.photos.removeAll();
  }
  S.done = true;
  showResult({ hazardCount: sub.hazardCount, hazards: [], fresh: false });
}

function init() {
  registerSw([location.pathname, env.api + '/form']);
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(noop);
  Promise.all([loadForm(), openPhotoStore(env.inspectionId)]).then(([f, photos]) => {
    S.photos = photos;
    if (!f || !isUsableForm(f)) { showLoadError(S.loadError); return; }
    S.form = f;
    S.req = f.requirements;
    indexForm(f);
    if (f.submission) { showSubmitted(f.submission); return; }
    return loadDraft().then((d) => {
      S.draft = d;
      if (f.checklist) d.checklist = f.checklist.code + '@' + f.checklist.versionNo;
      persist();
      return loadPhotoUrls();
    }).then(() => {
      bindEvents();
      renderForm();
      bindSectionTools();
      bindConflicts();
      if (S.formFromCache && S.offline) setNotice('cache', '当前离线，使用本机保存的检查表副本。');
      if (S.notice) setNotice('restore', S.notice);
      renderStatus();
      showOutbox();
      if (draft().submitPending) {
        openPanel();
        setSubmitState('上次提交尚未完成，联网后将自动提交。');
      }
      syncAll();
      S.timer = setInterval(tick, RETRY_MS);
      setInterval(() => { syncMarkups(); }, 5000); // 照片标注: layers of photos uploaded since (markup.js)
      window.addEventListener('online', () => { syncMarkups(); });
    });
  }).catch((e) => {
    showLoadError('页面出错：' + (e && e.message ? e.message : e) + '。本机草稿不受影响，请刷新重试。');
  });
}

const root = document.getElementById('inspection-form');
if (root) {
  setUp(root);
  configure({ csrf: env.csrf });
  // Modules run after the document is parsed; the check is for a page that injects this script late.
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
}
