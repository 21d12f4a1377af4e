// @ts-check
/*
 * Keeping the server in step with the device: the draft (PUT, debounced), POST /start on the first answer, the
 * photo queue (POST /api/evidence, one at a time, retried on `online` and on a timer) and the submit (POST with
 * the draft's submissionId, so a retry is recognised). Every change to the draft goes through `changed`.
 */
import { uuid } from './dom.js';
import { acknowledge, answeredCount, changedItems, draftChanges, isDirty, pendingPhotos, submissionPayload, touch } from './draft.js';
import { takeTeamView } from './conflicts.js';
import { attachGeo, geoSettled } from './geo.js';
import { describeError, request, stopsQueue } from './network.js';
import { swMessage } from './offline.js';
import { othersText, outboxStore, refusalText, visibleEntries } from './outbox.js';
import { markupErrors, pendingLayers, sendPendingLayers } from './markup.js';
import { renderOutbox } from './outbox-view.js';
import { recBlob } from './photo-store.js';
import { renderMissing, renderStatus, renderThumbs, setSubmitState, showResult, showSubmitErrors, updateItem } from './render.js';
import { readyToSubmit } from './rules.js';
import { S, draft, env, form, ui } from './state.js';

/** @typedef {import('./types.js').PhotoMeta} PhotoMeta */
/** @typedef {import('./network.js').Reply} Reply */

const DRAFT_DEBOUNCE_MS = 2000;

/** Writes the draft to local storage; a failure is shown in the status line, never thrown. */
export function persist() {
  if (!S.draft) return;
  S.localSaveError = env.drafts.save(S.draft) ? '' : '本机存储不可用或已满，最新修改未能保存在本机！请保持联网以便同步到服务器。';
}

/** Every change goes through here: saved locally at once, server copy debounced. */
export function changed() {
  if (!S.draft || S.done) return;
  touch(S.draft);
  persist();
  scheduleDraftPush();
  maybeStart();
  renderStatus();
  if (S.panelOpen) renderMissing();
}

/** @param {number} [delay] */
function scheduleDraftPush(delay) {
  clearTimeout(S.draftTimer);
  S.draftTimer = setTimeout(() => { pushDraft(); }, delay == null ? DRAFT_DEBOUNCE_MS : delay);
}

/** An inspection with more than one inspector: the draft is pulled too, to see the others' answers and conflicts. */
function isTeam() { return !!S.form && (S.form.team || []).length > 1; }

/**
 * 团队草稿: sends the items changed since their base (PUT) and takes in the team's merged draft in the answer;
 * with nothing to send, pulls it (GET) on a team inspection. The first exchange of a draft pulls before it sends,
 * so answers the server already holds are recognised instead of re-sent.
 * @returns {Promise<void>}
 */
export function pushDraft() {
  const d = S.draft;
  if (!d || S.done || S.draftInFlight || !navigator.onLine) { renderStatus(); return Promise.resolve(); }
  const changes = changedItems(d);
  if (!d.team && changes.length && isTeam()) return pullDraft().then(() => (S.draft && S.draft.team ? pushDraft() : undefined));
  if (!changes.length) {
    if (isDirty(d)) acknowledge(d, d.rev, d.serverSavedAt || new Date().toISOString());
    return isTeam() || !d.team ? pullDraft() : (renderStatus(), Promise.resolve());
  }
  S.draftInFlight = true;
  const rev = d.rev;
  const { body, sent } = draftChanges(d);
  return request('PUT', env.api + '/draft', body).then((r) => {
    S.draftInFlight = false;
    if (!S.draft || S.done) return;
    if (r.ok) {
      S.draftError = '';
      acknowledge(S.draft, rev, (r.data && r.data.savedAt) || body.savedAt);
      takeTeamView(r.data, sent);
      persist();
      if (isDirty(S.draft) || changedItems(S.draft).length) scheduleDraftPush();
    } else {
      S.draftError = describeError(r);
    }
    renderStatus();
  });
}

/** GET the team's merged draft (nothing of ours to send). @returns {Promise<void>} */
function pullDraft() {
  if (!S.draft || S.done || S.draftInFlight || !navigator.onLine) return Promise.resolve();
  S.draftInFlight = true;
  return request('GET', env.api + '/draft', undefined, { timeout: 15000 }).then((r) => {
    S.draftInFlight = false;
    if (!S.draft || S.done) return;
    if (r.ok) { S.draftError = ''; takeTeamView(r.data); }
    renderStatus();
  });
}

/** 开始检查: the first answer on an assigned inspection moves it to in progress. @returns {Promise<void>} */
function maybeStart() {
  const f = S.form;
  const d = S.draft;
  if (!d || d.started || S.startInFlight || !f || S.done) return Promise.resolve();
  if (!f.inspection || f.inspection.status !== 'assigned' || answeredCount(d, S.order) === 0) return Promise.resolve();
  if (!navigator.onLine) return Promise.resolve();
  S.startInFlight = true;
  return request('POST', env.api + '/start').then((r) => {
    S.startInFlight = false;
    if (r.ok || r.status === 409) {
      d.started = true;
      if (r.ok && r.data && r.data.status) f.inspection.status = r.data.status;
      persist();
    }
  });
}

/** @param {string} code @param {PhotoMeta} meta */
function photoStillInDraft(code, meta) {
  const a = S.draft && S.draft.answers[code];
  return !!a && a.photos.indexOf(meta) >= 0;
}

/** Upload every queued photo, one at a time. Stops (to retry later) on network/auth/server errors. @returns {Promise<void>} */
export function uploadAll() {
  if (S.uploading) return S.uploading;
  if (S.done || !S.draft) return Promise.resolve();
  const list = pendingPhotos(S.draft);
  if (!list.length) { S.uploadError = ''; return Promise.resolve(); }
  if (!navigator.onLine) { renderStatus(); return Promise.resolve(); }
  let stop = false;
  S.uploading = list.reduce((p, entry) => p.then(() => {
    if (stop || S.done) return;
    return uploadOne(entry).then((res) => { if (res === 'stop') stop = true; });
  }), Promise.resolve()).then(() => {
    S.uploading = null;
    if (!stop) S.uploadError = '';
    renderStatus();
    const more = pendingPhotos(S.draft).filter((e) => !S.uploadErrors[e.meta.key]);
    if (!stop && more.length) return uploadAll();
  }, () => { S.uploading = null; });
  return S.uploading;
}

/**
 * @param {{ code: string, meta: PhotoMeta }} entry
 * @returns {Promise<'stop' | null>}
 */
function uploadOne(entry) {
  const meta = entry.meta;
  if (!navigator.onLine) return Promise.resolve('stop');
  return geoSettled().then(() => S.photos.get(meta.key).then((rec) => ({ rec, err: false }), () => ({ rec: null, err: true })))
    .then((got) => {
      if (got.err) { S.uploadError = '读取本机照片失败'; return 'stop'; }
      const rec = got.rec;
      if (meta.evidenceId || !photoStillInDraft(entry.code, meta)) return null;
      if (!rec) {
        meta.missing = true; // storage evicted: say so, never pretend it is queued
        changed();
        updateItem(entry.code);
        return null;
      }
      attachGeo(meta);
      const fd = new FormData();
      fd.append('inspectionId', env.inspectionId);
      fd.append('itemCode', entry.code);
      fd.append('takenAt', meta.takenAt);
      if (meta.lat != null && meta.lng != null) { fd.append('lat', String(meta.lat)); fd.append('lng', String(meta.lng)); }
      fd.append('file', recBlob(rec), 'photo.jpg');
      S.uploadingKey = meta.key;
      renderThumbs(entry.code);
      return request('POST', '/api/evidence', fd, { timeout: 120000 }).then((r) => {
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
        if (stopsQueue(r)) {
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

// ---------------------------------------------------------------- the loop

function hasPending() {
  const d = S.draft;
  const f = S.form;
  if (!d || S.done) return false;
  return isDirty(d) || pendingPhotos(d).length > 0 || d.submitPending ||
    (!d.started && !!f && !!f.inspection && f.inspection.status === 'assigned' && answeredCount(d, S.order) > 0);
}

/** Start, photos, draft, then a submit waiting since 确认提交 — in that order. @returns {Promise<void>} */
export function syncAll() {
  if (!S.draft || S.done || S.syncing) return Promise.resolve();
  if (!navigator.onLine) { renderStatus(); return Promise.resolve(); }
  S.syncing = true;
  const fin = () => { S.syncing = false; renderStatus(); };
  return maybeStart().then(uploadAll).then(pushDraft).then(() => {
    if (S.draft && S.draft.submitPending && !S.done) return submit(true);
  }).then(fin, fin);
}

/** The retry timer and a page coming back into view. */
export function tick() { if (hasPending()) syncAll(); else if (isTeam()) pushDraft(); }

// ---------------------------------------------------------------- submit

/**
 * 待发送: this inspector's submissions on this device (outbox.js); this page's line is updated here. Made on first
 * use (env.userId is read from the page by setUp). An entry of the previous release for this inspection is taken
 * over (the page opens only for the inspection's team).
 * @type {ReturnType<typeof outboxStore> | null}
 */
let outboxCache = null;
function theOutbox() {
  if (!outboxCache) {
    outboxCache = outboxStore(safeStorage(), env.userId || undefined);
    outboxCache.claim((id) => id === env.inspectionId);
  }
  return outboxCache;
}

function safeStorage() { try { return window.localStorage; } catch (e) { return null; } }

/** @param {import('./outbox.js').OutboxEvent} ev */
function toOutbox(ev) {
  theOutbox().apply(env.inspectionId, ev);
  showOutbox();
}

/** Shows the outbox in #outbox (when the page has one). */
export function showOutbox() {
  const outbox = theOutbox();
  const box = document.getElementById('outbox');
  if (box) renderOutbox(box, visibleEntries(outbox.mine()), { here: env.inspectionId, others: othersText(outbox.others()) });
  // Another inspector's draft of this inspection on this phone: kept as it is, never sent from this session.
  const foreign = document.getElementById('foreign-draft');
  if (foreign) {
    foreign.hidden = !env.drafts.foreign();
    foreign.textContent = foreign.hidden ? '' : '本机还保存着另一账号填写的本检查草稿：它保留在本机、不会以您的身份发送。您填写的是自己的草稿；请该账号登录后继续。';
  }
}

/**
 * Uploads what is left and files the inspection. `auto`: a retry of an earlier 确认提交 (sync loop), which is
 * dropped if the draft has since become incomplete.
 * @param {boolean} auto
 * @returns {Promise<void>}
 */
export function submit(auto) {
  if (S.submitting || S.done || !S.draft) return Promise.resolve();
  const d = S.draft;
  if (auto && !readyToSubmit(S.req, S.order, d, form().team || [])) {
    // the draft changed since 确认提交 was pressed: wait for the inspector
    d.submitPending = false; persist();
    toOutbox({ type: 'hold' });
    setSubmitState('内容已修改，请检查后重新点击“确认提交”。');
    return Promise.resolve();
  }
  if (!d.submissionId) d.submissionId = uuid();
  toOutbox({ type: 'queue', inspectionId: env.inspectionId, institutionName: (form().institution || {}).name || '', submissionId: d.submissionId });
  if (!navigator.onLine) {
    setSubmitState('当前离线：已放入“待发送”，检查结果和签名保存在本机，联网后自动提交（也可在任务列表查看），请勿清除浏览器数据。');
    renderStatus();
    return Promise.resolve();
  }
  S.submitting = true;
  ui.confirm.disabled = true;
  setSubmitState(pendingPhotos(d).length ? '正在上传照片…' : '正在提交…');
  const fin = () => { S.submitting = false; ui.confirm.disabled = false; renderStatus(); };
  return uploadAll().then(pushDraft).then(() => {
    const waiting = pendingPhotos(d).filter((e) => {
      const a = d.answers[e.code];
      return a && a.result === 'fail';
    }).length;
    if (waiting) {
      setSubmitState('还有 ' + waiting + ' 张照片未上传成功，内容已保存在本机，联网后将自动重试并提交。');
      return;
    }
    // 照片标注 drawn offline: every pending layer before the submit (optional: a 4xx refusal is noted, not blocking).
    return sendPendingLayers(d, env.api, persist, markupErrors).then((layers) => {
      if (layers.waiting) {
        setSubmitState('照片标注尚未发送（' + layers.waiting + '）：内容已保存在本机，稍后自动重试并提交。');
        return;
      }
      setSubmitState('正在提交…');
      toOutbox({ type: 'send' });
      return request('POST', env.api + '/submit', submissionPayload(d, S.order, form().team || []), { timeout: 60000 })
        .then((r) => {
          handleSubmitResponse(r);
          if ((r.status === 200 || r.status === 201) && layers.refused) toOutbox({ type: 'note', reason: '已提交；照片标注未被接受：' + layers.refused });
        });
    });
  }).then(fin, fin);
}

/** @param {Reply} r */
function handleSubmitResponse(r) {
  const d = draft();
  toOutbox({ type: 'reply', status: r.status, networkError: r.networkError, code: r.data && r.data.code, message: refusalText(r.data, describeError(r)) });
  if (r.status === 200 || r.status === 201) { onSubmitted(r.data || {}); return; }
  if (r.status === 422) {
    d.submitPending = false; persist();
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
  d.submitPending = false; persist();
  setSubmitState('');
  showSubmitErrors('提交未成功：' + describeError(r), [], (r.data && r.data.details) || []);
}

/** Filed: the device's copies are deleted (the server's record is the one that counts). @param {Record<string, any>} data */
function onSubmitted(data) {
  S.done = true;
  clearTimeout(S.draftTimer);
  clearInterval(S.timer);
  // A layer the server has not taken keeps the draft (and the photos) on the device; so does another account's draft.
  const keep = !!S.draft && pendingLayers(S.draft).length > 0;
  if (!keep) env.drafts.remove();
  try { localStorage.removeItem(env.formKey); } catch (e) { /* ignore */ }
  if (!keep && !env.drafts.foreign()) S.photos.removeAll();
  Object.keys(S.photoUrls).forEach((k) => URL.revokeObjectURL(S.photoUrls[k]));
  S.photoUrls = {};
  swMessage({ type: 'yian:refresh', urls: [env.api + '/form'] });
  showResult({ hazardCount: data.hazardCount, hazards: data.hazards || [], reportUrl: data.reportUrl, fresh: true });
}
