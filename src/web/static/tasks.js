// @ts-check
/*
 * 我的检查任务 (the inspector's task list) on a phone, for a day in the field:
 *   下载今日任务 (button, and by itself when the list opens with signal and the last download is old or missing):
 *     the service worker stores every open task's form page, detail page and form payload, and the bundle
 *     (institution profile, previous findings) in IndexedDB "yian-offline" (see /sw.js);
 *   the last sync time and the storage used; per task "已下载", its 检查码 and 机构概况 · 上次检查发现, read from the device;
 *   待发送 (the outbox): submissions confirmed on the form pages, sent from here too when signal returns — only the
 *     signed-in inspector's (a shared phone: others' entries and drafts stay on the device and are only counted).
 *     Before POST /submit: the draft's changed items (PUT /draft: a teammate's different answer is a conflict, and
 *     the entry is refused until the form settles it), the photos, then every pending markup layer.
 * The page shell is inspectionListPage (src/web/inspection-pages.ts); the list itself is server-rendered (a cached
 * copy offline).
 */
import { el, hhmm } from './form/dom.js';
import { acknowledge, applyTeamView, changedItems, draftChanges, draftStore, pendingPhotos, submissionPayload } from './form/draft.js';
import { pendingLayers, sendPendingLayers } from './form/markup.js';
import { configure, describeError, request, stopsQueue } from './form/network.js';
import { downloadTasks, formatBytes, registerSw, storageUsed, storedBundle, swMessage } from './form/offline.js';
import { CONFLICT_REASON, OUTBOX_LABELS, othersText, outboxStore, refusalText, visibleEntries } from './form/outbox.js';
import { renderOutbox } from './form/outbox-view.js';
import { openPhotoStore, recBlob } from './form/photo-store.js';

/** @typedef {import('./form/offline.js').StoredBundle} StoredBundle */
/** @typedef {import('./form/offline.js').DownloadResult} DownloadResult */
/** @typedef {import('./form/outbox.js').OutboxEntry} OutboxEntry */
/** @typedef {ReturnType<typeof draftStore>} DraftStore */

/** A download older than this is refreshed when the list opens with signal. */
const STALE_MS = 30 * 60 * 1000;
const RETRY_MS = 15000;

/** @param {string} id @returns {HTMLElement | null} */
const byId = (id) => document.getElementById(id);

function safeStorage() { try { return window.localStorage; } catch (e) { return null; } }

/** This inspector's outbox (made at start-up, once the page says who is signed in). */
let outbox = outboxStore(null);
/** @type {{ userId: string, downloading: boolean, draining: boolean, bundle: StoredBundle | null, message: string }} */
const state = { userId: '', downloading: false, draining: false, bundle: null, message: '' };

/** The date and time of an ISO string in Chinese (12月1日 16:40). @param {string | null | undefined} iso */
function when(iso) {
  const d = new Date(iso || '');
  if (isNaN(d.getTime())) return '';
  return (d.getMonth() + 1) + '月' + d.getDate() + '日 ' + hhmm(iso);
}

function online() { return navigator.onLine; }

// ---------------------------------------------------------------- what the device holds

/** @returns {Promise<void>} */
function loadBundle() {
  return storedBundle().then((b) => {
    // Another inspector's download on a shared phone is not shown (nor used) here.
    state.bundle = b && b.userId === state.userId ? b : null;
  });
}

/** @param {string} id */
function taskOf(id) {
  const b = state.bundle;
  return b ? b.bundle.inspections.filter((/** @type {any} */ t) => t.id === id)[0] || null : null;
}

function renderStatus() {
  const status = byId('download-status');
  const line = byId('offline-line');
  const b = state.bundle;
  if (line) {
    line.hidden = online();
    line.textContent = online() ? '' : '当前离线：显示本机保存的任务' + (b ? '（' + when(b.savedAt) + ' 下载）' : '') + '。提交会放入“待发送”，联网后自动发送。';
  }
  if (status) {
    status.textContent = state.downloading ? '正在下载今日任务…'
      : state.message || (b ? '上次同步 ' + when(b.savedAt) + ' · 已下载 ' + b.bundle.inspections.length + ' 项任务' : '尚未下载任务到本机');
  }
  const btn = /** @type {HTMLButtonElement | null} */ (byId('download-tasks'));
  if (btn) btn.disabled = state.downloading || !online();
  storageUsed().then((used) => {
    const s = byId('storage-used');
    if (s) s.textContent = used == null ? '' : '本机已用 ' + formatBytes(used);
  });
}

/** Per task: downloaded or not, and 机构概况 · 上次检查发现 from the bundle. */
function renderTasks() {
  document.querySelectorAll('#task-list [data-inspection-id]').forEach((li) => {
    const id = li.getAttribute('data-inspection-id') || '';
    const open = li.getAttribute('data-open') === 'true';
    const slot = li.querySelector('.task-extra');
    if (!slot) return;
    slot.textContent = '';
    const t = taskOf(id);
    const entry = outbox.get(id);
    if (entry && entry.state !== 'sent') slot.appendChild(el('span', { class: 'tag warn task-outbox', text: OUTBOX_LABELS[entry.state] }));
    if (entry && entry.state === 'sent') slot.appendChild(el('span', { class: 'tag task-outbox', text: '已提交' }));
    if (!open) return;
    if (!t) {
      slot.appendChild(el('span', { class: 'tag task-offline', text: online() ? '未下载' : '未下载，离线不可用' }));
      return;
    }
    slot.appendChild(el('span', { class: 'tag task-offline task-ready', text: '已下载' }));
    // 检查码: shown to the institution on arrival (the task page holds its QR code, also offline)
    const code = t.form && t.form.code;
    if (code && code.display) slot.appendChild(el('span', { class: 'tag task-code', text: '检查码 ' + code.display + (code.confirmation ? '（已核验）' : '') }));
    slot.appendChild(details(t));
  });
}

/** 机构概况 · 上次检查发现 of one task. @param {any} t */
function details(t) {
  const p = t.institution;
  const prev = t.previousFindings;
  /** @type {Record<string, string>} */
  const titles = {};
  ((t.form && t.form.categories) || []).forEach((/** @type {any} */ c) => (c.items || []).forEach((/** @type {any} */ i) => {
    titles[i.code] = typeof i.title === 'string' ? i.title : (i.title && (i.title.zh || i.title.en)) || '';
  }));
  const facts = p ? [
    p.address,
    p.contactName ? '联系人 ' + p.contactName + (p.contactPhone ? ' ' + p.contactPhone : '') : '',
    '床位 ' + p.occupiedBeds + ' / ' + p.approvedBeds + (p.residentsDisabled ? '（失能/半失能 ' + p.residentsDisabled + ' 人）' : ''),
    p.storeys + ' 层 · ' + p.totalAreaM2 + ' ㎡' + (p.hasSprinklers ? ' · 有喷淋' : '') + (p.hasAutoFireAlarm ? ' · 有火灾自动报警' : '') + (p.gasSupply ? ' · 燃气：' + p.gasSupply : ''),
  ].filter(Boolean) : [];
  const checklist = t.form && t.form.checklist;
  const summary = '机构概况 · 上次检查发现' + (prev ? '（' + prev.items.length + ' 项）' : '（无）');
  return el('details', { class: 'task-more' }, [
    el('summary', { text: summary }),
    el('ul', { class: 'task-facts' }, facts.map((f) => el('li', { text: f }))),
    checklist ? el('p', { class: 'muted', text: '检查表 ' + checklist.code + ' 第 ' + checklist.versionNo + ' 版' }) : null,
    prev
      ? el('div', { class: 'task-prev' }, [
        el('h3', { text: '上次检查发现（' + when(prev.submittedAt).replace(/ .*/, '') + (prev.reportNo ? ' · ' + prev.reportNo : '') + '）' }),
        el('ul', null, prev.items.map((/** @type {any} */ f) => el('li', null, [
          el('strong', { text: f.itemCode + ' ' + (f.title || titles[f.itemCode] || '') }),
          el('br'),
          el('span', { class: 'muted', text: [f.note, f.location, f.severityLabel, f.hazardStatusLabel ? '隐患' + f.hazardStatusLabel : ''].filter(Boolean).join(' · ') }),
        ]))),
      ])
      : el('p', { class: 'muted', text: '该机构此前没有已提交的检查。' }),
  ]);
}

function renderAll() {
  const box = byId('outbox');
  if (box) renderOutbox(box, visibleEntries(outbox.mine()), { others: othersText(outbox.others()) });
  renderTasks();
  renderStatus();
}

// ---------------------------------------------------------------- 下载今日任务

/** @param {DownloadResult} r */
function downloaded(r) {
  state.message = r.ok ? '已下载 ' + (r.count || 0) + ' 项任务（' + hhmm(r.savedAt) + '），离线也可打开'
    : r.reason === 'auth' ? '登录已过期，请重新登录后下载'
      : r.reason === 'no-worker' ? '此浏览器不支持离线使用，请保持联网'
        : r.reason === 'server' ? '下载失败（服务器 ' + (r.status || '') + '），请稍后重试' : '当前离线，无法下载';
  return loadBundle().then(renderAll);
}

function download() {
  if (state.downloading || !online()) return Promise.resolve();
  state.downloading = true;
  state.message = '';
  renderStatus();
  return downloadTasks().then((r) => { state.downloading = false; return downloaded(r); });
}

// ---------------------------------------------------------------- 待发送: sending from the task list

/** The form of an inspection, as the device keeps it (bundle, the form page's copy) or from the network. @param {string} id */
function formOf(id) {
  const t = taskOf(id);
  if (t && t.form) return Promise.resolve(t.form);
  try {
    const raw = localStorage.getItem('yian.form.' + id);
    if (raw) return Promise.resolve(JSON.parse(raw));
  } catch (e) { /* fall through */ }
  return request('GET', '/api/inspections/' + id + '/form').then((r) => (r.ok ? r.data : null));
}

/**
 * Photos of the draft not yet uploaded (the form page normally sends them first). false: stop for now.
 * @param {string} id @param {import('./form/types.js').Draft} d @param {DraftStore} drafts
 * @returns {Promise<boolean>}
 */
function uploadPhotos(id, d, drafts) {
  const list = pendingPhotos(d);
  if (!list.length) return Promise.resolve(true);
  return openPhotoStore(id).then((store) => list.reduce((p, entry) => p.then((ok) => {
    if (!ok) return false;
    return store.get(entry.meta.key).then((rec) => {
      if (!rec) return true; // lost bytes: the server's 422 names the item if a photo was required
      const fd = new FormData();
      fd.append('inspectionId', id);
      fd.append('itemCode', entry.code);
      fd.append('takenAt', entry.meta.takenAt);
      if (entry.meta.lat != null && entry.meta.lng != null) { fd.append('lat', String(entry.meta.lat)); fd.append('lng', String(entry.meta.lng)); }
      fd.append('file', recBlob(rec), 'photo.jpg');
      return request('POST', '/api/evidence', fd, { timeout: 120000 }).then((r) => {
        if (r.ok && r.data && r.data.id) {
          entry.meta.evidenceId = r.data.id;
          entry.meta.url = r.data.url || '/api/evidence/' + r.data.id;
          drafts.save(d);
          return true;
        }
        return !stopsQueue(r);
      });
    }, () => false);
  }), Promise.resolve(true)));
}

/** Sends one queued submission: photos, then POST /submit with the draft's submissionId. @param {OutboxEntry} e */
function sendOne(e) {
  const id = e.inspectionId;
  const drafts = draftStore(safeStorage(), id, state.userId || undefined);
  const d = drafts.load();
  if (!d) return settleWithoutDraft(e);
  return formOf(id).then((f) => {
    if (!f || !f.categories) return;
    /** @type {string[]} */
    const order = [];
    f.categories.forEach((/** @type {any} */ c) => (c.items || []).forEach((/** @type {any} */ i) => order.push(i.code)));
    return uploadPhotos(id, d, drafts).then((ok) => {
      if (!ok) return;
      if (!d.submissionId) d.submissionId = e.submissionId;
      outbox.apply(id, { type: 'send' });
      renderAll();
      /** @param {import('./form/network.js').Reply} r @param {string} [message] */
      const reply = (r, message) => outbox.apply(id, { type: 'reply', status: r.status, networkError: r.networkError, code: r.data && r.data.code, message: message || refusalText(r.data, describeError(r)) });
      return pushChanges(id, d, drafts).then((pushed) => {
        if (pushed.reply) { refusedKeepsDraft(reply(pushed.reply), d, drafts); return; }
        if (pushed.conflict) { refusedKeepsDraft(reply({ ok: false, status: 409, data: null, networkError: false, fromCache: false }, CONFLICT_REASON), d, drafts); return; }
        return sendPendingLayers(d, '/api/inspections/' + id, () => drafts.save(d)).then((layers) => {
          if (layers.waiting) { outbox.apply(id, { type: 'reply', status: 0, networkError: true }); return; } // back to 待发送
          return submitNow(id, d, drafts, order, f, layers.refused, reply);
        });
      });
    });
  });
}

/**
 * POST /submit, and what its answer means for the device's copies.
 * @param {string} id @param {import('./form/types.js').Draft} d @param {DraftStore} drafts
 * @param {string[]} order @param {any} f the form @param {string} layersRefused
 * @param {(r: import('./form/network.js').Reply) => OutboxEntry | null} reply
 */
function submitNow(id, d, drafts, order, f, layersRefused, reply) {
  return request('POST', '/api/inspections/' + id + '/submit', submissionPayload(d, order, f.team || []), { timeout: 60000 }).then((r) => {
        const next = reply(r);
        if (next && next.state === 'sent') {
          if (layersRefused) outbox.apply(id, { type: 'note', reason: '已提交；照片标注未被接受：' + layersRefused });
          // Filed: the device's copies go, as on the form page — except a draft still holding an unsent markup layer;
          // the cached pages are re-fetched (now "已提交").
          const keep = pendingLayers(d).length > 0;
          if (!keep) drafts.remove();
          try { localStorage.removeItem('yian.form.' + id); } catch (err) { /* ignore */ }
          if (!keep && !drafts.foreign()) openPhotoStore(id).then((s) => s.removeAll()).catch(() => {});
          swMessage({ type: 'yian:refresh', urls: ['/api/inspections/' + id + '/form', '/inspections/' + id, '/inspections/' + id + '/fill', '/inspections'] });
        } else refusedKeepsDraft(next, d, drafts);
  });
}

/** A refused entry: the draft stays on the device, editable; 确认提交 again queues it again. @param {OutboxEntry | null} next @param {import('./form/types.js').Draft} d @param {DraftStore} drafts */
function refusedKeepsDraft(next, d, drafts) {
  if (!next || next.state !== 'refused') return;
  d.submitPending = false;
  drafts.save(d);
}

/**
 * 团队草稿 before the submit: the items changed on this device since their base go to the server (PUT /draft, as
 * the form page's sync.js pushDraft does), so a teammate's different answer becomes a conflict instead of being
 * overwritten by the submit. `conflict`: the team has an open conflict on this inspection; `reply`: the PUT failed.
 * @param {string} id @param {import('./form/types.js').Draft} d @param {DraftStore} drafts
 * @returns {Promise<{ conflict: boolean, reply: import('./form/network.js').Reply | null }>}
 */
function pushChanges(id, d, drafts) {
  if (!changedItems(d).length) return Promise.resolve({ conflict: false, reply: null }); // the server has them (and refuses a differing submit: 409)
  const rev = d.rev;
  const { body, sent } = draftChanges(d);
  return request('PUT', '/api/inspections/' + id + '/draft', body).then((r) => {
    if (!r.ok) return { conflict: false, reply: r };
    acknowledge(d, rev, (r.data && r.data.savedAt) || body.savedAt);
    const view = r.data && typeof r.data === 'object' && r.data.items && Array.isArray(r.data.conflicts) ? r.data : null;
    if (view) applyTeamView(d, view, sent);
    drafts.save(d);
    return { conflict: !!(view && view.conflicts.length), reply: null };
  });
}

/**
 * The draft is gone (filed from the form page, or another tab): the server's form says whether this submission
 * was filed (same submissionId: sent) or someone else's was (refused, with the reason).
 * @param {OutboxEntry} e
 */
function settleWithoutDraft(e) {
  return request('GET', '/api/inspections/' + e.inspectionId + '/form').then((r) => {
    if (!r.ok || r.fromCache || !r.data) return;
    const sub = r.data.submission;
    if (!sub) return;
    outbox.apply(e.inspectionId, { type: 'send' });
    outbox.apply(e.inspectionId, sub.submissionId === e.submissionId ? { type: 'reply', status: 200 }
      : { type: 'reply', status: 409, message: '该检查已由检查组其他成员提交' });
  });
}

function drain() {
  if (state.draining || !online()) return Promise.resolve();
  const todo = visibleEntries(outbox.mine()).filter((e) => e.state === 'queued' || e.state === 'auth');
  if (!todo.length) return Promise.resolve();
  state.draining = true;
  return todo.reduce((p, e) => p.then(() => sendOne(e)), Promise.resolve()).then(
    () => { state.draining = false; renderAll(); },
    () => { state.draining = false; renderAll(); });
}

// ---------------------------------------------------------------- start-up

const root = byId('offline-tasks');
if (root) {
  state.userId = root.getAttribute('data-user-id') || '';
  outbox = outboxStore(safeStorage(), state.userId || undefined);
  // Entries of the previous release (no user) are taken over for the inspections of this inspector's list only.
  const mine = Array.from(document.querySelectorAll('#task-list [data-inspection-id]')).map((li) => li.getAttribute('data-inspection-id'));
  outbox.claim((iid) => mine.indexOf(iid) >= 0);
  configure({ csrf: root.getAttribute('data-csrf') || '' });
  registerSw(['/inspections']);
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
  const btn = byId('download-tasks');
  if (btn) btn.addEventListener('click', () => { download(); });
  window.addEventListener('online', () => { renderAll(); drain(); });
  window.addEventListener('offline', renderAll);
  window.addEventListener('storage', (e) => { if (e.key === outbox.key) renderAll(); });
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.addEventListener('message', (e) => {
      if (e.data && e.data.type === 'yian:downloaded' && !state.downloading) loadBundle().then(renderAll);
    });
  }
  loadBundle().then(() => {
    renderAll();
    const b = state.bundle;
    const stale = !b || Date.now() - Date.parse(b.savedAt) > STALE_MS;
    if (online() && stale) return download().then(drain);
    return drain();
  });
  setInterval(() => { if (online()) drain(); }, RETRY_MS);
}
