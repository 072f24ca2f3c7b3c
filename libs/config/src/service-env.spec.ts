import {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_KEY_PREFIX,
  DEFAULT_MEMBERSHIP_TTL_MS,
  InstanceId,
  MAX_INSTANCE_ID_LENGTH,
  SNAPSHOT_EVERY_VERSIONS,
} from '@collab/contracts';
import { z } from 'zod';
import {
  ConfigError,
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  defaultInstanceId,
  loadEnv,
  ServiceEnv,
  SharedEnvFields,
} from './service-env';

const Schema = ServiceEnv.extend({
  ID: SharedEnvFields.instanceId,
  SNAPSHOT_EVERY: SharedEnvFields.SNAPSHOT_EVERY,
  MEMBERSHIP_TTL_MS: SharedEnvFields.MEMBERSHIP_TTL_MS,
  HEARTBEAT_INTERVAL_MS: SharedEnvFields.HEARTBEAT_INTERVAL_MS,
  WIDTH: z.coerce.number().int().default(3),
});

function problemsOf(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('loadEnv', () => {
  it('takes its defaults from the contracts constants', () => {
    expect(loadEnv('test', Schema, {})).toEqual({
      DATABASE_URL: DEFAULT_DATABASE_URL,
      REDIS_URL: DEFAULT_REDIS_URL,
      REDIS_PREFIX: DEFAULT_KEY_PREFIX,
      LOG_LEVEL: 'info',
      METRICS_TOKEN: undefined,
      ID: undefined,
      SNAPSHOT_EVERY: SNAPSHOT_EVERY_VERSIONS,
      MEMBERSHIP_TTL_MS: DEFAULT_MEMBERSHIP_TTL_MS,
      HEARTBEAT_INTERVAL_MS: DEFAULT_HEARTBEAT_INTERVAL_MS,
      WIDTH: 3,
    });
  });

  it('lists every problem of the schema at once, naming the service', () => {
    let error: unknown;
    try {
      loadEnv('doc-service', Schema, {
        DATABASE_URL: 'mysql://x',
        REDIS_URL: 'http://x',
        REDIS_PREFIX: 'no-colon',
        LOG_LEVEL: 'loud',
        METRICS_TOKEN: 'short',
        ID: 'a:b',
        SNAPSHOT_EVERY: '0',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/^Invalid doc-service configuration:/);
    const keys = (error as ConfigError).problems.map((p) => p.split(':')[0]);
    expect(keys).toEqual(
      expect.arrayContaining([
        'DATABASE_URL',
        'REDIS_URL',
        'REDIS_PREFIX',
        'LOG_LEVEL',
        'METRICS_TOKEN',
        'ID',
        'SNAPSHOT_EVERY',
      ]),
    );
    expect(keys).toHaveLength(7);
  });

  it('treats an empty METRICS_TOKEN as unset', () => {
    expect(loadEnv('test', Schema, { METRICS_TOKEN: '' }).METRICS_TOKEN).toBeUndefined();
  });

  it('then lists every broken rule between values', () => {
    const problems = problemsOf(() =>
      loadEnv('test', Schema, { WIDTH: '1' }, (c) => [
        c.WIDTH < 2 && 'WIDTH must be at least 2',
        c.WIDTH > 0 && 'WIDTH must be negative',
        c.WIDTH === 7 && 'never',
      ]),
    );
    expect(problems).toEqual(['WIDTH must be at least 2', 'WIDTH must be negative']);
  });

  it('accepts an instance id up to the one contracts bound, and no longer', () => {
    const longest = 'a'.repeat(MAX_INSTANCE_ID_LENGTH);
    expect(loadEnv('test', Schema, { ID: longest }).ID).toBe(longest);
    expect(problemsOf(() => loadEnv('test', Schema, { ID: `${longest}a` }))[0]).toMatch(/^ID:/);
  });
});

describe('defaultInstanceId', () => {
  it('is a valid instance id, different each time', () => {
    const id = defaultInstanceId('ds');
    expect(id).toMatch(/^ds-/);
    expect(InstanceId.safeParse(id).success).toBe(true);
    expect(defaultInstanceId('ds')).not.toBe(id);
  });
});
