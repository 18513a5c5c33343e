// Tablero's service worker: it keeps this build's app shell so the app opens with no network,
// and lets a new build wait until the user accepts it (never swapped in mid-use).
//
// scripts/build_web.py fills @VERSION@ (the build's hash), @SHELL@ (the files index.html
// loads, and the parts' stylesheet it names, by relative URL) and @HASH_DIGITS@ (how many hex digits of content hash a built
// file's name carries). A new build is a new file, so the browser installs it beside the
// running one; it waits until the page posts "update" (the user's tap), then takes over and
// deletes the caches of older builds. Parts loaded on demand (the cards, the editors)
// are cached the first time they are fetched through it (index.html fetches again, through
// it, what a first visit loaded before it took the page): their names carry a hash of the
// build, so a cached one is never stale.
const CACHE = "tablero-@VERSION@";
const SHELL = @SHELL@;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("tablero-") && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  if (event.data === "update") self.skipWaiting();
});

const HASHED = /-[0-9a-f]{@HASH_DIGITS@}\.(wasm|js|css)$/;

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  const scope = self.registration.scope;
  if (!url.href.startsWith(scope)) return;
  event.respondWith(
    caches.open(CACHE).then(async (cache) => {
      // The page, at the scope or its index.html, is one page whatever its query (?lang=,
      // ?broker= are the app's); any other file opened in a tab is that file.
      const page = request.mode === "navigate" && /\/(index\.html)?$/.test(url.pathname);
      const hit = await cache.match(page ? scope : request);
      if (hit) return hit;
      const response = await fetch(request);
      if (response.ok && HASHED.test(url.pathname)) cache.put(request, response.clone());
      return response;
    }),
  );
});
