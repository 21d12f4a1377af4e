// @ts-check
/* Talking to the service worker (/sw.js): it keeps the task list, the form pages, their scripts and the form payloads
 * for offline use, and downloads the day's tasks (下载今日任务) into IndexedDB "yian-offline". */
import { noop } from './dom.js';

/** @param {{ type: 'yian:cache' | 'yian:refresh', urls: string[] }} msg */
export function swMessage(msg) {
  if (!('serviceWorker' in navigator) || !navigator.serviceWorker.controller) return;
  try { navigator.serviceWorker.controller.postMessage(msg); } catch (e) { /* ignore */ }
}

/** Registers the worker and has it cache this page and its form payload, even on the very first visit. @param {string[]} urls */
export function registerSw(urls) {
  if (!('serviceWorker' in navigator) || window.isSecureContext === false) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' })
    .then(() => navigator.serviceWorker.ready)
    .then((reg) => { if (reg.active) reg.active.postMessage({ type: 'yian:cache', urls }); })
    .catch(noop);
}

/**
 * 下载今日任务 as the page asks for it: the worker fetches the bundle and caches every task (see sw.js).
 * @typedef {{ ok: boolean, count?: number, savedAt?: string, reason?: 'offline' | 'auth' | 'server' | 'no-worker', status?: number }} DownloadResult
 * @returns {Promise<DownloadResult>}
 */
export function downloadTasks() {
  if (!('serviceWorker' in navigator)) return Promise.resolve({ ok: false, reason: 'no-worker' });
  return navigator.serviceWorker.ready.then((reg) => new Promise((resolve) => {
    const worker = reg.active;
    if (!worker) { resolve({ ok: false, reason: 'no-worker' }); return; }
    const ch = new MessageChannel();
    const timer = setTimeout(() => resolve({ ok: false, reason: 'offline' }), 60000);
    ch.port1.onmessage = (e) => { clearTimeout(timer); resolve(/** @type {DownloadResult} */ (e.data)); };
    worker.postMessage({ type: 'yian:download' }, [ch.port2]);
  }));
}

/**
 * What 下载今日任务 left on the device (IndexedDB "yian-offline" / "kv" / "bundle", written by the worker).
 * @typedef {{ userId?: string, savedAt: string, bundle: { generatedAt: string, inspections: any[] } }} StoredBundle
 * @returns {Promise<StoredBundle | null>}
 */
export function storedBundle() {
  return new Promise((resolve) => {
    if (typeof indexedDB === 'undefined') { resolve(null); return; }
    let r;
    try { r = indexedDB.open('yian-offline', 1); } catch (e) { resolve(null); return; }
    r.onupgradeneeded = () => { r.result.createObjectStore('kv'); };
    r.onerror = () => resolve(null);
    r.onsuccess = () => {
      const db = r.result;
      try {
        const q = db.transaction('kv', 'readonly').objectStore('kv').get('bundle');
        q.onsuccess = () => { db.close(); resolve(q.result || null); };
        q.onerror = () => { db.close(); resolve(null); };
      } catch (e) { db.close(); resolve(null); }
    };
  });
}

/** 本机已用: bytes this site keeps (caches, IndexedDB, storage), or null where the browser does not say. @returns {Promise<number | null>} */
export function storageUsed() {
  if (!navigator.storage || !navigator.storage.estimate) return Promise.resolve(null);
  return navigator.storage.estimate().then((e) => (typeof e.usage === 'number' ? e.usage : null), () => null);
}

/** "1.4 MB" @param {number} bytes */
export function formatBytes(bytes) {
  if (bytes < 1024) return bytes + ' B';
  if (bytes < 1024 * 1024) return (bytes / 1024).toFixed(0) + ' KB';
  return (bytes / 1024 / 1024).toFixed(1) + ' MB';
}

/** The form payload of one inspection from the downloaded bundle (when the worker's cached copy is gone). @param {string} inspectionId */
export function bundledForm(inspectionId) {
  return storedBundle().then((b) => {
    const t = b ? b.bundle.inspections.filter((x) => x && x.id === inspectionId)[0] : null;
    return t ? t.form : null;
  });
}
