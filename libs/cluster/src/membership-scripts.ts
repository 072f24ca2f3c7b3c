/**
 * Lua scripts for the membership sorted set. They read the clock with Redis
 * TIME so that expiry never depends on the clocks of the instances (a paused or
 * skewed instance cannot keep itself alive by lying about the time).
 *
 * KEYS[1] = sorted set member -> expiry (ms, Redis clock)
 * KEYS[2] = hash member -> record (JSON)
 */
const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
`;

const PRUNE_AND_LIST = `
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
  redis.call('HDEL', KEYS[2], unpack(expired))
end
local live = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
`;

/** ARGV: member, ttlMs, record. Returns {added (1 if the member was not live), live members...}. */
export const HEARTBEAT_SCRIPT = `${NOW}
${'' /* prune first, so a member whose entry expired counts as newly added */}
${PRUNE_AND_LIST}
local added = redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
live = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
table.insert(live, 1, added)
return live
`;

/** Returns the live members. */
export const LIST_SCRIPT = `${NOW}
${PRUNE_AND_LIST}
return live
`;
