/*
 * 颐安 · 现场检查填报（检查人员手机端）
 * Plain ES2018, no modules, no build step. The draft lives on the device:
 *   answers/signatures  → localStorage  "yian.draft.<inspectionId>"
 *   photo bytes         → IndexedDB db "yian", store "photos" (keyPath "key", index "inspectionId")
 *   checklist copy      → localStorage  "yian.form.<inspectionId>" (fallback when no service worker)
 * and is synced to the server: draft PUT (debounced), photos POST /api/evidence (queued, retried on
 * the `online` event and on a timer), submit POST with a submissionId kept in the draft.
 */
(function () {
  'use strict';

  var root = document.getElementById('inspection-form');
  if (!root) return;

  var INSPECTION_ID = root.getAttribute('data-inspection-id') || '';
  var CSRF = root.getAttribute('data-csrf') || '';
  var DRAFT_KEY = 'yian.draft.' + INSPECTION_ID;
  var FORM_KEY = 'yian.form.' + INSPECTION_ID;
  var API = '/api/inspections/' + encodeURIComponent(INSPECTION_ID);
  var MAX_SIDE = 1600;
  var JPEG_QUALITY = 0.8;
  var DRAFT_DEBOUNCE_MS = 2000;
  var RETRY_MS = 15000;

  var RESULT_LABELS = { pass: '合格', fail: '不合格', na: '不适用' };
  var SCOPE_LABELS = { single: '单点', multiple: '多处', widespread: '普遍' };
  var SEVERITY_LABELS = { general: '一般', major: '重大' };

  function $(id) { return document.getElementById(id); }
  var ui = {
    meta: $('insp-meta'), status: $('sync-status'), progress: $('progress'), bar: $('progress-bar'),
    action: $('sync-action'), error: $('form-error'), nav: $('category-nav'), items: $('form-items'),
    panel: $('submit-panel'), panelTitle: $('submit-panel-title'), missingSummary: $('missing-summary'),
    missingList: $('missing-list'), photoNote: $('photo-pending-note'), teamSigs: $('team-signatures'),
    addSigner: $('add-signer'), repSig: $('rep-signature'), submitErrors: $('submit-errors'),
    confirm: $('confirm-submit'), submitState: $('submit-state'), result: $('submit-result'),
    actionBar: $('action-bar'), openSubmit: $('open-submit'), nextUnanswered: $('next-unanswered')
  };

  var S = {
    form: null, draft: null, items: {}, categoryOf: {}, order: [], criteria: {},
    formFromCache: false, offline: !navigator.onLine, authExpired: false, csrfExpired: false,
    draftTimer: null, draftInFlight: false, draftError: '', uploading: null, uploadError: '',
    uploadErrors: {}, uploadingKey: null, submitting: false, startInFlight: false, syncing: false,
    localSaveError: '', photoUrls: {}, db: null, memPhotos: {}, pads: [], repPad: null,
    panelOpen: false, showProblems: false, done: false, notice: '', timer: null
  };

  function noop() {}
  function trim(s) { return String(s == null ? '' : s).trim(); }
  function zh(t) {
    if (t == null) return '';
    if (typeof t === 'string') return t;
    return t.zh || t.en || '';
  }
  function hhmm(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '';
    var p = function (n) { return (n < 10 ? '0' : '') + n; };
    return p(d.getHours()) + ':' + p(d.getMinutes());
  }
  function readJson(key) {
    try { var raw = localStorage.getItem(key); return raw ? JSON.parse(raw) : null; } catch (e) { return null; }
  }

  /** Small DOM builder: el('p', { class: 'x', text: '…' }, [children]). Text is always set as text. */
  function el(tag, attrs, children) {
    var n = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === 'text') n.textContent = v;
        else if (k === 'class') n.className = v;
        else if (v === true) n.setAttribute(k, '');
        else n.setAttribute(k, String(v));
      });
    }
    (children || []).forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      n.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return n;
  }

  function uuid() {
    try {
      if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    } catch (e) { /* insecure context: fall through */ }
    var b = new Uint8Array(16);
    if (window.crypto && window.crypto.getRandomValues) window.crypto.getRandomValues(b);
    else for (var i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    var h = Array.prototype.map.call(b, function (x) { return (x + 0x100).toString(16).slice(1); }).join('');
    return h.slice(0, 8) + '-' + h.slice(8, 12) + '-' + h.slice(12, 16) + '-' + h.slice(16, 20) + '-' + h.slice(20);
  }

  // ---------------------------------------------------------------- network

  function isOffline() { return !navigator.onLine || S.offline; }

  /** fetch wrapper that never rejects: { ok, status, data, networkError, fromCache }. */
  function request(method, url, body, opts) {
    opts = opts || {};
    var headers = { Accept: 'application/json' };
    var payload;
    if (typeof FormData !== 'undefined' && body instanceof FormData) payload = body;
    else if (body !== undefined) { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
    if (method !== 'GET') headers['X-CSRF-Token'] = CSRF;
    var ctrl = typeof AbortController === 'function' ? new AbortController() : null;
    var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, opts.timeout || 30000) : null;
    var init = { method: method, headers: headers, body: payload, credentials: 'same-origin', cache: 'no-store' };
    if (ctrl) init.signal = ctrl.signal;
    return fetch(url, init).then(function (res) {
      return res.text().then(function (txt) {
        clearTimeout(timer);
        var data = null;
        try { data = txt ? JSON.parse(txt) : null; } catch (e) { data = null; }
        var fromCache = res.headers.get('X-Yian-Cache') === 'hit';
        var status = res.status;
        if (res.redirected && /\/login(\?|$)/.test(res.url || '')) status = 401; // session expired → login page
        noteNetwork(!fromCache);
        if (status === 401) S.authExpired = true;
        else if (status >= 200 && status < 300 && !fromCache) S.authExpired = false;
        if (status === 403 && data && data.code === 'csrf.invalid') S.csrfExpired = true;
        return { ok: status >= 200 && status < 300, status: status, data: data, networkError: false, fromCache: fromCache };
      });
    }, function () {
      clearTimeout(timer);
      noteNetwork(false);
      return { ok: false, status: 0, data: null, networkError: true, fromCache: false };
    });
  }

  function noteNetwork(ok) {
    var was = S.offline;
    S.offline = !ok;
    if (ok && S.notices && S.notices.cache) setNotice('cache', null); // network is back: the copy is no longer the only one
    if (was !== S.offline) renderStatus();
  }

  /** Informational messages above the form, by key (set text null to remove). */
  function setNotice(key, text) {
    S.notices = S.notices || {};
    if (text) S.notices[key] = text; else delete S.notices[key];
    var all = Object.keys(S.notices).map(function (k) { return S.notices[k]; });
    var box = document.getElementById('form-notice');
    if (!box) {
      box = el('div', { id: 'form-notice', class: 'notice-box', role: 'note' });
      ui.error.parentNode.insertBefore(box, ui.error.nextSibling);
    }
    box.textContent = all.join(' ');
    box.hidden = !all.length;
  }

  function describeError(r) {
    if (!r) return '未知错误';
    if (r.networkError) return '网络不可用';
    if (r.status === 401) return '登录已过期';
    if (r.data && r.data.message) return String(r.data.message);
    return '服务器错误（' + r.status + '）';
  }

  // ---------------------------------------------------------------- photo store (IndexedDB)

  function openDb() {
    return new Promise(function (resolve) {
      if (!window.indexedDB) return resolve(null);
      var req;
      try { req = window.indexedDB.open('yian', 1); } catch (e) { return resolve(null); }
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains('photos')) {
          var st = db.createObjectStore('photos', { keyPath: 'key' });
          st.createIndex('inspectionId', 'inspectionId', { unique: false });
        }
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { resolve(null); };
      setTimeout(function () { resolve(null); }, 5000); // never hang the page on a stuck IndexedDB
    });
  }

  function idbTx(mode, fn) {
    return new Promise(function (resolve, reject) {
      var tx = S.db.transaction('photos', mode);
      var store = tx.objectStore('photos');
      var out = fn(store);
      tx.oncomplete = function () { resolve(typeof IDBRequest !== 'undefined' && out instanceof IDBRequest ? out.result : out); };
      tx.onerror = function () { reject(tx.error); };
      tx.onabort = function () { reject(tx.error); };
    });
  }

  function photoPut(rec) {
    if (!S.db) { S.memPhotos[rec.key] = rec; return Promise.resolve(false); }
    return idbTx('readwrite', function (st) { st.put(rec); return true; }).then(function () { return true; });
  }
  function photoGet(key) {
    if (!S.db) return Promise.resolve(S.memPhotos[key] || null);
    return idbTx('readonly', function (st) { return st.get(key); }).then(function (r) { return r || null; }); // rejects on a storage error
  }
  function photoDelete(key) {
    delete S.memPhotos[key];
    if (!S.db) return Promise.resolve();
    return idbTx('readwrite', function (st) { st.delete(key); }).catch(noop);
  }
  function photosOfInspection() {
    if (!S.db) return Promise.resolve(Object.keys(S.memPhotos).map(function (k) { return S.memPhotos[k]; }));
    return idbTx('readonly', function (st) { return st.index('inspectionId').getAll(INSPECTION_ID); })
      .then(function (r) { return r || []; }, function () { return []; });
  }
  function deleteInspectionPhotos() {
    S.memPhotos = {};
    if (!S.db) return Promise.resolve();
    return photosOfInspection().then(function (recs) {
      return idbTx('readwrite', function (st) { recs.forEach(function (r) { st.delete(r.key); }); });
    }).catch(noop);
  }
  function recBlob(rec) {
    if (rec.blob) return rec.blob;
    return new Blob([rec.buf], { type: rec.type || 'image/jpeg' });
  }
  function blobToBuffer(blob) {
    if (blob.arrayBuffer) return blob.arrayBuffer();
    return new Promise(function (resolve, reject) {
      var fr = new FileReader();
      fr.onload = function () { resolve(fr.result); };
      fr.onerror = function () { reject(fr.error); };
      fr.readAsArrayBuffer(blob);
    });
  }

  // ---------------------------------------------------------------- draft

  function newDraft() {
    return {
      v: 1, inspectionId: INSPECTION_ID, checklist: null, rev: 0, serverRev: 0, serverSavedAt: null,
      updatedAt: new Date().toISOString(), started: false, answers: {},
      signatures: { inspectors: [], rep: { name: '', image: null } },
      submissionId: null, submitPending: false
    };
  }

  function normalizeDraft(d) {
    var n = newDraft();
    Object.keys(n).forEach(function (k) { if (d[k] !== undefined && d[k] !== null) n[k] = d[k]; });
    if (typeof n.answers !== 'object') n.answers = {};
    Object.keys(n.answers).forEach(function (code) {
      var a = n.answers[code] || {};
      if (!Array.isArray(a.photos)) a.photos = [];
      n.answers[code] = a;
    });
    var sig = n.signatures || {};
    n.signatures = {
      inspectors: Array.isArray(sig.inspectors) ? sig.inspectors.filter(Boolean) : [],
      rep: sig.rep && typeof sig.rep === 'object' ? { name: sig.rep.name || '', image: sig.rep.image || null } : { name: '', image: null }
    };
    return n;
  }

  function loadLocalDraft() {
    var d = readJson(DRAFT_KEY);
    if (!d || typeof d !== 'object' || d.inspectionId !== INSPECTION_ID) return null;
    return normalizeDraft(d);
  }

  function adoptServerDraft(d, savedAt) {
    var x = normalizeDraft(d);
    x.inspectionId = INSPECTION_ID;
    x.rev = 0; x.serverRev = 0; x.serverSavedAt = savedAt || null; x.submitPending = false;
    var dropped = 0;
    Object.keys(x.answers).forEach(function (code) {
      var a = x.answers[code];
      a.photos = a.photos.filter(function (p) {
        if (p && p.evidenceId) { p.missing = false; return true; }
        dropped++;
        return false;
      });
    });
    S.notice = '已从服务器恢复草稿（' + hhmm(savedAt) + ' 保存）。' +
      (dropped ? '有 ' + dropped + ' 张照片在原设备上尚未上传，无法恢复，请在原设备联网上传或重新拍摄。' : '');
    return x;
  }

  function persist() {
    try {
      localStorage.setItem(DRAFT_KEY, JSON.stringify(S.draft));
      S.localSaveError = '';
    } catch (e) {
      S.localSaveError = '本机存储不可用或已满，最新修改未能保存在本机！请保持联网以便同步到服务器。';
    }
  }

  /** Every change goes through here: saved locally at once, server copy debounced. */
  function changed() {
    if (!S.draft || S.done) return;
    S.draft.rev++;
    S.draft.updatedAt = new Date().toISOString();
    persist();
    scheduleDraftPush();
    maybeStart();
    renderStatus();
    if (S.panelOpen) renderMissing();
  }

  function scheduleDraftPush(delay) {
    clearTimeout(S.draftTimer);
    S.draftTimer = setTimeout(function () { pushDraft(); }, delay == null ? DRAFT_DEBOUNCE_MS : delay);
  }

  function draftDirty() { return !!S.draft && S.draft.rev !== S.draft.serverRev; }

  function pushDraft() {
    if (!S.draft || S.done || S.draftInFlight || !draftDirty() || !navigator.onLine) { renderStatus(); return Promise.resolve(); }
    S.draftInFlight = true;
    var rev = S.draft.rev;
    var savedAt = new Date().toISOString();
    return request('PUT', API + '/draft', { draft: serverCopy(), savedAt: savedAt }).then(function (r) {
      S.draftInFlight = false;
      if (!S.draft || S.done) return;
      if (r.ok) {
        S.draftError = '';
        S.draft.serverRev = Math.max(S.draft.serverRev, rev);
        S.draft.serverSavedAt = (r.data && r.data.savedAt) || savedAt;
        persist();
        if (draftDirty()) scheduleDraftPush();
      } else {
        S.draftError = describeError(r);
      }
      renderStatus();
    });
  }

  /**
   * What the server keeps: everything except the signature images (large, re-sent on every stroke, and only
   * meaningful for the on-site submit; they stay in the local draft and go to the server with the submit).
   */
  function serverCopy() {
    var d = JSON.parse(JSON.stringify(S.draft));
    d.signatures = {
      inspectors: d.signatures.inspectors.map(function (s) { return { userId: s && s.userId || '', image: null }; }),
      rep: { name: d.signatures.rep.name || '', image: null }
    };
    return d;
  }

  function maybeStart() {
    if (!S.draft || S.draft.started || S.startInFlight || !S.form || S.done) return Promise.resolve();
    if (!S.form.inspection || S.form.inspection.status !== 'assigned' || answeredCount() === 0) return Promise.resolve();
    if (!navigator.onLine) return Promise.resolve();
    S.startInFlight = true;
    return request('POST', API + '/start').then(function (r) {
      S.startInFlight = false;
      if (r.ok || r.status === 409) {
        S.draft.started = true;
        if (r.ok && r.data && r.data.status) S.form.inspection.status = r.data.status;
        persist();
      }
    });
  }

  // ---------------------------------------------------------------- form model helpers

  function answer(code) {
    var a = S.draft.answers[code];
    if (!a) { a = { result: null, photos: [] }; S.draft.answers[code] = a; }
    return a;
  }
  function answeredCount() {
    var n = 0;
    S.order.forEach(function (c) { var a = S.draft && S.draft.answers[c]; if (a && a.result) n++; });
    return n;
  }
  function defaultCriterion(item) { return item.majorCriterion || item.escalatesTo || ''; }
  function photosNeeded(item) {
    var ev = item.evidence || {};
    if (!ev.photoRequiredWhenFailed) return 0;
    return Math.max(1, Number(ev.minPhotos) || 1);
  }
  function usablePhotos(a) { return (a && a.photos || []).filter(function (p) { return !p.missing; }); }

  /** All photos not yet on the server (in draft order). */
  function pendingPhotos() {
    var out = [];
    if (!S.draft) return out;
    Object.keys(S.draft.answers).forEach(function (code) {
      (S.draft.answers[code].photos || []).forEach(function (p) {
        if (!p.evidenceId && !p.missing) out.push({ code: code, meta: p });
      });
    });
    return out;
  }

  /** What keeps one item from being submittable (empty = complete). */
  function itemProblems(code) {
    var item = S.items[code];
    var a = S.draft.answers[code];
    if (!a || !a.result) return ['未作答'];
    if (a.result !== 'fail') return [];
    var p = [];
    if (!trim(a.note)) p.push('情况说明');
    if (!trim(a.location)) p.push('位置');
    if (!a.scope) p.push('范围');
    if (a.severity === 'major' && !a.majorCriterion) p.push('判定标准');
    var need = photosNeeded(item);
    var have = usablePhotos(a).length;
    if (have < need) p.push('照片（至少 ' + need + ' 张，已有 ' + have + ' 张）');
    return p;
  }

  function allProblems() {
    var unanswered = [], incomplete = [];
    S.order.forEach(function (code) {
      var p = itemProblems(code);
      if (!p.length) return;
      if (p[0] === '未作答') unanswered.push({ code: code, problems: p });
      else incomplete.push({ code: code, problems: p });
    });
    // failed items with missing details first: they are the ones easily overlooked
    return { unanswered: unanswered, incomplete: incomplete, all: incomplete.concat(unanswered) };
  }

  // ---------------------------------------------------------------- rendering: form

  function indexForm() {
    S.items = {}; S.categoryOf = {}; S.order = []; S.criteria = {};
    (S.form.categories || []).forEach(function (cat) {
      (cat.items || []).forEach(function (item) {
        S.items[item.code] = item;
        S.categoryOf[item.code] = cat.code;
        S.order.push(item.code);
      });
    });
    (S.form.majorCriteria || []).forEach(function (c) { S.criteria[c.code] = c; });
  }

  function criterionLabel(code) {
    var c = S.criteria[code];
    var text = c ? zh(c.text) : '';
    return code + (text ? ' ' + text : '（条文待补）');
  }

  function deadlineText(days) {
    if (days === 0) return '立即/当场改正';
    if (days == null) return '';
    return days + ' 天内整改';
  }

  function renderHeaderMeta() {
    var f = S.form;
    var bits = [];
    if (f.inspection && f.inspection.kindLabel) bits.push(f.inspection.kindLabel);
    if (f.inspection && f.inspection.scheduledDate) bits.push('计划日期 ' + f.inspection.scheduledDate);
    if (f.checklist) bits.push(zh(f.checklist.title) + '（第 ' + f.checklist.versionNo + ' 版）');
    if (f.institution && f.institution.address) bits.push(f.institution.address);
    ui.meta.textContent = bits.join(' · ');
  }

  function renderForm() {
    renderHeaderMeta();
    ui.items.textContent = '';
    ui.nav.textContent = '';
    var navList = el('ul', { class: 'cat-nav-list' });
    (S.form.categories || []).forEach(function (cat) {
      if (!cat.items || !cat.items.length) return;
      var count = el('span', { class: 'cat-count', id: 'cat-count-' + cat.code });
      navList.appendChild(el('li', null, [el('a', { href: '#cat-' + cat.code }, [zh(cat.title), ' ', el('span', { class: 'cat-count', id: 'nav-count-' + cat.code })])]));
      var sec = el('section', { class: 'category', id: 'cat-' + cat.code, 'aria-labelledby': 'cat-h-' + cat.code }, [
        el('h2', { id: 'cat-h-' + cat.code, class: 'cat-title' }, [zh(cat.title), ' ', count])
      ]);
      cat.items.forEach(function (item) { sec.appendChild(buildItem(item)); });
      ui.items.appendChild(sec);
    });
    ui.nav.appendChild(navList);
    ui.nav.hidden = false;
    ui.items.appendChild(el('datalist', { id: 'location-suggestions' }));
    ui.items.setAttribute('aria-busy', 'false');
    ui.actionBar.hidden = false;
    S.order.forEach(updateItem);
    updateLocationSuggestions();
    renderProgress();
  }

  function buildItem(item) {
    var code = item.code;
    var a = S.draft.answers[code] || { photos: [] };
    var sevText = item.severity === 'major'
      ? '重大隐患项' + (item.majorCriterion ? '（' + item.majorCriterion + '）' : '')
      : '一般隐患项' + (item.escalatesTo ? '（符合 ' + item.escalatesTo + ' 情形时为重大隐患）' : '');
    var need = photosNeeded(item);
    var buttons = ['pass', 'fail', 'na'].map(function (r) {
      return el('button', { type: 'button', class: 'choice-btn choice-' + r, 'data-result': r, 'aria-pressed': 'false', text: RESULT_LABELS[r] });
    });

    var fs = el('fieldset', { class: 'item-choice' }, [
      el('legend', null, [el('span', { class: 'item-code', text: code }), ' ', el('span', { class: 'item-title', text: zh(item.title) })]),
      item.check ? el('p', { class: 'item-check', text: zh(item.check) }) : null,
      el('p', { class: 'item-basis' }, [
        item.basisText ? '依据：' + item.basisText + ' · ' : '',
        el('span', { class: item.severity === 'major' ? 'tag warn' : 'tag', text: sevText }),
        item.deadlineDays != null ? ' ' + deadlineText(item.deadlineDays) : ''
      ]),
      el('div', { class: 'choices' }, buttons),
      el('p', { class: 'item-flag', 'data-role': 'flag', hidden: true })
    ]);

    var id = function (p) { return p + '-' + code; };
    var sevSelect = el('select', { id: id('sev'), 'data-field': 'severity' }, [
      el('option', { value: 'general', text: SEVERITY_LABELS.general }),
      el('option', { value: 'major', text: SEVERITY_LABELS.major })
    ]);
    var scopeSelect = el('select', { id: id('scope'), 'data-field': 'scope' }, [el('option', { value: '', text: '请选择' })].concat(
      Object.keys(SCOPE_LABELS).map(function (k) { return el('option', { value: k, text: SCOPE_LABELS[k] }); })));
    var critSelect = el('select', { id: id('crit'), 'data-field': 'majorCriterion' }, [el('option', { value: '', text: '请选择判定标准' })].concat(
      (S.form.majorCriteria || []).map(function (c) { return el('option', { value: c.code, text: criterionLabel(c.code) }); })));

    var detail = el('div', { class: 'fail-detail', 'data-role': 'detail', hidden: true }, [
      el('label', { for: id('note'), text: '情况说明' }),
      el('textarea', { id: id('note'), 'data-field': 'note', rows: '3', placeholder: '发现的问题、数量、现场情况' }),
      el('label', { for: id('loc'), text: '位置' }),
      el('input', { id: id('loc'), type: 'text', 'data-field': 'location', list: 'location-suggestions', placeholder: '楼栋 / 楼层 / 房间，如：2号楼 3层 302室', autocomplete: 'off' }),
      el('div', { class: 'pair' }, [
        el('div', null, [el('label', { for: id('sev'), text: '隐患等级' }), sevSelect]),
        el('div', null, [el('label', { for: id('scope'), text: '范围' }), scopeSelect])
      ]),
      el('div', { class: 'crit', 'data-role': 'crit', hidden: true }, [
        el('label', { for: id('crit'), text: '判定标准' }), critSelect,
        el('p', { class: 'crit-text muted', 'data-role': 'crit-text' })
      ]),
      item.escalatesTo && item.severity !== 'major'
        ? el('p', { class: 'muted hint', 'data-role': 'escalate-hint', text: '如现场情形符合判定标准 ' + item.escalatesTo + '，请将隐患等级改为“重大”。' }) : null,
      el('div', { class: 'photos' }, [
        el('p', { class: 'photo-rule muted', text: need ? '不合格时须拍照，至少 ' + need + ' 张。' : '照片（可选）' }),
        el('ul', { class: 'thumbs', 'data-role': 'thumbs' }),
        el('input', { id: id('file'), class: 'photo-input', type: 'file', accept: 'image/*', capture: 'environment', multiple: true, 'data-field': 'photo' }),
        el('label', { class: 'photo-btn', for: id('file') }, [el('span', { 'aria-hidden': 'true', class: 'cam', text: '📷' }), '拍照/添加照片'])
      ]),
      el('p', { class: 'item-msg', 'data-role': 'msg', 'aria-live': 'polite' })
    ]);

    var sec = el('section', { class: 'item', id: 'item-' + code, 'data-code': code }, [fs, detail]);
    // restore values
    sec.querySelector('[data-field=note]').value = a.note || '';
    sec.querySelector('[data-field=location]').value = a.location || '';
    sevSelect.value = a.severity || item.severity || 'general';
    scopeSelect.value = a.scope || '';
    critSelect.value = a.majorCriterion || '';
    return sec;
  }

  function itemEl(code) { return document.getElementById('item-' + code); }
  function part(sec, role) { return sec.querySelector('[data-role="' + role + '"]'); }

  function updateItem(code) {
    var sec = itemEl(code);
    if (!sec) return;
    var a = S.draft.answers[code] || { photos: [] };
    sec.setAttribute('data-result', a.result || '');
    Array.prototype.forEach.call(sec.querySelectorAll('.choice-btn'), function (b) {
      b.setAttribute('aria-pressed', b.getAttribute('data-result') === a.result ? 'true' : 'false');
    });
    var isFail = a.result === 'fail';
    part(sec, 'detail').hidden = !isFail;
    var major = (a.severity || S.items[code].severity) === 'major';
    part(sec, 'crit').hidden = !(isFail && major);
    var hint = part(sec, 'escalate-hint');
    if (hint) hint.hidden = major;
    var critSel = sec.querySelector('[data-field=majorCriterion]');
    if (critSel.value !== (a.majorCriterion || '')) critSel.value = a.majorCriterion || '';
    var ct = a.majorCriterion && S.criteria[a.majorCriterion] ? zh(S.criteria[a.majorCriterion].text) : '';
    part(sec, 'crit-text').textContent = ct;
    renderThumbs(code);
    var probs = itemProblems(code);
    var flag = part(sec, 'flag');
    var showFlag = isFail && probs.length > 0;
    flag.hidden = !showFlag;
    flag.textContent = showFlag ? '待补充：' + probs.join('、') : '';
    sec.classList.toggle('incomplete', showFlag);
    sec.classList.toggle('show-problems', S.showProblems);
  }

  function renderThumbs(code) {
    var sec = itemEl(code);
    if (!sec) return;
    var ul = part(sec, 'thumbs');
    ul.textContent = '';
    var a = S.draft.answers[code];
    (a && a.photos || []).forEach(function (p, i) {
      var n = i + 1;
      var state, cls;
      if (p.missing) { state = '照片已丢失，请重拍'; cls = 'lost'; }
      else if (p.evidenceId) { state = '已上传'; cls = 'ok'; }
      else if (S.uploadingKey === p.key) { state = '上传中…'; cls = 'busy'; }
      else if (S.uploadErrors[p.key]) { state = '上传失败，将重试：' + S.uploadErrors[p.key]; cls = 'err'; }
      else { state = '待上传'; cls = 'wait'; }
      var src = S.photoUrls[p.key] || p.url || '';
      ul.appendChild(el('li', { class: 'thumb-item' }, [
        p.missing || !src ? el('span', { class: 'thumb thumb-missing', text: '无预览' })
          : el('img', { class: 'thumb', src: src, alt: code + ' 照片 ' + n }),
        el('span', { class: 'thumb-state ' + cls, text: state }),
        el('button', { type: 'button', class: 'thumb-remove', 'data-remove': p.key, 'aria-label': '删除照片 ' + n, text: '删除' })
      ]));
    });
  }

  function renderProgress() {
    if (!S.draft) return;
    var total = S.order.length;
    var n = answeredCount();
    ui.progress.textContent = '已作答 ' + n + ' / ' + total;
    ui.bar.style.width = total ? Math.round((n / total) * 100) + '%' : '0%';
    (S.form.categories || []).forEach(function (cat) {
      var items = cat.items || [];
      var done = items.filter(function (it) { var a = S.draft.answers[it.code]; return a && a.result; }).length;
      var failed = items.filter(function (it) { var a = S.draft.answers[it.code]; return a && a.result === 'fail'; }).length;
      var txt = done + '/' + items.length + (failed ? ' · ' + failed + ' 项不合格' : '');
      var c1 = document.getElementById('cat-count-' + cat.code);
      var c2 = document.getElementById('nav-count-' + cat.code);
      if (c1) c1.textContent = txt;
      if (c2) { c2.textContent = done + '/' + items.length; c2.parentNode.classList.toggle('complete', done === items.length); }
    });
  }

  function updateLocationSuggestions() {
    var dl = document.getElementById('location-suggestions');
    if (!dl || !S.draft) return;
    var seen = {};
    dl.textContent = '';
    Object.keys(S.draft.answers).forEach(function (c) {
      var l = trim(S.draft.answers[c].location);
      if (l && !seen[l]) { seen[l] = true; dl.appendChild(el('option', { value: l })); }
    });
  }

  function setItemMsg(code, text, isError) {
    var sec = itemEl(code);
    if (!sec) return;
    var m = part(sec, 'msg');
    m.textContent = text || '';
    m.classList.toggle('err', !!isError);
  }

  // ---------------------------------------------------------------- rendering: status

  function renderStatus() {
    if (!S.draft || S.done) return;
    var total = S.order.length;
    var answered = answeredCount();
    var pend = pendingPhotos().length;
    var offline = isOffline();
    var parts = [];
    var state;
    if (S.localSaveError) { parts.push('⚠ ' + S.localSaveError); state = 'error'; }
    else if (offline) { parts.push('离线：内容已保存在本机，联网后自动上传'); state = 'offline'; }
    else parts.push('已保存在本机');
    parts.push(answered + '/' + total + ' 项已作答');
    if (pend) parts.push(pend + ' 张照片待上传');
    if (S.draft.submitPending && offline) parts.push('检查结果待提交，联网后自动提交');
    if (!offline) {
      if (S.authExpired) { parts.push('登录已过期，重新登录后自动上传'); state = 'error'; }
      else if (S.csrfExpired) { parts.push('页面已过期，请刷新页面后继续同步'); state = 'error'; }
      else if (!draftDirty() && !pend && !S.draft.submitPending) { parts.push('已全部同步'); state = state || 'synced'; }
      else if (S.draftError || S.uploadError) { parts.push('同步未成功，稍后自动重试'); state = state || 'pending'; }
      else { parts.push(draftDirty() ? '草稿待同步' : (S.draft.submitPending ? '等待提交' : '照片上传中')); state = state || 'pending'; }
    }
    if (S.draft.serverSavedAt) parts.push('服务器草稿 ' + hhmm(S.draft.serverSavedAt));
    if (!S.db) parts.push('注意：此浏览器无法在本机保存照片，请联网后尽快上传');
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

  function setStatus(text, state) {
    if (ui.status.textContent !== text) ui.status.textContent = text;
    ui.status.setAttribute('data-state', state || 'ok');
  }

  // ---------------------------------------------------------------- interactions: items

  function setResult(code, result) {
    var item = S.items[code];
    var a = answer(code);
    if (a.result === result) return;
    a.result = result;
    if (result === 'fail') {
      if (!a.severity) a.severity = item.severity === 'major' ? 'major' : 'general';
      if (a.severity === 'major' && !a.majorCriterion) a.majorCriterion = defaultCriterion(item) || null;
    }
    a.answeredAt = new Date().toISOString();
    changed();
    updateItem(code);
    renderProgress();
  }

  function onFieldChange(code, field, value) {
    var item = S.items[code];
    var a = answer(code);
    if (field === 'severity') {
      a.severity = value === 'major' ? 'major' : 'general';
      if (a.severity === 'major' && !a.majorCriterion) a.majorCriterion = defaultCriterion(item) || null;
    } else if (field === 'majorCriterion') {
      a.majorCriterion = value || null;
    } else if (field === 'scope') {
      a.scope = value || null;
    } else if (field === 'note' || field === 'location') {
      a[field] = value;
    } else return;
    changed();
    if (field === 'note' || field === 'location') {
      // keep typing smooth: only refresh the completeness flag
      var sec = itemEl(code);
      var probs = itemProblems(code);
      var flag = part(sec, 'flag');
      flag.hidden = !probs.length || a.result !== 'fail';
      flag.textContent = probs.length ? '待补充：' + probs.join('、') : '';
      sec.classList.toggle('incomplete', a.result === 'fail' && probs.length > 0);
    } else updateItem(code);
  }

  function onItemsClick(e) {
    var t = e.target;
    var btn = t.closest ? t.closest('button') : null;
    if (!btn) return;
    var sec = btn.closest('.item');
    if (!sec) return;
    var code = sec.getAttribute('data-code');
    if (btn.hasAttribute('data-result')) { setResult(code, btn.getAttribute('data-result')); return; }
    if (btn.hasAttribute('data-remove')) removePhoto(code, btn.getAttribute('data-remove'));
  }

  function onItemsInput(e) {
    var t = e.target;
    var f = t.getAttribute && t.getAttribute('data-field');
    if (f !== 'note' && f !== 'location') return;
    var sec = t.closest('.item');
    onFieldChange(sec.getAttribute('data-code'), f, t.value);
  }

  function onItemsChange(e) {
    var t = e.target;
    var f = t.getAttribute && t.getAttribute('data-field');
    if (!f) return;
    var sec = t.closest('.item');
    var code = sec.getAttribute('data-code');
    if (f === 'photo') { addPhotos(code, t); return; }
    if (f === 'location') { updateLocationSuggestions(); return; }
    if (f === 'note') return;
    onFieldChange(code, f, t.value);
  }

  // ---------------------------------------------------------------- photos

  var geo = { pos: null, pending: null, denied: false };
  /** Ask for the position lazily (first photo); never block on it. */
  function askGeo() {
    if (geo.denied || geo.pending || !navigator.geolocation) return;
    if (geo.pos && Date.now() - geo.pos.time < 120000) return;
    geo.pending = new Promise(function (resolve) {
      var finished = false;
      function fin() { if (finished) return; finished = true; geo.pending = null; resolve(); }
      try {
        navigator.geolocation.getCurrentPosition(function (p) {
          geo.pos = { lat: p.coords.latitude, lng: p.coords.longitude, time: Date.now() };
          fin();
        }, function (err) {
          if (err && err.code === 1) geo.denied = true;
          fin();
        }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 120000 });
      } catch (e) { fin(); }
      setTimeout(fin, 8000);
    });
  }
  function attachGeo(meta) {
    if (meta.lat != null || !geo.pos) return;
    var t = Date.parse(meta.takenAt);
    if (isNaN(t) || Math.abs(geo.pos.time - t) > 5 * 60000) return;
    meta.lat = geo.pos.lat;
    meta.lng = geo.pos.lng;
  }

  function loadImage(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () { resolve({ img: img, url: url }); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error('decode')); };
      img.src = url;
    });
  }

  /** ≤ 1600 px longest side, JPEG q≈0.8, drawn through <img> so EXIF orientation is applied. */
  function downscale(file) {
    return loadImage(file).then(function (r) {
      var img = r.img;
      var w = img.naturalWidth || img.width;
      var h = img.naturalHeight || img.height;
      if (!w || !h) { URL.revokeObjectURL(r.url); throw new Error('decode'); }
      var scale = Math.min(1, MAX_SIDE / Math.max(w, h));
      var c = document.createElement('canvas');
      c.width = Math.max(1, Math.round(w * scale));
      c.height = Math.max(1, Math.round(h * scale));
      var ctx = c.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, c.width, c.height);
      ctx.drawImage(img, 0, 0, c.width, c.height);
      URL.revokeObjectURL(r.url);
      return new Promise(function (resolve, reject) {
        if (c.toBlob) {
          c.toBlob(function (b) { if (b) resolve(b); else reject(new Error('encode')); }, 'image/jpeg', JPEG_QUALITY);
        } else {
          var bin = atob(c.toDataURL('image/jpeg', JPEG_QUALITY).split(',')[1]);
          var arr = new Uint8Array(bin.length);
          for (var i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
          resolve(new Blob([arr], { type: 'image/jpeg' }));
        }
      }).then(function (b) { c.width = 0; c.height = 0; return b; });
    }).catch(function (e) {
      // cannot decode here (e.g. an unusual format): keep an original JPEG rather than lose it
      if (file.type === 'image/jpeg' && file.size < 15 * 1024 * 1024) return file;
      throw e;
    });
  }

  function addPhotos(code, input) {
    var files = Array.prototype.slice.call(input.files || []);
    input.value = '';
    if (!files.length) return;
    askGeo();
    setItemMsg(code, '正在处理照片…');
    var failed = 0;
    files.reduce(function (p, f) {
      return p.then(function () { return addPhoto(code, f).catch(function () { failed++; }); });
    }, Promise.resolve()).then(function () {
      setItemMsg(code, failed ? failed + ' 张照片无法读取，请重新拍摄。' : '照片已保存在本机。', failed > 0);
      uploadAll();
    });
  }

  function addPhoto(code, file) {
    var takenAt = new Date().toISOString();
    return downscale(file).then(function (blob) {
      var key = 'p' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
      var type = blob.type || 'image/jpeg';
      return blobToBuffer(blob).then(function (buf) {
        return photoPut({ key: key, inspectionId: INSPECTION_ID, itemCode: code, type: type, buf: buf, takenAt: takenAt });
      }).then(function () {
        var meta = { key: key, evidenceId: null, url: null, takenAt: takenAt, lat: null, lng: null, bytes: blob.size };
        attachGeo(meta);
        answer(code).photos.push(meta);
        S.photoUrls[key] = URL.createObjectURL(blob);
        changed();
        updateItem(code);
      });
    });
  }

  function removePhoto(code, key) {
    var a = answer(code);
    var i = a.photos.findIndex(function (p) { return p.key === key; });
    if (i < 0) return;
    a.photos.splice(i, 1);
    if (S.photoUrls[key]) { URL.revokeObjectURL(S.photoUrls[key]); delete S.photoUrls[key]; }
    delete S.uploadErrors[key];
    photoDelete(key);
    changed();
    updateItem(code);
    setItemMsg(code, '已删除 1 张照片。');
    var sec = itemEl(code);
    var next = sec.querySelector('.thumb-remove') || sec.querySelector('.photo-btn');
    if (next && next.focus) next.focus();
  }

  function photoStillInDraft(code, meta) {
    var a = S.draft && S.draft.answers[code];
    return !!a && a.photos.indexOf(meta) >= 0;
  }

  /** Upload every queued photo, one at a time. Stops (to retry later) on network/auth/server errors. */
  function uploadAll() {
    if (S.uploading) return S.uploading;
    if (S.done || !S.draft) return Promise.resolve();
    var list = pendingPhotos();
    if (!list.length) { S.uploadError = ''; return Promise.resolve(); }
    if (!navigator.onLine) { renderStatus(); return Promise.resolve(); }
    var stop = false;
    S.uploading = list.reduce(function (p, entry) {
      return p.then(function () {
        if (stop || S.done) return;
        return uploadOne(entry).then(function (res) { if (res === 'stop') stop = true; });
      });
    }, Promise.resolve()).then(function () {
      S.uploading = null;
      if (!stop) S.uploadError = '';
      renderStatus();
      var more = pendingPhotos().filter(function (e) { return !S.uploadErrors[e.meta.key]; });
      if (!stop && more.length) return uploadAll();
    }, function () { S.uploading = null; });
    return S.uploading;
  }

  function uploadOne(entry) {
    var meta = entry.meta;
    if (!navigator.onLine) return Promise.resolve('stop');
    return (geo.pending || Promise.resolve()).then(function () {
      return photoGet(meta.key).then(function (rec) { return { rec: rec }; }, function () { return { err: true }; });
    }).then(function (got) {
      if (got.err) { S.uploadError = '读取本机照片失败'; return 'stop'; }
      var rec = got.rec;
      if (meta.evidenceId || !photoStillInDraft(entry.code, meta)) return null;
      if (!rec) {
        meta.missing = true; // storage evicted: say so, never pretend it is queued
        changed();
        updateItem(entry.code);
        return null;
      }
      attachGeo(meta);
      var fd = new FormData();
      fd.append('inspectionId', INSPECTION_ID);
      fd.append('itemCode', entry.code);
      fd.append('takenAt', meta.takenAt);
      if (meta.lat != null && meta.lng != null) { fd.append('lat', String(meta.lat)); fd.append('lng', String(meta.lng)); }
      fd.append('file', recBlob(rec), 'photo.jpg');
      S.uploadingKey = meta.key;
      renderThumbs(entry.code);
      return request('POST', '/api/evidence', fd, { timeout: 120000 }).then(function (r) {
        S.uploadingKey = null;
        if (r.ok && r.data && r.data.id) {
          meta.evidenceId = r.data.id;
          meta.url = r.data.url || '/api/evidence/' + r.data.id;
          if (r.data.sha256) meta.sha256 = r.data.sha256;
          delete S.uploadErrors[meta.key];
          changed();
          renderThumbs(entry.code);
          return null;
        }
        if (r.networkError || r.status === 401 || r.status === 403 || r.status === 408 || r.status === 429 || r.status >= 500) {
          S.uploadError = describeError(r);
          renderThumbs(entry.code);
          return 'stop';
        }
        S.uploadErrors[meta.key] = describeError(r); // stays queued; shown on the thumbnail
        renderThumbs(entry.code);
        return null;
      });
    });
  }

  // ---------------------------------------------------------------- sync loop

  function hasPending() {
    if (!S.draft || S.done) return false;
    return draftDirty() || pendingPhotos().length > 0 || S.draft.submitPending ||
      (!S.draft.started && S.form && S.form.inspection && S.form.inspection.status === 'assigned' && answeredCount() > 0);
  }

  function syncAll() {
    if (!S.draft || S.done || S.syncing) return Promise.resolve();
    if (!navigator.onLine) { renderStatus(); return Promise.resolve(); }
    S.syncing = true;
    var fin = function () { S.syncing = false; renderStatus(); };
    return maybeStart().then(uploadAll).then(pushDraft).then(function () {
      if (S.draft && S.draft.submitPending && !S.done) return doSubmit(true);
    }).then(fin, fin);
  }

  function tick() { if (hasPending()) syncAll(); }

  // ---------------------------------------------------------------- submit panel

  function openPanel() {
    S.panelOpen = true;
    S.showProblems = true;
    ui.panel.hidden = false;
    ui.openSubmit.setAttribute('aria-expanded', 'true');
    renderMissing();
    renderSignatures();
    S.order.forEach(function (c) { var s = itemEl(c); if (s) s.classList.add('show-problems'); });
    ui.panel.scrollIntoView({ block: 'start' });
    ui.panelTitle.focus({ preventScroll: true });
    S.pads.concat(S.repPad ? [S.repPad] : []).forEach(function (p) { p.size(); });
  }

  function renderMissing() {
    var pr = allProblems();
    ui.missingList.textContent = '';
    var total = S.order.length;
    if (!pr.all.length) {
      ui.missingSummary.textContent = '';
      ui.missingSummary.appendChild(el('p', { class: 'ok-line', text: '✓ 全部 ' + total + ' 项均已作答，不合格项信息完整。' }));
    } else {
      var bits = [];
      if (pr.unanswered.length) bits.push('未作答 ' + pr.unanswered.length + ' 项');
      if (pr.incomplete.length) bits.push('不合格项信息不完整 ' + pr.incomplete.length + ' 项');
      ui.missingSummary.textContent = '';
      ui.missingSummary.appendChild(el('p', { class: 'warn-line', text: '提交前还需处理：' + bits.join('，') + '。点击条目可跳转到该项。' }));
    }
    pr.all.forEach(function (p) {
      var item = S.items[p.code];
      var what = p.problems[0] === '未作答' ? '未作答' : '缺少：' + p.problems.join('、');
      ui.missingList.appendChild(el('li', null, [
        el('a', { href: '#item-' + p.code, 'data-goto': p.code }, [
          el('span', { class: 'item-code', text: p.code }), ' ', zh(item.title),
          el('span', { class: 'missing-what', text: what })
        ])
      ]));
    });
    renderPhotoNote();
  }

  function renderPhotoNote() {
    var n = pendingPhotos().length;
    ui.photoNote.hidden = !n;
    ui.photoNote.textContent = n ? '还有 ' + n + ' 张照片未上传，提交时会先上传照片' + (isOffline() ? '（当前离线，联网后自动上传）' : '') + '。' : '';
  }

  function gotoItem(code) {
    var sec = itemEl(code);
    if (!sec) return;
    sec.scrollIntoView({ block: 'start' });
    sec.classList.remove('flash');
    void sec.offsetWidth;
    sec.classList.add('flash');
    var a = S.draft.answers[code];
    var target = null;
    if (a && a.result === 'fail') {
      var probs = itemProblems(code);
      var map = { '情况说明': 'note', '位置': 'location', '范围': 'scope', '判定标准': 'majorCriterion' };
      for (var i = 0; i < probs.length && !target; i++) {
        if (map[probs[i]]) target = sec.querySelector('[data-field=' + map[probs[i]] + ']');
        else if (probs[i].indexOf('照片') === 0) target = sec.querySelector('.photo-input');
      }
    }
    if (!target) target = sec.querySelector('.choice-btn');
    if (target && target.focus) target.focus({ preventScroll: true });
  }

  // signature pads ------------------------------------------------------

  function makePad(canvas, initial, onChange) {
    var ctx = canvas.getContext('2d');
    var image = initial || null;
    var drawing = false;
    var last = null;
    var moved = 0;

    function setup() {
      ctx.lineWidth = 2.6; ctx.lineCap = 'round'; ctx.lineJoin = 'round'; ctx.strokeStyle = '#111'; ctx.fillStyle = '#111';
    }
    function size() {
      var rect = canvas.getBoundingClientRect();
      var dpr = Math.min(2, window.devicePixelRatio || 1);
      var w = Math.round(rect.width * dpr);
      var h = Math.round(rect.height * dpr);
      if (!w || !h || (canvas.width === w && canvas.height === h)) return;
      canvas.width = w; canvas.height = h;
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      setup();
      redraw();
    }
    function redraw() {
      if (!image) return;
      var img = new Image();
      img.onload = function () {
        ctx.save(); ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
        ctx.restore();
      };
      img.src = image;
    }
    function pos(e) {
      var r = canvas.getBoundingClientRect();
      return { x: e.clientX - r.left, y: e.clientY - r.top };
    }
    function start(e) {
      size();
      drawing = true; moved = 0;
      last = pos(e);
      ctx.beginPath(); ctx.arc(last.x, last.y, 1.3, 0, Math.PI * 2); ctx.fill();
    }
    function move(e) {
      if (!drawing) return;
      var p = pos(e);
      ctx.beginPath(); ctx.moveTo(last.x, last.y); ctx.lineTo(p.x, p.y); ctx.stroke();
      moved += Math.abs(p.x - last.x) + Math.abs(p.y - last.y);
      last = p;
    }
    function end() {
      if (!drawing) return;
      drawing = false;
      image = canvas.toDataURL('image/png');
      canvas.classList.add('signed');
      onChange(image);
    }
    if (window.PointerEvent) {
      canvas.addEventListener('pointerdown', function (e) {
        if (e.button > 0) return;
        e.preventDefault();
        try { canvas.setPointerCapture(e.pointerId); } catch (x) { /* ignore */ }
        start(e);
      });
      canvas.addEventListener('pointermove', function (e) {
        if (!drawing) return;
        e.preventDefault();
        var evs = e.getCoalescedEvents ? e.getCoalescedEvents() : null;
        (evs && evs.length ? evs : [e]).forEach(move);
      });
      canvas.addEventListener('pointerup', end);
      canvas.addEventListener('pointercancel', end);
    } else {
      canvas.addEventListener('touchstart', function (e) { e.preventDefault(); start(e.touches[0]); }, { passive: false });
      canvas.addEventListener('touchmove', function (e) { e.preventDefault(); move(e.touches[0]); }, { passive: false });
      canvas.addEventListener('touchend', end);
      canvas.addEventListener('mousedown', function (e) { start(e); });
      canvas.addEventListener('mousemove', move);
      window.addEventListener('mouseup', end);
    }
    if (image) canvas.classList.add('signed');
    return {
      size: size,
      clear: function () {
        ctx.save(); ctx.setTransform(1, 0, 0, 1, 0, 0); ctx.clearRect(0, 0, canvas.width, canvas.height); ctx.restore();
        image = null;
        canvas.classList.remove('signed');
        onChange(null);
      },
      isEmpty: function () { return !image; }
    };
  }

  function renderSignatures() {
    var team = S.form.team || [];
    var sigs = S.draft.signatures;
    var count = Math.max(2, sigs.inspectors.length);
    ui.teamSigs.textContent = '';
    S.pads = [];
    for (var i = 0; i < count; i++) ui.teamSigs.appendChild(buildTeamBlock(i, team));
    ui.addSigner.hidden = count >= Math.max(2, team.length);
    if (team.length < 2) {
      ui.teamSigs.appendChild(el('p', { class: 'error', text: '检查组成员不足两人（当前 ' + team.length + ' 人），无法满足双人检查要求，请联系监管人员调整检查组。' }));
    }
    ui.repSig.textContent = '';
    var rep = sigs.rep;
    var nameInput = el('input', { id: 'rep-name', type: 'text', autocomplete: 'off', placeholder: '机构负责人或授权代表姓名' });
    nameInput.value = rep.name || '';
    nameInput.addEventListener('input', function () { S.draft.signatures.rep.name = nameInput.value; changed(); });
    var canvas = el('canvas', { class: 'signature', role: 'img', 'aria-label': '签收签名区，请用手指在框内签名' });
    var block = el('div', { class: 'sig-block', 'data-signer': 'institution_representative' }, [
      el('label', { for: 'rep-name', text: '机构签收人' }), nameInput,
      el('p', { class: 'sig-hint muted', text: '请在框内签名' }), canvas,
      el('button', { type: 'button', class: 'secondary sig-clear', text: '清除' })
    ]);
    ui.repSig.appendChild(block);
    S.repPad = makePad(canvas, rep.image, function (img) { S.draft.signatures.rep.image = img; changed(); });
    block.querySelector('.sig-clear').addEventListener('click', function () { S.repPad.clear(); });
    requestAnimationFrame(function () { S.pads.concat([S.repPad]).forEach(function (p) { p.size(); }); });
  }

  function buildTeamBlock(i, team) {
    var sigs = S.draft.signatures.inspectors;
    if (!sigs[i]) sigs[i] = { userId: '', image: null };
    var s = sigs[i];
    var sel = el('select', { id: 'signer-' + i }, [el('option', { value: '', text: '请选择检查人员' })].concat(team.map(function (m) {
      return el('option', { value: m.userId, text: m.displayName + (m.role === 'lead' ? '（组长）' : '') });
    })));
    sel.value = s.userId || '';
    sel.addEventListener('change', function () { sigs[i].userId = sel.value; changed(); });
    var canvas = el('canvas', { class: 'signature', role: 'img', 'aria-label': '检查人员签名区 ' + (i + 1) + '，请用手指在框内签名' });
    var block = el('div', { class: 'sig-block', 'data-signer': 'inspector', 'data-index': String(i) }, [
      el('p', { class: 'sig-no', text: '检查人员 ' + (i + 1) }),
      el('label', { for: 'signer-' + i, text: '签名人' }), sel,
      el('p', { class: 'sig-hint muted', text: '请在框内签名' }), canvas,
      el('button', { type: 'button', class: 'secondary sig-clear', text: '清除' })
    ]);
    var pad = makePad(canvas, s.image, function (img) { sigs[i].image = img; changed(); });
    S.pads.push(pad);
    block.querySelector('.sig-clear').addEventListener('click', function () { pad.clear(); });
    return block;
  }

  function signatureProblems() {
    var errs = [];
    var team = S.form.team || [];
    var byId = {};
    team.forEach(function (m) { byId[m.userId] = m; });
    var seen = {};
    var complete = 0;
    S.draft.signatures.inspectors.forEach(function (s, i) {
      if (!s || (!s.userId && !s.image)) return;
      var label = '检查人员 ' + (i + 1);
      if (!s.userId) { errs.push(label + '：请选择签名人'); return; }
      var name = byId[s.userId] ? byId[s.userId].displayName : s.userId;
      if (!s.image) { errs.push(label + '（' + name + '）尚未签名'); return; }
      if (seen[s.userId]) { errs.push(name + ' 重复签名，每位检查人员只需签一次'); return; }
      seen[s.userId] = true;
      complete++;
    });
    if (complete < 2) errs.push('至少需要两名不同的检查人员签名（当前 ' + complete + ' 名）');
    var rep = S.draft.signatures.rep;
    if (!trim(rep.name)) errs.push('请填写机构签收人姓名');
    if (!rep.image) errs.push('机构签收人尚未签名');
    return errs;
  }

  function showSubmitErrors(title, lines, details) {
    ui.submitErrors.textContent = '';
    ui.submitErrors.appendChild(el('p', { class: 'err-title', text: title }));
    var ul = el('ul');
    (lines || []).forEach(function (l) { ul.appendChild(el('li', { text: l })); });
    (details || []).forEach(function (d) {
      var m = /^responses\.([^.]+)/.exec(d.field || '');
      var code = m && S.items[m[1]] ? m[1] : null;
      ul.appendChild(el('li', null, [
        code ? el('a', { href: '#item-' + code, 'data-goto': code }, [code + ' ' + zh(S.items[code].title)]) : null,
        code ? '：' : '', d.message || d.reason || d.field || ''
      ]));
    });
    if (ul.firstChild) ui.submitErrors.appendChild(ul);
    ui.submitErrors.hidden = false;
  }

  function setSubmitState(text) { ui.submitState.textContent = text || ''; }

  function buildPayload() {
    var responses = S.order.map(function (code) {
      var a = S.draft.answers[code];
      var r = { itemCode: code, result: a.result };
      if (a.result === 'fail') {
        r.note = trim(a.note);
        r.location = trim(a.location);
        r.severity = a.severity === 'major' ? 'major' : 'general';
        r.majorCriterion = r.severity === 'major' ? (a.majorCriterion || null) : null;
        r.scope = a.scope;
        r.evidenceIds = usablePhotos(a).filter(function (p) { return p.evidenceId; }).map(function (p) { return p.evidenceId; });
      } else if (trim(a.note)) {
        r.note = trim(a.note);
      }
      return r;
    });
    var team = S.form.team || [];
    var signatures = [];
    var seen = {};
    S.draft.signatures.inspectors.forEach(function (s) {
      if (!s || !s.userId || !s.image || seen[s.userId]) return;
      seen[s.userId] = true;
      var m = team.filter(function (t) { return t.userId === s.userId; })[0];
      signatures.push({ role: 'inspector', userId: s.userId, signerName: m ? m.displayName : '', image: s.image });
    });
    var rep = S.draft.signatures.rep;
    signatures.push({ role: 'institution_representative', signerName: trim(rep.name), image: rep.image });
    return { submissionId: S.draft.submissionId, responses: responses, signatures: signatures };
  }

  function onConfirmSubmit() {
    ui.submitErrors.hidden = true;
    var pr = allProblems();
    var sigErr = signatureProblems();
    if (pr.all.length || sigErr.length) {
      var lines = [];
      if (pr.all.length) lines.push('还有 ' + pr.all.length + ' 个检查项需要处理（见上方清单）');
      showSubmitErrors('暂不能提交：', lines.concat(sigErr));
      renderMissing();
      if (pr.all.length) ui.panelTitle.focus();
      return;
    }
    if (!S.draft.submissionId) S.draft.submissionId = uuid();
    S.draft.submitPending = true;
    changed();
    doSubmit(false);
  }

  function doSubmit(auto) {
    if (S.submitting || S.done || !S.draft) return Promise.resolve();
    if (auto && (allProblems().all.length || signatureProblems().length)) {
      // the draft changed since 确认提交 was pressed: wait for the inspector
      S.draft.submitPending = false; persist();
      setSubmitState('内容已修改，请检查后重新点击“确认提交”。');
      return Promise.resolve();
    }
    if (!S.draft.submissionId) S.draft.submissionId = uuid();
    if (!navigator.onLine) {
      setSubmitState('当前离线：检查结果和签名已保存在本机，联网后将自动提交，请勿清除浏览器数据。');
      renderStatus();
      return Promise.resolve();
    }
    S.submitting = true;
    ui.confirm.disabled = true;
    setSubmitState(pendingPhotos().length ? '正在上传照片…' : '正在提交…');
    var fin = function () { S.submitting = false; ui.confirm.disabled = false; renderStatus(); };
    return uploadAll().then(function () {
      var waiting = pendingPhotos().filter(function (e) {
        var a = S.draft.answers[e.code];
        return a && a.result === 'fail';
      }).length;
      if (waiting) {
        setSubmitState('还有 ' + waiting + ' 张照片未上传成功，内容已保存在本机，联网后将自动重试并提交。');
        return;
      }
      setSubmitState('正在提交…');
      return request('POST', API + '/submit', buildPayload(), { timeout: 60000 }).then(handleSubmitResponse);
    }).then(fin, fin);
  }

  function handleSubmitResponse(r) {
    if (r.status === 200 || r.status === 201) { onSubmitted(r.data || {}); return; }
    if (r.status === 422) {
      S.draft.submitPending = false; persist();
      setSubmitState('');
      showSubmitErrors((r.data && r.data.message) || '服务器未接受提交，请补充以下内容：', [], (r.data && r.data.details) || []);
      ui.submitErrors.scrollIntoView({ block: 'center' });
      return;
    }
    if (r.status === 401) {
      setSubmitState('登录已过期：检查结果和签名已保存在本机。请重新登录，回到本页后会自动提交。');
      return;
    }
    if (r.networkError || r.status >= 500 || r.status === 408 || r.status === 429) {
      setSubmitState('提交未成功（' + describeError(r) + '）：内容已保存在本机，稍后自动重试。');
      return;
    }
    // 400 / 403 / 404 / 409 …: needs a person
    S.draft.submitPending = false; persist();
    setSubmitState('');
    showSubmitErrors('提交未成功：' + describeError(r), [], (r.data && r.data.details) || []);
  }

  function onSubmitted(data) {
    S.done = true;
    clearTimeout(S.draftTimer);
    clearInterval(S.timer);
    try { localStorage.removeItem(DRAFT_KEY); localStorage.removeItem(FORM_KEY); } catch (e) { /* ignore */ }
    deleteInspectionPhotos();
    Object.keys(S.photoUrls).forEach(function (k) { URL.revokeObjectURL(S.photoUrls[k]); });
    S.photoUrls = {};
    swMessage({ type: 'yian:refresh', urls: [API + '/form'] });
    showResult({ hazardCount: data.hazardCount, hazards: data.hazards || [], reportUrl: data.reportUrl, fresh: true });
  }

  function showResult(res) {
    ui.items.textContent = '';
    ui.nav.hidden = true;
    ui.panel.hidden = true;
    ui.error.hidden = true;
    if (S.notices) Object.keys(S.notices).forEach(function (k) { setNotice(k, null); });
    ui.actionBar.hidden = true;
    ui.items.setAttribute('aria-busy', 'false');
    var count = Number(res.hazardCount) || 0;
    ui.progress.textContent = '已提交';
    ui.bar.style.width = '100%';
    setStatus(res.fresh ? '检查结果已提交 · 已全部同步' : '该检查已提交 · 已全部同步', 'synced');
    ui.action.hidden = true;
    ui.result.textContent = '';
    ui.result.appendChild(el('h2', { text: res.fresh ? '提交成功' : '已提交' }));
    ui.result.appendChild(el('p', { class: 'result-count' }, [count ? '已生成 ' + count + ' 条隐患' : '已生成 0 条隐患（未发现不合格项）']));
    if (res.hazards && res.hazards.length) {
      ui.result.appendChild(el('ul', { class: 'hazard-list' }, res.hazards.map(function (h) {
        var item = S.items[h.itemCode];
        return el('li', null, [
          el('span', { class: 'item-code', text: h.itemCode }), ' ', item ? zh(item.title) : '',
          h.dueDate ? el('span', { class: 'muted', text: ' · 整改期限 ' + h.dueDate }) : null
        ]);
      })));
    }
    if (res.fresh) ui.result.appendChild(el('p', { class: 'muted', text: '本机草稿和照片副本已清除，检查记录以服务器为准。' }));
    var links = el('p', { class: 'result-links' }, [el('a', { class: 'button', href: '/inspections/' + encodeURIComponent(INSPECTION_ID), text: '查看检查记录' })]);
    if (res.reportUrl) links.appendChild(el('a', { class: 'button secondary-link', href: res.reportUrl, text: '查看检查报告' }));
    ui.result.appendChild(links);
    ui.result.hidden = false;
    ui.result.focus();
  }

  // ---------------------------------------------------------------- service worker

  function swMessage(msg) {
    if (!('serviceWorker' in navigator) || !navigator.serviceWorker.controller) return;
    try { navigator.serviceWorker.controller.postMessage(msg); } catch (e) { /* ignore */ }
  }

  function registerSw() {
    if (!('serviceWorker' in navigator) || window.isSecureContext === false) return;
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (reg) {
      // make sure this page and its form data are in the offline cache even on the very first visit
      if (reg.active) reg.active.postMessage({ type: 'yian:cache', urls: [location.pathname, API + '/form'] });
    }).catch(noop);
  }

  // ---------------------------------------------------------------- start-up

  function showLoadError(msg) {
    ui.items.textContent = '';
    ui.items.setAttribute('aria-busy', 'false');
    ui.error.textContent = '';
    ui.error.appendChild(el('p', { text: msg || '无法加载检查表。' }));
    var retry = el('button', { type: 'button', class: 'primary', text: '重试' });
    retry.addEventListener('click', function () { location.reload(); });
    ui.error.appendChild(retry);
    ui.error.hidden = false;
    setStatus('检查表未加载' + (readJson(DRAFT_KEY) ? ' · 本机草稿仍完好保存' : ''), 'error');
  }

  function loadForm() {
    return request('GET', API + '/form', undefined, { timeout: 20000 }).then(function (r) {
      if (r.ok && r.data && Array.isArray(r.data.categories)) {
        S.formFromCache = r.fromCache;
        if (!r.fromCache) { try { localStorage.setItem(FORM_KEY, JSON.stringify(r.data)); } catch (e) { /* quota */ } }
        return r.data;
      }
      if (!r.networkError && r.status >= 400 && r.status < 500 && r.status !== 401) {
        S.loadError = describeError(r);
        return null;
      }
      var cached = readJson(FORM_KEY);
      if (cached && Array.isArray(cached.categories)) { S.formFromCache = true; return cached; }
      S.loadError = r.networkError ? '当前离线，本机也没有这份检查表的副本。请联网后重试。'
        : r.status === 401 ? '登录已过期，请重新登录。' : describeError(r);
      return null;
    });
  }

  function loadDraft() {
    var local = loadLocalDraft();
    if (local) return Promise.resolve(local);
    if (!navigator.onLine) return Promise.resolve(newDraft());
    return request('GET', API + '/draft', undefined, { timeout: 15000 }).then(function (r) {
      if (r.ok && r.data && r.data.draft && typeof r.data.draft === 'object' && r.data.draft.answers) {
        return adoptServerDraft(r.data.draft, r.data.savedAt);
      }
      return newDraft();
    });
  }

  function loadPhotoUrls() {
    return photosOfInspection().then(function (recs) {
      var have = {};
      recs.forEach(function (rec) {
        have[rec.key] = true;
        if (!S.photoUrls[rec.key]) S.photoUrls[rec.key] = URL.createObjectURL(recBlob(rec));
      });
      // photos the draft knows about but whose bytes are gone and never reached the server
      var lost = 0;
      if (S.db) {
        Object.keys(S.draft.answers).forEach(function (code) {
          S.draft.answers[code].photos.forEach(function (p) {
            if (!p.evidenceId && !have[p.key] && !p.missing) { p.missing = true; lost++; }
          });
        });
      }
      if (lost) {
        persist();
        S.notice = (S.notice ? S.notice + ' ' : '') + '有 ' + lost + ' 张照片在本机存储中已丢失（可能被浏览器清理），请在相应检查项重新拍摄。';
      }
    });
  }

  function showSubmitted(sub) {
    var local = loadLocalDraft();
    if (local && local.submissionId && local.submissionId === sub.submissionId) {
      try { localStorage.removeItem(DRAFT_KEY); } catch (e) { /* ignore */ }
      deleteInspectionPhotos();
    }
    S.done = true;
    showResult({ hazardCount: sub.hazardCount, hazards: [], fresh: false });
  }

  function bindEvents() {
    ui.items.addEventListener('click', onItemsClick);
    ui.items.addEventListener('input', onItemsInput);
    ui.items.addEventListener('change', onItemsChange);
    root.addEventListener('click', function (e) {
      var a = e.target.closest ? e.target.closest('[data-goto]') : null;
      if (a) { e.preventDefault(); gotoItem(a.getAttribute('data-goto')); return; }
      var b = e.target.closest ? e.target.closest('[data-action=sync-now]') : null;
      if (b) { S.draftError = ''; S.uploadError = ''; S.uploadErrors = {}; syncAll(); }
    });
    ui.openSubmit.addEventListener('click', openPanel);
    ui.confirm.addEventListener('click', onConfirmSubmit);
    ui.addSigner.addEventListener('click', function () {
      var i = S.draft.signatures.inspectors.length;
      S.draft.signatures.inspectors.push({ userId: '', image: null });
      changed();
      var block = buildTeamBlock(i, S.form.team || []);
      ui.teamSigs.appendChild(block);
      S.pads[S.pads.length - 1].size();
      ui.addSigner.hidden = S.draft.signatures.inspectors.length >= (S.form.team || []).length;
      block.querySelector('select').focus();
    });
    ui.nextUnanswered.addEventListener('click', function () {
      var pr = allProblems();
      if (!pr.all.length) { openPanel(); return; }
      // the first problem after the item currently at the top of the screen, wrapping around
      var top = 0;
      for (var i = 0; i < S.order.length; i++) {
        var s = itemEl(S.order[i]);
        if (s && s.getBoundingClientRect().top > 80) { top = i; break; }
      }
      var codes = pr.all.map(function (p) { return p.code; });
      var pick = null;
      for (var j = 0; j < S.order.length && !pick; j++) {
        var c = S.order[(top + j) % S.order.length];
        if (codes.indexOf(c) >= 0) pick = c;
      }
      gotoItem(pick || codes[0]);
    });
    window.addEventListener('online', function () { S.offline = false; renderStatus(); syncAll(); });
    window.addEventListener('offline', function () { S.offline = true; renderStatus(); });
    document.addEventListener('visibilitychange', function () { if (document.visibilityState === 'visible') tick(); });
    window.addEventListener('resize', function () { S.pads.concat(S.repPad ? [S.repPad] : []).forEach(function (p) { p.size(); }); });
    window.addEventListener('storage', function (e) {
      if (e.key !== DRAFT_KEY || S.done || !e.newValue) return;
      ui.error.textContent = '此检查表正在另一个窗口中填写。为避免互相覆盖，请关闭其他窗口后刷新本页。';
      ui.error.hidden = false;
    });
  }

  function init() {
    registerSw();
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(noop);
    Promise.all([loadForm(), openDb()]).then(function (res) {
      S.db = res[1];
      var form = res[0];
      if (!form) { showLoadError(S.loadError); return; }
      S.form = form;
      indexForm();
      if (form.submission) { showSubmitted(form.submission); return; }
      return loadDraft().then(function (d) {
        S.draft = d;
        if (S.form.checklist) S.draft.checklist = S.form.checklist.code + '@' + S.form.checklist.versionNo;
        persist();
        return loadPhotoUrls();
      }).then(function () {
        bindEvents();
        renderForm();
        if (S.formFromCache && S.offline) setNotice('cache', '当前离线，使用本机保存的检查表副本。');
        if (S.notice) setNotice('restore', S.notice);
        renderStatus();
        if (S.draft.submitPending) {
          openPanel();
          setSubmitState('上次提交尚未完成，联网后将自动提交。');
        }
        syncAll();
        S.timer = setInterval(tick, RETRY_MS);
      });
    }).catch(function (e) {
      showLoadError('页面出错：' + (e && e.message ? e.message : e) + '。本机草稿不受影响，请刷新重试。');
    });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
