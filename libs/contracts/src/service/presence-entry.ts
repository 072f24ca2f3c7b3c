import { z } from 'zod';
import { InstanceId } from '../common/ids';
import { PresenceState } from '../socket/presence';

/**
 * One run of a gateway process: its `GATEWAY_ID` and an id drawn at boot. A
 * gateway restarted under the same `GATEWAY_ID` (a pod whose container
 * restarted after a crash, a compose service with a fixed id) is a new run,
 * so the carets left by the run that crashed are never taken for its own.
 * While the run lives, `redisKeys(p).gatewayRun(gatewayId, runId)` exists.
 */
export const GatewayRun = z.object({
  gatewayId: InstanceId,
  runId: z.uuid(),
});
/** See {@link GatewayRun}. */
export type GatewayRun = z.infer<typeof GatewayRun>;

/**
 * A value of the presence hash (`redisKeys(p).presence(docId)`, field: the
 * session id): the session's caret and the gateway run that holds its
 * socket. Written and read by gateways only; clients get `state` alone, so
 * nothing server-side reaches the wire.
 */
export const PresenceEntry = z.object({
  gateway: GatewayRun,
  state: PresenceState,
});
/** See {@link PresenceEntry}. */
export type PresenceEntry = z.infer<typeof PresenceEntry>;
