// The app shell, offline: a reload without a network still opens the app, so
// edits saved in the IndexedDB outbox are sent when the network returns.
// Navigations go to the network first (a deploy is picked up at once) and
// fall back to the last index.html; hashed assets never change, so they are
// served from the cache once fetched. API and Socket.IO traffic is never cached.
//
// The shell is cached together with every asset it references: the first
// visit loads its assets before this worker controls the page, so waiting for
// them to pass through the fetch handler would leave an offline reload with an
// index.html whose script cannot load.
const CACHE = 'collab-shell-v2';
const SHELL = '/index.html';
const ASSET_REFERENCE = /(?:src|href)="(\/assets\/[^"]+)"/g;

/** Stores `response` (index.html) and the assets it names; drops assets no shell names any more. */
async function cacheShell(response) {
  const cache = await caches.open(CACHE);
  const html = await response.clone().text();
  const assets = [...new Set([...html.matchAll(ASSET_REFERENCE)].map((m) => m[1]))];
  const missing = [];
  for (const asset of assets) if (!(await cache.match(asset))) missing.push(asset);
  await cache.addAll(missing);
  await cache.put(SHELL, response);
  const wanted = new Set(assets.map((asset) => new URL(asset, self.location.origin).href));
  for (const request of await cache.keys()) {
    if (new URL(request.url).pathname.startsWith('/assets/') && !wanted.has(request.url))
      await cache.delete(request);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    fetch(SHELL, { cache: 'no-cache' })
      .then((response) => {
        if (!response.ok) throw new Error(`${SHELL}: ${response.status}`);
        return cacheShell(response);
      })
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request)
        .then((response) => {
          const type = response.headers.get('content-type') ?? '';
          if (response.ok && type.includes('text/html'))
            event.waitUntil(cacheShell(response.clone()).catch(() => undefined));
          return response;
        })
        .catch(() => caches.match(SHELL).then((cached) => cached ?? Response.error())),
    );
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    event.respondWith(
      caches.match(request).then(
        (cached) =>
          cached ??
          fetch(request).then((response) => {
            if (response.ok) {
              const copy = response.clone();
              void caches.open(CACHE).then((cache) => cache.put(request, copy));
            }
            return response;
          }),
      ),
    );
  }
});
