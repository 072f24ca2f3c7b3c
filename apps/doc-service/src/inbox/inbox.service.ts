import { ChannelBatcher } from '@collab/cluster';
import {
  AppError,
  batchChannelOf,
  type CatchupResult,
  type DocServiceReply,
  DocServiceRequest,
  type DocServiceRequestType,
  docServiceReplyError,
  docServiceReplyOk,
  type CommittedOp,
  ErrorCode,
  jsonByteLength,
  MAX_CATCHUP_BYTES,
  parseServiceMessages,
} from '@collab/contracts';
import { reportError } from '@collab/observability';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DocumentActorRegistry } from '../documents/document-actor.registry';
import type { DocumentStore } from '../documents/document-store';

/** Sends one reply back the way its request came (an owner link's connection). */
export type ReplyVia = (reply: DocServiceReply) => Promise<unknown>;

export interface InboxOptions {
  /** The channel this instance receives requests on. */
  readonly channel: string;
  /** Replies may only go to channels under this prefix (the gateways' reply channels). */
  readonly replyPrefix: string;
  /** Told of each valid request as it arrives; the returned function is told its reply (metrics, logs). */
  readonly observe?: (request: DocServiceRequest) => (reply: DocServiceReply) => void;
}

/**
 * Answers the requests gateways route to this instance: those of its owner
 * links (owner-link.server.ts), replied to on the same connection, and those
 * of its Redis inbox channel (gateways use it while they have no link to
 * this instance), replied to on the requesting gateway's channel. A message that fails its schema is dropped and logged:
 * without a valid `requestId` and `replyTo` there is no one to answer, and the
 * gateway's timeout covers it.
 */
export class InboxService {
  private subscriber: Redis | undefined;
  /** Replies to one gateway in one turn go out as one publish. */
  private readonly replies: ChannelBatcher;
  private inFlight = 0;
  private idle: (() => void) | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly registry: DocumentActorRegistry,
    private readonly store: DocumentStore,
    private readonly options: InboxOptions,
    private readonly log: Logger,
  ) {
    this.replies = new ChannelBatcher((channel, message) => redis.publish(channel, message));
  }

  async start(): Promise<void> {
    this.subscriber = this.redis.duplicate({ enableOfflineQueue: true, enableAutoPipelining: false });
    this.subscriber.on('error', (error: Error) => this.log.warn({ err: error }, 'inbox subscriber error'));
    this.subscriber.on('message', (_channel: string, message: string) => void this.receive(message));
    // Requests come alone, or batched on the batch channel (ChannelBatcher).
    await this.subscriber.subscribe(this.options.channel, batchChannelOf(this.options.channel));
  }

  /** Stops receiving and waits for the requests in hand to be answered. */
  async stop(): Promise<void> {
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (subscriber) {
      await subscriber.unsubscribe().catch(() => undefined);
      subscriber.disconnect();
    }
    if (this.inFlight > 0) await new Promise<void>((resolve) => (this.idle = resolve));
  }

  /**
   * Handles one raw message (a request, or a gateway's batch of them); never
   * throws. Replies go to each request's `replyTo` channel, or through
   * `replyVia` when the message came over an owner link (the connection it
   * came on: see owner-link.server.ts).
   */
  async receive(message: string, replyVia?: ReplyVia): Promise<void> {
    const parsed = parseServiceMessages(DocServiceRequest, message);
    if (!parsed.ok) {
      this.log.warn({ error: parsed.error }, 'dropped a malformed doc-service request');
      return;
    }
    // Each request of a batch on its own: its actor orders it among the
    // document's operations, and one slow request does not hold the others.
    await Promise.all(
      parsed.items.map((item) => {
        if (item.ok) return this.handle(item.value, replyVia);
        this.log.warn({ error: item.error }, 'dropped a malformed doc-service request');
        return undefined;
      }),
    );
  }

  private async handle(request: DocServiceRequest, replyVia: ReplyVia | undefined): Promise<void> {
    // Over Redis a reply is published where the request says: only on a gateway's channel.
    if (!replyVia && !request.replyTo.startsWith(this.options.replyPrefix)) {
      this.log.warn({ replyTo: request.replyTo }, 'dropped a request with a foreign reply channel');
      return;
    }
    this.inFlight++;
    try {
      const answered = this.options.observe?.(request);
      const reply = await this.answer(request);
      answered?.(reply);
      await (replyVia ? replyVia(reply) : this.replies.send(request.replyTo, reply));
    } catch (error) {
      this.log.error({ err: error, requestId: request.requestId }, 'could not send a reply');
    } finally {
      this.inFlight--;
      if (this.inFlight === 0) this.idle?.();
    }
  }

  private async answer(request: DocServiceRequest): Promise<DocServiceReply> {
    try {
      switch (request.type) {
        case 'op': {
          const version = await this.registry.submit(request.docId, request);
          return ok(request, { version });
        }
        case 'load':
          return ok(request, await this.registry.load(request.docId));
        case 'catchup':
          return ok(request, await this.catchup(request.docId, request.fromVersion, request.limit));
        case 'restore': {
          const version = await this.registry.restore(request.docId, request);
          return ok(request, { version });
        }
      }
    } catch (error) {
      // One classifier for every transport: a lost PostgreSQL or Redis is
      // UNAVAILABLE (the gateway reroutes, the client resends), a bug INTERNAL;
      // a cause is logged once here and its reference travels in the reply.
      const reported = reportError(this.log, error, {
        correlationId: request.correlationId,
        docId: request.docId,
        request: request.type,
      });
      return docServiceReplyError(request, reported.toWire());
    }
  }

  /**
   * Committed operations after `fromVersion`, read from PostgreSQL: any
   * instance can answer (only committed operations were ever broadcast, so the
   * log has everything a client can be missing).
   */
  private async catchup(docId: string, fromVersion: number, limit: number): Promise<CatchupResult> {
    const head = await this.store.head(docId);
    if (head === null) throw new AppError(ErrorCode.NOT_FOUND, `document ${docId} does not exist`);
    if (fromVersion > head) {
      throw new AppError(ErrorCode.VERSION_AHEAD, `version ${fromVersion} is ahead of head version ${head}`);
    }
    const ops = withinCatchupBytes(await this.store.committedAfter(docId, fromVersion, limit));
    const last = ops.length > 0 ? ops[ops.length - 1].version : fromVersion;
    return { ops, headVersion: Math.max(head, last), hasMore: last < head };
  }
}

/**
 * The longest prefix of a catch-up page within MAX_CATCHUP_BYTES, and never
 * empty (one operation is at most MAX_MESSAGE_BYTES): a page of large
 * operations must not hold up the socket it goes out on. The client asks
 * again from where the page ends (`hasMore`).
 */
function withinCatchupBytes(ops: CommittedOp[]): CommittedOp[] {
  let bytes = 0;
  for (let i = 0; i < ops.length; i++) {
    bytes += jsonByteLength(ops[i]);
    if (bytes > MAX_CATCHUP_BYTES && i > 0) return ops.slice(0, i);
  }
  return ops;
}

function ok<T extends DocServiceRequestType>(
  request: { requestId: string; correlationId?: string; type: T },
  result: Parameters<typeof docServiceReplyOk<T>>[1],
): DocServiceReply {
  return docServiceReplyOk(request, result);
}
