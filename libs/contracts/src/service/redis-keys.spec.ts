import { DOC_ID, OTHER_DOC_ID, USER_ID } from '../../test/expect-parse';
import { DEFAULT_KEY_PREFIX, redisKeys } from './redis-keys';

function allNames(prefix: string): string[] {
  const keys = redisKeys(prefix);
  return [
    keys.membership.members,
    keys.membership.records,
    keys.membership.channel,
    keys.inbox('ds-1'),
    keys.replies('gw-1'),
    keys.docOps(DOC_ID),
    keys.gatewayNotices,
    keys.presence(DOC_ID),
    keys.gatewayRun('gw-1', DOC_ID),
    keys.gatewayRun('gw-2', DOC_ID),
    keys.userSockets(USER_ID),
    keys.rateLimit('ops-user', USER_ID),
    keys.documentListCache(USER_ID),
    keys.endedSession(USER_ID),
    keys.documentCache(DOC_ID),
    keys.cacheGeneration(keys.documentCache(DOC_ID)),
    keys.cacheGeneration(keys.documentListCache(USER_ID)),
    keys.socketIo,
    keys.bullmq,
  ];
}

describe('redisKeys', () => {
  it('puts every name under the prefix, all distinct', () => {
    const names = allNames('t-42:');
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name.startsWith('t-42:')).toBe(true);
  });

  it('gives two prefixes disjoint names, so tests never share keys', () => {
    const a = new Set(allNames('test-a:'));
    for (const name of allNames('test-b:')) expect(a.has(name)).toBe(false);
  });

  it('defaults to the collab: prefix', () => {
    expect(DEFAULT_KEY_PREFIX).toBe('collab:');
    expect(redisKeys().inbox('ds-1')).toBe('collab:inbox:ds-1');
    expect(redisKeys().bullmq).toBe('collab:bull');
    expect(redisKeys('').membership.members).toBe('membership:members');
  });

  it('names per-document channels that the pattern matches', () => {
    const keys = redisKeys('p:');
    expect(keys.docOps(DOC_ID)).not.toBe(keys.docOps(OTHER_DOC_ID));
    expect(keys.docOps(DOC_ID.toUpperCase())).toBe(keys.docOps(DOC_ID));
    const pattern = new RegExp(`^${keys.docOpsPattern.replace(/[.]/g, '\\.').replace('*', '[^:]+')}$`);
    expect(pattern.test(keys.docOps(DOC_ID))).toBe(true);
  });

  it('gives rate-limiter-flexible a key prefix under which its keys are rateLimit(scope, id)', () => {
    const keys = redisKeys('p:');
    // rate-limiter-flexible names a key `${keyPrefix}:${id}`.
    expect(`${keys.rateLimitPrefix('sign-in-email')}:${USER_ID}`).toBe(
      keys.rateLimit('sign-in-email', USER_ID),
    );
    expect(keys.rateLimitPrefix('a')).not.toBe(keys.rateLimitPrefix('b'));
  });

  it('refuses a prefix without a trailing colon or with glob characters', () => {
    for (const prefix of ['collab', 'a b:', 'x*:', 'x?:', 'x[1]:', 'é:']) {
      expect(() => redisKeys(prefix)).toThrow(/Invalid Redis key prefix/);
    }
    expect(() => redisKeys('{tenant-1}:collab:')).not.toThrow();
  });
});
