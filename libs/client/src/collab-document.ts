import {
  ErrorCode,
  SESSION_CLOSE_ACTIONS,
  SessionCloseAction,
  type AccessRevokedReason,
  type Ack,
  ClientEvent,
  type CommittedOp,
  type ClientToServerEvents,
  type JoinResult,
  type PresenceLeave,
  type PresenceState,
  PROTOCOL_VERSION,
  RETRYABLE_ERROR_CODES,
  type Role,
  ServerEvent,
  type ServerToClientEvents,
  type WireError,
} from '@collab/contracts';
import {
  type DeltaLike,
  type DeltaSelection,
  type OutgoingOp,
  OtClient,
  type PendingState,
  type ReceiveResult,
} from '@collab/ot';
import Delta from 'quill-delta';
import { io, type Socket } from 'socket.io-client';
import { LocalDocument } from './local-document';
import { TypedEmitter } from './typed-emitter';

/** Connection status a person can trust. */
export const ConnectionStatus = {
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  offline: 'offline',
} as const;
export type ConnectionStatus = (typeof ConnectionStatus)[keyof typeof ConnectionStatus];

export interface CollabDocumentOptions {
  /** Gateway URL, e.g. http://localhost:3000. */
  readonly url: string;
  readonly docId: string;
  /** Returns a current access token (called on every (re)connect). */
  readonly token: () => string | Promise<string>;
  /** A stable id for this editing session; resends keep it. Random when omitted. */
  readonly clientId?: string;
  /** Operations not yet acknowledged, restored from an outbox (e.g. IndexedDB). */
  readonly pending?: {
    readonly version: number;
    readonly nextSeq: number;
    readonly state: PendingState;
  } | null;
  /**
   * The local replica an earlier visit saved (see {@link CollabDocument.replica}):
   * `open()` then resolves at once with its document, even offline, edits can
   * continue, and on connect the client catches up from its version and sends
   * what is pending, exactly as after a reconnect. Takes precedence over `pending`.
   */
  readonly replica?: Replica | null;
  /** Page size for catch-up. */
  readonly catchupLimit?: number;
  /** Wait before resending after a retryable refusal. */
  readonly retryDelayMs?: number;
  /** How often to check for a stall (see STALL_CHECK_MS); two checks in a row act. */
  readonly stallCheckMs?: number;
}

/**
 * Everything needed to reopen a document without the server: the local
 * document (server content at `version` plus the pending edits), the OT
 * client's state and the last known role. JSON-serialisable.
 */
export interface Replica {
  readonly version: number;
  readonly nextSeq: number;
  readonly pending: PendingState | null;
  readonly document: DeltaLike;
  readonly role: Role;
}

/**
 * An edit of this client's that the server refused for good (it broke a
 * rule of the document, a size limit, or the user may no longer edit). It
 * was taken out of the local document, and the edits made after it were kept
 * and sent on without it.
 */
export interface EditRefusal {
  readonly error: WireError;
  /** The refused edit, as sent (based on the server version it was made at). */
  readonly edit: Delta;
  /**
   * True when the server does not have the version this client was at (its
   * history was restored from an earlier point): the document was reloaded
   * from the server, and every edit not yet saved was dropped with this one.
   */
  readonly reloaded: boolean;
}

export interface CollabDocumentEvents {
  /**
   * The document changed by something other than a local edit: someone else's
   * operation (`op`), or a refused edit of this client's taken out (`op` null;
   * a `refused` event says why).
   */
  remote: [change: Delta, op: CommittedOp | null];
  status: [status: ConnectionStatus];
  /** The number of local edits not yet durable changed. */
  pending: [count: number];
  presence: [presence: PresenceState];
  'presence:leave': [leave: PresenceLeave];
  /** A refusal the SDK cannot fix by retrying that is not about one edit (a join refused while opened from a replica). */
  error: [error: WireError];
  /** An edit was refused for good and taken out of the document; later edits go on. */
  refused: [refusal: EditRefusal];
  /** This user's role changed while the document was open (a downgraded editor becomes a viewer). */
  role: [role: Role];
  /** This user lost access (removed, or the document was deleted): the document is closed. */
  revoked: [reason: AccessRevokedReason];
}

/**
 * How long a missing version may still arrive by itself (our own operation's
 * ack, or broadcasts an ack overtook) before it is read from the log.
 */
const GAP_WAIT_MS = 500;

/**
 * How often an open document checks that it is not stalled: an operation in
 * flight that nobody is answering or will resend, or committed operations
 * waiting with no drain or gap timer to apply them. Every path that leaves
 * such a state is meant to end in an event (an ack, a broadcast, a timeout,
 * a reconnect) that moves it on; this check is the backstop for a path that
 * does not, so that an edit is never left unsaved while the connection is
 * up. Two checks in a row must see the stall before it acts.
 */
const STALL_CHECK_MS = 5_000;

/** Refusals that resending the same request can get past (see also the SDK's own TIMEOUT). */
const isRetryable = (error: WireError) => RETRYABLE_ERROR_CODES.has(error.code) || error.code === 'TIMEOUT';

const randomId = () =>
  `c${Math.random().toString(36).slice(2, 10)}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/**
 * One open document over Socket.IO: the client SDK used by the web app, the
 * tests and the benchmarks.
 *
 * It runs the libs/ot client state machine (at most one operation in flight,
 * later edits composed into a buffer), processes committed operations strictly
 * in version order (a gap triggers a paged catch-up before anything else is
 * applied), and after every reconnect re-joins, catches up, and resends the
 * in-flight operation unchanged so the server's dedupe applies it exactly once.
 */
export class CollabDocument extends TypedEmitter<CollabDocumentEvents> {
  readonly clientId: string;
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private ot: OtClient | undefined;
  private content = LocalDocument.of([]);
  private roleValue: Role | undefined;
  private statusValue: ConnectionStatus = ConnectionStatus.connecting;
  /** Incoming committed operations, processed one at a time in arrival order. */
  private inbox: CommittedOp[] = [];
  private processing = false;
  /** The version our in-flight operation (`seq`) committed as, from its ack, until it is applied. */
  private answered: { seq: number; version: number } | undefined;
  /**
   * The server's document at `server.version`: the local document without
   * this client's pending edits, which a refused edit is undone against (see
   * OtClient.refuse). It follows the OT client's version, one committed
   * operation at a time; after a reconnect it restarts from the join's
   * content and may stand ahead of the OT client until the catch-up reaches it.
   */
  private server: { doc: LocalDocument; version: number } | undefined;
  /** A final refusal of the in-flight operation, until `server` stands at the OT client's version. */
  private refusal: { op: OutgoingOp; error: WireError } | undefined;
  /** A VERSION_AHEAD refusal: the next join reloads the document from the server. */
  private reloadFor: { op: OutgoingOp; error: WireError; always?: boolean } | undefined;
  /** The code of the last final refusal (reported by whenSynced). */
  private lastRefusal: string | undefined;
  /** Whether this connection has joined the document: operations go only then (else NOT_JOINED). */
  private joinedHere = false;
  /** A join request is on its way (a second one would race it). */
  private joining = false;
  private gapTimer: ReturnType<typeof setTimeout> | undefined;
  /** Set while a drain runs after GAP_WAIT_MS: missing versions are caught up, not awaited. */
  private gapWaitOver = false;
  private joined: Promise<JoinResult> | undefined;
  private closed = false;
  private sendTimer: ReturnType<typeof setTimeout> | undefined;
  /** Requests for the in-flight operation awaiting their answer, and whether a resend is scheduled. */
  private opRequests = 0;
  private resendScheduled = false;
  private readonly stallTimer: ReturnType<typeof setInterval>;
  /** What the previous stall check saw stalled (acted on when the next one sees it too). */
  private stalledBefore = { op: false, drain: false, join: false };
  /** Stalls found and acted on (see STALL_CHECK_MS), for a stall's report. */
  private stallsRecovered = 0;
  /** A join to try again on the same connection after a retryable refusal. */
  private joinTimer: ReturnType<typeof setTimeout> | undefined;
  private firstJoin: { resolve: () => void; reject: (error: WireError) => void } | undefined;
  /** What the last `session:closed` asked for, applied when the disconnect follows. */
  private closeAction: SessionCloseAction | undefined;
  /** Set after a handshake refused with TOKEN_EXPIRED was retried; cleared on connect. */
  private retriedExpiredToken = false;

  constructor(private readonly options: CollabDocumentOptions) {
    super();
    this.clientId = options.clientId ?? randomId();
    this.socket = io(options.url, {
      transports: ['websocket'],
      autoConnect: false,
      reconnectionDelay: 200,
      reconnectionDelayMax: 3000,
      auth: (cb) => {
        void Promise.resolve(options.token()).then(
          (token) => cb({ token, protocolVersion: PROTOCOL_VERSION }),
          () => cb({ token: '', protocolVersion: PROTOCOL_VERSION }),
        );
      },
    });
    this.socket.on('connect', () => {
      this.joinedHere = false;
      void this.onConnect();
    });
    this.stallTimer = setInterval(() => this.checkStall(), options.stallCheckMs ?? STALL_CHECK_MS);
    // In Node, an open document alone does not keep the process running.
    (this.stallTimer as { unref?: () => void }).unref?.();
    // The server says why before it closes a session (an expired token, abuse);
    // Socket.IO does not reconnect after a server-side disconnect on its own.
    // An expired token is refreshed and the session resumed; other reasons
    // (abuse cool-down, sign-out) are left to the app.
    this.socket.on(
      ServerEvent.SessionClosed,
      (closed) => (this.closeAction = SESSION_CLOSE_ACTIONS[closed.reason]),
    );
    this.socket.on('disconnect', (reason) => {
      // The next connection joins on its own.
      this.joinedHere = false;
      clearTimeout(this.joinTimer);
      const action = this.closeAction;
      this.closeAction = undefined;
      if (!this.closed && reason === 'io server disconnect' && action === SessionCloseAction.Refresh) {
        // `token()` is asked again on connect: the app hands out a refreshed token.
        this.socket.connect();
      }
      this.setStatus(
        this.closed || reason === 'io client disconnect'
          ? ConnectionStatus.offline
          : ConnectionStatus.reconnecting,
      );
    });
    this.socket.on('connect_error', (error: Error & { data?: WireError }) => {
      // A handshake refused for an expired token is tried once more with a fresh one.
      if (error.data?.code === ErrorCode.TOKEN_EXPIRED && !this.retriedExpiredToken && !this.closed) {
        this.retriedExpiredToken = true;
        this.socket.connect();
        return;
      }
      if (this.firstJoin && error.data && !RETRYABLE_ERROR_CODES.has(error.data.code)) {
        this.firstJoin.reject(error.data);
        this.firstJoin = undefined;
        this.socket.disconnect();
      }
      this.setStatus(ConnectionStatus.reconnecting);
    });
    this.socket.on(ServerEvent.Ops, (committed) => {
      if (committed.docId !== this.options.docId) return;
      this.inbox.push(...committed.ops);
      void this.drain();
    });
    this.socket.on(ServerEvent.AccessChanged, (change) => {
      if (change.docId !== options.docId || change.role === this.roleValue) return;
      this.roleValue = change.role;
      this.emit('role', change.role);
    });
    this.socket.on(ServerEvent.AccessRevoked, (revoked) => {
      if (revoked.docId !== options.docId) return;
      // Unsent edits can never be accepted now; the caller drops its outbox.
      this.close();
      this.emit('revoked', revoked.reason);
    });
    this.socket.on(ServerEvent.Presence, (p) => p.docId === options.docId && this.emit('presence', p));
    this.socket.on(
      ServerEvent.PresenceLeave,
      (p) => p.docId === options.docId && this.emit('presence:leave', p),
    );
  }

  /**
   * Connects and joins; resolves once the document content is loaded (at once
   * when opened from a replica: the join then happens in the background).
   */
  open(): Promise<void> {
    const replica = this.options.replica;
    if (replica) {
      this.ot = new OtClient({
        clientId: this.clientId,
        version: replica.version,
        nextSeq: replica.nextSeq,
        pending: replica.pending,
      });
      this.content = LocalDocument.of(replica.document.ops as Delta['ops']);
      this.roleValue = replica.role;
      this.emit('pending', this.ot.pendingCount);
      this.socket.connect();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.firstJoin = { resolve, reject };
      this.socket.connect();
    });
  }

  /** The local document: the server's content plus this client's pending edits. */
  get document(): Delta {
    return this.content.toDelta();
  }

  get text(): string {
    return this.content.text();
  }

  /** The local document's length in quill-delta units (an embed is 1), without copying it as `document` does. */
  get length(): number {
    return this.content.length;
  }

  get version(): number {
    return this.ot?.version ?? 0;
  }

  get role(): Role | undefined {
    return this.roleValue;
  }

  get status(): ConnectionStatus {
    return this.statusValue;
  }

  /** Local edits not yet acknowledged as durable (in flight plus buffered). */
  get pendingCount(): number {
    return this.ot?.pendingCount ?? 0;
  }

  /** True when every local edit is durable and nothing is waiting to be applied. */
  get synced(): boolean {
    return this.pendingCount === 0 && this.inbox.length === 0 && !this.processing;
  }

  /** What an outbox should store to resend after a reload. */
  outbox(): CollabDocumentOptions['pending'] {
    const snapshot = this.ot?.snapshot();
    if (!snapshot?.pending) return null;
    return {
      version: snapshot.version,
      nextSeq: snapshot.nextSeq,
      state: {
        inFlight: snapshot.pending.inFlight,
        rebased: snapshot.pending.rebased,
        buffer: snapshot.pending.buffer,
      },
    };
  }

  /**
   * What a local replica should store to reopen this document offline; null
   * until the content is known (before the first join, or while edits from an
   * outbox are being rebased).
   */
  replica(): Replica | null {
    if (!this.ot || this.pendingRestore || this.roleValue === undefined) return null;
    const snapshot = this.ot.snapshot();
    return {
      version: snapshot.version,
      nextSeq: snapshot.nextSeq,
      pending: snapshot.pending
        ? {
            inFlight: snapshot.pending.inFlight,
            rebased: snapshot.pending.rebased,
            buffer: snapshot.pending.buffer,
          }
        : null,
      document: this.content.toDelta(),
      role: this.roleValue,
    };
  }

  /** Applies a local edit and sends it when nothing else is in flight. */
  submit(change: Delta): void {
    if (!this.ot) throw new Error('the document is not open yet');
    this.content.apply(change);
    const outgoing = this.ot.applyLocal(change);
    this.emit('pending', this.ot.pendingCount);
    if (outgoing) this.send(outgoing);
  }

  /** Shares this client's caret or selection (null when it has none). */
  setSelection(selection: DeltaSelection | null): void {
    if (!this.ot || !this.socket.connected) return;
    const at = selection ? this.ot.presenceOut(selection) : { version: this.ot.version, selection: null };
    this.socket.emit(
      ClientEvent.Presence,
      { docId: this.options.docId, version: at.version, selection: at.selection, clientId: this.clientId },
      () => undefined,
    );
  }

  /**
   * Where someone else's caret is on this client's document now: their
   * selection moved through every operation after the version it was made
   * at, and through this client's pending edits. Null when it cannot be
   * placed (no selection, made at a version this client has not reached, or
   * older than the history kept for placing carets); the editor then hides it.
   */
  placePresence(presence: PresenceState): DeltaSelection | null {
    if (!this.ot || presence.selection === null) return null;
    const placed = this.ot.presenceIn({
      clientId: presence.clientId ?? presence.sessionId,
      version: presence.version,
      selection: presence.selection,
    });
    if (placed.kind !== 'placed') return null;
    const max = Math.max(0, this.content.length - 1);
    return { anchor: Math.min(placed.selection.anchor, max), head: Math.min(placed.selection.head, max) };
  }

  /** Waits until every local edit is durable and every received operation applied. */
  async whenSynced(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.synced) {
      if (Date.now() > deadline) {
        throw new Error(
          `not synced within ${timeoutMs} ms (${this.pendingCount} pending): ${this.describe()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * The backstop of STALL_CHECK_MS. While connected and joined: an operation
   * in flight with no request for it awaiting an answer, no resend scheduled
   * and no ack being applied is sent again (the server's dedupe makes a
   * resend safe); committed operations or an ack waiting with no drain
   * running and no gap timer set are drained, catching up what is missing.
   */
  private checkStall(): void {
    const ot = this.ot;
    // Connected but not joined, with no join on its way or planned: no
    // broadcast reaches this connection, and nothing it sends is accepted.
    const join =
      !this.closed && this.socket.connected && !this.joinedHere && !this.joining && !this.joinTimer;
    if (join && this.stalledBefore.join) {
      this.stallsRecovered++;
      void this.onConnect();
    }
    if (this.closed || !ot || !this.socket.connected || this.statusValue !== ConnectionStatus.connected) {
      this.stalledBefore = { op: false, drain: false, join };
      return;
    }
    const inFlight = ot.inFlight();
    // An operation refused for good is taken out once `server` catches up; a stall is one nobody answered.
    const op =
      inFlight !== null &&
      inFlight !== this.refusal?.op &&
      this.opRequests === 0 &&
      !this.resendScheduled &&
      !this.answered;
    const drain =
      !this.processing && !this.gapTimer && (this.inbox.length > 0 || this.answered !== undefined);
    if (op && this.stalledBefore.op) {
      this.stallsRecovered++;
      this.send(inFlight);
    }
    if (drain && this.stalledBefore.drain) {
      this.stallsRecovered++;
      this.drainCatchingUp();
    }
    this.stalledBefore = { op, drain, join };
  }

  /** Where the client stands, for a stall's report: what it waits for, and on whom. */
  private describe(): string {
    const inFlight = this.ot?.inFlight();
    return JSON.stringify({
      status: this.statusValue,
      connected: this.socket.connected,
      version: this.ot?.version,
      inFlight: inFlight ? { seq: inFlight.seq, baseVersion: inFlight.baseVersion } : null,
      answered: this.answered ?? null,
      inbox: this.inbox.map((op) => op.version).slice(0, 5),
      processing: this.processing,
      gapTimer: this.gapTimer !== undefined,
      lastRefusal: this.lastRefusal ?? null,
      refusalWaiting: this.refusal !== undefined,
      joinedHere: this.joinedHere,
      stallsRecovered: this.stallsRecovered,
    });
  }

  /** Drops the connection as a network loss would (edits keep working locally). */
  disconnect(): void {
    this.socket.disconnect();
    this.setStatus(ConnectionStatus.offline);
  }

  /** Reconnects after {@link disconnect}: re-joins, catches up, resends what is pending. */
  reconnect(): void {
    if (!this.closed) this.socket.connect();
  }

  close(): void {
    this.closed = true;
    clearInterval(this.stallTimer);
    clearTimeout(this.sendTimer);
    clearTimeout(this.joinTimer);
    clearTimeout(this.gapTimer);
    this.socket.disconnect();
    this.setStatus(ConnectionStatus.offline);
  }

  private setStatus(status: ConnectionStatus): void {
    if (status === this.statusValue) return;
    this.statusValue = status;
    this.emit('status', status);
  }

  private async onConnect(): Promise<void> {
    this.retriedExpiredToken = false;
    clearTimeout(this.joinTimer);
    this.joinTimer = undefined;
    // The answer belongs to this connection: after a reconnect meanwhile, the
    // new connection's own join takes over.
    const connection = this.socket.id;
    this.joining = true;
    const result = await this.request(ClientEvent.Join, { docId: this.options.docId });
    if (this.socket.id !== connection || !this.socket.connected) return;
    this.joining = false;
    if (!result.ok) {
      if (isRetryable(result.error)) {
        // No owner reachable (a failover), a timeout: join again, whether
        // this is the first join (open() keeps waiting) or a re-join.
        this.rejoinLater();
        return;
      }
      this.failJoin(result.error);
      return;
    }
    const joined = result.value;
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
      await this.catchUp(joined.version);
      this.settleRefusal();
    }
    if (this.pendingRestore) {
      // Edits adopted from an outbox: the document is rebuilt from the log
      // before open() resolves, because callers read `document` right then.
      const failed = await this.restoreFromOutbox();
      if (failed) return this.failJoin(failed);
      if (this.pendingRestore) return; // disconnected meanwhile: the next join restores
    }
    const inFlight = this.ot?.inFlight();
    if (inFlight) this.send(inFlight);
    this.setStatus(ConnectionStatus.connected);
    this.firstJoin?.resolve();
    this.firstJoin = undefined;
    void this.drain();
  }

  /** A join (or the outbox restore that completes it) refused for a reason retrying cannot fix. */
  private failJoin(error: WireError): void {
    // Opened from a replica, nobody awaits the join: say why it failed.
    if (this.firstJoin) this.firstJoin.reject(error);
    else this.emit('error', error);
    this.firstJoin = undefined;
    this.socket.disconnect();
  }

  /**
   * A join refused with a retryable code (no owner reachable during a
   * failover, a timeout) leaves the socket connected but not joined: no
   * broadcast reaches it, every operation would be refused NOT_JOINED, and no
   * reconnect is coming to join it again. So it joins again on the same
   * connection after the resend delay; a first open() keeps waiting meanwhile
   * (it rejects only for a refusal that retrying cannot fix).
   */
  private rejoinLater(): void {
    clearTimeout(this.joinTimer);
    this.joinTimer = setTimeout(() => {
      this.joinTimer = undefined;
      if (this.socket.connected && !this.closed) void this.onConnect();
    }, this.options.retryDelayMs ?? 200);
  }

  private start(joined: JoinResult): void {
    const restored = this.options.pending;
    this.content = LocalDocument.of(joined.content as Delta['ops']);
    if (restored && restored.version <= joined.version) {
      // An outbox from an earlier visit: start at its version (so the pending
      // edits are based where they were made) and catch up from there.
      this.ot = new OtClient({
        clientId: this.clientId,
        version: restored.version,
        nextSeq: restored.nextSeq,
        pending: restored.state,
      });
      this.content = LocalDocument.of([]); // rebuilt below from the log
      this.pendingRestore = { joined, restored };
      return;
    }
    // Sequence numbers on the wire start at 1 (contracts: Seq is positive).
    this.ot = new OtClient({ clientId: this.clientId, version: joined.version, nextSeq: 1 });
    this.server = { doc: LocalDocument.of(joined.content as Delta['ops']), version: joined.version };
  }

  private pendingRestore:
    { joined: JoinResult; restored: NonNullable<CollabDocumentOptions['pending']> } | undefined;

  /** Reads committed operations after our version until `head`, applying them in order. */
  private async catchUp(head: number): Promise<void> {
    while (this.ot && this.ot.version < head) {
      // Refused for good, or disconnected: the next join catches up.
      const page = await this.readPage(this.ot.version);
      if (!page.ok) return;
      for (const op of page.value.ops) this.apply(op);
      if (!page.value.hasMore || page.value.ops.length === 0) break;
    }
  }

  /**
   * One page of the log after `fromVersion`. A refusal that passes (a
   * failover, a timeout) is asked again while connected, or this client
   * stays behind on a quiet document until someone types.
   */
  private async readPage(
    fromVersion: number,
  ): Promise<{ ok: true; value: AckValue<'catchup'> } | { ok: false; error: WireError }> {
    for (;;) {
      const result = await this.request(ClientEvent.Catchup, {
        docId: this.options.docId,
        fromVersion,
        limit: this.options.catchupLimit ?? 500,
      });
      if (result.ok || !isRetryable(result.error) || !this.socket.connected || this.closed) return result;
      await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs ?? 200));
    }
  }

  /**
   * Applies committed operations strictly in version order, one at a time:
   * broadcasts from the inbox, and our own operation at the version its ack
   * names (a commit of our operation alone is not broadcast to us). A missing
   * version is caught up from the log, except while it may still arrive: our
   * own operation whose ack is on its way (one version at most: one operation
   * in flight), or broadcasts that the ack overtook (acks and broadcasts reach
   * the gateway over different connections). Those get GAP_WAIT_MS first.
   */
  private async drain(): Promise<void> {
    if (this.processing || !this.ot) return;
    this.processing = true;
    try {
      // Until an outbox restore has rebuilt the document, nothing applies (onConnect runs it).
      for (let ot = this.ot; ot && !this.pendingRestore; ot = this.ot) {
        const answered = this.answered;
        if (answered && (ot.inFlight()?.seq !== answered.seq || answered.version <= ot.version)) {
          this.answered = undefined; // acknowledged already (broadcast or catch-up)
          continue;
        }
        if (answered?.version === ot.version + 1) {
          this.answered = undefined;
          this.acknowledged(ot.acknowledge(answered.seq, answered.version));
          continue;
        }
        const op = this.inbox[0];
        const behind = op ? op.version - 1 : answered?.version;
        if (behind === undefined) break; // nothing to apply
        if (behind > ot.version) {
          // Missing versions: wait while they may still come, else read them from the log.
          const mayArrive = op ? !answered && ot.inFlight() !== null && behind === ot.version + 1 : true;
          if (mayArrive && !this.gapWaitOver) {
            this.waitForGap();
            break;
          }
          await this.catchUp(behind);
          if (!this.ot || this.ot.version < behind) break; // still missing: wait for the next event
          continue;
        }
        this.inbox.shift();
        this.apply(op!);
      }
    } finally {
      this.processing = false;
    }
  }

  /** Runs drain again after GAP_WAIT_MS, catching up whatever is still missing then. */
  private waitForGap(): void {
    if (this.gapTimer || this.closed) return;
    this.gapTimer = setTimeout(() => {
      this.gapTimer = undefined;
      this.drainCatchingUp();
    }, GAP_WAIT_MS);
  }

  /** A drain that reads every missing version from the log instead of waiting for it. */
  private drainCatchingUp(): void {
    this.gapWaitOver = true;
    void this.drain().finally(() => (this.gapWaitOver = false));
  }

  /**
   * Rebuilds the document at the outbox's version, then replays to head with
   * the pending edits on top. Content at the outbox's version is not
   * available (head content with later operations undone); instead the log
   * is read from the outbox's version and the pending edits are rebased
   * through it: the local document is head content composed with the
   * rebased pending edits. Every page must be read, retried like a catch-up:
   * the OT client must not move unless the content moves with it. Returns the
   * refusal when the log cannot be read for good; when the connection drops
   * meanwhile, `pendingRestore` stays for the next join.
   */
  private async restoreFromOutbox(): Promise<WireError | undefined> {
    const { joined, restored } = this.pendingRestore!;
    const ot = this.ot!;
    const ops: CommittedOp[] = [];
    let from = restored.version;
    while (from < joined.version) {
      const page = await this.readPage(from);
      if (!page.ok) return isRetryable(page.error) ? undefined : page.error;
      ops.push(...page.value.ops);
      if (page.value.ops.length === 0) break;
      from = page.value.ops[page.value.ops.length - 1].version;
    }
    // A reconnect meanwhile restarted the restore from its own join.
    if (this.pendingRestore?.joined !== joined) return undefined;
    this.pendingRestore = undefined;
    for (const op of ops) ot.receive(toServerOp(op));
    const snapshot = ot.snapshot();
    let server = new Delta(joined.content as Delta['ops']);
    // Catch-up may pass join's version; those operations are in `ops` and in the
    // server content only up to joined.version, so apply the extra ones.
    for (const op of ops)
      if (op.version > joined.version) server = server.compose(new Delta(op.delta as Delta['ops']));
    this.server = { doc: LocalDocument.of(server.ops), version: ot.version };
    let local = server;
    if (snapshot.pending) {
      local = local.compose(snapshot.pending.rebased);
      if (snapshot.pending.buffer) local = local.compose(snapshot.pending.buffer);
    }
    this.content = LocalDocument.of(local.ops);
    this.emit('pending', ot.pendingCount);
    return undefined;
  }

  private apply(op: CommittedOp): void {
    const ot = this.ot!;
    const result = ot.receive(toServerOp(op));
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
  private refuse(op: OutgoingOp, error: WireError): void {
    this.lastRefusal = error.code;
    if (error.code === ErrorCode.VERSION_AHEAD) {
      this.reloadFor = { op, error };
      this.joinedHere = false;
      this.rejoinLater();
      return;
    }
    this.refusal = { op, error };
    this.settleRefusal();
  }

  private settleRefusal(): void {
    const { refusal, ot, server } = this;
    if (!refusal || !ot || !server || server.version !== ot.version) return;
    this.refusal = undefined;
    try {
      this.takeOut(refusal, ot, server.doc.toDelta());
    } catch {
      // An edit this client cannot undo (it should not happen: OtClient.refuse
      // holds for every edit the document accepted): reload from the server
      // rather than stop, as for VERSION_AHEAD.
      this.reloadFor = { ...refusal, always: true };
      this.joinedHere = false;
      this.rejoinLater();
    }
  }

  private takeOut(refusal: { op: OutgoingOp; error: WireError }, ot: OtClient, serverDoc: Delta): void {
    const result = ot.refuse(refusal.op.seq, serverDoc);
    if (!result) return; // no longer in flight
    // The local document must become exactly the server's with the remaining
    // edits on top. `result.apply` takes it there when the refused edit was
    // applied as the server would have (an edit that does not fit the
    // document, such as one past its end, was composed the way quill-delta
    // clips it): otherwise the editor gets the difference.
    const before = this.content.toDelta();
    const target = result.next ? serverDoc.compose(result.next.delta) : serverDoc;
    // Composing a clipped edit's undo may leave deletes past the end: keep the document.
    const viaApply = new Delta(before.compose(result.apply).filter((op) => op.insert !== undefined));
    const change = viaApply.diff(target).ops.length === 0 ? result.apply : before.diff(target);
    this.content = LocalDocument.of(target.ops);
    if (change.ops.length > 0) this.emit('remote', change, null);
    this.emit('pending', ot.pendingCount);
    this.emit('refused', { error: refusal.error, edit: result.refused.delta, reloaded: false });
    if (result.next) this.send(result.next);
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
    this.inbox = this.inbox.filter((committed) => committed.version > joined.version);
    this.answered = undefined;
    this.refusal = undefined;
    if (change.ops.length > 0) this.emit('remote', change, null);
    this.emit('pending', 0);
    this.emit('refused', { error, edit: op.delta, reloaded: true });
  }

  private send(op: OutgoingOp): void {
    // Sent again after the next join; a refused one, never.
    if (!this.socket.connected || !this.joinedHere || op === this.refusal?.op || this.reloadFor) return;
    const payload = {
      docId: this.options.docId,
      clientId: op.clientId,
      seq: op.seq,
      baseVersion: op.baseVersion,
      delta: op.delta.ops as never,
    };
    this.opRequests++;
    void this.request(ClientEvent.Op, payload).then((result) => {
      this.opRequests--;
      if (result.ok) {
        // Committed as `version`. Unless its broadcast (with others' operations)
        // acknowledged it already, this is the acknowledgement: drain applies it
        // in version order.
        if (this.ot?.inFlight() === op && result.value.version > this.ot.version) {
          this.answered = { seq: op.seq, version: result.value.version };
          void this.drain();
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
        this.sendTimer = setTimeout(() => {
          this.resendScheduled = false;
          if (this.ot?.inFlight() === op) this.send(op);
        }, this.options.retryDelayMs ?? 200);
        return;
      }
      this.refuse(op, result.error);
    });
  }

  private request<E extends keyof ClientToServerEvents>(
    event: E,
    payload: Parameters<ClientToServerEvents[E]>[0],
  ): Promise<{ ok: true; value: AckValue<E> } | { ok: false; error: WireError }> {
    return new Promise((resolve) => {
      const emit = this.socket.timeout(10_000).emit as unknown as (
        e: E,
        p: unknown,
        cb: (err: Error | null, response: Ack<object>) => void,
      ) => void;
      emit.call(this.socket.timeout(10_000), event, payload, (err, response) => {
        if (err)
          return resolve({ ok: false, error: { code: 'TIMEOUT', message: 'no answer from the server' } });
        if (response.ok) {
          const { ok: _ok, ...value } = response as { ok: true } & Record<string, unknown>;
          resolve({ ok: true, value: value as AckValue<E> });
        } else resolve({ ok: false, error: response.error });
      });
    });
  }
}

/** A committed operation as the state machine reads it. */
function toServerOp(op: CommittedOp) {
  return {
    version: op.version,
    clientId: op.clientId,
    seq: op.seq,
    delta: { ops: op.delta as Delta['ops'] },
  };
}

type AckValue<E extends keyof ClientToServerEvents> = Parameters<
  Parameters<ClientToServerEvents[E]>[1]
>[0] extends infer A
  ? A extends { ok: true }
    ? Omit<A, 'ok'>
    : never
  : never;
