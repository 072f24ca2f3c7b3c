import { ConfigError, loadConfig } from './env';

const secret = 'x'.repeat(32);

describe('loadConfig', () => {
  it('applies defaults and generates a gateway id', () => {
    const config = loadConfig({ JWT_SECRET: secret });
    expect(config.PORT).toBe(3000);
    expect(config.ROUTE_TIMEOUT_MS).toBe(3000);
    expect(config.ROUTE_ATTEMPTS).toBe(5);
    expect(config.GATEWAY_ID).toMatch(/^gw-/);
    expect(config.GATEWAY_LIVENESS_TTL_MS).toBe(30_000);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({
        JWT_SECRET: 'short',
        PORT: 'abc',
        REDIS_PREFIX: 'no-colon',
        GATEWAY_ID: 'a:b',
        GATEWAY_LIVENESS_TTL_MS: '500',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['JWT_SECRET', 'PORT', 'REDIS_PREFIX', 'GATEWAY_ID', 'GATEWAY_LIVENESS_TTL_MS'])
      expect(problems).toContain(key);
  });

  it('requires JWT_SECRET', () => {
    expect(() => loadConfig({})).toThrow(/JWT_SECRET/);
  });
});
