import { HashRing } from '@collab/cluster';
import {
  PROTOCOL_VERSION,
  redisKeys,
  type RedisKeys,
  type Role,
  type SessionClosed,
} from '@collab/contracts';
import { createDataSource, DocumentMemberEntity, runMigrations } from '@collab/persistence';
import {
  createDocument,
  createTestDatabase,
  createTestRedis,
  createUser,
  storedOps,
  type TestDatabase,
  type TestRedis,
  until,
} from '@collab/testing';
import type { INestApplication } from '@nestjs/common';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import Delta from 'quill-delta';
import { io, type Socket as ClientSocket } from 'socket.io-client';
import type { DataSource } from 'typeorm';
import { signAccessToken } from '../src/auth/access-token';
import { loadConfig } from '../src/config/env';
import { createGatewayApp } from '../src/gateway.app';
import {
  type DocServiceProcess,
  type GatewayProcess,
  launchDocService,
  launchGateway,
  terminate,
} from './child-processes';

export type { DocServiceProcess, GatewayProcess } from './child-processes';

export const JWT_SECRET = 'test-secret-that-is-long-enough-0123456789';

export interface RunningGateway {
  readonly app: INestApplication;
  readonly url: string;
}

/**
 * A private database and Redis prefix, doc-service child processes (the
 * built doc-service, as in production) and gateways in this process.
 */
export class GatewayHarness {
  readonly gateways: RunningGateway[] = [];
  readonly docServices: DocServiceProcess[] = [];
  readonly gatewayProcesses: GatewayProcess[] = [];
  private readonly sockets: ClientSocket[] = [];
  /** Clients a test opened (SDK documents, typists): closed by close() even when the test failed before closing them. */
  private readonly clients: { close(): void }[] = [];

  private constructor(
    readonly db: TestDatabase,
    readonly infra: TestRedis,
    readonly keys: RedisKeys,
    readonly dataSource: DataSource,
    readonly redis: Redis,
  ) {}

  /**
   * `servers` replaces the shared servers' private database and key prefix,
   * e.g. with a private PostgreSQL or Redis a fault test may restart.
   */
  static async create(
    label: string,
    servers: { db?: TestDatabase; infra?: TestRedis } = {},
  ): Promise<GatewayHarness> {
    const db = servers.db ?? (await createTestDatabase(label));
    const infra = servers.infra ?? (await createTestRedis(label));
    const dataSource = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
    await runMigrations(dataSource);
    return new GatewayHarness(db, infra, redisKeys(infra.prefix), dataSource, new Redis(infra.url));
  }

  /** Starts a doc-service process; `overrides` replace its environment defaults (e.g. HTTP_PORT). */
  async startDocService(overrides: Record<string, string> = {}): Promise<DocServiceProcess> {
    const { proc, ready } = await launchDocService(this, overrides);
    this.docServices.push(proc);
    await ready;
    return proc;
  }

  /** SIGKILL: no hand-over, as a crashed process. */
  async killDocService(proc: DocServiceProcess): Promise<void> {
    proc.child.kill('SIGKILL');
    await proc.exited;
    const index = this.docServices.indexOf(proc);
    if (index >= 0) this.docServices.splice(index, 1);
  }

  /** SIGTERM: the doc-service leaves the ring, flushes its commits and exits. */
  async stopDocService(proc: DocServiceProcess): Promise<void> {
    proc.child.kill('SIGTERM');
    await proc.exited;
    const index = this.docServices.indexOf(proc);
    if (index >= 0) this.docServices.splice(index, 1);
  }

  /** The gateway's settings in tests, the same in this process and in its own: short route timeouts and polls. */
  private gatewayEnv(): Record<string, string> {
    return {
      DATABASE_URL: this.db.url,
      REDIS_URL: this.infra.url,
      REDIS_PREFIX: this.infra.prefix,
      JWT_SECRET,
      ROUTE_TIMEOUT_MS: '1000',
      ROUTE_ATTEMPTS: '6',
      MEMBERSHIP_POLL_MS: '200',
      DB_POOL_SIZE: '4',
    };
  }

  async startGateway(overrides: Record<string, string> = {}): Promise<RunningGateway> {
    const config = loadConfig({ ...this.gatewayEnv(), LOG_LEVEL: 'silent', ...overrides });
    const app = await createGatewayApp(config, pino({ level: process.env['DS_LOG'] ?? 'silent' }));
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address() as { port: number };
    const gateway = { app, url: `http://127.0.0.1:${address.port}` };
    this.gateways.push(gateway);
    return gateway;
  }

  /**
   * Starts the built gateway as its own process, as in production, so a test
   * can end it with SIGKILL (a crash) or SIGTERM (a graceful stop). `port`
   * restarts a gateway where its clients reconnect (they keep their URL).
   * Resolves once it answers /healthz.
   */
  async startGatewayProcess(overrides: Record<string, string> = {}, port?: number): Promise<GatewayProcess> {
    const env = { ...this.gatewayEnv(), LOG_LEVEL: process.env['DS_LOG'] ?? 'silent', ...overrides };
    const { proc, ready } = await launchGateway(env, port);
    this.gatewayProcesses.push(proc);
    await ready;
    return proc;
  }

  /**
   * Ends a gateway process with `signal` and waits for the exit: SIGKILL drops
   * every socket at once, SIGTERM closes them and the gateway's connections.
   */
  async stopGatewayProcess(proc: GatewayProcess, signal: 'SIGKILL' | 'SIGTERM'): Promise<void> {
    proc.child.kill(signal);
    await proc.exited;
    const index = this.gatewayProcesses.indexOf(proc);
    if (index >= 0) this.gatewayProcesses.splice(index, 1);
  }

  /** Waits until each gateway (in this process or its own) routes over exactly the running doc-services. */
  async settle(): Promise<void> {
    const ids = this.docServices.map((d) => d.instanceId).sort();
    await until(
      async () => {
        for (const g of [...this.gateways, ...this.gatewayProcesses]) {
          const res = await fetch(`${g.url}/healthz`);
          const body = (await res.json()) as { docServices: number };
          if (body.docServices !== ids.length) return false;
        }
        return true;
      },
      {
        what: `every gateway to route over the ${ids.length} running doc-services`,
        timeoutMs: 60_000,
        everyMs: 25,
      },
    );
  }

  ownerOf(docId: string): string {
    // Same ring as every process: read the live members directly.
    return ownerOnRing(
      this.docServices.map((d) => d.instanceId),
      docId,
    );
  }

  token(userId: string, ttlSeconds = 300): string {
    return signAccessToken(JWT_SECRET, userId, ttlSeconds);
  }

  /** Calls a REST route under /api; `body` is sent as JSON (a string is sent as it is). */
  async api<T = Record<string, unknown>>(
    gateway: RunningGateway,
    method: string,
    path: string,
    options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: T; headers: Headers }> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token !== undefined) headers['authorization'] = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(`${gateway.url}/api${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? undefined : JSON.parse(text);
    } catch {
      // not JSON (an export, for example): the text as it is
    }
    return { status: response.status, body: parsed as T, headers: response.headers };
  }

  /** A socket.io client of a gateway in this process or its own; `auth` defaults to a valid token for `userId`. */
  client(gateway: { readonly url: string }, auth: Record<string, unknown>): ClientSocket {
    const socket = io(gateway.url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
    this.sockets.push(socket);
    return socket;
  }

  async connect(gateway: { readonly url: string }, userId: string): Promise<ClientSocket> {
    const socket = this.client(gateway, { token: this.token(userId), protocolVersion: PROTOCOL_VERSION });
    await connected(socket);
    return socket;
  }

  createUser(name?: string): Promise<string> {
    return createUser(this.dataSource, name);
  }

  createDocument(ownerId: string): Promise<string> {
    return createDocument(this.dataSource, ownerId);
  }

  async addMember(docId: string, userId: string, role: Role): Promise<void> {
    await this.dataSource.getRepository(DocumentMemberEntity).insert({ documentId: docId, userId, role });
  }

  /** The document's newest committed version (0 before any operation). */
  async headVersion(docId: string): Promise<number> {
    const [row] = (await this.dataSource.query(
      'SELECT coalesce(max(version), 0) AS head FROM operations WHERE document_id = $1',
      [docId],
    )) as { head: string }[];
    return Number(row.head);
  }

  /** The document as the operation log replays it, from the empty document. */
  async replay(docId: string): Promise<Delta> {
    const rows: { delta: Delta['ops'] }[] = await this.dataSource.query(
      'SELECT delta FROM operations WHERE document_id = $1 ORDER BY version',
      [docId],
    );
    return rows.reduce((doc, row) => doc.compose(new Delta(row.delta)), new Delta([{ insert: '\n' }]));
  }

  /** Who sent what, as the log stores it (the deltas are the doc-service's tests' business). */
  async storedOps(docId: string): Promise<{ version: number; clientId: string; seq: number }[]> {
    return (await storedOps(this.dataSource, docId)).map(({ version, clientId, seq }) => ({
      version,
      clientId,
      seq,
    }));
  }

  /**
   * Closes `client` in close() (afterAll). A client left open keeps
   * reconnecting to a stopped gateway forever, and Jest never exits.
   */
  track<C extends { close(): void }>(client: C): C {
    this.clients.push(client);
    return client;
  }

  async close(): Promise<void> {
    for (const client of this.clients.splice(0)) client.close();
    for (const socket of this.sockets) socket.disconnect();
    for (const g of this.gatewayProcesses.splice(0)) await terminate(g);
    for (const g of this.gateways.splice(0)) await g.app.close();
    for (const d of this.docServices.splice(0)) await terminate(d);
    this.redis.disconnect();
    await this.dataSource.destroy();
    await this.db.drop();
    await this.infra.cleanup();
  }
}

/** Emits an event with an ack and resolves with the ack's payload. */
export function request<T = Record<string, unknown>>(
  socket: ClientSocket,
  event: string,
  ...args: unknown[]
): Promise<T> {
  return socket.timeout(15_000).emitWithAck(event, ...args) as Promise<T>;
}

/** Resolves once `socket` connects; rejects with the connect_error if the gateway refuses it. */
export function connected(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
}

/** Resolves with the connect_error of a socket the gateway refuses; rejects if it connects. */
export function refused(socket: ClientSocket): Promise<Error & { data?: { code: string } }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('connected')));
    socket.once('connect_error', resolve);
  });
}

/**
 * How the gateway ends `socket`: resolves on its disconnect with the
 * session:closed payload that came before it (undefined if none did) and the
 * disconnect reason. Call it before the close can happen.
 */
export function closedBy(
  socket: ClientSocket,
): Promise<{ closed: SessionClosed | undefined; reason: string }> {
  let closed: SessionClosed | undefined;
  socket.on('session:closed', (payload: SessionClosed) => (closed = payload));
  return new Promise((resolve) => socket.once('disconnect', (reason) => resolve({ closed, reason })));
}

/** The code of a REST error body (`{ error: { code } }`), or undefined for any other body. */
export function errorCode(body: unknown): string | undefined {
  return (body as { error?: { code?: string } } | undefined)?.error?.code;
}

/** Pacing (a typist's rhythm), never synchronisation: a test waits for events with `until` from @collab/testing. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function ownerOnRing(members: string[], docId: string): string {
  const owner = new HashRing(members).ownerOf(docId);
  if (owner === undefined) throw new Error('empty ring');
  return owner;
}
