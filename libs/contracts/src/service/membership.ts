import { z } from 'zod';
import { EpochMillis, InstanceId } from '../common/ids';

/*
 * Doc-service membership in Redis (implemented by libs/cluster). Gateways
 * and doc-services read the same live set and build the same consistent-hash
 * ring over it, so they agree on each document's owner without talking to
 * each other. Key names come from `redisKeys(prefix).membership`:
 *
 *   members   ZSET    member = instanceId, score = expiry time (Redis clock)
 *   records   HASH    instanceId -> JSON MembershipRecord
 *   channel   pub/sub join and leave announcements, so rings update at once
 *                     on a clean join or leave instead of at the next poll
 *
 * A crashed instance drops out when its expiry passes; the database fence on
 * (document_id, version) covers the overlap.
 */

/** Default time after the last heartbeat at which an instance counts as gone. */
export const DEFAULT_MEMBERSHIP_TTL_MS = 5_000;

/** Default heartbeat interval: several heartbeats per TTL, so one slow beat is harmless. */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1_000;

/** What a doc-service instance publishes about itself with each heartbeat. */
export const MembershipRecord = z.object({
  /** The instance's id, also its key on the hash ring. */
  instanceId: InstanceId,
  /** Where requests for this instance go: `redisKeys(prefix).inbox(instanceId)`. */
  inbox: z.string().min(1).max(512),
  /** When the instance started (epoch ms). */
  startedAt: EpochMillis,
  /** When it wrote this record, at its latest heartbeat (epoch ms). */
  heartbeatAt: EpochMillis,
  /**
   * Where gateways reach the instance directly (its owner link, a WebSocket),
   * so that a request and its reply skip the two Redis hops of the inbox.
   * Absent on an instance that offers none; gateways then use the inbox.
   */
  link: z
    .object({
      /** `ws://host:port`. */
      url: z
        .string()
        .max(512)
        .regex(/^ws:\/\/[^/\s]+$/),
      /**
       * A random secret of this run, to present on connecting: the link is
       * exactly as trusted as Redis, where only the services read it.
       */
      token: z.string().min(32).max(128),
    })
    .optional(),
});
/** See {@link MembershipRecord}. */
export type MembershipRecord = z.infer<typeof MembershipRecord>;
