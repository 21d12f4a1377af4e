// @ts-check
/*
 * The draft: what the inspector has entered, kept on the device (localStorage "yian.draft.<inspectionId>") and
 * copied to the server (PUT /api/inspections/:id/draft). Pure functions over plain objects — no DOM, so they are
 * unit-tested in Node (draft.spec.ts) and type-checked against the Node lib as well as the browser's.
 */

import { noteStep, submittedTrail } from './trail.js';

/** @typedef {import('./types.js').Draft} Draft */
/** @typedef {import('./types.js').Answer} Answer */
/** @typedef {import('./types.js').PhotoMeta} PhotoMeta */
/** @typedef {import('./types.js').FormItem} FormItem */
/** @typedef {import('./types.js').TeamMember} TeamMember */
/** @typedef {import('./types.js').Result} Result */

/**
 * One response of the submit body (the server's SubmitInspectionDto).
 * @typedef {object} SubmittedResponse
 * @property {string} itemCode
 * @property {Result | null} result null only for an unanswered item, which the rules stop before submitting
 * @property {string} [note]
 * @property {string} [location]
 * @property {import('./types.js').Severity} [severity]
 * @property {string | null} [majorCriterion]
 * @property {import('./types.js').FindingScope | null} [scope]
 * @property {string[]} [evidenceIds]
 * @property {boolean} [suspectedMajor]
 * @property {string} [suspectedReason]
 * @property {import('./types.js').TrailStep[]} [trail] 作答轨迹
 */

/** The part of the Web Storage API the draft store uses (localStorage in the browser). */
/** @typedef {{ getItem(key: string): string | null, setItem(key: string, value: string): void, removeItem(key: string): void }} KeyValueStore */

/** @param {unknown} s */
export function trim(s) { return String(s == null ? '' : s).trim(); }

/**
 * @param {string} inspectionId
 * @param {Date} [now]
 * @param {string | null} [owner] the signed-in inspector whose draft it is (a shared phone keeps each one's apart)
 * @returns {Draft}
 */
export function newDraft(inspectionId, now, owner) {
  return {
    v: 1, inspectionId, owner: owner || null, checklist: null, rev: 0, serverRev: 0, serverSavedAt: null,
    updatedAt: (now || new Date()).toISOString(), started: false, answers: {},
    signatures: { inspectors: [], rep: { name: '', image: null } },
    submissionId: null, submitPending: false, base: {}, team: null,
  };
}

/**
 * A draft read back from storage or the server, with every field present and of the right kind.
 * @param {Record<string, any>} d
 * @param {string} inspectionId
 * @returns {Draft}
 */
export function normalizeDraft(d, inspectionId) {
  const n = newDraft(inspectionId);
  const out = /** @type {Record<string, any>} */ (n);
  Object.keys(n).forEach((k) => { if (d[k] !== undefined && d[k] !== null) out[k] = d[k]; });
  if (typeof n.answers !== 'object') n.answers = {};
  Object.keys(n.answers).forEach((code) => {
    const a = n.answers[code] || /** @type {Answer} */ ({});
    if (!Array.isArray(a.photos)) a.photos = [];
    n.answers[code] = a;
  });
  if (!n.base || typeof n.base !== 'object' || Array.isArray(n.base)) n.base = {};
  if (n.team && (typeof n.team !== 'object' || !Array.isArray(n.team.conflicts))) n.team = null;
  n.owner = typeof n.owner === 'string' && n.owner ? n.owner : null;
  const sig = /** @type {Record<string, any>} */ (n.signatures || {});
  n.signatures = {
    inspectors: Array.isArray(sig.inspectors) ? sig.inspectors.filter(Boolean) : [],
    rep: sig.rep && typeof sig.rep === 'object' ? { name: sig.rep.name || '', image: sig.rep.image || null } : { name: '', image: null },
  };
  return n;
}

/**
 * The local draft, if storage holds one for this inspection.
 * @param {string | null} raw
 * @param {string} inspectionId
 * @returns {Draft | null}
 */
export function parseLocalDraft(raw, inspectionId) {
  /** @type {unknown} */
  let d = null;
  try { d = raw ? JSON.parse(raw) : null; } catch (e) { return null; }
  if (!d || typeof d !== 'object') return null;
  const rec = /** @type {Record<string, any>} */ (d);
  if (rec.inspectionId !== inspectionId) return null;
  return normalizeDraft(rec, inspectionId);
}

/**
 * The server's copy, taken over on a device with no local draft. Photos that never reached the server cannot be
 * restored here (their bytes are on the other device): they are dropped and counted.
 * @param {Record<string, any>} d
 * @param {string | null} savedAt
 * @param {string} inspectionId
 * @returns {{ draft: Draft, dropped: number }}
 */
export function adoptServerDraft(d, savedAt, inspectionId) {
  const x = normalizeDraft(d, inspectionId);
  x.inspectionId = inspectionId;
  x.rev = 0; x.serverRev = 0; x.serverSavedAt = savedAt || null; x.submitPending = false;
  let dropped = 0;
  Object.keys(x.answers).forEach((code) => {
    const a = x.answers[code];
    a.photos = a.photos.filter((p) => {
      if (p && p.evidenceId) { p.missing = false; return true; }
      dropped++;
      return false;
    });
  });
  return { draft: x, dropped };
}

/**
 * What the server keeps: everything except the signature images (large, re-sent on every stroke, and only
 * meaningful for the on-site submit; they stay in the local draft and go to the server with the submit).
 * @param {Draft} draft
 * @returns {Draft}
 */
export function serverCopy(draft) {
  /** @type {Draft} */
  const d = JSON.parse(JSON.stringify(draft));
  d.signatures = {
    inspectors: d.signatures.inspectors.map((s) => ({ userId: (s && s.userId) || '', image: null })),
    rep: { name: d.signatures.rep.name || '', image: null },
  };
  return d;
}

/** Changes the server has not acknowledged yet. @param {Draft | null} draft */
export function isDirty(draft) { return !!draft && draft.rev !== draft.serverRev; }

/** A local change: bumps the revision the server copy is compared against. @param {Draft} draft @param {Date} [now] */
export function touch(draft, now) {
  draft.rev++;
  draft.updatedAt = (now || new Date()).toISOString();
}

/** The server stored revision `rev`. @param {Draft} draft @param {number} rev @param {string} savedAt */
export function acknowledge(draft, rev, savedAt) {
  draft.serverRev = Math.max(draft.serverRev, rev);
  draft.serverSavedAt = savedAt;
}

/** The answer to an item, created empty on first use. @param {Draft} draft @param {string} code @returns {Answer} */
export function answerOf(draft, code) {
  let a = draft.answers[code];
  if (!a) { a = { result: null, photos: [] }; draft.answers[code] = a; }
  return a;
}

/** @param {Draft | null} draft @param {string[]} order */
export function answeredCount(draft, order) {
  let n = 0;
  order.forEach((c) => { const a = draft && draft.answers[c]; if (a && a.result) n++; });
  return n;
}

/** The 判定标准 a major finding on this item starts from (the form is sent only criteria with verified text). @param {FormItem} item */
export function defaultCriterion(item) { return item.majorCriterion || item.escalatesTo || ''; }

/**
 * Records 合格 / 不合格 / 不适用. A first 不合格 takes the item's own grade (and criterion, when major).
 * `step` names the trail step: 'result' for a tap on the item, 'bulkPass' / 'bulkNa' for 本节其余合格 / 本节不适用 (bulk.js).
 * @param {Draft} draft @param {FormItem} item @param {Result} result @param {Date} [now] @param {'result' | 'bulkPass' | 'bulkNa'} [step]
 * @returns {boolean} whether anything changed
 */
export function setResult(draft, item, result, now, step) {
  const a = answerOf(draft, item.code);
  if (a.result === result) return false;
  a.result = result;
  if (result === 'fail') {
    if (!a.severity) a.severity = item.severity === 'major' ? 'major' : 'general';
    if (a.severity === 'major' && !a.majorCriterion) a.majorCriterion = defaultCriterion(item) || null;
  }
  a.answeredAt = (now || new Date()).toISOString();
  a.editedAt = a.answeredAt;
  noteStep(a, step || 'result', now); // 作答轨迹; a bulk step is told apart from a tap
  return true;
}

/**
 * One finding field from the form. Choosing 重大 fills in the item's default criterion.
 * @param {Draft} draft @param {FormItem} item @param {string} field @param {string} value
 * @returns {boolean} whether the field is one the draft keeps
 */
export function setField(draft, item, field, value) {
  const a = answerOf(draft, item.code);
  if (field === 'severity') {
    a.severity = value === 'major' ? 'major' : 'general';
    // 重大 with a criterion and 疑似重大隐患 exclude each other.
    if (a.severity === 'major') a.suspectedMajor = false;
    if (a.severity === 'major' && !a.majorCriterion) a.majorCriterion = defaultCriterion(item) || null;
  } else if (field === 'majorCriterion') {
    a.majorCriterion = value || null;
  } else if (field === 'suspectedMajor') {
    // 疑似重大隐患: general until the bureau decides, with no criterion of its own.
    a.suspectedMajor = value === 'true';
    if (a.suspectedMajor) { a.severity = 'general'; a.majorCriterion = null; }
  } else if (field === 'suspectedReason') {
    a.suspectedReason = value;
  } else if (field === 'scope') {
    a.scope = value === 'single' || value === 'multiple' || value === 'widespread' ? value : null;
  } else if (field === 'note' || field === 'location') {
    a[field] = value;
  } else return false;
  a.editedAt = new Date().toISOString();
  noteStep(a, field); // 作答轨迹
  return true;
}

/** Photos whose bytes are still somewhere (on the device or the server). @param {Answer | null | undefined} a */
export function usablePhotos(a) { return ((a && a.photos) || []).filter((p) => !p.missing); }

/**
 * All photos not yet on the server, in draft order.
 * @param {Draft | null} draft
 * @returns {{ code: string, meta: PhotoMeta }[]}
 */
export function pendingPhotos(draft) {
  /** @type {{ code: string, meta: PhotoMeta }[]} */
  const out = [];
  if (!draft) return out;
  Object.keys(draft.answers).forEach((code) => {
    (draft.answers[code].photos || []).forEach((p) => {
      if (!p.evidenceId && !p.missing) out.push({ code, meta: p });
    });
  });
  return out;
}

/**
 * Marks photos the draft lists whose bytes are no longer on the device and never reached the server.
 * @param {Draft} draft
 * @param {Set<string>} stored keys the photo store holds
 * @returns {number} how many were newly found lost
 */
export function markLostPhotos(draft, stored) {
  let lost = 0;
  Object.keys(draft.answers).forEach((code) => {
    draft.answers[code].photos.forEach((p) => {
      if (!p.evidenceId && !stored.has(p.key) && !p.missing) { p.missing = true; lost++; }
    });
  });
  return lost;
}

/** Locations entered so far, each once (suggested for the next finding). @param {Draft} draft */
export function knownLocations(draft) {
  /** @type {string[]} */
  const out = [];
  Object.keys(draft.answers).forEach((c) => {
    const l = trim(draft.answers[c].location);
    if (l && out.indexOf(l) < 0) out.push(l);
  });
  return out;
}

/**
 * The POST /api/inspections/:id/submit body: one response per item in checklist order; the distinct inspectors
 * who chose a name and signed; the institution's representative.
 * @param {Draft} draft @param {string[]} order @param {TeamMember[]} team
 */
export function submissionPayload(draft, order, team) {
  const responses = order.map((code) => {
    const a = draft.answers[code] || { result: null, photos: [] };
    /** @type {SubmittedResponse} */
    const r = { itemCode: code, result: a.result || null };
    const trail = submittedTrail(a); // 作答轨迹
    if (trail) r.trail = trail;
    if (a.result === 'fail') {
      const severity = a.severity === 'major' ? 'major' : 'general';
      r.note = trim(a.note);
      r.location = trim(a.location);
      r.severity = severity;
      r.majorCriterion = severity === 'major' ? (a.majorCriterion || null) : null;
      r.scope = a.scope;
      r.evidenceIds = usablePhotos(a).map((p) => p.evidenceId || '').filter(Boolean);
      if (a.suspectedMajor) {
        r.suspectedMajor = true;
        r.suspectedReason = trim(a.suspectedReason);
      }
    } else if (trim(a.note)) {
      r.note = trim(a.note);
    }
    return r;
  });
  /** @type {{ role: 'inspector' | 'institution_representative', userId?: string, signerName: string, image: string | null }[]} */
  const signatures = [];
  /** @type {Record<string, boolean>} */
  const seen = {};
  draft.signatures.inspectors.forEach((s) => {
    if (!s || !s.userId || !s.image || seen[s.userId]) return;
    seen[s.userId] = true;
    const m = team.filter((t) => t.userId === s.userId)[0];
    signatures.push({ role: 'inspector', userId: s.userId, signerName: m ? m.displayName : '', image: s.image });
  });
  const rep = draft.signatures.rep;
  signatures.push({ role: 'institution_representative', signerName: trim(rep.name), image: rep.image });
  return { submissionId: draft.submissionId, responses, signatures };
}

/** The owner written in a stored draft (null: none, or unreadable). @param {string | null} raw @returns {string | null} */
export function ownerOfRaw(raw) {
  try {
    const d = raw ? JSON.parse(raw) : null;
    return d && typeof d === 'object' && typeof d.owner === 'string' && d.owner ? d.owner : null;
  } catch (e) { return null; }
}

/**
 * The draft in local storage. Saving reports failure instead of throwing: a full or disabled storage must
 * not stop the inspector, only warn them.
 * Shared phone: with a `userId` the store is that inspector's. The draft lives in "yian.draft.<id>" unless that key
 * holds another inspector's draft: then this one's goes to "yian.draft.<id>@<userId>" and the other's is never read,
 * pushed or overwritten here (`foreign()` tells the page it is there). A draft of the previous release (no owner) is
 * taken over by the first signed-in inspector who opens it (stamped on load).
 * @param {KeyValueStore | null} storage
 * @param {string} inspectionId
 * @param {string} [userId]
 */
export function draftStore(storage, inspectionId, userId) {
  const primary = 'yian.draft.' + inspectionId;
  const alt = userId ? primary + '@' + userId : primary;
  /** @param {string} k */
  const read = (k) => { try { return storage ? storage.getItem(k) : null; } catch (e) { return null; } };
  /** @returns {string} where this inspector's draft is (read fresh: another tab may have removed the other's) */
  const keyNow = () => {
    if (!userId || read(alt)) return alt;
    const raw = read(primary);
    const owner = ownerOfRaw(raw);
    return !raw || !owner || owner === userId ? primary : alt;
  };
  /** @param {Draft} draft @returns {boolean} */
  const save = (draft) => {
    try {
      if (!storage) return false;
      if (userId) draft.owner = userId;
      storage.setItem(keyNow(), JSON.stringify(draft));
      return true;
    } catch (e) { return false; }
  };
  return {
    get key() { return keyNow(); },
    /** @returns {Draft | null} */
    load() {
      const d = parseLocalDraft(read(keyNow()), inspectionId);
      if (d && userId && !d.owner) save(d); // previous release's draft: adopted by its first opener
      return d;
    },
    save,
    /** Some draft for this inspection is stored (even one that no longer parses). */
    exists() { return !!read(keyNow()); },
    remove() { try { if (storage) storage.removeItem(keyNow()); } catch (e) { /* ignore */ } },
    /** Another inspector's draft of this inspection kept on the device (never sent from this session). @returns {string | null} its owner */
    foreign() {
      if (!userId) return null;
      const owner = ownerOfRaw(read(primary));
      return owner && owner !== userId ? owner : null;
    },
  };
}

// ---------------------------------------------------------------- team drafts (per-item merge on the server)

/** @typedef {import('./types.js').TeamView} TeamView */
/** @typedef {import('./types.js').TeamConflict} TeamConflict */

/** @param {unknown} v @returns {string} JSON with sorted keys, so two equal answers compare equal. */
export function canonical(v) {
  if (Array.isArray(v)) return '[' + v.map(canonical).join(',') + ']';
  if (v && typeof v === 'object') {
    const o = /** @type {Record<string, unknown>} */ (v);
    return '{' + Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => JSON.stringify(k) + ':' + canonical(o[k])).join(',') + '}';
  }
  return JSON.stringify(v == null ? null : v);
}

/**
 * An answer as the server keeps it: everything but what only this device knows (a photo's `missing` flag and its
 * blob preview), so the same answer on two devices compares equal.
 * @param {Answer | null | undefined} a
 * @returns {Answer | null}
 */
export function wireAnswer(a) {
  if (!a) return null;
  /** @type {Answer} */
  const out = JSON.parse(JSON.stringify(a));
  out.photos = (out.photos || []).map((p) => { const q = Object.assign({}, p); delete q.missing; delete q.remote; return q; });
  return out;
}

/** @param {Answer | null | undefined} a */
function isEmptyAnswer(a) {
  return !a || (!a.result && !(a.photos && a.photos.length) && !trim(a.note) && !trim(a.location));
}

/**
 * Items changed on this device since the server version they started from (their base).
 * @param {Draft} draft
 * @returns {string[]}
 */
export function changedItems(draft) {
  return Object.keys(draft.answers).filter((code) => {
    const a = draft.answers[code];
    const b = draft.base[code];
    if (!b && isEmptyAnswer(a)) return false;
    return canonical(wireAnswer(a)) !== canonical(b ? b.answer : null);
  });
}

/**
 * The PUT /api/inspections/:id/draft body: only the changed items, each with the revision it started from.
 * Also returns what was sent, to recognise on the answer which items were not edited again meanwhile.
 * @param {Draft} draft @param {Date} [now]
 */
export function draftChanges(draft, now) {
  const when = (now || new Date()).toISOString();
  /** @type {Record<string, string>} */
  const sent = {};
  const items = changedItems(draft).map((code) => {
    const a = draft.answers[code];
    const answer = wireAnswer(a);
    sent[code] = canonical(answer);
    const b = draft.base[code];
    return { itemCode: code, answer, baseRev: b ? b.rev : 0, answeredAt: a.editedAt || a.answeredAt || when };
  });
  return { body: { items, savedAt: when }, sent };
}

/**
 * A server answer taken over on this device: photos uploaded by anyone come along; a teammate's photo not yet
 * uploaded keeps its place (its bytes are on the other phone) but is marked missing here.
 * @param {Answer} server @param {Answer | undefined} local @param {(key: string) => boolean} [onDevice]
 * @returns {Answer}
 */
function adoptAnswer(server, local, onDevice) {
  /** @type {Answer} */
  const a = JSON.parse(JSON.stringify(server));
  const mine = {};
  ((local && local.photos) || []).forEach((p) => { /** @type {Record<string, PhotoMeta>} */ (mine)[p.key] = p; });
  a.photos = (a.photos || []).map((p) => {
    const here = /** @type {Record<string, PhotoMeta>} */ (mine)[p.key];
    if (p.evidenceId) return p;
    if (here && !here.missing) return Object.assign({}, p, { missing: false });
    const bytesHere = !!(onDevice && onDevice(p.key));
    return bytesHere ? Object.assign({}, p, { missing: false }) : Object.assign({}, p, { missing: true, remote: true });
  });
  return a;
}

/**
 * Takes in the team's merged draft (the answer to a save, or a pull). Items not changed here since their base take
 * the server's answer; an item sent and not edited again takes its new base; an item in an open conflict where this
 * inspector has a side keeps his own answer (the conflict card shows both). Items edited meanwhile stay as they are.
 * @param {Draft} draft
 * @param {TeamView} view
 * @param {Record<string, string>} [sent] what the save carried (draftChanges().sent)
 * @param {(key: string) => boolean} [onDevice] whether a photo's bytes are in this device's store
 * @returns {{ adopted: string[], conflictCodes: string[] }} items whose answer changed here; items with a conflict before or after
 */
export function applyTeamView(draft, view, sent, onDevice) {
  /** @type {string[]} */
  const adopted = [];
  const was = ((draft.team && draft.team.conflicts) || []).map((c) => c.itemCode);
  const items = view.items || {};
  const conflicts = view.conflicts || [];
  Object.keys(items).forEach((code) => {
    const srv = items[code];
    const loc = draft.answers[code];
    const b = draft.base[code];
    const locCanon = canonical(wireAnswer(loc));
    const dirty = !!loc && !isEmptyAnswer(loc) && locCanon !== canonical(b ? b.answer : null);
    const sentUnchanged = !!sent && sent[code] !== undefined && sent[code] === locCanon;
    const conflict = conflicts.filter((c) => c.itemCode === code)[0];
    const mySide = conflict ? conflict.sides.filter((x) => x.by === view.me)[0] : undefined;
    if (mySide) {
      if (!dirty || sentUnchanged) draft.base[code] = { rev: srv.rev, answer: loc ? wireAnswer(loc) : mySide.answer };
      if (!loc) { draft.answers[code] = adoptAnswer(mySide.answer, undefined, onDevice); draft.base[code] = { rev: srv.rev, answer: wireAnswer(draft.answers[code]) }; adopted.push(code); }
      return;
    }
    if (dirty && !sentUnchanged && locCanon !== canonical(srv.answer)) return; // edited meanwhile: sent next time
    const next = adoptAnswer(srv.answer, loc, onDevice);
    if (canonical(wireAnswer(next)) !== locCanon) adopted.push(code);
    draft.answers[code] = next;
    draft.base[code] = { rev: srv.rev, answer: wireAnswer(next) };
  });
  draft.team = {
    me: view.me, conflicts, assignments: view.assignments || [],
    names: Object.keys(items).reduce((m, code) => { const i = items[code]; if (i.by && i.byName) m[i.by] = i.byName; return m; }, /** @type {Record<string, string>} */ ({})),
  };
  const now = conflicts.map((c) => c.itemCode);
  return { adopted, conflictCodes: was.concat(now.filter((c) => was.indexOf(c) < 0)) };
}

/** The open conflict on an item, if any. @param {Draft | null} draft @param {string} code @returns {TeamConflict | null} */
export function conflictOf(draft, code) {
  const list = (draft && draft.team && draft.team.conflicts) || [];
  return list.filter((c) => c.itemCode === code)[0] || null;
}

/** Open conflicts, in checklist order. @param {Draft | null} draft @param {string[]} order @returns {TeamConflict[]} */
export function openConflicts(draft, order) {
  const list = ((draft && draft.team && draft.team.conflicts) || []).slice();
  return list.sort((x, y) => order.indexOf(x.itemCode) - order.indexOf(y.itemCode));
}
