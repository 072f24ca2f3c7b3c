import {
  ClientEvent,
  type CommentEvent,
  type PresenceState,
  type Role,
  type ServerToClientEvents,
} from '@collab/contracts';
import { type DeltaSelection, OtClient } from '@collab/ot';
import type Delta from 'quill-delta';
import { type CollabDocumentOptions, ConnectionStatus, type Replica } from './collab-document.types';
import { DocumentSync } from './document-sync';
import { LocalDocument } from './local-document';

export * from './collab-document.types';
export type { EditRefusal } from './edit-refusal';

/**
 * One open document over a gateway: the client SDK used by the web app, the
 * tests and the benchmarks. This is its public API; how it keeps in step
 * with the server is DocumentSync's (document-sync.ts).
 */
export class CollabDocument extends DocumentSync {
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
      this.transport.connect();
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      this.joins.awaitFirst({ resolve, reject });
      this.transport.connect();
    });
  }

  /**
   * Listens to a live comment event on this document's connection (kept
   * across reconnects). `CommentsClient.attach` uses it; it filters by document.
   */
  onCommentEvent<E extends CommentEvent>(event: E, listener: ServerToClientEvents[E]): void {
    this.transport.onServer(event, listener);
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
    return this.pendingCount === 0 && this.stream.idle;
  }

  /** What an outbox should store to resend after a reload. */
  outbox(): CollabDocumentOptions['pending'] {
    const snapshot = this.ot?.snapshot();
    if (!snapshot?.pending) return null;
    const { inFlight, rebased, buffer } = snapshot.pending;
    return { version: snapshot.version, nextSeq: snapshot.nextSeq, state: { inFlight, rebased, buffer } };
  }

  /**
   * What a local replica should store to reopen this document offline; null
   * until the content is known (before the first join, or while edits from an
   * outbox are being rebased).
   */
  replica(): Replica | null {
    if (!this.ot || this.pendingRestore || this.roleValue === undefined) return null;
    const snapshot = this.ot.snapshot();
    const pending = snapshot.pending;
    return {
      version: snapshot.version,
      nextSeq: snapshot.nextSeq,
      pending: pending && { inFlight: pending.inFlight, rebased: pending.rebased, buffer: pending.buffer },
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
    if (!this.ot || !this.transport.connected) return;
    const at = selection ? this.ot.presenceOut(selection) : { version: this.ot.version, selection: null };
    const { docId } = this.options;
    void this.transport.request(ClientEvent.Presence, {
      docId,
      version: at.version,
      selection: at.selection,
      clientId: this.clientId,
    });
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

  /** Drops the connection as a network loss would (edits keep working locally). */
  disconnect(): void {
    this.transport.disconnect();
    this.setStatus(ConnectionStatus.offline);
  }

  /**
   * Reconnects after {@link disconnect}: re-joins, catches up, resends what
   * is pending. Also after a refusal that ended the connection for good
   * (endedForGood), which only the person's act (signing in, reloading) can
   * get past: an app calls it then for that act, never by itself.
   */
  reconnect(): void {
    if (!this.closed) this.transport.connect();
  }
}
