/**
 * What one gateway knows of each user's shared token bucket (the per-user
 * operation limit in Redis): its level as the last answered take left it,
 * and the takes sent since and not yet answered. Replies on one Redis
 * connection come in the order the takes were sent, so `level - pending`
 * is the level once those land, as far as this gateway's own takes go.
 *
 * Other gateways' takes meanwhile are not in it: the estimate can be too
 * high by what the user spent elsewhere since the last answer. That is why
 * an operation goes on unanswered only while the estimate stays above
 * `above` (half the burst), why such a take is owed (debited even past
 * empty, down to the debt floor, and repaid by the refill), and why every
 * answer resets the level to the bucket's own.
 */
export class BucketLevels {
  private readonly byUser = new Map<string, { level: number | null; pending: number }>();

  constructor(private readonly above: number) {}

  /** Whether the next operation of `userId` may go on before its take is answered. */
  mayOwe(userId: string): boolean {
    const entry = this.byUser.get(userId);
    return entry !== undefined && entry.level !== null && entry.level - entry.pending > this.above;
  }

  /** A take of `userId`'s token is sent. */
  sent(userId: string): void {
    const entry = this.byUser.get(userId);
    if (entry) entry.pending++;
    else this.byUser.set(userId, { level: null, pending: 1 });
  }

  /**
   * The oldest take of `userId`'s still pending was answered, leaving the
   * bucket at `level` tokens (whole tokens; negative while owed), or null
   * when it was not answered (Redis did not reply): the level is unknown
   * until the next answer, so the next operations wait for theirs.
   */
  answered(userId: string, level: number | null): void {
    const entry = this.byUser.get(userId);
    if (!entry) return;
    entry.pending = Math.max(0, entry.pending - 1);
    entry.level = level;
  }

  /** The user's last socket on this gateway is gone. */
  forget(userId: string): void {
    this.byUser.delete(userId);
  }

  /** Users known (diagnostics, tests). */
  get size(): number {
    return this.byUser.size;
  }
}
