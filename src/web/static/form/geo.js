// @ts-check
/* The device's position for finding photos and the answer trail: asked for lazily (first photo or answer), never waited on for long. */
import { setFix } from './trail.js';

/** @type {{ pos: { lat: number, lng: number, time: number } | null, pending: Promise<void> | null, denied: boolean }} */
const geo = { pos: null, pending: null, denied: false };

export function askGeo() {
  if (geo.denied || geo.pending || !navigator.geolocation) return;
  if (geo.pos && Date.now() - geo.pos.time < 120000) return;
  geo.pending = new Promise((resolve) => {
    let finished = false;
    function fin() { if (finished) return; finished = true; geo.pending = null; resolve(); }
    try {
      navigator.geolocation.getCurrentPosition((p) => {
        geo.pos = { lat: p.coords.latitude, lng: p.coords.longitude, time: Date.now() };
        setFix({ lat: geo.pos.lat, lng: geo.pos.lng, acc: p.coords.accuracy, time: geo.pos.time }); // 作答轨迹
        fin();
      }, (err) => {
        if (err && err.code === 1) geo.denied = true;
        fin();
      }, { enableHighAccuracy: false, timeout: 10000, maximumAge: 120000 });
    } catch (e) { fin(); }
    setTimeout(fin, 8000);
  });
}

/** Settles when a position request in flight has finished (at once when there is none). */
export function geoSettled() { return geo.pending || Promise.resolve(); }

/**
 * Stamps a photo with the position, if one was fixed within five minutes of taking it.
 * @param {import('./types.js').PhotoMeta} meta
 */
export function attachGeo(meta) {
  if (meta.lat != null || !geo.pos) return;
  const t = Date.parse(meta.takenAt);
  if (isNaN(t) || Math.abs(geo.pos.time - t) > 5 * 60000) return;
  meta.lat = geo.pos.lat;
  meta.lng = geo.pos.lng;
}
