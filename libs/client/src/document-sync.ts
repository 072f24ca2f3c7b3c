import {
  ClientEvent,
  ErrorCode,
  ServerEvent,
  type CommittedOp,
  type JoinResult,
  type Role,
  type WireError,
  CLIENT_RETRY,
  retryDelayMs,
} from '@collab/contracts';
import { type OutgoingOp, OtClient, type ReceiveResult } from '@collab/ot';
import Delta from 'quill-delta';
import {
  type CollabDocumentEvents,
  type CollabDocumentOptions,
  ConnectionStatus,
} from './collab-document.types';
import { CommittedStream } from './committed-stream';
import { takeOutRefused } from './edit-refusal';
import { LocalDocument } from './local-document';
import { isRetryable, type RestoredPending, restoreFromOutbox, toServerOp } from './outbox-restore';
import { STALL_CHECK_MS, StallWatchdog, type Stalls } from './stall-watchdog';
import { SocketIoTransport } from './transport/socket-io-transport';
import { DisconnectCause, type RequestResult, type Transport } from './transport/transport';
import { TypedEmitter } from './typed-emitter';

type Refusal = { op: OutgoingOp; error: WireError };

/**
 * Handshake refusals that no reconnect can get past: the page's origin is
 * not allowed, or the app speaks another protocol. Others (an expired or
 * revoked token) may pass with the next token, so the transport keeps trying.
 */
const HOPELESS_HANDSHAKES: ReadonlySet<string> = new Set([
  ErrorCode.ORIGIN_NOT_ALLOWED,
  ErrorCode.PROTOCOL_MISMATCH,
]);

const randomId = () =>
  `c${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/**
 * The synchronisation of one open document, under CollabDocument's public
 * API: the join, the one operation in flight, the server's document, and
 * refused edits. It joins the parts: the transport (connection, auth, token
 * refresh), the committed stream (inbox, gaps, catch-up, drain), the outbox
 * restore and the stall watchdog.
 *
 * It runs the libs/ot client state machine (at most one operation in flight,
 * later edits composed into a buffer), and after every reconnect re-joins,
 * catches up, and resends the in-flight operation unchanged so the server's
 * dedupe applies it exactly once. Operations go only on a connection that
 * has joined.
 *
 * Why this file is past the house's ~350 lines: the join, the operation in
 * flight and the taking out of a refused edit all move the same state (the
 * OT client, the local and server documents, joinedHere) in one order; the
 * parts that stand on their own already live beside it. Splitting the
 * refusal handling into a class of its own is the next step (issue 14).
 */
export class DocumentSync extends TypedEmitter<CollabDocumentEvents> {
  readonly clientId: string;
  protected readonly transport: Transport;
  protected readonly stream: CommittedStream;
  protected readonly watchdog: StallWatchdog;
  protected ot: OtClient | undefined;
  protected content = LocalDocument.of([]);
  /**
   * The server's document at `server.version`: the local document without
   * this client's pending edits, which a refused edit is undone against (see
   * OtClient.refuse). It follows the OT client's version, one committed
   * operation at a time; after a reconnect it restarts from the join's
   * content and may stand ahead of the OT client until the catch-up reaches it.
   */
  protected server: { doc: LocalDocument; version: number } | undefined;
  protected roleValue: Role | undefined;
  protected statusValue: ConnectionStatus = ConnectionStatus.connecting;
  /** An outbox to rebuild the document from, with the join it goes from. */
  protected pendingRestore: { joined: JoinResult; restored: RestoredPending } | undefined;
  /** A final refusal of the in-flight operation, until `server` stands at the OT client's version. */
  protected refusal: Refusal | undefined;
  /** A VERSION_AHEAD refusal (or an edit that could not be undone): the next join reloads the document. */
  protected reloadFor: (Refusal & { always?: boolean }) | undefined;
  /** The code of the last handshake refusal told to the app (each is told once in a row). */
  protected lastHandshakeRefusal: string | undefined;
  /** The code of the last final refusal (reported by whenSynced). */
  protected lastRefusal: string | undefined;
  /** Whether this connection has joined the document: operations go only then (else NOT_JOINED). */
  protected joinedHere = false;
  /** A join request is on its way (a second one would race it). */
  protected joining = false;
  protected closed = false;
  protected sendTimer: ReturnType<typeof setTimeout> | undefined;
  /** Requests for the in-flight operation awaiting their answer, and whether a resend is scheduled. */
  protected opRequests = 0;
  protected resendScheduled = false;
  /** Retries of the join since the last successful one, and of the operation `retriedOp` (see retryDelay). */
  private joinRetries = 0;
  private sendRetries = 0;
  private retriedOp: OutgoingOp | undefined;
  /** A join to try again on the same connection after a retryable refusal. */
  protected joinTimer: ReturnType<typeof setTimeout> | undefined;
  protected firstJoin: { resolve: () => void; reject: (error: WireError) => void } | undefined;

  constructor(protected readonly options: CollabDocumentOptions) {
    super();
    this.clientId = options.clientId ?? randomId();
    this.transport = options.transport ?? new SocketIoTransport(options);
    this.stream = new CommittedStream({
      ot: () => this.ot,
      blocked: () => this.pendingRestore !== undefined,
      closed: () => this.closed,
      apply: (op) => this.apply(op),
      acknowledge: (seq, version) => this.acknowledged(this.ot!.acknowledge(seq, version)),
      readPage: (fromVersion) => this.readPage(fromVersion),
    });
    this.watchdog = new StallWatchdog(options.stallCheckMs ?? STALL_CHECK_MS, () => this.stalls(), {
      join: () => void this.onConnect(),
      op: () => this.send(this.ot!.inFlight()!),
      drain: () => this.stream.drainCatchingUp(),
    });
    this.listen();
  }

  private listen(): void {
    const { transport, options } = this;
    transport.on('connect', () => {
      this.joinedHere = false;
      this.lastHandshakeRefusal = undefined;
      void this.onConnect();
    });
    transport.on('disconnect', (cause) => {
      // The next connection joins on its own.
      this.joinedHere = false;
      clearTimeout(this.joinTimer);
      this.joinTimer = undefined;
      const offline = this.closed || cause === DisconnectCause.client;
      this.setStatus(offline ? ConnectionStatus.offline : ConnectionStatus.reconnecting);
    });
    transport.on('connectError', (error) => {
      if (error && !isRetryable(error) && (this.firstJoin || HOPELESS_HANDSHAKES.has(error.code))) {
        // Nothing a reconnect can change: open() fails, or (opened from a
        // replica) the app is told and the transport stops retrying.
        this.failJoin(error);
        this.setStatus(ConnectionStatus.offline);
        return;
      }
      if (error && !isRetryable(error) && error.code !== this.lastHandshakeRefusal) this.emit('error', error);
      this.lastHandshakeRefusal = error?.code;
      this.setStatus(ConnectionStatus.reconnecting);
    });
    transport.onServer(ServerEvent.Ops, (committed) => {
      if (committed.docId === options.docId) this.stream.receive(committed.ops);
    });
    transport.onServer(ServerEvent.AccessChanged, (change) => {
      if (change.docId !== options.docId || change.role === this.roleValue) return;
      this.roleValue = change.role;
      this.emit('role', change.role);
    });
    transport.onServer(ServerEvent.AccessRevoked, (revoked) => {
      if (revoked.docId !== options.docId) return;
      // Unsent edits can never be accepted now; the caller drops its outbox.
      this.close();
      this.emit('revoked', revoked.reason);
    });
    transport.onServer(ServerEvent.Presence, (p) => p.docId === options.docId && this.emit('presence', p));
    transport.onServer(
      ServerEvent.PresenceLeave,
      (p) => p.docId === options.docId && this.emit('presence:leave', p),
    );
  }

  /** Closes the document: no more joins, requests or timers. */
  close(): void {
    this.closed = true;
    this.watchdog.stop();
    this.stream.close();
    clearTimeout(this.sendTimer);
    clearTimeout(this.joinTimer);
    this.transport.disconnect();
    this.setStatus(ConnectionStatus.offline);
  }

  /** What is stalled now (see StallWatchdog); op and drain only while connected and joined. */
  private stalls(): Stalls {
    const connected = !this.closed && this.transport.connected;
    const join = connected && !this.joinedHere && !this.joining && !this.joinTimer;
    const inFlight = this.ot?.inFlight() ?? null;
    if (!connected || !this.ot || this.statusValue !== ConnectionStatus.connected) {
      return { join, op: false, drain: false };
    }
    // An operation refused for good is taken out once `server` catches up; a stall is one nobody answered.
    const op =
      inFlight !== null &&
      inFlight !== this.refusal?.op &&
      this.opRequests === 0 &&
      !this.resendScheduled &&
      !this.stream.answering(inFlight.seq);
    return { join, op, drain: this.stream.stalled };
  }

  /** Where the client stands, for a stall's report: what it waits for, and on whom. */
  protected describe(): string {
    const inFlight = this.ot?.inFlight();
    return JSON.stringify({
      status: this.statusValue,
      connected: this.transport.connected,
      joinedHere: this.joinedHere,
      version: this.ot?.version,
      inFlight: inFlight ? { seq: inFlight.seq, baseVersion: inFlight.baseVersion } : null,
      ...this.stream.describe(),
      lastRefusal: this.lastRefusal ?? null,
      refusalWaiting: this.refusal !== undefined,
      stallsRecovered: this.watchdog.recovered,
    });
  }

  protected setStatus(status: ConnectionStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    this.emit('status', status);
  }

  protected async onConnect(): Promise<void> {
    clearTimeout(this.joinTimer);
    this.joinTimer = undefined;
    // The answer belongs to this connection: after a reconnect meanwhile, the
    // new connection's own join takes over.
    const connection = this.transport.connectionId;
    this.joining = true;
    const result = await this.transport.request(ClientEvent.Join, { docId: this.options.docId });
    if (this.transport.connectionId !== connection || !this.transport.connected) return;
    this.joining = false;
    if (!result.ok) {
      // No owner reachable (a failover), a timeout: join again, whether
      // this is the first join (open() keeps waiting) or a re-join.
      if (isRetryable(result.error)) this.rejoinLater();
      else this.failJoin(result.error);
      return;
    }
    const joined = result.value;
    const roleChanged = this.roleValue !== undefined && this.roleValue !== joined.role;
    this.roleValue = joined.role;
    if (roleChanged) this.emit('role', joined.role);
    for (const p of joined.presence) this.emit('presence', p);
    this.joinedHere = true;
    this.joinRetries = 0;
    if (!this.ot) {
      this.start(joined);
    } else if (this.pendingRestore) {
      // An outbox restore that could not read the log last time: from this join.
      this.pendingRestore = { ...this.pendingRestore, joined };
    } else if (this.reloadFor && (this.reloadFor.always || joined.version < this.ot.version)) {
      this.reloadFrom(joined);
    } else {
      // A VERSION_AHEAD the server no longer gives (it has our version): resend as usual.
      this.reloadFor = undefined;
      // Reconnected: everything after our version comes from the log, then the
      // in-flight operation goes again, unchanged.
      if (this.server?.version !== this.ot.version && this.ot.version <= joined.version) {
        this.server = { doc: LocalDocument.of(joined.content as Delta['ops']), version: joined.version };
      }
      await this.stream.catchUp(joined.version);
      this.settleRefusal();
    }
    // Edits adopted from an outbox: the document is rebuilt from the log
    // before open() resolves, because callers read `document` right then.
    if (this.pendingRestore && !(await this.restore())) return;
    const inFlight = this.ot?.inFlight();
    if (inFlight) this.send(inFlight);
    this.setStatus(ConnectionStatus.connected);
    this.firstJoin?.resolve();
    this.firstJoin = undefined;
    void this.stream.drain();
  }

  /** A join (or the outbox restore that completes it) refused for a reason retrying cannot fix. */
  private failJoin(error: WireError): void {
    // Opened from a replica, nobody awaits the join: say why it failed.
    if (this.firstJoin) this.firstJoin.reject(error);
    else this.emit('error', error);
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
  private rejoinLater(): void {
    clearTimeout(this.joinTimer);
    this.joinTimer = setTimeout(() => {
      this.joinTimer = undefined;
      if (this.transport.connected && !this.closed) void this.onConnect();
    }, this.retryDelay(++this.joinRetries));
  }

  private start(joined: JoinResult): void {
    const restored = this.options.pending;
    if (restored && restored.version <= joined.version) {
      // An outbox from an earlier visit: start at its version (so the pending
      // edits are based where they were made) and catch up from there.
      this.ot = new OtClient({
        clientId: this.clientId,
        version: restored.version,
        nextSeq: restored.nextSeq,
        pending: restored.state,
      });
      this.pendingRestore = { joined, restored }; // the content is rebuilt from the log
      return;
    }
    // Sequence numbers on the wire start at 1 (contracts: Seq is positive).
    this.ot = new OtClient({ clientId: this.clientId, version: joined.version, nextSeq: 1 });
    this.content = LocalDocument.of(joined.content as Delta['ops']);
    this.server = { doc: LocalDocument.of(joined.content as Delta['ops']), version: joined.version };
  }

  /** Runs the outbox restore; false when it could not finish (a failed join, or the next join retries). */
  private async restore(): Promise<boolean> {
    const { joined, restored } = this.pendingRestore!;
    const result = await restoreFromOutbox(this.ot!, restored, joined, (from) => this.readPage(from));
    // A reconnect meanwhile restarted the restore from its own join.
    if (this.pendingRestore?.joined !== joined) return false;
    if (!result.ok) {
      if (!result.retryable) this.failJoin(result.error);
      return false;
    }
    this.pendingRestore = undefined;
    const { server, serverVersion, local } = result.document;
    this.server = { doc: LocalDocument.of(server.ops), version: serverVersion };
    this.content = LocalDocument.of(local.ops);
    this.emit('pending', this.ot!.pendingCount);
    return true;
  }

  /**
   * One page of the log after `fromVersion`. A refusal that passes (a
   * failover, a timeout) is asked again while connected, or this client
   * stays behind on a quiet document until someone types.
   */
  private async readPage(fromVersion: number): Promise<RequestResult<'catchup'>> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.transport.request(ClientEvent.Catchup, {
        docId: this.options.docId,
        fromVersion,
        limit: this.options.catchupLimit ?? 500,
      });
      if (result.ok || !isRetryable(result.error) || !this.transport.connected || this.closed) return result;
      await new Promise((resolve) => setTimeout(resolve, this.retryDelay(attempt)));
    }
  }

  private apply(op: CommittedOp): void {
    const result = this.ot!.receive(toServerOp(op));
    switch (result.kind) {
      case 'remote':
        this.content.apply(result.apply);
        this.advanceServer(op.version, op.delta as Delta['ops']);
        this.emit('remote', result.apply, op);
        this.settleRefusal();
        break;
      case 'ack':
        this.acknowledged(result);
        break;
      case 'gap':
      case 'stale':
        break;
    }
  }

  /** Our in-flight operation is durable: the buffered edits, if any, go next. */
  private acknowledged(result: ReceiveResult): void {
    if (result.kind !== 'ack') return;
    this.advanceServer(result.version, result.delta.ops);
    this.emit('pending', this.ot!.pendingCount);
    if (result.next) this.send(result.next);
  }

  /** Moves the server's document by the operation committed as `version`, if it is the next one. */
  private advanceServer(version: number, delta: Delta['ops']): void {
    const server = this.server;
    if (!server || version !== server.version + 1) return;
    server.doc.apply(new Delta(delta));
    server.version = version;
  }

  /**
   * A final refusal of the operation in flight (see OtClient.refuse): it will
   * never commit, so it is taken out and the later edits rebased and sent
   * without it, once `server` stands at the OT client's version (at once,
   * but for a refusal that comes in the middle of a catch-up). VERSION_AHEAD
   * is different: the server does not have the version this client is at,
   * so nothing pending can be rebased onto what it has, and the next join
   * reloads the document (see reloadFrom).
   */
  private refuse(refusal: Refusal): void {
    this.lastRefusal = refusal.error.code;
    if (refusal.error.code === ErrorCode.VERSION_AHEAD) return this.reloadOnNextJoin(refusal);
    this.refusal = refusal;
    this.settleRefusal();
  }

  private reloadOnNextJoin(refusal: Refusal & { always?: boolean }): void {
    this.reloadFor = refusal;
    this.joinedHere = false;
    this.rejoinLater();
  }

  private settleRefusal(): void {
    const { refusal, ot, server } = this;
    if (!refusal || !ot || !server || server.version !== ot.version) return;
    this.refusal = undefined;
    let taken;
    try {
      taken = takeOutRefused(ot, refusal.op.seq, server.doc.toDelta(), this.content.toDelta());
    } catch {
      // An edit this client cannot undo (it should not happen: OtClient.refuse
      // holds for every edit the document accepted): reload from the server
      // rather than stop, as for VERSION_AHEAD.
      return this.reloadOnNextJoin({ ...refusal, always: true });
    }
    if (!taken) return; // no longer in flight
    this.content = LocalDocument.of(taken.content.ops);
    if (taken.change.ops.length > 0) this.emit('remote', taken.change, null);
    this.emit('pending', ot.pendingCount);
    this.emit('refused', {
      error: refusal.error,
      seq: taken.refused.seq,
      edit: taken.refused.delta,
      reloaded: false,
    });
    if (taken.next) this.send(taken.next);
  }

  /**
   * After VERSION_AHEAD, the join's content is all the server has: the
   * document restarts from it, every edit not yet saved is dropped (the app
   * is told), and seqs go on from where they were, never reused.
   */
  private reloadFrom(joined: JoinResult): void {
    const { op, error } = this.reloadFor!;
    this.reloadFor = undefined;
    const content = joined.content as Delta['ops'];
    const change = this.content.toDelta().diff(new Delta(content));
    this.ot = new OtClient({ clientId: this.clientId, version: joined.version, nextSeq: this.ot!.nextSeq });
    this.content = LocalDocument.of(content);
    this.server = { doc: LocalDocument.of(content), version: joined.version };
    this.stream.restartAt(joined.version);
    this.refusal = undefined;
    if (change.ops.length > 0) this.emit('remote', change, null);
    this.emit('pending', 0);
    this.emit('refused', { error, seq: op.seq, edit: op.delta, reloaded: true });
  }

  /**
   * The wait before retry `attempt` of a refused request: the one back-off
   * with jitter of libs/contracts (retryDelayMs), so that the clients of a
   * failed owner do not all come back at the same instants; `retryDelayMs`
   * sets the first retry's ceiling.
   */
  private retryDelay(attempt: number): number {
    const baseMs = this.options.retryDelayMs ?? CLIENT_RETRY.baseMs;
    return retryDelayMs(attempt, { baseMs, capMs: Math.max(baseMs, CLIENT_RETRY.capMs) });
  }

  protected send(op: OutgoingOp): void {
    // Sent again after the next join; a refused one, never.
    if (!this.transport.connected || !this.joinedHere || op === this.refusal?.op || this.reloadFor) return;
    const { docId } = this.options;
    const payload = {
      docId,
      clientId: op.clientId,
      seq: op.seq,
      baseVersion: op.baseVersion,
      delta: op.delta.ops,
    };
    this.opRequests++;
    void this.transport.request(ClientEvent.Op, payload as never).then((result) => {
      this.opRequests--;
      if (result.ok) {
        // Committed as `version`. Unless its broadcast (with others' operations)
        // acknowledged it already, this is the acknowledgement: the stream
        // applies it in version order.
        if (this.ot?.inFlight() === op && result.value.version > this.ot.version) {
          this.stream.answer(op.seq, result.value.version);
        }
        return;
      }
      if (this.ot?.inFlight() !== op) return;
      if (result.error.code === ErrorCode.NOT_JOINED) {
        // The gateway does not know this connection's join (it forgot it in a
        // failover, or the operation overtook the join): nothing was applied.
        // Join again; the join sends the operation again.
        this.joinedHere = false;
        if (!this.joining) this.rejoinLater();
        return;
      }
      if (isRetryable(result.error)) {
        clearTimeout(this.sendTimer);
        this.resendScheduled = true;
        this.sendRetries = this.retriedOp === op ? this.sendRetries + 1 : 1;
        this.retriedOp = op;
        this.sendTimer = setTimeout(() => {
          this.resendScheduled = false;
          if (this.ot?.inFlight() === op) this.send(op);
        }, this.retryDelay(this.sendRetries));
        return;
      }
      this.refuse({ op, error: result.error });
    });
  }
}
