/**
 * When this gateway last read each (user, document) role from PostgreSQL,
 * for the backstop re-read of a typing user's role (CollabGateway.currentRole).
 *
 * Access notices move roles on live sockets within milliseconds; a notice is
 * lost only if it could not be published (logged as an error) or while this
 * gateway's subscriber was reconnecting, and a reconnect re-reads every
 * joined socket's role (AccessRevocations). The backstop covers what is left:
 * an operation re-reads its user's role on the document when the last read
 * on this gateway is `intervalMs` old or older, so a lost notice reaches a
 * typing user's operations within `intervalMs`, and the database sees at
 * most one read per user and document per gateway per interval however many
 * sockets or keystrokes there are, and none at all for idle sockets.
 */
export class RoleRecheck {
  private readonly readAt = new Map<string, number>();
  private prunedAt: number;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.prunedAt = now();
  }

  /** Whether the role must be read again before it is trusted. */
  due(userId: string, docId: string): boolean {
    const at = this.readAt.get(pairKey(userId, docId));
    return at === undefined || this.now() - at >= this.intervalMs;
  }

  /** The role was just read from PostgreSQL (at a join, or by the backstop). */
  read(userId: string, docId: string): void {
    const now = this.now();
    this.readAt.set(pairKey(userId, docId), now);
    // A read older than the interval is due anyway: forgetting it changes
    // nothing, and keeps the map to the pairs read within the last interval.
    if (now - this.prunedAt < this.intervalMs) return;
    this.prunedAt = now;
    for (const [key, at] of this.readAt) if (now - at >= this.intervalMs) this.readAt.delete(key);
  }

  /** Pairs remembered (for tests). */
  get size(): number {
    return this.readAt.size;
  }
}

const pairKey = (userId: string, docId: string) => `${userId.toLowerCase()}/${docId.toLowerCase()}`;
