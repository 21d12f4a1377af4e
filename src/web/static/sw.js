/*
 * 颐安 service worker — offline shell for the inspector's form page (served at /sw.js, scope /).
 *   /static/*                                  cache-first (refreshed in the background)
 *   navigations to /inspections/<id>/fill      network-first, cached copy when offline / slow / 5xx
 *   GET /api/inspections/<id>/form             network-first, cached copy marked "X-Yian-Cache: hit"
 * Everything else (other API calls, POST/PUT, other pages) is not touched and never cached.
 * Bump VERSION whenever these rules, the precache list or any form module change (the modules import each other by
 * name, so a page must never mix a cached module with a newer one); old "yian-static-*" caches are deleted on activate.
 * The form pages and payloads stay (an inspector may have opened several forms for use offline) but are re-fetched
 * on activate, so none is left pointing at scripts or rules of the previous version.
 */
'use strict';

var VERSION = 'v3'; // v3: 疑似重大隐患 and the 地方规则 badge on the form (issue 12)
var STATIC_CACHE = 'yian-static-' + VERSION;
var PAGE_CACHE = 'yian-pages-v1'; // kept across versions: refreshed on activate instead
/** The form page's assets: its styles and every ES module of /static/form/ (main.js imports the rest). */
var FORM_MODULES = ['main', 'dom', 'draft', 'rules', 'state', 'network', 'offline', 'photo-store', 'geo', 'photos',
  'render', 'signature-pad', 'panel', 'sync', 'types'];
var PRECACHE = ['/static/app.css', '/static/inspection-form.css'].concat(FORM_MODULES.map(function (m) { return '/static/form/' + m + '.js'; }));
var FORM_PAGE = /^\/inspections\/[^/]+\/fill\/?$/;
var FORM_API = /^\/api\/inspections\/[^/]+\/form\/?$/;
var NETWORK_TIMEOUT_MS = 6000; // weak signal: fall back to the cached copy instead of hanging

self.addEventListener('install', function (event) {
  event.waitUntil(
    caches.open(STATIC_CACHE).then(function (cache) {
      return Promise.all(PRECACHE.map(function (u) {
        return cache.add(new Request(u, { cache: 'reload', credentials: 'same-origin' })).catch(function () { /* optional */ });
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener('activate', function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.filter(function (k) {
        return k.indexOf('yian-') === 0 && k !== STATIC_CACHE && k !== PAGE_CACHE;
      }).map(function (k) { return caches.delete(k); }));
    }).then(function () {
      return caches.open(PAGE_CACHE).then(function (cache) {
        return cache.keys().then(function (reqs) { return refresh(cache, reqs.map(function (r) { return r.url; }), true); });
      }).catch(function () { /* offline: the next visit refreshes */ });
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener('fetch', function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;

  if (req.method !== 'GET') {
    // Signing out: drop cached form pages/data (they contain names and the session's CSRF token).
    // Local drafts are left alone — they may hold unsynced work.
    if (req.method === 'POST' && url.pathname === '/logout') event.waitUntil(caches.delete(PAGE_CACHE));
    return;
  }
  if (url.pathname.indexOf('/static/') === 0) {
    event.respondWith(cacheFirst(event, req));
    return;
  }
  if (req.mode === 'navigate' && FORM_PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(event, req, cacheKey(url), false));
    return;
  }
  if (req.mode !== 'navigate' && FORM_API.test(url.pathname)) {
    event.respondWith(networkFirst(event, req, cacheKey(url), true));
  }
  // anything else: default browser handling, no caching
});

/** Cache key without query string: one cached copy per page / form. */
function cacheKey(url) { return url.origin + url.pathname; }

function cacheable(res) {
  return res && res.status === 200 && res.type === 'basic' && !res.redirected;
}

function cacheFirst(event, req) {
  return caches.open(STATIC_CACHE).then(function (cache) {
    return cache.match(req).then(function (hit) {
      var network = fetch(req).then(function (res) {
        if (cacheable(res)) return cache.put(req, res.clone()).then(function () { return res; });
        return res;
      });
      if (hit) {
        event.waitUntil(network.catch(function () { /* offline: keep the cached copy */ }));
        return hit;
      }
      return network;
    });
  });
}

/** Mark API answers served from the cache so the page can tell the inspector it is offline. */
function fromCache(res, isApi) {
  if (!isApi) return res;
  var headers = new Headers(res.headers);
  headers.set('X-Yian-Cache', 'hit');
  return res.blob().then(function (body) {
    return new Response(body, { status: res.status, statusText: res.statusText, headers: headers });
  });
}

function networkFirst(event, req, key, isApi) {
  return caches.open(PAGE_CACHE).then(function (cache) {
    return new Promise(function (resolve, reject) {
      var settled = false;
      function useCache(orElse) {
        return cache.match(key).then(function (hit) {
          if (settled) return;
          if (hit) { settled = true; resolve(fromCache(hit, isApi)); }
          else if (orElse) orElse();
        });
      }
      var timer = setTimeout(function () { useCache(null); }, NETWORK_TIMEOUT_MS);
      fetch(req).then(function (res) {
        clearTimeout(timer);
        if (cacheable(res)) {
          var put = cache.put(key, res.clone()).catch(function () { /* quota */ });
          try { event.waitUntil(put); } catch (e) { /* event already finished: the put still runs */ }
        }
        if (settled) return;
        if (res.status >= 500) {
          useCache(function () { settled = true; resolve(res); });
          return;
        }
        settled = true;
        resolve(res);
      }, function (err) {
        clearTimeout(timer);
        useCache(function () { settled = true; reject(err); });
      });
    });
  });
}

/*
 * Messages from the page:
 *   { type: 'yian:cache',   urls: [...] }  make sure these form page / form API URLs are cached (first visit)
 *   { type: 'yian:refresh', urls: [...] }  re-fetch them now (e.g. after a submit changed the form state)
 * Only URLs matching FORM_PAGE / FORM_API are ever fetched or stored.
 */
self.addEventListener('message', function (event) {
  var d = event.data || {};
  if ((d.type !== 'yian:cache' && d.type !== 'yian:refresh') || !Array.isArray(d.urls)) return;
  event.waitUntil(caches.open(PAGE_CACHE).then(function (cache) { return refresh(cache, d.urls, d.type === 'yian:refresh'); }));
});

/** Fetches form page / form API URLs into the page cache: missing ones, or all of them when forced (404: dropped). */
function refresh(cache, urls, force) {
  return Promise.all(urls.map(function (u) {
    var url;
    try { url = new URL(u, self.location.origin); } catch (e) { return null; }
    var isPage = FORM_PAGE.test(url.pathname);
    if (url.origin !== self.location.origin || !(isPage || FORM_API.test(url.pathname))) return null;
    var key = cacheKey(url);
    return cache.match(key).then(function (hit) {
      if (hit && !force) return null;
      return fetch(key, {
        credentials: 'same-origin', cache: 'no-store',
        headers: { Accept: isPage ? 'text/html' : 'application/json' }
      }).then(function (res) {
        if (cacheable(res)) return cache.put(key, res);
        if (force && res.status === 404) return cache.delete(key);
        return null;
      }).catch(function () { /* offline: try again next visit */ });
    });
  }));
}
