import { ConfigError, loadConfig } from './env';

describe('loadConfig', () => {
  it('applies defaults', () => {
    const config = loadConfig({});
    expect(config.HTTP_PORT).toBe(3200);
    expect(config.SNAPSHOT_EVERY).toBe(50);
    expect(config.DB_POOL_SIZE).toBe(5);
    expect(config.REDIS_PREFIX).toBe('collab:');
  });

  it('lists every problem at once', () => {
    let error: unknown;
    try {
      loadConfig({ WORKER_CONCURRENCY: '0', REDIS_URL: 'http://x', SNAPSHOT_EVERY: 'x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['WORKER_CONCURRENCY', 'REDIS_URL', 'SNAPSHOT_EVERY']) expect(problems).toContain(key);
  });

  it('refuses a sweep lag below the snapshot interval', () => {
    expect(() => loadConfig({ SNAPSHOT_EVERY: '100', SWEEP_LAG_VERSIONS: '60' })).toThrow(
      /SWEEP_LAG_VERSIONS must be at least SNAPSHOT_EVERY/,
    );
  });

  it('mail: no SMTP_URL means the log; the public address is checked and kept without a trailing slash', () => {
    const local = loadConfig({ SMTP_URL: '' });
    expect(local.SMTP_URL).toBeUndefined();
    expect(local.PUBLIC_APP_URL).toBe('http://localhost:3000');
    const configured = loadConfig({
      SMTP_URL: 'smtps://user:pass@mail.example.com:465',
      PUBLIC_APP_URL: 'https://collab.example.com/app/',
    });
    expect(configured.SMTP_URL).toBe('smtps://user:pass@mail.example.com:465');
    expect(configured.PUBLIC_APP_URL).toBe('https://collab.example.com/app');
    for (const bad of [
      { SMTP_URL: 'http://mail.example.com' },
      { PUBLIC_APP_URL: 'collab.example.com' },
      { PUBLIC_APP_URL: 'ftp://collab.example.com' },
      { PUBLIC_APP_URL: 'https://collab.example.com/?x=1' },
    ]) {
      expect(() => loadConfig(bad)).toThrow(ConfigError);
    }
  });
});
