import { z } from 'zod';
import { CorrelationId } from '../common/ids';
import { CommittedOp } from '../socket/server-events';

/**
 * A committed operation on its way from the document's owner to the
 * gateways, published on `redisKeys(prefix).docOps(docId)` after the commit.
 * One publisher per document (its owner) keeps versions in order; a gateway
 * relays it to the document's room in a `ServerEvent.Ops` frame. (The
 * doc-service uses `@socket.io/redis-emitter`: it emits `CommittedOps` to
 * `docRoom(docId)` directly and never builds this envelope.)
 */
export const OpBroadcast = z.object({
  type: z.literal('op'),
  op: CommittedOp,
  correlationId: CorrelationId.optional(),
});
/** See {@link OpBroadcast}. */
export type OpBroadcast = z.infer<typeof OpBroadcast>;
