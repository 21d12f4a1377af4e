// @ts-check
/*
 * Finding photos: taken or picked on the item, downscaled on the device (≤ 1600 px, JPEG q≈0.8), kept in the
 * photo store, listed in the draft, and queued for upload.
 */
import { answerOf } from './draft.js';
import { exifGps } from './exif.js';
import { askGeo, attachGeo } from './geo.js';
import { blobToBuffer } from './photo-store.js';
import { itemEl, setItemMsg, updateItem } from './render.js';
import { S, draft, env } from './state.js';
import { changed, uploadAll } from './sync.js';

const MAX_SIDE = 1600;
const JPEG_QUALITY = 0.8;

/** @param {Blob} file @returns {Promise<{ img: HTMLImageElement, url: string }>} */
function loadImage(file) {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => resolve({ img, url });
    img.onerror = () => { URL.revokeObjectURL(url); reject(new Error('decode')); };
    img.src = url;
  });
}

/**
 * ≤ 1600 px longest side, JPEG q≈0.8, drawn through <img> so EXIF orientation is applied.
 * @param {File} file
 * @returns {Promise<Blob>}
 */
export function downscale(file) {
  return loadImage(file).then((r) => {
    const img = r.img;
    const w = img.naturalWidth || img.width;
    const h = img.naturalHeight || img.height;
    if (!w || !h) { URL.revokeObjectURL(r.url); throw new Error('decode'); }
    const scale = Math.min(1, MAX_SIDE / Math.max(w, h));
    const c = document.createElement('canvas');
    c.width = Math.max(1, Math.round(w * scale));
    c.height = Math.max(1, Math.round(h * scale));
    const ctx = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d'));
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, c.width, c.height);
    ctx.drawImage(img, 0, 0, c.width, c.height);
    URL.revokeObjectURL(r.url);
    return /** @type {Promise<Blob>} */ (new Promise((resolve, reject) => {
      if (c.toBlob) {
        c.toBlob((b) => { if (b) resolve(b); else reject(new Error('encode')); }, 'image/jpeg', JPEG_QUALITY);
      } else {
        const bin = atob(c.toDataURL('image/jpeg', JPEG_QUALITY).split(',')[1]);
        const arr = new Uint8Array(bin.length);
        for (let i = 0; i < bin.length; i++) arr[i] = bin.charCodeAt(i);
        resolve(new Blob([arr], { type: 'image/jpeg' }));
      }
    })).then((b) => { c.width = 0; c.height = 0; return b; });
  }).catch((e) => {
    // cannot decode here (e.g. an unusual format): keep an original JPEG rather than lose it
    if (file.type === 'image/jpeg' && file.size < 15 * 1024 * 1024) return file;
    throw e;
  });
}

/** The files chosen on an item's photo input, one after another. @param {string} code @param {HTMLInputElement} input */
export function addPhotos(code, input) {
  const files = Array.prototype.slice.call(input.files || []);
  input.value = '';
  if (!files.length) return;
  askGeo();
  setItemMsg(code, '正在处理照片…');
  let failed = 0;
  files.reduce((/** @type {Promise<void>} */ p, /** @type {File} */ f) => p.then(() => addPhoto(code, f).catch(() => { failed++; })), Promise.resolve())
    .then(() => {
      setItemMsg(code, failed ? failed + ' 张照片无法读取，请重新拍摄。' : '照片已保存在本机。', failed > 0);
      uploadAll();
    });
}

/** @param {string} code @param {File} file @returns {Promise<void>} */
function addPhoto(code, file) {
  const takenAt = new Date().toISOString();
  /** @type {{ lat: number, lng: number } | null} */
  let camera = null;
  // The camera's own position, read before downscaling drops the Exif block (shown in the viewer).
  const head = file.type === 'image/jpeg' || /\.jpe?g$/i.test(file.name || '') ? blobToBuffer(file.slice(0, 256 * 1024)).then((b) => { camera = exifGps(b); }, () => {}) : Promise.resolve();
  return head.then(() => downscale(file)).then((blob) => {
    const key = 'p' + Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
    const type = blob.type || 'image/jpeg';
    return blobToBuffer(blob)
      .then((buf) => S.photos.put({ key, inspectionId: env.inspectionId, itemCode: code, type, buf, takenAt }))
      .then(() => {
        /** @type {import('./types.js').PhotoMeta} */
        const meta = { key, evidenceId: null, url: null, takenAt, lat: null, lng: null, bytes: blob.size, ...(camera ? { exif: camera } : {}) };
        attachGeo(meta);
        answerOf(draft(), code).photos.push(meta);
        S.photoUrls[key] = URL.createObjectURL(blob);
        changed();
        updateItem(code);
      });
  });
}

/** @param {string} code @param {string} key */
export function removePhoto(code, key) {
  const a = answerOf(draft(), code);
  const i = a.photos.findIndex((p) => p.key === key);
  if (i < 0) return;
  a.photos.splice(i, 1);
  if (S.photoUrls[key]) { URL.revokeObjectURL(S.photoUrls[key]); delete S.photoUrls[key]; }
  delete S.uploadErrors[key];
  S.photos.remove(key);
  changed();
  updateItem(code);
  setItemMsg(code, '已删除 1 张照片。');
  const sec = itemEl(code);
  const next = sec && /** @type {HTMLElement | null} */ (sec.querySelector('.thumb-remove') || sec.querySelector('.photo-btn'));
  if (next && next.focus) next.focus();
}
