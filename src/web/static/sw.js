/*
 * 颐安 service worker — the inspector's offline day (served at /sw.js, scope /).
 *   /static/*                                   cache-first (refreshed in the background)
 *   navigations to /inspections (task list),
 *     /inspections/<id> and /inspections/<id>/fill   network-first, cached copy when offline / slow / 5xx
 *   GET /api/inspections/<id>/form              network-first, cached copy marked "X-Yian-Cache: hit"
 * The task list is stored only from /inspections without a query; a filtered list (?status=…) offline gets that copy.
 * Everything else (other API calls, POST/PUT, other pages) is not touched and never cached. A page is cached only
 * from a 200 that was not redirected (an expired session's login page is never stored as the task list).
 * 下载今日任务 (message 'yian:download', and by itself right after a sign-in): fetches the offline bundle, keeps it
 * in IndexedDB "yian-offline" / store "kv" under "bundle" (with the user and the time) and caches the task list and,
 * for every task in it, its form page, detail page and form payload — so a task never opened before opens offline.
 * Bump VERSION whenever these rules, the precache list or any form module change (the modules import each other by
 * name, so a page must never mix a cached module with a newer one); old "yian-static-*" caches are deleted on activate.
 * The pages and payloads stay (an inspector may have downloaded several forms for use offline) but are re-fetched
 * on activate, so none is left pointing at scripts or rules of the previous version.
 * Signing out (POST /logout) drops the cached pages and the bundle; drafts and the outbox (localStorage) are kept:
 * they may hold unsent work.
 * Shared phone: every cached copy is stored with its user (response header X-Yian-User, sent by the pages'
 * controllers; an API copy takes the user of the pages) and a copy is served only to that user. The worker keeps
 * the current user in IndexedDB ("user"); a page of a different user, or the bundle of one, empties the page cache
 * and the bundle first. After POST /login (a session may have expired without a sign-out) no cached copy is served
 * until a page from the network has said who is signed in. A 401 / 403 / 404 for a cached URL deletes its copy.
 */
'use strict';

var VERSION = 'v5'; // v4: 下载今日任务, the task list offline, the outbox (issue 14); v5: copies kept per user
var STATIC_CACHE = 'yian-static-' + VERSION;
var PAGE_CACHE = 'yian-pages-v1'; // kept across versions: refreshed on activate instead
/** The form page's assets: its styles and every ES module of /static/form/ (main.js imports the rest). */
var FORM_MODULES = ['main', 'dom', 'draft', 'rules', 'state', 'network', 'offline', 'photo-store', 'geo', 'photos',
  'render', 'signature-pad', 'panel', 'sync', 'types', 'outbox', 'outbox-view', 'sections', 'bulk', 'viewer', 'markup', 'trail', 'icons', 'conflicts', 'exif'];
var PRECACHE = ['/static/app.css', '/static/inspection-form.css', '/static/tasks.css', '/static/tasks.js'].concat(FORM_MODULES.map(function (m) { return '/static/form/' + m + '.js'; }));
var FORM_PAGE = /^\/inspections\/[^/]+\/fill\/?$/;
var FORM_API = /^\/api\/inspections\/[^/]+\/form\/?$/;
var TASK_PAGE = /^\/inspections\/?$/;
var DETAIL_PAGE = /^\/inspections\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/?$/i;
var BUNDLE_URL = '/api/inspections/offline-bundle';
var LOGIN_WINDOW_MS = 60000; // the first navigation this soon after POST /login is the sign-in's landing page
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
    // Signing out: drop cached pages and the downloaded tasks (names, the session's CSRF token).
    // Local drafts and the outbox are left alone — they may hold unsent work.
    if (req.method === 'POST' && url.pathname === '/logout') event.waitUntil(purge().then(function () { return setWho('', false); }));
    if (req.method === 'POST' && url.pathname === '/login') { loginAt = Date.now(); event.waitUntil(setWho(null, true)); }
    return;
  }
  // 下载今日任务 by itself: the landing page of a sign-in with signal (nothing is stored for a user without tasks).
  if (req.mode === 'navigate' && loginAt && Date.now() - loginAt < LOGIN_WINDOW_MS && url.pathname !== '/login') {
    loginAt = 0;
    event.waitUntil(download('login').then(tellClients));
  }
  if (url.pathname.indexOf('/static/') === 0) {
    event.respondWith(cacheFirst(event, req));
    return;
  }
  if (req.mode === 'navigate' && (FORM_PAGE.test(url.pathname) || DETAIL_PAGE.test(url.pathname))) {
    event.respondWith(networkFirst(event, req, cacheKey(url), false, true));
    return;
  }
  if (req.mode === 'navigate' && TASK_PAGE.test(url.pathname)) {
    event.respondWith(networkFirst(event, req, url.origin + '/inspections', false, !url.search));
    return;
  }
  if (req.mode !== 'navigate' && FORM_API.test(url.pathname)) {
    event.respondWith(networkFirst(event, req, cacheKey(url), true, true));
    return;
  }
  // anything else: default browser handling, no caching
});

/** When the last POST /login went out (kept in memory only: a restarted worker simply skips the automatic download). */
var loginAt = 0;

// ---------------------------------------------------------------- whose copies (shared phone)

var USER_HEADER = 'X-Yian-User';
/** { user: the signed-in user the cached copies belong to ('' unknown), login: a sign-in not yet followed by a page } */
var whoP = null;

function who() {
  if (!whoP) {
    whoP = Promise.all([idbGet('user'), idbGet('login')]).then(function (v) {
      return { user: typeof v[0] === 'string' ? v[0] : '', login: !!v[1] };
    }, function () { return { user: '', login: false }; });
  }
  return whoP;
}

/** user null: unchanged. */
function setWho(user, login) {
  return who().then(function (w) {
    var next = { user: user == null ? w.user : user, login: login };
    whoP = Promise.resolve(next);
    return Promise.all([idbPut('user', next.user), idbPut('login', next.login)]).catch(function () { /* kept in memory */ });
  });
}

/** Empties the page cache (entries, so a Cache object already open stays the live one) and drops the bundle. */
function purge() {
  return caches.open(PAGE_CACHE).then(function (cache) {
    return cache.keys().then(function (reqs) { return Promise.all(reqs.map(function (r) { return cache.delete(r); })); });
  }).then(function () { return idbDelete('bundle'); });
}

/**
 * A response from the network said who is signed in: another user than the cached copies' → purge first.
 * Resolves to the user the copies now belong to ('' unknown).
 */
function noteUser(user) {
  return who().then(function (w) {
    if (!user) return w.login ? '' : w.user;
    if (user === w.user && !w.login) return user;
    return (user !== w.user ? purge() : Promise.resolve()).then(function () { return setWho(user, false); }).then(function () { return user; });
  });
}

/** A copy may be served: it belongs to the current user and no sign-in is waiting to say who that is. */
function servable(hit) {
  return who().then(function (w) { return !!w.user && !w.login && hit.headers.get(USER_HEADER) === w.user; });
}

/** Stores a network response with its user (learnt from its header, else the pages' user). */
function putFor(cache, key, res) {
  return noteUser(res.headers.get(USER_HEADER) || '').then(function (user) {
    if (!user) return null; // unknown user (right after a sign-in): not stored
    return stamped(res, user).then(function (copy) { return cache.put(key, copy); });
  });
}

function stamped(res, user) {
  var headers = new Headers(res.headers);
  headers.set(USER_HEADER, user);
  return res.blob().then(function (body) { return new Response(body, { status: res.status, statusText: res.statusText, headers: headers }); });
}

/** A cached URL the server now refuses (signed out / not this user's / gone). */
function refused(res) { return res.status === 401 || res.status === 403 || res.status === 404; }

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

function networkFirst(event, req, key, isApi, store) {
  return caches.open(PAGE_CACHE).then(function (cache) {
    return new Promise(function (resolve, reject) {
      var settled = false;
      function useCache(orElse) {
        return cache.match(key).then(function (hit) {
          return hit ? servable(hit).then(function (ok) { return ok ? hit : null; }) : null;
        }).then(function (hit) {
          if (settled) return;
          if (hit) { settled = true; resolve(fromCache(hit, isApi)); }
          else if (orElse) orElse();
        });
      }
      var timer = setTimeout(function () { useCache(null); }, NETWORK_TIMEOUT_MS);
      fetch(req).then(function (res) {
        clearTimeout(timer);
        var put = store && cacheable(res) ? putFor(cache, key, res.clone()).catch(function () { /* quota */ })
          : refused(res) ? cache.delete(key) : null;
        if (put) { try { event.waitUntil(put); } catch (e) { /* event already finished: the put still runs */ } }
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
 *   { type: 'yian:cache',    urls: [...] }  make sure these page / form API URLs are cached (first visit)
 *   { type: 'yian:refresh',  urls: [...] }  re-fetch them now (e.g. after a submit changed the form state)
 *   { type: 'yian:download' }               下载今日任务; the result goes back on the message's port (and to every page)
 * Only URLs matching TASK_PAGE / DETAIL_PAGE / FORM_PAGE / FORM_API are ever fetched or stored.
 */
self.addEventListener('message', function (event) {
  var d = event.data || {};
  if (d.type === 'yian:download') {
    var port = event.ports && event.ports[0];
    event.waitUntil(download('page').then(function (result) {
      if (port) port.postMessage(result);
      return tellClients(result);
    }));
    return;
  }
  if ((d.type !== 'yian:cache' && d.type !== 'yian:refresh') || !Array.isArray(d.urls)) return;
  event.waitUntil(caches.open(PAGE_CACHE).then(function (cache) { return refresh(cache, d.urls, d.type === 'yian:refresh'); }));
});

/** Fetches form page / form API URLs into the page cache: missing ones, or all of them when forced (404: dropped). */
function refresh(cache, urls, force) {
  return Promise.all(urls.map(function (u) {
    var url;
    try { url = new URL(u, self.location.origin); } catch (e) { return null; }
    var isPage = FORM_PAGE.test(url.pathname) || DETAIL_PAGE.test(url.pathname) || TASK_PAGE.test(url.pathname);
    if (url.origin !== self.location.origin || url.search || !(isPage || FORM_API.test(url.pathname))) return null;
    var key = cacheKey(url);
    return cache.match(key).then(function (hit) {
      if (hit && !force) return null;
      return fetch(key, {
        credentials: 'same-origin', cache: 'no-store',
        headers: { Accept: isPage ? 'text/html' : 'application/json' }
      }).then(function (res) {
        if (cacheable(res)) return putFor(cache, key, res);
        if (refused(res)) return cache.delete(key);
        return null;
      }).catch(function () { /* offline: try again next visit */ });
    });
  }));
}

// ---------------------------------------------------------------- 下载今日任务

/**
 * Fetches the inspector's open tasks in one request and makes each one openable offline. Never rejects: the
 * result says what happened ({ ok, count, savedAt } or { ok: false, reason: 'offline' | 'auth' | 'server' }).
 */
function download(source) {
  return fetch(BUNDLE_URL, { credentials: 'same-origin', cache: 'no-store', headers: { Accept: 'application/json' } }).then(function (res) {
    if (res.redirected || res.status === 401) return { type: 'yian:downloaded', ok: false, reason: 'auth' };
    if (!res.ok) return { type: 'yian:downloaded', ok: false, reason: 'server', status: res.status };
    return res.json().then(function (bundle) {
      var list = (bundle && bundle.inspections) || [];
      // The bundle says who is signed in: another user's pages and bundle go first, even when this one has no tasks.
      return noteUser((bundle && bundle.user && bundle.user.id) || res.headers.get(USER_HEADER) || '').then(function (user) { return stored(bundle, list, user); });
    });
  }).catch(function () { return { type: 'yian:downloaded', ok: false, reason: 'offline' }; });

  function stored(bundle, list, user) {
    if (!list.length && source === 'login') return { type: 'yian:downloaded', ok: true, count: 0, skipped: true };
    var savedAt = new Date().toISOString();
    return caches.open(PAGE_CACHE).then(function (cache) {
      // The form payloads come with the bundle: stored as if fetched, so the form page finds them offline.
      return Promise.all(list.map(function (t) {
        var body = JSON.stringify(t.form);
        var headers = { 'Content-Type': 'application/json; charset=utf-8' };
        headers[USER_HEADER] = user;
        return cache.put(self.location.origin + '/api/inspections/' + t.id + '/form', new Response(body, { status: 200, headers: headers }));
      })).then(function () {
        var pages = ['/inspections'];
        list.forEach(function (t) { pages.push(t.pages.fill, t.pages.detail); });
        return refresh(cache, pages, true);
      });
    }).then(function () {
      return idbPut('bundle', { userId: bundle.user && bundle.user.id, savedAt: savedAt, bundle: bundle });
    }).then(function () {
      return { type: 'yian:downloaded', ok: true, count: list.length, savedAt: savedAt };
    });
  }
}

function tellClients(result) {
  return self.clients.matchAll({ type: 'window' }).then(function (all) {
    all.forEach(function (c) { try { c.postMessage(result); } catch (e) { /* closed */ } });
  });
}

/** IndexedDB "yian-offline", one key-value store "kv" (the page reads it in form/offline.js). */
function idb() {
  return new Promise(function (resolve, reject) {
    var r = indexedDB.open('yian-offline', 1);
    r.onupgradeneeded = function () { r.result.createObjectStore('kv'); };
    r.onsuccess = function () { resolve(r.result); };
    r.onerror = function () { reject(r.error); };
  });
}

function idbWrite(fn) {
  return idb().then(function (db) {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction('kv', 'readwrite');
      fn(tx.objectStore('kv'));
      tx.oncomplete = function () { db.close(); resolve(); };
      tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
    });
  });
}

function idbPut(key, value) { return idbWrite(function (s) { s.put(value, key); }); }

function idbGet(key) {
  return idb().then(function (db) {
    return new Promise(function (resolve, reject) {
      var r = db.transaction('kv', 'readonly').objectStore('kv').get(key);
      r.onsuccess = function () { db.close(); resolve(r.result); };
      r.onerror = function () { db.close(); reject(r.error); };
    });
  });
}

function idbDelete(key) { return idbWrite(function (s) { s.delete(key); }).catch(function () { /* nothing stored */ }); }
