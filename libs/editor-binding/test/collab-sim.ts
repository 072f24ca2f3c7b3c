/**
 * An in-memory server and client SDK with the same OT as production (libs/ot's
 * OtClient on the client, transformAgainstHistory + validateOp on the server),
 * and a network whose deliveries a test schedules one by one. The editors are
 * real EditorStates bound with bindEditor through TestHost.
 */
import type Delta from 'quill-delta';
import {
  type DeltaSelection,
  OtClient,
  type OutgoingOp,
  type ServerOp,
  ChunkedDocument,
  transformAgainstHistory,
  validateOp,
} from '@collab/ot';
import { bindEditor, type CollabBinding, type CollabDocumentLike } from '../src/binding/bind-editor';
import { stateOf, TestHost } from './editor-fixture';

export class SimServer {
  readonly log: ServerOp[] = [];
  constructor(public document: Delta) {}

  /** Commits one client operation (transformed to head, validated as the doc-service validates it). */
  receive(op: OutgoingOp): ServerOp {
    const concurrent = this.log.slice(op.baseVersion).map((c) => c.delta as Delta);
    const transformed = transformAgainstHistory(op.delta, concurrent);
    const checked = validateOp(transformed, ChunkedDocument.fromDelta(this.document));
    if (!checked.ok)
      throw new Error(`server refused ${JSON.stringify(op.delta)}: ${checked.code} ${checked.message}`);
    this.document = this.document.compose(checked.value);
    const committed: ServerOp = {
      version: this.log.length + 1,
      delta: checked.value,
      clientId: op.clientId,
      seq: op.seq,
    };
    this.log.push(committed);
    return committed;
  }
}

/** The part of libs/client's CollabDocument the binding uses, over an in-memory network. */
class SimDocument implements CollabDocumentLike {
  private readonly ot: OtClient;
  private listeners: ((change: Delta) => void)[] = [];
  document: Delta;
  /** Operations sent, waiting for the network to deliver them to the server. */
  readonly outbox: OutgoingOp[] = [];
  /** Committed operations, waiting for the network to deliver them here. */
  readonly inbox: ServerOp[] = [];
  readonly selections: (DeltaSelection | null)[] = [];
  readonly submitted: Delta[] = [];

  constructor(
    readonly clientId: string,
    server: SimServer,
  ) {
    this.document = server.document;
    this.ot = new OtClient({ clientId, version: server.log.length, nextSeq: 1 });
  }

  submit(change: Delta): void {
    this.submitted.push(change);
    this.document = this.document.compose(change);
    const out = this.ot.applyLocal(change);
    if (out) this.outbox.push(out);
  }

  setSelection(selection: DeltaSelection | null): void {
    this.selections.push(selection);
  }

  on(_event: 'remote', listener: (change: Delta) => void): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }

  /** Delivers the oldest committed operation to this client. */
  deliverOne(): void {
    const op = this.inbox.shift();
    if (!op) return;
    const result = this.ot.receive(op);
    if (result.kind === 'remote') {
      this.document = this.document.compose(result.apply);
      for (const listener of this.listeners) listener(result.apply);
    } else if (result.kind === 'ack' && result.next) {
      this.outbox.push(result.next);
    }
  }

  get pending(): number {
    return this.ot.pendingCount;
  }
}

export type SimClient = { host: TestHost; doc: SimDocument; binding: CollabBinding };

export function simClient(id: string, server: SimServer): SimClient {
  const doc = new SimDocument(id, server);
  // The editor starts empty and is loaded by bindEditor, as in the web app.
  const host = new TestHost(stateOf([{ insert: '\n' }]));
  const binding = bindEditor(host, doc);
  return { host, doc, binding };
}

/** Sends one queued operation of `client` to the server and broadcasts the commit to everyone. */
export function sendOne(server: SimServer, client: SimClient, all: readonly SimClient[]): void {
  const op = client.doc.outbox.shift();
  if (!op) return;
  const committed = server.receive(op);
  for (const c of all) c.doc.inbox.push(committed);
}
