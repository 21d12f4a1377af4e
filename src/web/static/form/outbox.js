// @ts-check
/*
 * 待发送 (the outbox): every submission the inspector confirmed, until the server has filed it. One entry per
 * inspection in localStorage "yian.outbox"; the draft itself stays in "yian.draft.<id>" (draft.js) until the server
 * has answered 200/201, so nothing is lost when an entry is refused or the session expired.
 *   queued  待发送        confirmed; waiting for signal (sent by the form page or by the task list, whichever is open)
 *   sending 正在发送
 *   sent    已提交        the server filed it (a replayed submissionId answers 200 with the first result)
 *   refused 未被接受      a 4xx that a person must look at (validation, already submitted…): the draft stays editable
 *   auth    需要重新登录   401 / expired CSRF: kept, sent again after signing in
 *   held    待重新确认     the draft changed after 确认提交: the inspector confirms again
 * Every entry carries the inspector who confirmed it (`userId`): on a shared phone only that inspector's session
 * sends it or shows it; the others see a count. Entries of the previous release (no userId) are taken over by the
 * first signed-in inspector of the inspection's team who opens them (`claim`).
 * Pure functions over plain objects (no DOM): unit-tested in outbox.spec.ts.
 */

/** @typedef {'queued' | 'sending' | 'sent' | 'refused' | 'auth' | 'held'} OutboxState */

/**
 * @typedef {object} OutboxEntry
 * @property {string} inspectionId
 * @property {string} institutionName
 * @property {string} submissionId the draft's: a resend is recognised by the server
 * @property {OutboxState} state
 * @property {string} reason why it is not sent (yet): shown as it is
 * @property {string} queuedAt
 * @property {string} updatedAt
 * @property {string | null} sentAt
 * @property {number} attempts
 * @property {string} [userId] who confirmed it (absent: previous release, see `claim`)
 */

/**
 * @typedef {{ type: 'queue', inspectionId: string, institutionName?: string, submissionId: string, userId?: string }
 *   | { type: 'send' }
 *   | { type: 'reply', status: number, networkError?: boolean, code?: string, message?: string }
 *   | { type: 'hold', reason?: string }
 *   | { type: 'note', reason: string }} OutboxEvent
 */

/** @type {Record<OutboxState, string>} */
export const OUTBOX_LABELS = {
  queued: '待发送', sending: '正在发送', sent: '已提交', refused: '未被接受', auth: '需要重新登录', held: '待重新确认',
};

/** Entries the task list keeps showing once sent (then dropped). */
export const SENT_KEPT_MS = 12 * 3600 * 1000;

/**
 * What a reply to POST /submit means for the entry.
 * @param {{ status: number, networkError?: boolean, code?: string, message?: string }} r
 * @returns {{ state: OutboxState, reason: string }}
 */
export function classifyReply(r) {
  if (r.status === 200 || r.status === 201) return { state: 'sent', reason: '' };
  if (r.networkError || r.status === 0) return { state: 'queued', reason: '网络不可用，联网后自动发送' };
  if (r.status === 401 || (r.status === 403 && r.code === 'csrf.invalid')) return { state: 'auth', reason: '登录已过期：请重新登录，提交内容仍保存在本机' };
  if (r.status >= 500 || r.status === 408 || r.status === 429) return { state: 'queued', reason: '服务器暂时无法处理（' + r.status + '），稍后自动重发' };
  if (r.status === 409 && r.code && CONFLICT_CODES.indexOf(r.code) >= 0) return { state: 'refused', reason: CONFLICT_REASON };
  return { state: 'refused', reason: r.message ? String(r.message) : '服务器未接受提交（' + r.status + '）' };
}

/** Field paths of the submit body, in the inspector's words (the rest are shown as the server wrote them). */
const FIELD_WORDS = [
  [/^signatures\.\d+\.signerName/, '签名人姓名'], [/^signatures\.\d+\.image/, '签名'],
  [/^responses\.(\d+)\.note/, '第 $1 项的情况说明'], [/^responses\.(\d+)\.location/, '第 $1 项的位置'],
  [/^responses\.(\d+)\.suspectedReason/, '第 $1 项的疑似理由'], [/^responses\.(\d+)\./, '第 $1 项的'],
];

/** @param {string} text */
function readableField(text) {
  for (const [re, words] of FIELD_WORDS) {
    const m = text.match(/** @type {RegExp} */ (re));
    if (m) return text.replace(/** @type {RegExp} */ (re), String(words).replace('$1', m[1] ? String(Number(m[1]) + 1) : ''));
  }
  return text;
}

/**
 * The refusal as the inspector reads it: the server's message and the fields it names (error.filter.ts shape).
 * @param {any} data the reply's body @param {string} fallback
 */
export function refusalText(data, fallback) {
  const msg = data && data.message ? String(data.message) : fallback;
  const details = data && Array.isArray(data.details) ? data.details : [];
  const named = details.slice(0, 3).map((/** @type {any} */ d) => readableField(String((d && (d.message || d.field)) || ''))).filter(Boolean);
  return named.length ? msg + '：' + named.join('；') + (details.length > 3 ? '…' : '') : msg;
}

/**
 * The next entry after an event (null: no entry). Never drops an unsent submission.
 * @param {OutboxEntry | null} e
 * @param {OutboxEvent} ev
 * @param {Date} [now]
 * @returns {OutboxEntry | null}
 */
export function nextEntry(e, ev, now) {
  const at = (now || new Date()).toISOString();
  if (ev.type === 'queue') {
    if (e && (e.state === 'sent' || e.state === 'sending')) return e;
    return {
      inspectionId: ev.inspectionId, institutionName: ev.institutionName || (e ? e.institutionName : ''),
      submissionId: ev.submissionId, state: 'queued', reason: '', queuedAt: e ? e.queuedAt : at, updatedAt: at,
      sentAt: null, attempts: e ? e.attempts : 0, userId: ev.userId || (e ? e.userId : undefined),
    };
  }
  if (!e) return null;
  if (ev.type === 'send') {
    if (e.state !== 'queued' && e.state !== 'auth') return e;
    return { ...e, state: 'sending', updatedAt: at, attempts: e.attempts + 1 };
  }
  if (ev.type === 'reply') {
    if (e.state !== 'sending') return e;
    const c = classifyReply(ev);
    return { ...e, state: c.state, reason: c.reason, updatedAt: at, sentAt: c.state === 'sent' ? at : null };
  }
  if (ev.type === 'hold') {
    if (e.state === 'sent') return e;
    return { ...e, state: 'held', reason: ev.reason || '内容已修改，请检查后重新点击“确认提交”', updatedAt: at };
  }
  if (ev.type === 'note') return { ...e, reason: ev.reason, updatedAt: at }; // e.g. a markup layer refused, the submission filed

  return e;
}

/** Entries a sender may send now. @param {OutboxEntry} e */
export function isSendable(e) { return e.state === 'queued' || e.state === 'auth'; }

/** Not yet filed by the server (what the inspector must not lose). @param {OutboxEntry} e */
export function isUnsent(e) { return e.state !== 'sent'; }

/**
 * Entries to show, newest first; sent ones only for SENT_KEPT_MS. A 'sending' entry older than a minute was cut off
 * (page closed mid-request): it is shown as queued again, and the resend is safe (same submissionId).
 * @param {Record<string, OutboxEntry>} all @param {Date} [now] @returns {OutboxEntry[]}
 */
export function visibleEntries(all, now) {
  const t = (now || new Date()).getTime();
  return Object.keys(all).map((k) => all[k])
    .filter((e) => e.state !== 'sent' || t - Date.parse(e.sentAt || e.updatedAt) < SENT_KEPT_MS)
    .map((e) => (e.state === 'sending' && t - Date.parse(e.updatedAt) > 60000 ? { ...e, state: /** @type {OutboxState} */ ('queued') } : e))
    .sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : 0));
}

/** The reason shown when the team's drafts disagree on an answer (PUT /draft shows a conflict, or 409 on submit). */
export const CONFLICT_REASON = '答案冲突：请打开检查表选定答案';

/** 409 codes of POST /submit meaning "another member answered differently": refused with CONFLICT_REASON. */
export const CONFLICT_CODES = ['team.conflicts_open', 'team.answer_differs'];

/** @param {OutboxEntry} e @param {string} userId */
export function isOwnEntry(e, userId) { return !!userId && e.userId === userId; }

/**
 * Unsent entries of other accounts on this device (and unclaimed ones of the previous release): only counted.
 * @param {Record<string, OutboxEntry>} all @param {string} userId
 */
export function othersUnsent(all, userId) {
  return Object.keys(all).map((k) => all[k]).filter((e) => e && isUnsent(e) && !isOwnEntry(e, userId)).length;
}

/** "另一账号有 N 项未发送…" (empty when none). @param {number} n */
export function othersText(n) { return n ? '另一账号有 ' + n + ' 项未发送，请该账号登录后发送' : ''; }

/** @typedef {import('./draft.js').KeyValueStore} KeyValueStore */

/**
 * The outbox in local storage: read fresh on every call (the form page and the task list may both be open).
 * With a `userId`, the store reads and writes that inspector's entries only (stored under "<userId>:<inspectionId>");
 * `all()` still returns every entry on the device (for counting), `mine()` the inspector's own.
 * @param {KeyValueStore | null} storage
 * @param {string} [userId]
 */
export function outboxStore(storage, userId) {
  const key = 'yian.outbox';
  const me = userId || '';
  /** @param {string} id */
  const slot = (id) => (me ? me + ':' + id : id);
  /** @returns {Record<string, OutboxEntry>} */
  function all() {
    try {
      const raw = storage ? storage.getItem(key) : null;
      const v = raw ? JSON.parse(raw) : {};
      return v && typeof v === 'object' ? v : {};
    } catch (e) { return {}; }
  }
  /** @param {Record<string, OutboxEntry>} m */
  function write(m) { try { if (storage) storage.setItem(key, JSON.stringify(m)); } catch (e) { /* full: the draft still holds the work */ } }
  return {
    key,
    all,
    /** This inspector's entries, by inspection. @returns {Record<string, OutboxEntry>} */
    mine() {
      const m = all();
      /** @type {Record<string, OutboxEntry>} */
      const out = {};
      Object.keys(m).forEach((k) => { const e = m[k]; if (e && (me ? isOwnEntry(e, me) : !e.userId)) out[e.inspectionId] = e; });
      return out;
    },
    /** Unsent entries of other accounts. */
    others() { return me ? othersUnsent(all(), me) : 0; },
    /**
     * Takes over entries of the previous release (no userId) for the inspections `mayClaim` accepts (the
     * inspector's team), stamping them with this user. Returns how many were taken.
     * @param {(inspectionId: string) => boolean} mayClaim
     */
    claim(mayClaim) {
      if (!me) return 0;
      const m = all();
      let n = 0;
      Object.keys(m).forEach((k) => {
        const e = m[k];
        if (!e || e.userId || !mayClaim(e.inspectionId) || m[slot(e.inspectionId)]) return;
        delete m[k];
        m[slot(e.inspectionId)] = { ...e, userId: me };
        n++;
      });
      if (n) write(m);
      return n;
    },
    /** @param {string} id @returns {OutboxEntry | null} */
    get(id) { return all()[slot(id)] || null; },
    /**
     * Applies an event to one inspection's entry and saves; returns the new entry.
     * @param {string} id @param {OutboxEvent} ev @param {Date} [now] @returns {OutboxEntry | null}
     */
    apply(id, ev, now) {
      const m = all();
      const stamped = ev.type === 'queue' && me ? { ...ev, userId: me } : ev;
      const next = nextEntry(m[slot(id)] || null, stamped, now);
      if (next) m[slot(id)] = next; else delete m[slot(id)];
      // drop long-sent entries while we are at it
      const t = (now || new Date()).getTime();
      Object.keys(m).forEach((k) => { const e = m[k]; if (e.state === 'sent' && t - Date.parse(e.sentAt || e.updatedAt) > SENT_KEPT_MS) delete m[k]; });
      write(m);
      return next;
    },
  };
}
