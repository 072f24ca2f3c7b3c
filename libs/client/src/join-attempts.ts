import { ClientEvent, ErrorCode, type JoinResult, type WireError } from '@collab/contracts';
import { isRetryable } from './client-retry';
import { forGood, type Transport } from './transport/transport';

/**
 * Handshake refusals that no reconnect can get past: the page's origin is
 * not allowed, or the app speaks another protocol. They end the connection
 * for good, as a server close asking to reload or stop does: the app is told
 * with the error marked `forGood` (endedForGood), so it neither says it will
 * reconnect nor reconnects when the network comes back. Others (an expired
 * or revoked token, too many sockets) may pass later, with the next token or
 * fewer tabs, but the transport does not try again by itself (it does only
 * after a retryable refusal): the app is told and may reconnect().
 */
const HOPELESS_HANDSHAKES: ReadonlySet<string> = new Set([
  ErrorCode.ORIGIN_NOT_ALLOWED,
  ErrorCode.PROTOCOL_MISMATCH,
]);

/** What the join attempts need of their document. */
export interface JoinHost {
  closed(): boolean;
  /** Joins again on the same connection (DocumentSync.onConnect). */
  rejoin(): void;
  /** Tells the app of a refusal nobody awaits. */
  error(error: WireError): void;
  /** The wait before retry `attempt` (clientRetryDelay). */
  retryDelay(attempt: number): number;
}

/**
 * The join of each connection: its request, a join again after a retryable
 * refusal, the first open() that waits for it, and the handshake refusals
 * that end it. What a join's answer does to the document is DocumentSync's.
 */
export class JoinAttempts {
  /** A join request is on its way (a second one would race it). */
  private joining = false;
  /** Retries of the join since the last successful one (see clientRetryDelay). */
  private retries = 0;
  /** A join to try again on the same connection after a retryable refusal. */
  private timer: ReturnType<typeof setTimeout> | undefined;
  private firstJoin: { resolve: () => void; reject: (error: WireError) => void } | undefined;
  /** The code of the last handshake refusal told to the app (each is told once in a row). */
  private lastHandshakeRefusal: string | undefined;

  constructor(
    private readonly docId: string,
    private readonly transport: Transport,
    private readonly host: JoinHost,
  ) {}

  /** A join is on its way or planned: no other is needed. */
  get underway(): boolean {
    return this.joining || this.timer !== undefined;
  }

  /** A join request is on its way. */
  get requesting(): boolean {
    return this.joining;
  }

  /** open() waits for the first join: resolved by it, or rejected with a refusal retrying cannot fix. */
  awaitFirst(waiter: { resolve: () => void; reject: (error: WireError) => void }): void {
    this.firstJoin = waiter;
  }

  /** A new connection is up: its handshake refusals are told afresh. */
  connected(): void {
    this.lastHandshakeRefusal = undefined;
  }

  /** The connection is down: the next one joins on its own. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * A refused handshake (`error` when the server gave a reason). Returns
   * true when it ended the connection: open() fails, or (opened from a
   * replica) the app is told, and the transport is stopped either way.
   */
  handshakeRefused(error: WireError | undefined): boolean {
    if (error && HOPELESS_HANDSHAKES.has(error.code)) {
      this.fail(forGood(error));
      return true;
    }
    if (error && !isRetryable(error) && this.firstJoin) {
      this.fail(error);
      return true;
    }
    if (error && !isRetryable(error) && error.code !== this.lastHandshakeRefusal) this.host.error(error);
    this.lastHandshakeRefusal = error?.code;
    return false;
  }

  /**
   * Asks to join on this connection. Undefined when it did not join: a
   * reconnect meanwhile (the new connection's own join takes over), or a
   * refusal (joined again later when retrying can help, else failed).
   */
  async request(): Promise<JoinResult | undefined> {
    this.cancel();
    const connection = this.transport.connectionId;
    this.joining = true;
    const result = await this.transport.request(ClientEvent.Join, { docId: this.docId });
    if (this.transport.connectionId !== connection || !this.transport.connected) return undefined;
    this.joining = false;
    if (!result.ok) {
      // No owner reachable (a failover), a timeout: join again, whether
      // this is the first join (open() keeps waiting) or a re-join.
      if (isRetryable(result.error)) this.later();
      else this.fail(result.error);
      return undefined;
    }
    this.retries = 0;
    return result.value;
  }

  /** The first join is done: open() resolves. */
  opened(): void {
    this.firstJoin?.resolve();
    this.firstJoin = undefined;
  }

  /** A join (or the outbox restore that completes it) refused for a reason retrying cannot fix. */
  fail(error: WireError): void {
    // Opened from a replica, nobody awaits the join: say why it failed.
    if (this.firstJoin) this.firstJoin.reject(error);
    else this.host.error(error);
    this.firstJoin = undefined;
    this.transport.disconnect();
  }

  /**
   * A join refused with a retryable code (no owner reachable during a
   * failover, a timeout), or an operation refused NOT_JOINED, leaves the
   * connection up but not joined: no broadcast reaches it, every operation
   * would be refused NOT_JOINED, and no reconnect is coming to join it again.
   * So it joins again on the same connection after the resend delay; a first
   * open() keeps waiting meanwhile (it rejects only for a refusal that
   * retrying cannot fix).
   */
  later(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.transport.connected && !this.host.closed()) this.host.rejoin();
    }, this.host.retryDelay(++this.retries));
  }
}
