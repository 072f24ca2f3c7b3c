/**
 * One dependency readiness depends on. `check` resolves when the dependency
 * is usable and throws (or rejects) with the reason when it is not; the
 * failing part is reported under `name`.
 */
export interface ReadinessCheck {
  readonly name: string;
  check(): Promise<unknown> | unknown;
}

/** The part of a TypeORM DataSource a PostgreSQL check needs. */
export interface QueryRunnerLike {
  readonly isInitialized: boolean;
  query(sql: string): Promise<unknown>;
}

/** The part of an ioredis client a Redis check needs. */
export interface PingLike {
  ping(): Promise<string>;
}

/** PostgreSQL answers `select 1` through the service's own pool (a full pool shows as slow, then down). */
export function postgresCheck(dataSource: QueryRunnerLike, name = 'database'): ReadinessCheck {
  return {
    name,
    async check() {
      if (!dataSource.isInitialized) throw new Error('the connection pool is closed');
      await dataSource.query('select 1');
    },
  };
}

/** Redis answers PING on this connection. */
export function redisCheck(redis: PingLike, name = 'redis'): ReadinessCheck {
  return {
    name,
    async check() {
      const answer = await redis.ping();
      if (answer !== 'PONG') throw new Error(`unexpected PING answer ${JSON.stringify(answer)}`);
    },
  };
}

/**
 * A queue answers through its own connection: reading its job counts is a
 * round trip on the connection the worker takes jobs from (a connection that
 * retries forever shows as a timeout).
 */
export function queueCheck(queue: {
  readonly name: string;
  getJobCounts(...states: string[]): Promise<Record<string, number>>;
}): ReadinessCheck {
  return {
    name: 'queue',
    async check() {
      await queue.getJobCounts('waiting');
    },
  };
}

/**
 * A doc-service is ready only while it is a live member: otherwise others
 * may own its documents and the gateways do not route to it.
 */
export function membershipCheck(membership: { readonly isLive: boolean }): ReadinessCheck {
  return {
    name: 'membership',
    check() {
      if (!membership.isLive) throw new Error('not a live member of the ring');
    },
  };
}

/** A gateway can serve operations only with at least one doc-service on its ring. */
export function ringCheck(members: () => number): ReadinessCheck {
  return {
    name: 'ring',
    check() {
      const count = members();
      if (count === 0) throw new Error('no doc-service on the ring');
      return count;
    },
  };
}
