// @ts-check
/*
 * The page's one mutable state, shared by the DOM modules (render, sync, photos, panel, main). `setUp` fills it
 * from the page shell (src/web/inspection-form.page.ts) before anything else runs.
 */
import { draftStore } from './draft.js';

/** @typedef {import('./types.js').Form} Form */
/** @typedef {import('./types.js').Draft} Draft */
/** @typedef {import('./types.js').FormItem} FormItem */
/** @typedef {import('./types.js').Requirements} Requirements */
/** @typedef {import('./types.js').MajorCriterion} MajorCriterion */
/** @typedef {import('./signature-pad.js').Pad} Pad */
/** @typedef {import('./photo-store.js').PhotoStore} PhotoStore */

/** Constants of this page: which inspection, where its API is, the session's CSRF token. */
export const env = {
  inspectionId: '',
  /** The signed-in inspector (data-user-id of the page). */
  userId: '',
  csrf: '',
  /** /api/inspections/<id> */
  api: '',
  /** Fallback copy of the form payload when there is no service worker. */
  formKey: '',
  drafts: draftStore(null, ''),
};

/** @param {string} id @returns {HTMLElement} */
function byId(id) {
  const n = document.getElementById(id);
  if (!n) throw new Error('#' + id + ' is missing from the page');
  return n;
}

/**
 * The page's fixed elements (test hooks and layout: see inspection-form.page.ts).
 * @typedef {object} Ui
 * @property {HTMLElement} root
 * @property {HTMLElement} meta
 * @property {HTMLElement} status
 * @property {HTMLElement} progress
 * @property {HTMLElement} bar
 * @property {HTMLElement} action
 * @property {HTMLElement} error
 * @property {HTMLElement} nav
 * @property {HTMLElement} items
 * @property {HTMLElement} panel
 * @property {HTMLElement} panelTitle
 * @property {HTMLElement} missingSummary
 * @property {HTMLElement} missingList
 * @property {HTMLElement} photoNote
 * @property {HTMLElement} teamRule
 * @property {HTMLElement} teamSigs
 * @property {HTMLElement} addSigner
 * @property {HTMLElement} repSig
 * @property {HTMLElement} submitErrors
 * @property {HTMLButtonElement} confirm
 * @property {HTMLElement} submitState
 * @property {HTMLElement} result
 * @property {HTMLElement} actionBar
 * @property {HTMLElement} openSubmit
 * @property {HTMLElement} nextUnanswered
 */
/** Filled by `setUp`. */
export const ui = /** @type {Ui} */ ({});

/**
 * @typedef {object} State
 * @property {Form | null} form
 * @property {Requirements} req the server's submission requirements (set with `form`)
 * @property {Draft | null} draft
 * @property {Record<string, FormItem>} items
 * @property {string[]} order item codes in checklist order
 * @property {Record<string, MajorCriterion>} criteria
 * @property {boolean} formFromCache
 * @property {string} loadError
 * @property {boolean} offline the last request got no answer from the network
 * @property {boolean} authExpired
 * @property {boolean} csrfExpired
 * @property {ReturnType<typeof setTimeout> | undefined} draftTimer
 * @property {boolean} draftInFlight
 * @property {string} draftError
 * @property {Promise<void> | null} uploading
 * @property {string} uploadError an error that stops the whole upload queue
 * @property {Record<string, string>} uploadErrors per photo key: refused, stays queued
 * @property {string | null} uploadingKey
 * @property {boolean} submitting
 * @property {boolean} startInFlight
 * @property {boolean} syncing
 * @property {string} localSaveError
 * @property {Record<string, string>} photoUrls blob: previews by photo key
 * @property {PhotoStore} photos
 * @property {Pad[]} pads inspectors' pads
 * @property {Pad | null} repPad
 * @property {boolean} panelOpen
 * @property {boolean} showProblems
 * @property {boolean} done submitted: nothing is saved or synced any more
 * @property {string} notice restore message shown once the form is up
 * @property {Record<string, string>} notices
 * @property {ReturnType<typeof setInterval> | undefined} timer
 * @property {import('./bulk.js').BulkPlan | null} bulkConfirm the bulk action waiting for its inline confirmation
 * @property {Record<string, import('./bulk.js').BulkUndo>} bulkUndo the one undo of each section
 * @property {boolean} bulkNoAsk the inspector chose 不再询问 for bulk actions on this page
 * @property {Record<string, string>} bulkNote per section: what the last undo did (items kept because edited by hand since)
 * @property {string} search the item search text
 */

/** @type {State} */
export const S = {
  form: null, req: { items: {}, majorCriteria: [], inspectorSignatures: 0, institutionSignature: false },
  draft: null, items: {}, order: [], criteria: {}, formFromCache: false, loadError: '',
  offline: !navigator.onLine, authExpired: false, csrfExpired: false,
  draftTimer: undefined, draftInFlight: false, draftError: '', uploading: null, uploadError: '',
  uploadErrors: {}, uploadingKey: null, submitting: false, startInFlight: false, syncing: false,
  localSaveError: '', photoUrls: {}, photos: /** @type {PhotoStore} */ ({}), pads: [], repPad: null,
  panelOpen: false, showProblems: false, done: false, notice: '', notices: {}, timer: undefined,
  bulkConfirm: null, bulkUndo: {}, bulkNoAsk: false, bulkNote: {}, search: '',
};

/** The form, once loaded (every module that needs it runs after `init` has it). @returns {Form} */
export function form() {
  if (!S.form) throw new Error('form not loaded');
  return S.form;
}

/** The draft, once loaded. @returns {Draft} */
export function draft() {
  if (!S.draft) throw new Error('draft not loaded');
  return S.draft;
}

/** Reads the page shell. @param {HTMLElement} root */
export function setUp(root) {
  env.inspectionId = root.getAttribute('data-inspection-id') || '';
  env.csrf = root.getAttribute('data-csrf') || '';
  env.api = '/api/inspections/' + encodeURIComponent(env.inspectionId);
  env.formKey = 'yian.form.' + env.inspectionId;
  env.userId = root.getAttribute('data-user-id') || ''; // shared phone: drafts and outbox entries are per inspector
  env.drafts = draftStore(safeLocalStorage(), env.inspectionId, env.userId || undefined);
  const u = /** @type {Record<string, HTMLElement>} */ (/** @type {unknown} */ (ui));
  u.root = root;
  /** @type {Record<string, string>} */
  const ids = {
    meta: 'insp-meta', status: 'sync-status', progress: 'progress', bar: 'progress-bar', action: 'sync-action', error: 'form-error',
    nav: 'category-nav', items: 'form-items', panel: 'submit-panel', panelTitle: 'submit-panel-title', missingSummary: 'missing-summary',
    missingList: 'missing-list', photoNote: 'photo-pending-note', teamRule: 'team-signature-rule', teamSigs: 'team-signatures',
    addSigner: 'add-signer', repSig: 'rep-signature', submitErrors: 'submit-errors', confirm: 'confirm-submit', submitState: 'submit-state',
    result: 'submit-result', actionBar: 'action-bar', openSubmit: 'open-submit', nextUnanswered: 'next-unanswered',
  };
  Object.keys(ids).forEach((k) => { u[k] = byId(ids[k]); });
}

/** localStorage, or null where reading it throws (some private modes). */
function safeLocalStorage() {
  try { return window.localStorage; } catch (e) { return null; }
}

/** @param {string} key @returns {unknown} */
export function readJson(key) {
  try { const raw = localStorage.getItem(key); return raw ? JSON.parse(raw) : null; } catch (e) { return null; }
}

/** No network as far as the page knows: the browser says so, or the last request got no answer. */
export function isOffline() { return !navigator.onLine || S.offline; }
