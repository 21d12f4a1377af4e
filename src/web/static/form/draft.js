// @ts-check
/*
 * The draft: what the inspector has entered, kept on the device (localStorage "yian.draft.<inspectionId>") and
 * copied to the server (PUT /api/inspections/:id/draft). Pure functions over plain objects — no DOM, so they are
 * unit-tested in Node (draft.spec.ts) and type-checked against the Node lib as well as the browser's.
 */

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
 */

/** The part of the Web Storage API the draft store uses (localStorage in the browser). */
/** @typedef {{ getItem(key: string): string | null, setItem(key: string, value: string): void, removeItem(key: string): void }} KeyValueStore */

/** @param {unknown} s */
export function trim(s) { return String(s == null ? '' : s).trim(); }

/**
 * @param {string} inspectionId
 * @param {Date} [now]
 * @returns {Draft}
 */
export function newDraft(inspectionId, now) {
  return {
    v: 1, inspectionId, checklist: null, rev: 0, serverRev: 0, serverSavedAt: null,
    updatedAt: (now || new Date()).toISOString(), started: false, answers: {},
    signatures: { inspectors: [], rep: { name: '', image: null } },
    submissionId: null, submitPending: false,
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
 * @param {Draft} draft @param {FormItem} item @param {Result} result @param {Date} [now]
 * @returns {boolean} whether anything changed
 */
export function setResult(draft, item, result, now) {
  const a = answerOf(draft, item.code);
  if (a.result === result) return false;
  a.result = result;
  if (result === 'fail') {
    if (!a.severity) a.severity = item.severity === 'major' ? 'major' : 'general';
    if (a.severity === 'major' && !a.majorCriterion) a.majorCriterion = defaultCriterion(item) || null;
  }
  a.answeredAt = (now || new Date()).toISOString();
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

/**
 * The draft in local storage. Saving reports failure instead of throwing: a full or disabled storage must
 * not stop the inspector, only warn them.
 * @param {KeyValueStore | null} storage
 * @param {string} inspectionId
 */
export function draftStore(storage, inspectionId) {
  const key = 'yian.draft.' + inspectionId;
  /** @param {string} k */
  const read = (k) => { try { return storage ? storage.getItem(k) : null; } catch (e) { return null; } };
  return {
    key,
    /** @returns {Draft | null} */
    load() { return parseLocalDraft(read(key), inspectionId); },
    /** @param {Draft} draft @returns {boolean} saved */
    save(draft) {
      try {
        if (!storage) return false;
        storage.setItem(key, JSON.stringify(draft));
        return true;
      } catch (e) { return false; }
    },
    /** Some draft for this inspection is stored (even one that no longer parses). */
    exists() { return !!read(key); },
    remove() { try { if (storage) storage.removeItem(key); } catch (e) { /* ignore */ } },
  };
}
