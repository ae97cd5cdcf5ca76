// Apex's service worker (served at /sw.js by apex.views.service_worker).
//
// Race-day pages (a day and its closing page) and the race-day list are
// fetched from the network when there is signal, and the last copy is kept so
// they open without it; a page that now redirects (the closing page of a day
// closed since) is dropped.
// Static files are kept as they are fetched. Nothing else is touched.
// Writes are never replayed here: the race-day page queues them itself
// (static/js/trackside.js) and sends each once with its idempotency key.
"use strict";

var PAGES = "apex-pages-v1";
var STATIC = "apex-static-v1";
var KEPT_PAGE = /^\/race-days\/(\d+\/(close\/)?)?$/;
var HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;  // collectstatic's names never change content

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name !== PAGES && name !== STATIC;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function randomKey() {
  if (self.crypto.randomUUID) { return self.crypto.randomUUID(); }
  var b = self.crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
  var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
}

// A kept page's forms carry the keys they were rendered with, which may be
// used already: a page opened from the cache gets new ones, so nothing typed
// into it is taken for a repeat of something sent before.
function withNewKeys(response) {
  return response.text().then(function (html) {
    var fresh = html.replace(/(name="idempotency_key" value=")[0-9a-f-]{36}/g, function (_m, start) {
      return start + randomKey();
    });
    // The page's own headers (its Content-Security-Policy too), less those of the old body.
    var headers = new Headers(response.headers);
    headers.delete("Content-Length");
    headers.delete("Content-Encoding");
    headers.set("X-Apex-Offline", "kept copy");
    return new Response(fresh, { status: 200, headers: headers });
  });
}

function offlinePage() {
  return new Response(
    "<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
    "<title>No signal · Apex</title><h1>No signal</h1><p>This page was not kept on this phone. " +
    "Open race days you visited while online open without signal.</p><p><a href=\"/race-days/\">Race days</a></p></html>",
    { status: 503, headers: { "Content-Type": "text/html; charset=utf-8" } }
  );
}

// A fetched page is kept; one that now redirects (the closing page of a day closed since, a
// lapsed session) is dropped; any other failure leaves the last copy.
function remember(path, response) {
  return caches.open(PAGES).then(function (cache) {
    if (response.ok && !response.redirected) { return cache.put(path, response); }
    if (response.redirected) { return cache.delete(path); }
  });
}

function keepPage(path) {
  return fetch(path, { credentials: "same-origin" }).then(function (response) { return remember(path, response); });
}

function page(request) {
  var path = new URL(request.url).pathname;
  return fetch(request).then(function (response) {
    if (KEPT_PAGE.test(path)) { remember(path, response.clone()); }
    return response;
  }).catch(function () {
    return caches.open(PAGES).then(function (cache) {
      return cache.match(path, { ignoreVary: true });
    }).then(function (kept) { return kept ? withNewKeys(kept) : offlinePage(); });
  });
}

function staticFile(request) {
  return caches.open(STATIC).then(function (cache) {
    return cache.match(request, { ignoreVary: true }).then(function (kept) {
      var fetched = fetch(request).then(function (response) {
        if (response.ok) { cache.put(request, response.clone()); }
        return response;
      });
      if (kept && HASHED.test(new URL(request.url).pathname)) { return kept; }
      return fetched.catch(function () { return kept || Response.error(); });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) { return; }
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(request));
  } else if (request.mode === "navigate") {
    event.respondWith(page(request));
  }
});

// The race-day page asks for itself (and its static files) to be kept as soon
// as it loads, so the first visit already works without signal, and for its
// closing page ("missing": fetched only when not kept yet, not on every
// visit); logging out forgets every kept page.
function keepIfMissing(path) {
  return caches.open(PAGES).then(function (cache) { return cache.match(path); }).then(function (kept) {
    return kept ? null : keepPage(path);
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  if (data.type === "keep") {
    var pathOf = function (url) { return new URL(url, self.location.origin).pathname; };
    var fresh = (data.url ? [pathOf(data.url)] : []).filter(function (p) { return KEPT_PAGE.test(p); });
    var missing = (data.missing || []).map(pathOf).filter(function (p) { return KEPT_PAGE.test(p); });
    var work = fresh.map(keepPage).concat(missing.map(keepIfMissing));
    (data.assets || []).forEach(function (asset) {
      work.push(caches.open(STATIC).then(function (cache) { return cache.add(asset); }).catch(function () {}));
    });
    event.waitUntil(Promise.all(work).then(function () {
      if (event.source) { event.source.postMessage({ type: "kept", url: fresh[0] || missing[0] || "" }); }
    }).catch(function () {}));
  } else if (data.type === "forget") {
    event.waitUntil(caches.delete(PAGES));
  }
});
