import { MembershipRecord, parseJson, retryDelayMs, type RetryPolicy } from '@collab/contracts';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { OwnerLink, type OwnerLinkAddress } from './owner-link';

/**
 * After a link fails, the next attempt to that instance waits this long (a
 * random wait below min(cap, base x 2^(failures - 1))): an instance whose
 * link cannot be reached (a firewall, a half-dead pod) costs a connect
 * attempt now and then, not one per request, and is served through the
 * Redis inbox meanwhile.
 */
const RECONNECT: RetryPolicy = Object.freeze({ baseMs: 500, capMs: 30_000 });

export interface OwnerLinksOptions {
  /** The live doc-services, as the ring has them now. */
  readonly members: () => readonly string[];
  /** The membership records' hash (redisKeys(prefix).membership.records). */
  readonly recordsKey: string;
  /** How long a link may take to open before the attempt counts as failed. */
  readonly connectTimeoutMs: number;
  /** A frame of replies arrived on some link. */
  readonly onReply: (text: string) => void;
  /** A link closed: whatever was sent on it will not be answered. */
  readonly onClosed: (link: OwnerLink) => void;
}

/**
 * A gateway's owner links, one per live doc-service that offers one (its
 * membership record's `link`). `ready(owner)` returns an open link or, while
 * there is none, starts one and returns undefined: the router then sends
 * through the Redis inbox, as it does to an instance that offers no link.
 * Links to instances that leave the ring are closed.
 */
export class OwnerLinks {
  private readonly links = new Map<string, OwnerLink>();
  private addresses = new Map<string, OwnerLinkAddress>();
  private readonly failures = new Map<string, { count: number; retryAt: number }>();
  private reading: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly redis: Redis,
    private readonly options: OwnerLinksOptions,
    private readonly log: Logger,
  ) {}

  /** The open link to `owner`, or undefined (one is started if it may be). */
  ready(owner: string): OwnerLink | undefined {
    const link = this.links.get(owner);
    if (link?.isOpen) return link;
    if (!link) this.connect(owner);
    return undefined;
  }

  /** How many links are open (health and tests). */
  get openCount(): number {
    let open = 0;
    for (const link of this.links.values()) if (link.isOpen) open++;
    return open;
  }

  /**
   * Re-reads the members' records (on a ring change, and after a link
   * failed: the instance may have restarted under the same id with a new
   * address or token), and closes the links of instances no longer live.
   */
  refresh(): Promise<void> {
    this.reading ??= this.read(this.options.members()).finally(() => (this.reading = undefined));
    return this.reading;
  }

  stop(): void {
    this.stopped = true;
    for (const link of [...this.links.values()]) link.close();
    this.links.clear();
  }

  private async read(live: readonly string[]): Promise<void> {
    let raw: Record<string, string>;
    try {
      raw = await this.redis.hgetall(this.options.recordsKey);
    } catch (error) {
      this.log.warn({ err: error }, 'could not read the doc-services records; using their inboxes');
      return;
    }
    const next = new Map<string, OwnerLinkAddress>();
    for (const id of live) {
      const record = raw[id] === undefined ? undefined : parseJson(MembershipRecord, raw[id]);
      if (record?.ok && record.value.link) next.set(id, record.value.link);
      else if (record && !record.ok)
        this.log.warn({ id, error: record.error }, 'malformed doc-service record');
    }
    this.addresses = next;
    for (const [id, link] of this.links) {
      const address = next.get(id);
      if (!address || address.url !== link.address.url || address.token !== link.address.token) link.close();
    }
  }

  private connect(owner: string): void {
    const address = this.addresses.get(owner);
    const failed = this.failures.get(owner);
    if (this.stopped || !address || (failed && performance.now() < failed.retryAt)) return;
    const link = new OwnerLink(owner, address, this.options.connectTimeoutMs, {
      reply: this.options.onReply,
      closed: (closed, opened, reason) => this.closed(closed, opened, reason),
    });
    this.links.set(owner, link);
  }

  private closed(link: OwnerLink, opened: boolean, reason: string): void {
    if (this.links.get(link.owner) === link) this.links.delete(link.owner);
    this.options.onClosed(link);
    if (this.stopped) return;
    // A link that worked and then closed (the instance stopped) may be retried
    // at once; one that never opened waits, longer each time.
    const count = opened ? 0 : (this.failures.get(link.owner)?.count ?? 0) + 1;
    if (count === 0) this.failures.delete(link.owner);
    else
      this.failures.set(link.owner, { count, retryAt: performance.now() + retryDelayMs(count, RECONNECT) });
    this.log.info({ owner: link.owner, url: link.address.url, opened, reason }, 'owner link closed');
    void this.refresh();
  }
}
