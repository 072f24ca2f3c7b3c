import type { Role } from '@collab/contracts';
import type { Identity } from '../auth/identity';
import type { UserProfile } from '../documents/document-access';

/** What the gateway keeps on `socket.data` (this process only). */
export interface SocketState {
  /** Set by the connection middleware before any handler runs. */
  identity: Identity;
  /** Joined documents and the current role (set at join, moved by access notices, re-read by operations). */
  docs?: Map<string, Role>;
  /** When each joined document's role was last read from PostgreSQL (epoch ms). */
  rolesReadAt?: Map<string, number>;
  /** Size of the last message received (UTF-16 units of its frame, an upper bound's proxy for bytes). */
  lastMessageLength?: number;
  /** Name and colour for presence, read once per socket. */
  profile?: UserProfile;
}
