import type { Server } from 'socket.io';
import { CollabGateway } from '../src/realtime/collab.gateway';
import type { RunningGateway } from './harness';

/**
 * A gateway's settings for the slow-consumer specs: it closes a client whose
 * unsent backlog passes `maxBacklogBytes`, checked every 100 ms, with the
 * rate limits out of the way so that only the backlog can end a session.
 */
export function reapingGatewayEnv(maxBacklogBytes: number): Record<string, string> {
  return {
    MAX_SOCKET_BACKLOG_BYTES: String(maxBacklogBytes),
    SLOW_CONSUMER_CHECK_MS: '100',
    OPS_PER_SECOND_PER_SOCKET: '10000',
    OPS_PER_SECOND_PER_USER: '10000',
    EVENTS_PER_SECOND_PER_SOCKET: '100000',
  };
}

/** A running gateway's Socket.IO server, to reach its sockets from a spec. */
export function socketServerOf(gateway: RunningGateway): Server {
  return gateway.app.get(CollabGateway, { strict: false }).server as Server;
}
