import { Me } from '@collab/contracts';
import { ApiClient } from './api-client';
import { ApiError } from './api-error';
import { type KeyValueStorage, SessionStore } from './session-store';

class MemoryStorage implements KeyValueStorage {
  readonly map = new Map<string, string>();
  getItem = (k: string) => this.map.get(k) ?? null;
  setItem = (k: string, v: string) => void this.map.set(k, v);
  removeItem = (k: string) => void this.map.delete(k);
}

const ME = {
  id: '6f1c1f2e-8f0e-4a44-9d49-1f7f0b1f2a10',
  email: 'ada@example.com',
  name: 'Ada',
  color: '#336699',
};
const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const expired = () => json(401, { error: { code: 'TOKEN_EXPIRED', message: 'Your session has expired.' } });

/** A scripted gateway: answers by route, records what was sent. */
function scripted(routes: Record<string, (init: RequestInit) => Response>) {
  const calls: { url: string; auth: string | undefined; body: unknown }[] = [];
  const fetchImpl = async (url: string, init: RequestInit = {}) => {
    const headers = init.headers as Record<string, string>;
    calls.push({
      url,
      auth: headers['authorization'],
      body: init.body ? JSON.parse(String(init.body)) : undefined,
    });
    const route = routes[`${init.method} ${url}`];
    if (!route) return json(404, { error: { code: 'NOT_FOUND', message: 'Not found.' } });
    return route(init);
  };
  return { calls, fetchImpl };
}

function signedInStore(now = () => 1_000_000): SessionStore {
  const store = new SessionStore(new MemoryStorage(), now);
  store.setTokens({ accessToken: 'a1', refreshToken: 'r1', accessTokenExpiresIn: 900 });
  return store;
}

describe('ApiClient', () => {
  it('sends the access token and validates the answer against the contract', async () => {
    const { calls, fetchImpl } = scripted({ 'GET /api/me': () => json(200, ME) });
    const api = new ApiClient(signedInStore(), fetchImpl);
    await expect(api.request('GET', '/me', { schema: Me })).resolves.toEqual(ME);
    expect(calls[0].auth).toBe('Bearer a1');
  });

  it('refreshes once on TOKEN_EXPIRED, shared by concurrent requests, and retries', async () => {
    let refreshes = 0;
    const { calls, fetchImpl } = scripted({
      'GET /api/me': (init) =>
        (init.headers as Record<string, string>)['authorization'] === 'Bearer a2' ? json(200, ME) : expired(),
      'POST /api/auth/refresh': () => {
        refreshes++;
        return json(200, { accessToken: 'a2', refreshToken: 'r2', accessTokenExpiresIn: 900 });
      },
    });
    const session = signedInStore();
    const api = new ApiClient(session, fetchImpl);
    const results = await Promise.all([1, 2, 3].map(() => api.request('GET', '/me', { schema: Me })));
    expect(results).toEqual([ME, ME, ME]);
    expect(refreshes).toBe(1);
    expect(calls.find((c) => c.url === '/api/auth/refresh')!.body).toEqual({ refreshToken: 'r1' });
    expect(session.session).toMatchObject({ accessToken: 'a2', refreshToken: 'r2' });
  });

  it('ends the session when the refresh token is refused', async () => {
    const { fetchImpl } = scripted({
      'GET /api/me': expired,
      'POST /api/auth/refresh': () =>
        json(401, { error: { code: 'UNAUTHENTICATED', message: 'Sign in to continue.' } }),
    });
    const session = signedInStore();
    const api = new ApiClient(session, fetchImpl);
    await expect(api.request('GET', '/me', { schema: Me })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    expect(session.session).toBeNull();
  });

  it('refreshes before a request when the token is about to expire', async () => {
    let now = 1_000_000;
    const session = signedInStore(() => now);
    const { calls, fetchImpl } = scripted({
      'GET /api/me': () => json(200, ME),
      'POST /api/auth/refresh': () =>
        json(200, { accessToken: 'a2', refreshToken: 'r2', accessTokenExpiresIn: 900 }),
    });
    now += 890_000; // 10 s left
    await new ApiClient(session, fetchImpl).request('GET', '/me', { schema: Me });
    expect(calls.map((c) => c.url)).toEqual(['/api/auth/refresh', '/api/me']);
    expect(calls[1].auth).toBe('Bearer a2');
  });

  it('turns the error envelope, an unreachable server and a malformed answer into coded errors', async () => {
    const { fetchImpl } = scripted({
      'POST /api/documents': () => json(403, { error: { code: 'FORBIDDEN', message: 'No.' } }),
      'GET /api/me': () => json(200, { id: 'not-a-uuid' }),
    });
    const api = new ApiClient(signedInStore(), fetchImpl);
    const refused = await api.request('POST', '/documents', { body: {} }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused).toMatchObject({ code: 'FORBIDDEN', message: 'No.', status: 403 });
    await expect(api.request('GET', '/me', { schema: Me })).rejects.toMatchObject({ code: 'INTERNAL' });
    const offline = new ApiClient(signedInStore(), () => Promise.reject(new TypeError('fetch failed')));
    await expect(offline.request('GET', '/me')).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('keeps the session across a reload and forgets an unreadable one', () => {
    const storage = new MemoryStorage();
    new SessionStore(storage).setTokens({ accessToken: 'a', refreshToken: 'r', accessTokenExpiresIn: 60 });
    expect(new SessionStore(storage).session).toMatchObject({ accessToken: 'a', refreshToken: 'r' });
    storage.setItem('collab.session', '{not json');
    expect(new SessionStore(storage).session).toBeNull();
  });
});
