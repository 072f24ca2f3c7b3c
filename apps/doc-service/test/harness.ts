import { randomUUID } from 'node:crypto';
import {
  batchChannelOf,
  type CommittedOp,
  type CommittedOps,
  type DocOpRequest,
  type DocServiceReply,
  DocServiceReply as DocServiceReplySchema,
  type DocServiceRequest,
  parseServiceMessages,
  redisKeys,
  type RedisKeys,
} from '@collab/contracts';
import { createDataSource, runMigrations } from '@collab/persistence';
import {
  createDocument,
  createTestDatabase,
  createTestRedis,
  createUser,
  type StoredOp,
  storedOps,
  type TestDatabase,
  type TestRedis,
  until,
} from '@collab/testing';
import { Redis } from 'ioredis';
import { decode } from 'notepack.io';
import { type Logger, pino } from 'pino';
import type Delta from 'quill-delta';
import type { DataSource } from 'typeorm';
import { type DocServiceConfig, loadConfig } from '../src/config/env';
import { DocServiceRuntime } from '../src/doc-service.runtime';

type RequestBody = DistributiveOmit<DocServiceRequest, 'requestId' | 'replyTo' | 'correlationId'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A private database and Redis prefix, doc-service instances started in this
 * process, and a fake gateway end: it sends requests to an instance's inbox,
 * waits for replies on its own channel, and records every broadcast.
 */
export class DocServiceHarness {
  readonly runtimes: DocServiceRuntime[] = [];
  readonly broadcasts: CommittedOp[] = [];
  private readonly waiting = new Map<string, (reply: DocServiceReply) => void>();
  private readonly replyChannel: string;

  private constructor(
    readonly db: TestDatabase,
    readonly infra: TestRedis,
    readonly keys: RedisKeys,
    readonly dataSource: DataSource,
    readonly redis: Redis,
    private readonly subscriber: Redis,
  ) {
    this.replyChannel = keys.replies(`test-${randomUUID().slice(0, 8)}`);
  }

  /** `servers.db` replaces the private database on the shared server, e.g. with a private PostgreSQL a fault test may stop. */
  static async create(label: string, servers: { db?: TestDatabase } = {}): Promise<DocServiceHarness> {
    const db = servers.db ?? (await createTestDatabase(label));
    const infra = await createTestRedis(label);
    const dataSource = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    await runMigrations(dataSource);
    const redis = new Redis(infra.url);
    const subscriber = new Redis(infra.url);
    const harness = new DocServiceHarness(db, infra, redisKeys(infra.prefix), dataSource, redis, subscriber);
    await harness.listen();
    return harness;
  }

  private async listen(): Promise<void> {
    this.subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
      const name = channel.toString();
      if (name !== this.replyChannel && name !== batchChannelOf(this.replyChannel)) return;
      // The instance batches its replies to one gateway in one turn.
      const parsed = parseServiceMessages(DocServiceReplySchema, message.toString());
      for (const item of parsed.ok ? parsed.items : []) {
        if (item.ok) this.waiting.get(item.value.requestId)?.(item.value);
      }
    });
    this.subscriber.on('pmessageBuffer', (_pattern: Buffer, _channel: Buffer, message: Buffer) => {
      // @socket.io/redis-emitter packets: [uid, {type, data: [event, payload], nsp}, opts]
      const [, packet] = decode(message) as [string, { data: [string, CommittedOps] }];
      if (packet.data[0] === 'ops') this.broadcasts.push(...packet.data[1].ops);
    });
    await this.subscriber.subscribe(this.replyChannel, batchChannelOf(this.replyChannel));
    await this.subscriber.psubscribe(`${this.keys.socketIo}#*`);
  }

  config(overrides: Record<string, string> = {}): DocServiceConfig {
    return loadConfig({
      DATABASE_URL: this.db.url,
      REDIS_URL: this.infra.url,
      REDIS_PREFIX: this.infra.prefix,
      HTTP_PORT: '0',
      MEMBERSHIP_TTL_MS: '2000',
      HEARTBEAT_INTERVAL_MS: '200',
      DB_POOL_SIZE: '4',
      LOG_LEVEL: 'silent',
      ...overrides,
    });
  }

  /** Starts an instance in this process; `log` receives its log lines (none by default). */
  async startInstance(
    overrides: Record<string, string> = {},
    log: Logger = pino({ level: 'silent' }),
  ): Promise<DocServiceRuntime> {
    const runtime = await DocServiceRuntime.start(this.config(overrides), log);
    this.runtimes.push(runtime);
    return runtime;
  }

  async stopInstance(runtime: DocServiceRuntime): Promise<void> {
    await runtime.stop();
    this.runtimes.splice(this.runtimes.indexOf(runtime), 1);
  }

  /** Waits until every running instance sees the same members. */
  async settle(): Promise<void> {
    const ids = this.runtimes.map((r) => r.instanceId).sort();
    await until(
      () => this.runtimes.every((r) => JSON.stringify(r.membership.ring.members) === JSON.stringify(ids)),
      { what: `every instance to see the members ${ids.join(', ')}` },
    );
  }

  ownerOf(docId: string): DocServiceRuntime {
    const id = this.runtimes[0].membership.ring.ownerOf(docId);
    const owner = this.runtimes.find((r) => r.instanceId === id);
    if (!owner) throw new Error(`no running owner for ${docId}`);
    return owner;
  }

  /** Sends a request to an instance's inbox and waits for its reply. */
  async request(
    to: DocServiceRuntime | string,
    body: RequestBody,
    timeoutMs = 10_000,
  ): Promise<DocServiceReply> {
    const [reply] = await this.requestBatch(to, [body], [], timeoutMs);
    return reply;
  }

  /**
   * Sends requests to an instance's inbox in one publish (a batch, as a
   * gateway sends them under load; one request alone goes as itself), with
   * `malformed` elements after them, and waits for the requests' replies.
   */
  async requestBatch(
    to: DocServiceRuntime | string,
    bodies: RequestBody[],
    malformed: unknown[] = [],
    timeoutMs = 10_000,
  ): Promise<DocServiceReply[]> {
    const instanceId = typeof to === 'string' ? to : to.instanceId;
    const messages = bodies.map(
      (body) =>
        ({
          ...body,
          requestId: randomUUID(),
          replyTo: this.replyChannel,
          correlationId: randomUUID(),
        }) as DocServiceRequest,
    );
    const replies = messages.map(
      ({ requestId, type }) =>
        new Promise<DocServiceReply>((resolve, reject) => {
          const timer = setTimeout(() => {
            this.waiting.delete(requestId);
            reject(new Error(`no reply to ${type} within ${timeoutMs} ms`));
          }, timeoutMs);
          this.waiting.set(requestId, (r) => {
            clearTimeout(timer);
            this.waiting.delete(requestId);
            resolve(r);
          });
        }),
    );
    const all = [...messages, ...malformed];
    // As a gateway sends them: a lone message on the inbox, a batch on its batch channel.
    const inbox = this.keys.inbox(instanceId);
    if (all.length === 1) await this.redis.publish(inbox, JSON.stringify(all[0]));
    else await this.redis.publish(batchChannelOf(inbox), JSON.stringify(all));
    return Promise.all(replies);
  }

  createUser(name?: string): Promise<string> {
    return createUser(this.dataSource, name);
  }

  createDocument(ownerId: string): Promise<string> {
    return createDocument(this.dataSource, ownerId);
  }

  storedOps(docId: string): Promise<StoredOp[]> {
    return storedOps(this.dataSource, docId);
  }

  /** The document's content at head, as its owner serves it to a joining client. */
  async load(docId: string): Promise<{ version: number; content: Delta['ops'] }> {
    const reply = await this.request(this.ownerOf(docId), { type: 'load', docId });
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.result as { version: number; content: Delta['ops'] };
  }

  async close(): Promise<void> {
    await Promise.all(this.runtimes.splice(0).map((r) => r.stop()));
    this.subscriber.disconnect();
    this.redis.disconnect();
    await this.dataSource.destroy();
    await this.db.drop();
    await this.infra.cleanup();
  }
}

/** An `op` request from one user, as a gateway forwards a client's submit. */
export type OpFactory = (
  docId: string,
  clientId: string,
  seq: number,
  baseVersion: number,
  delta: Delta['ops'],
) => Extract<RequestBody, { type: 'op' }>;

export interface DocServiceSuite {
  readonly h: DocServiceHarness;
  /** A user that owns the documents the spec creates. */
  readonly userId: string;
  readonly op: OpFactory;
}

/**
 * The setup every doc-service spec shares: a harness with one user before
 * all tests, every instance a test started stopped after it, and everything
 * closed after all. `ready` receives the suite in beforeAll.
 */
export function useDocServiceSuite(label: string, ready: (suite: DocServiceSuite) => void): void {
  let h: DocServiceHarness | undefined;
  beforeAll(async () => {
    h = await DocServiceHarness.create(label);
    const userId = await h.createUser();
    const op: OpFactory = (docId, clientId, seq, baseVersion, delta) => ({
      type: 'op',
      docId,
      userId,
      clientId,
      seq,
      baseVersion,
      delta: delta as DocOpRequest['delta'],
    });
    ready({ h, userId, op });
  });
  afterEach(async () => {
    const harness = h;
    if (harness) await Promise.all(harness.runtimes.slice().map((r) => harness.stopInstance(r)));
  });
  afterAll(async () => {
    await h?.close();
  });
}
