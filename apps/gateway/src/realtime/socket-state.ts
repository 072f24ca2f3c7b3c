import type { Role } from '@collab/contracts';
import type { Identity } from '../auth/identity';
import type { UserProfile } from '../documents/document-access';

/** What the gateway keeps on `socket.data` (this process only). */
export interface SocketState {
  /** Set by the connection middleware before any handler runs. */
  identity: Identity;
  /** Joined documents and the role seen at join (operations re-check it). */
  docs?: Map<string, Role>;
  /** Name and colour for presence, read once per socket. */
  profile?: UserProfile;
}
