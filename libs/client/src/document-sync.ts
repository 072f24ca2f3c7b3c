import { ServerEvent, type CommittedOp, type JoinResult, type Role } from '@collab/contracts';
import { type OutgoingOp, OtClient, type ReceiveResult } from '@collab/ot';
import Delta from 'quill-delta';
import {
  type CollabDocumentEvents,
  type CollabDocumentOptions,
  ConnectionStatus,
} from './collab-document.types';
import { clientRetryDelay, isRetryable, readLogPage } from './client-retry';
import { CommittedStream } from './committed-stream';
import { RefusedEdits, type ServerCopy } from './edit-refusal';
import { JoinAttempts } from './join-attempts';
import { LocalDocument } from './local-document';
import { OpSender } from './op-sender';
import { type RestoredPending, restoreFromOutbox, toServerOp } from './outbox-restore';
import { STALL_CHECK_MS, StallWatchdog, type Stalls } from './stall-watchdog';
import { SocketIoTransport } from './transport/socket-io-transport';
import {
  DisconnectCause,
  sessionClosedError,
  type RequestResult,
  type Transport,
} from './transport/transport';
import { TypedEmitter } from './typed-emitter';

const randomId = () =>
  `c${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/**
 * The synchronisation of one open document, under CollabDocument's public
 * API. It holds the document's state (the OT client, the local and server
 * documents, whether this connection has joined) and what a join's answer
 * does to it, and joins the parts, each in its own file: the transport
 * (connection, auth, token refresh), the join attempts (request, retry,
 * open(), handshake refusals), the operation in flight (OpSender), the
 * committed stream (inbox, gaps, catch-up, drain), refused edits
 * (RefusedEdits), the outbox restore and the stall watchdog.
 *
 * It runs the libs/ot client state machine (at most one operation in flight,
 * later edits composed into a buffer), and after every reconnect re-joins,
 * catches up, and resends the in-flight operation unchanged so the server's
 * dedupe applies it exactly once. Operations go only on a connection that
 * has joined.
 */
export class DocumentSync extends TypedEmitter<CollabDocumentEvents> {
  readonly clientId: string;
  protected readonly transport: Transport;
  protected readonly stream: CommittedStream;
  protected readonly watchdog: StallWatchdog;
  protected readonly refusals: RefusedEdits;
  protected readonly sender: OpSender;
  protected readonly joins: JoinAttempts;
  protected ot: OtClient | undefined;
  protected content = LocalDocument.of([]);
  /**
   * The server's document at `server.version`: the local document without
   * this client's pending edits, which a refused edit is undone against (see
   * OtClient.refuse). It follows the OT client's version, one committed
   * operation at a time; after a reconnect it restarts from the join's
   * content and may stand ahead of the OT client until the catch-up reaches it.
   */
  protected server: ServerCopy | undefined;
  protected roleValue: Role | undefined;
  protected statusValue: ConnectionStatus = ConnectionStatus.connecting;
  /** An outbox to rebuild the document from, with the join it goes from. */
  protected pendingRestore: { joined: JoinResult; restored: RestoredPending } | undefined;
  /** Whether this connection has joined the document: operations go only then (else NOT_JOINED). */
  protected joinedHere = false;
  protected closed = false;

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
    this.joins = new JoinAttempts(options.docId, this.transport, {
      closed: () => this.closed,
      rejoin: () => void this.onConnect(),
      error: (error) => this.emit('error', error),
      retryDelay: (attempt) => clientRetryDelay(attempt, options.retryDelayMs),
    });
    this.refusals = new RefusedEdits({
      ot: () => this.ot,
      content: () => this.content,
      server: () => this.server,
      setContent: (content) => (this.content = content),
      restartFrom: (joined) => this.restartFrom(joined),
      rejoin: () => {
        this.joinedHere = false;
        this.joins.later();
      },
      send: (op) => this.send(op),
      changed: (change) => this.emit('remote', change, null),
      pending: (count) => this.emit('pending', count),
      refused: (refusal) => this.emit('refused', refusal),
    });
    this.sender = new OpSender(options.docId, this.transport, {
      ot: () => this.ot,
      mayGo: (op) =>
        this.transport.connected && this.joinedHere && !this.refusals.holds(op) && !this.refusals.reloading,
      answer: (seq, version) => this.stream.answer(seq, version),
      notJoined: () => {
        this.joinedHere = false;
        if (!this.joins.requesting) this.joins.later();
      },
      refuse: (refusal) => this.refusals.refuse(refusal),
      retryDelay: (attempt) => clientRetryDelay(attempt, options.retryDelayMs),
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
      this.joins.connected();
      void this.onConnect();
    });
    transport.on('disconnect', (cause, closedBy) => {
      // The next connection joins on its own.
      this.joinedHere = false;
      this.joins.cancel();
      // Closed for good (sign-out, too many sockets, an old app): no reconnect
      // is coming, so offline and why (open() fails, or `error`).
      if (cause === DisconnectCause.server && closedBy && !this.closed) {
        this.joins.fail(sessionClosedError(closedBy));
      }
      const offline = this.closed || cause !== DisconnectCause.network;
      this.setStatus(offline ? ConnectionStatus.offline : ConnectionStatus.reconnecting);
    });
    transport.on('connectError', (error) => {
      const hopeless = this.joins.handshakeRefused(error);
      // The transport tries again after no reason (the network) or a
      // retryable one (a cool-down); after any other it stays down.
      const down = hopeless || (error !== undefined && !isRetryable(error));
      this.setStatus(down ? ConnectionStatus.offline : ConnectionStatus.reconnecting);
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
    this.sender.stop();
    this.joins.cancel();
    this.transport.disconnect();
    this.setStatus(ConnectionStatus.offline);
  }

  /** What is stalled now (see StallWatchdog); op and drain only while connected and joined. */
  private stalls(): Stalls {
    const connected = !this.closed && this.transport.connected;
    const join = connected && !this.joinedHere && !this.joins.underway;
    const inFlight = this.ot?.inFlight() ?? null;
    if (!connected || !this.ot || this.statusValue !== ConnectionStatus.connected) {
      return { join, op: false, drain: false };
    }
    // An operation refused for good is taken out once `server` catches up; a stall is one nobody answered.
    const op =
      inFlight !== null &&
      !this.refusals.holds(inFlight) &&
      !this.sender.busy &&
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
      lastRefusal: this.refusals.last ?? null,
      refusalWaiting: this.refusals.waitingToSettle,
      stallsRecovered: this.watchdog.recovered,
    });
  }

  protected setStatus(status: ConnectionStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    this.emit('status', status);
  }

  /** Joins on this connection, catches up, and sends the operation in flight again. */
  protected async onConnect(): Promise<void> {
    const joined = await this.joins.request();
    if (!joined) return;
    const roleChanged = this.roleValue !== undefined && this.roleValue !== joined.role;
    this.roleValue = joined.role;
    if (roleChanged) this.emit('role', joined.role);
    for (const p of joined.presence) this.emit('presence', p);
    this.joinedHere = true;
    if (!this.ot) {
      this.start(joined);
    } else if (this.pendingRestore) {
      // An outbox restore that could not read the log last time: from this join.
      this.pendingRestore = { ...this.pendingRestore, joined };
    } else if (this.refusals.reloadDue(joined.version, this.ot.version)) {
      this.refusals.reloadFrom(joined);
    } else {
      // A VERSION_AHEAD the server no longer gives (it has our version): resend as usual.
      this.refusals.forgetReload();
      // Reconnected: everything after our version comes from the log, then the
      // in-flight operation goes again, unchanged.
      if (this.server?.version !== this.ot.version && this.ot.version <= joined.version) {
        this.server = { doc: LocalDocument.of(joined.content as Delta['ops']), version: joined.version };
      }
      await this.stream.catchUp(joined.version);
      this.refusals.settle();
    }
    // Edits adopted from an outbox: the document is rebuilt from the log
    // before open() resolves, because callers read `document` right then.
    if (this.pendingRestore && !(await this.restore())) return;
    const inFlight = this.ot?.inFlight();
    if (inFlight) this.send(inFlight);
    this.setStatus(ConnectionStatus.connected);
    this.joins.opened();
    void this.stream.drain();
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
      if (!result.retryable) this.joins.fail(result.error);
      return false;
    }
    this.pendingRestore = undefined;
    const { server, serverVersion, local } = result.document;
    this.server = { doc: LocalDocument.of(server.ops), version: serverVersion };
    this.content = LocalDocument.of(local.ops);
    this.emit('pending', this.ot!.pendingCount);
    return true;
  }

  /** One page of the log after `fromVersion`, asked again while that can help (readLogPage). */
  private readPage(fromVersion: number): Promise<RequestResult<'catchup'>> {
    const { docId, catchupLimit, retryDelayMs } = this.options;
    const page = { docId, fromVersion, limit: catchupLimit ?? 500 };
    return readLogPage(this.transport, page, () => this.closed, retryDelayMs);
  }

  private apply(op: CommittedOp): void {
    const result = this.ot!.receive(toServerOp(op));
    switch (result.kind) {
      case 'remote':
        this.content.apply(result.apply);
        this.advanceServer(op.version, op.delta as Delta['ops']);
        this.emit('remote', result.apply, op);
        this.refusals.settle();
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
    const change = new Delta(delta);
    server.doc.apply(change);
    server.version = version;
    this.emit('committed', version, change);
  }

  /** Restarts the document at a join's content (a reload after VERSION_AHEAD: RefusedEdits.reloadFrom). */
  private restartFrom(joined: JoinResult): void {
    const content = joined.content as Delta['ops'];
    this.ot = new OtClient({ clientId: this.clientId, version: joined.version, nextSeq: this.ot!.nextSeq });
    this.content = LocalDocument.of(content);
    this.server = { doc: LocalDocument.of(content), version: joined.version };
    this.stream.restartAt(joined.version);
  }

  protected send(op: OutgoingOp): void {
    this.sender.send(op);
  }
}
