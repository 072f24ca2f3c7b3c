import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GatewayHarness, type RunningGateway } from './harness';

jest.setTimeout(60_000);

let h: GatewayHarness;
let gateway: RunningGateway;
let webDir: string;

beforeAll(async () => {
  // A stand-in build: the gateway serves whatever apps/web/dist holds.
  webDir = mkdtempSync(path.join(tmpdir(), 'web-dist-'));
  mkdirSync(path.join(webDir, 'assets'));
  writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><div id="root"></div>');
  writeFileSync(path.join(webDir, 'assets', 'app-abc123.js'), 'console.log(1)');
  h = await GatewayHarness.create('gw_web');
  gateway = await h.startGateway({ WEB_DIST_DIR: webDir });
});

afterAll(async () => {
  await h?.close();
  rmSync(webDir, { recursive: true, force: true });
});

describe('serving the web app', () => {
  it('serves index.html for client-side routes, never cached', async () => {
    for (const route of ['/', '/d/6f1c1f2e-8f0e-4a44-9d49-1f7f0b1f2a10', '/sign-in?next=%2F']) {
      const res = await fetch(`${gateway.url}${route}`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<div id="root">');
    }
  });

  it('serves hashed assets with a long cache life', async () => {
    const res = await fetch(`${gateway.url}/assets/app-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('leaves the API, probes and Socket.IO to the server', async () => {
    const api = await fetch(`${gateway.url}/api/no-such-route`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const health = await fetch(`${gateway.url}/healthz`, { headers: { accept: 'text/html' } });
    expect(await health.json()).toMatchObject({ ok: true });
  });
});
