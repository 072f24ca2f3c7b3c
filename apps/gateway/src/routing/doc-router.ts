import { randomUUID } from 'node:crypto';
import { ChannelBatcher, Membership } from '@collab/cluster';
import {
  AppError,
  batchChannelOf,
  type DocServiceRequest,
  DocServiceReply,
  type DocServiceRequestType,
  type DocServiceResultOf,
  ErrorCode,
  parseDocServiceResult,
  parseServiceMessages,
  type RedisKeys,
  type WireError,
  wireError,
  retryDelayMs,
  ROUTE_RETRY,
} from '@collab/contracts';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { OwnerLink } from './owner-link';
import { OwnerLinks } from './owner-links';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A request as the caller builds it; the router adds the envelope per attempt. */
export type RouteRequest = DistributiveOmit<DocServiceRequest, 'requestId' | 'replyTo' | 'correlationId'>;

export interface DocRouterOptions {
  readonly gatewayId: string;
  readonly timeoutMs: number;
  /** How long an owner link may take to open (owner-links.ts); the inbox serves meanwhile. */
  readonly linkConnectTimeoutMs: number;
  readonly attempts: number;
  readonly membershipPollMs: number;
  /** Told each time the live doc-service set changes (metrics). */
  readonly onRingChange?: () => void;
  /** Told of each request sent, and which way it went (metrics). */
  readonly onSent?: (path: 'link' | 'inbox') => void;
}

/** A request waiting for its reply, and the owner link it went on, if any. */
interface Waiter {
  readonly answer: (reply: DocServiceReply) => void;
  link?: OwnerLink;
}

/** Errors after which the request goes again to whoever owns the document then. */
const REROUTE: ReadonlySet<string> = new Set([ErrorCode.NOT_OWNER, ErrorCode.UNAVAILABLE, ErrorCode.TIMEOUT]);

/**
 * Sends requests to the owner of a document on the consistent-hash ring and
 * waits for the reply: on the owner link when one is open (owner-links.ts:
 * a WebSocket to the owner, no Redis hop either way), else through the
 * owner's Redis inbox, answered on this gateway's own reply channel.
 *
 * Ownership moves (an instance stops, a new one joins), so a request can
 * reach an instance that no longer owns the document (`NOT_OWNER`), one that
 * is shutting down (`UNAVAILABLE`), or one that has died (no reply). Each of
 * those is retried with a fresh `requestId` against the ring as it is then.
 * Retrying an operation is safe only because the owner dedupes on
 * `(userId, clientId, seq)`: if the first attempt was committed and only its
 * reply was lost, the retry is acknowledged with the original version and
 * never applied twice.
 */
export class DocRouter {
  private readonly waiting = new Map<string, Waiter>();
  private readonly replyChannel: string;
  private readonly membership: Membership;
  /** Requests to one owner in one turn go out as one publish. */
  private readonly requests: ChannelBatcher;
  private readonly links: OwnerLinks;
  private subscriber: Redis | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly options: DocRouterOptions,
    private readonly log: Logger,
  ) {
    this.replyChannel = keys.replies(options.gatewayId);
    this.requests = new ChannelBatcher((channel, message) => redis.publish(channel, message));
    this.membership = new Membership({
      redis,
      keys: keys.membership,
      mode: 'observer',
      ttlMs: options.membershipPollMs * 2,
      intervalMs: options.membershipPollMs,
    });
    this.links = new OwnerLinks(
      redis,
      {
        members: () => this.membership.ring.members,
        recordsKey: keys.membership.records,
        connectTimeoutMs: options.linkConnectTimeoutMs,
        onReply: (text) => this.receive(text),
        onClosed: (link) => this.linkClosed(link),
      },
      log,
    );
    this.membership.on('change', (ring) => {
      this.log.info({ members: ring.members }, 'doc-service ring changed');
      this.options.onRingChange?.();
      void this.links.refresh();
    });
    this.membership.on('failure', (error) => this.log.warn({ err: error }, 'membership poll failed'));
  }

  async start(): Promise<void> {
    const subscriber = this.redis.duplicate({
      enableOfflineQueue: true,
      enableAutoPipelining: false,
      connectionName: 'gateway-replies',
    });
    this.subscriber = subscriber;
    subscriber.on('error', (error: Error) => this.log.warn({ err: error }, 'reply subscriber error'));
    subscriber.on('message', (_channel: string, message: string) => this.receive(message));
    // Replies come alone, or batched on the batch channel (ChannelBatcher).
    await subscriber.subscribe(this.replyChannel, batchChannelOf(this.replyChannel));
    await this.membership.start();
    await this.links.refresh();
  }

  async stop(): Promise<void> {
    await this.membership.stop();
    this.links.stop();
    this.subscriber?.disconnect();
    this.subscriber = undefined;
    for (const waiter of this.waiting.values()) {
      waiter.answer({
        type: 'reply',
        requestId: 'stopped',
        ok: false,
        error: wireError(ErrorCode.UNAVAILABLE),
      });
    }
    this.waiting.clear();
  }

  /** How many owner links are open (health, tests). */
  get openLinks(): number {
    return this.links.openCount;
  }

  /** The members of the ring as last seen (for diagnostics and tests). */
  get members(): readonly string[] {
    return this.membership.ring.members;
  }

  /**
   * Routes `request` to its document's owner and returns the checked result,
   * or throws an AppError with the owner's error (or TIMEOUT / UNAVAILABLE
   * when no attempt got an answer).
   */
  async route<T extends DocServiceRequestType>(
    request: RouteRequest & { type: T },
    correlationId: string = randomUUID(),
  ): Promise<DocServiceResultOf<T>> {
    let lastError: WireError = wireError(ErrorCode.UNAVAILABLE);
    for (let attempt = 1; attempt <= this.options.attempts; attempt++) {
      if (attempt > 1) await sleep(retryDelayMs(attempt - 1, ROUTE_RETRY));
      // Re-read the ring every attempt: a retry goes to the owner as it is now.
      const owner = this.membership.ring.ownerOf(request.docId);
      if (owner === undefined) {
        lastError = wireError(ErrorCode.UNAVAILABLE, 'No document service is available.');
        await this.membership.tick();
        continue;
      }
      const reply = await this.send(owner, request, correlationId);
      if (reply.ok) {
        const result = parseDocServiceResult(request.type, reply.result);
        if (!result.ok) {
          // A bug on one side of the channel: the transport logs the cause once, with its reference.
          throw new AppError(ErrorCode.INTERNAL, undefined, {
            cause: new Error(`malformed ${request.type} result from ${owner}: ${result.error.message}`),
          });
        }
        return result.value;
      }
      lastError = reply.error;
      if (!REROUTE.has(reply.error.code)) break;
      this.log.debug({ owner, code: reply.error.code, attempt, correlationId }, 'rerouting');
      if (reply.error.code !== ErrorCode.TIMEOUT) await this.membership.tick();
    }
    throw new AppError(lastError.code, lastError.message, { details: lastError.details });
  }

  private send(owner: string, request: RouteRequest, correlationId: string): Promise<DocServiceReply> {
    const requestId = randomUUID();
    return new Promise<DocServiceReply>((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(requestId);
        resolve({ type: 'reply', requestId, ok: false, error: wireError(ErrorCode.TIMEOUT) });
      }, this.options.timeoutMs);
      const waiter: Waiter = {
        answer: (reply) => {
          clearTimeout(timer);
          this.waiting.delete(requestId);
          resolve(reply);
        },
      };
      this.waiting.set(requestId, waiter);
      const unavailable = (): void =>
        this.waiting.get(requestId)?.answer({
          type: 'reply',
          requestId,
          ok: false,
          error: wireError(ErrorCode.UNAVAILABLE),
        });
      // replyTo stays in every request: the owner answers a link's request on
      // the link, an inbox's on that channel.
      const message = { ...request, requestId, replyTo: this.replyChannel, correlationId };
      const link = this.links.ready(owner);
      this.options.onSent?.(link ? 'link' : 'inbox');
      if (link) {
        waiter.link = link;
        link.send(message).catch(unavailable);
        return;
      }
      this.requests.send(this.keys.inbox(owner), message).then(
        // Nobody subscribed to that inbox: the instance is gone; do not wait for the timeout.
        (receivers) => receivers === 0 && unavailable(),
        (error: unknown) => {
          this.log.warn({ err: error }, 'could not publish a doc-service request');
          unavailable();
        },
      );
    });
  }

  /**
   * A link closed: nothing sent on it will be answered. Each such request is
   * answered UNAVAILABLE now and goes again (an operation is deduped by the
   * owner if the first attempt was committed).
   */
  private linkClosed(link: OwnerLink): void {
    const lost = { ok: false, error: wireError(ErrorCode.UNAVAILABLE, 'The owner link closed.') } as const;
    for (const [requestId, waiter] of [...this.waiting]) {
      if (waiter.link === link) waiter.answer({ type: 'reply', requestId, ...lost });
    }
  }

  /** One reply, or a batch of them (an owner's replies to this gateway in one turn). */
  private receive(message: string): void {
    const parsed = parseServiceMessages(DocServiceReply, message);
    if (!parsed.ok) {
      this.log.warn({ error: parsed.error }, 'dropped a malformed doc-service reply');
      return;
    }
    for (const item of parsed.items) {
      if (item.ok) this.waiting.get(item.value.requestId)?.answer(item.value);
      else this.log.warn({ error: item.error }, 'dropped a malformed doc-service reply');
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
