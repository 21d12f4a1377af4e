// @ts-check
/* Talking to the service worker (/sw.js): it keeps the form page, its scripts and the form payload for offline use. */
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
