import type { Role } from '@collab/contracts';
import type { Identity } from '../auth/identity';
import type { UserProfile } from '../documents/document-access';

/** What the gateway keeps on `socket.data` (this process only). */
export interface SocketState {
  /** Set by the connection middleware before any handler runs. */
  identity: Identity;
  /** Joined documents and the current role (set at join, moved by access notices and the backstop re-read). */
  docs?: Map<string, Role>;
  /** The session this client had before this connection (handshake `previousSessionId`): its caret goes at each join. */
  previousSessionId?: string;
  /** Name and colour for presence, read once per socket. */
  profile?: UserProfile;
}
