import { ConfigError, loadConfig } from './env';

describe('loadConfig', () => {
  it('applies defaults and generates an instance id', () => {
    const config = loadConfig({});
    expect(config.HTTP_PORT).toBe(3100);
    expect(config.MEMBERSHIP_TTL_MS).toBe(5000);
    expect(config.HEARTBEAT_INTERVAL_MS).toBe(1000);
    expect(config.SNAPSHOT_EVERY).toBe(50);
    expect(config.REDIS_PREFIX).toBe('collab:');
    expect(config.INSTANCE_ID).toMatch(/^ds-/);
    // The owner link: a free port, at an address of this machine that others can reach.
    expect(config.OWNER_LINK_PORT).toBe(0);
    expect(config.OWNER_LINK_HOST).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  it('takes an owner link host and port, and refuses what is not a host', () => {
    const config = loadConfig({ OWNER_LINK_HOST: 'doc-service-0.doc-service', OWNER_LINK_PORT: '3101' });
    expect(config).toMatchObject({ OWNER_LINK_HOST: 'doc-service-0.doc-service', OWNER_LINK_PORT: 3101 });
    expect(() => loadConfig({ OWNER_LINK_HOST: 'ws://x/y' })).toThrow(/OWNER_LINK_HOST/);
    expect(() => loadConfig({ OWNER_LINK_PORT: '70000' })).toThrow(/OWNER_LINK_PORT/);
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ INSTANCE_ID: 'a:b', HISTORY_WINDOW: '1', LOG_LEVEL: 'loud' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['INSTANCE_ID', 'HISTORY_WINDOW', 'LOG_LEVEL']) expect(problems).toContain(key);
  });

  it('refuses a heartbeat slower than half the membership TTL', () => {
    expect(() => loadConfig({ MEMBERSHIP_TTL_MS: '1000', HEARTBEAT_INTERVAL_MS: '600' })).toThrow(
      /HEARTBEAT_INTERVAL_MS must be at most half of MEMBERSHIP_TTL_MS/,
    );
  });
});
