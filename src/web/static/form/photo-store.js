// @ts-check
/*
 * Photo bytes on the device: IndexedDB database "yian", store "photos" (keyPath "key", index "inspectionId").
 * Where IndexedDB is missing or stuck, photos are kept in memory for this page only (`persistent` is false and
 * the status line says so).
 */
import { noop } from './dom.js';

/**
 * @typedef {object} PhotoRecord
 * @property {string} key
 * @property {string} inspectionId
 * @property {string} itemCode
 * @property {string} type
 * @property {ArrayBuffer} [buf]
 * @property {Blob} [blob] records written by older versions of the page
 * @property {string} takenAt
 */

/**
 * @typedef {object} PhotoStore
 * @property {boolean} persistent
 * @property {(rec: PhotoRecord) => Promise<boolean>} put resolves false when kept in memory only
 * @property {(key: string) => Promise<PhotoRecord | null>} get rejects on a storage error
 * @property {(key: string) => Promise<void>} remove
 * @property {() => Promise<PhotoRecord[]>} ofInspection
 * @property {() => Promise<void>} removeAll this inspection's photos
 */

/** @returns {Promise<IDBDatabase | null>} */
function openDb() {
  return new Promise((resolve) => {
    if (!window.indexedDB) return resolve(null);
    /** @type {IDBOpenDBRequest} */
    let req;
    try { req = window.indexedDB.open('yian', 1); } catch (e) { return resolve(null); }
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('photos')) {
        const st = db.createObjectStore('photos', { keyPath: 'key' });
        st.createIndex('inspectionId', 'inspectionId', { unique: false });
      }
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => resolve(null);
    setTimeout(() => resolve(null), 5000); // never hang the page on a stuck IndexedDB
  });
}

/** @param {string} inspectionId @returns {Promise<PhotoStore>} */
export async function openPhotoStore(inspectionId) {
  const db = await openDb();
  /** @type {Record<string, PhotoRecord>} */
  let mem = {};
  /**
   * @template T
   * @param {IDBTransactionMode} mode
   * @param {(st: IDBObjectStore) => IDBRequest<T> | T} fn
   * @returns {Promise<T>}
   */
  const tx = (mode, fn) => new Promise((resolve, reject) => {
    const t = /** @type {IDBDatabase} */ (db).transaction('photos', mode);
    const out = fn(t.objectStore('photos'));
    t.oncomplete = () => resolve(out instanceof IDBRequest ? out.result : out);
    t.onerror = () => reject(t.error);
    t.onabort = () => reject(t.error);
  });
  /** @returns {Promise<PhotoRecord[]>} */
  const ofInspection = () => {
    if (!db) return Promise.resolve(Object.keys(mem).map((k) => mem[k]));
    return tx('readonly', (st) => /** @type {IDBRequest<PhotoRecord[]>} */ (st.index('inspectionId').getAll(inspectionId)))
      .then((r) => r || [], () => []);
  };
  return {
    persistent: !!db,
    put(rec) {
      if (!db) { mem[rec.key] = rec; return Promise.resolve(false); }
      return tx('readwrite', (st) => { st.put(rec); return true; }).then(() => true);
    },
    get(key) {
      if (!db) return Promise.resolve(mem[key] || null);
      return tx('readonly', (st) => /** @type {IDBRequest<PhotoRecord | undefined>} */ (st.get(key))).then((r) => r || null);
    },
    remove(key) {
      delete mem[key];
      if (!db) return Promise.resolve();
      return tx('readwrite', (st) => { st.delete(key); }).catch(noop);
    },
    ofInspection,
    removeAll() {
      mem = {};
      if (!db) return Promise.resolve();
      return ofInspection().then((recs) => tx('readwrite', (st) => { recs.forEach((r) => st.delete(r.key)); })).catch(noop);
    },
  };
}

/** @param {PhotoRecord} rec @returns {Blob} */
export function recBlob(rec) {
  if (rec.blob) return rec.blob;
  return new Blob(rec.buf ? [rec.buf] : [], { type: rec.type || 'image/jpeg' });
}

/** @param {Blob} blob @returns {Promise<ArrayBuffer>} */
export function blobToBuffer(blob) {
  if (blob.arrayBuffer) return blob.arrayBuffer();
  return new Promise((resolve, reject) => {
    const fr = new FileReader();
    fr.onload = () => resolve(/** @type {ArrayBuffer} */ (fr.result));
    fr.onerror = () => reject(fr.error);
    fr.readAsArrayBuffer(blob);
  });
}
