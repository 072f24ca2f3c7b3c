/**
 * The version of the real-time protocol spoken over Socket.IO.
 *
 * Bump it whenever a client of the previous version could misread a message
 * of this one (a renamed event, a changed payload, a new required field).
 * The gateway refuses a handshake whose `auth.protocolVersion` differs with
 * `PROTOCOL_MISMATCH`, and the client reloads instead of corrupting a
 * document it no longer understands.
 */
export const PROTOCOL_VERSION = 2;

/** Whether a client announcing `version` may connect to this server. */
export function isSupportedProtocolVersion(version: unknown): boolean {
  return version === PROTOCOL_VERSION;
}
