import { GatewayHarness, type RunningGateway } from './harness';

jest.setTimeout(60_000);

let h: GatewayHarness;
let gateway: RunningGateway;

beforeAll(async () => {
  h = await GatewayHarness.create('gw_http');
  gateway = await h.startGateway();
});
afterAll(() => h.close());

describe('the REST surface', () => {
  it('answers an unknown route with NOT_FOUND in the error envelope', async () => {
    const res = await h.api(gateway, 'GET', '/no-such-route');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  it('answers unreadable JSON with BAD_REQUEST and an oversized body with MESSAGE_TOO_LARGE', async () => {
    const bad = await h.api(gateway, 'POST', '/no-such-route', { body: '{"a":' });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    const big = await h.api(gateway, 'POST', '/no-such-route', { body: { text: 'x'.repeat(300_000) } });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ error: { code: 'MESSAGE_TOO_LARGE' } });
  });

  it('sends security headers and no x-powered-by', async () => {
    const res = await fetch(`${gateway.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
