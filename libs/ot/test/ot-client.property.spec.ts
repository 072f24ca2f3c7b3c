/**
 * The client state machine against a simulated server, with random
 * interleavings of local edits, deliveries, acknowledgements, disconnects,
 * reconnect-resends and restarts from a persisted outbox. Everything must
 * converge once all messages are delivered.
 *
 * The simulated server is the reference for the protocol: it dedupes by
 * (clientId, seq), transforms an incoming op from its base version against
 * every committed op after it, one by one, with committed priority
 * (`committed.transform(incoming, true)`), and broadcasts in version order.
 */
import fc from 'fast-check';
import Delta from 'quill-delta';
import { OtClient, ReceiveKind, type ClientSnapshot, type OutgoingOp, type ServerOp } from '../src/ot-client';
import { arbDocument, arbEditRecipe, opFromRecipe } from './arbitraries';
import { documentProblems } from './document-problems';

const NUM_RUNS = Number(process.env.SIM_RUNS ?? 10_000);

type Committed = { delta: Delta; clientId: string; seq: number };

class SimServer {
  /** docs[v] is the document at version v. */
  readonly docs: Delta[];
  readonly log: Committed[] = [];
  private readonly seen = new Map<string, number>();
  /** The JSON of the first submission of each (clientId, seq): a resend must be identical. */
  private readonly firstSubmission = new Map<string, string>();

  constructor(doc: Delta) {
    this.docs = [doc];
  }

  get head(): number {
    return this.log.length;
  }

  message(version: number): ServerOp {
    const c = this.log[version - 1];
    return { version, delta: c.delta, clientId: c.clientId, seq: c.seq };
  }

  /** Returns the broadcast (new commit) or the repeated acknowledgement (duplicate). */
  submit(op: OutgoingOp): { duplicate: boolean; message: ServerOp } {
    const key = `${op.clientId}:${op.seq}`;
    const json = JSON.stringify(op);
    const first = this.firstSubmission.get(key);
    if (first !== undefined && first !== json)
      throw new Error(`(clientId, seq) ${key} reused for different content`);
    this.firstSubmission.set(key, json);
    const version = this.seen.get(key);
    if (version !== undefined) return { duplicate: true, message: this.message(version) };
    if (op.baseVersion > this.head)
      throw new Error(`base version ${op.baseVersion} ahead of head ${this.head}`);
    let delta = new Delta(op.delta.ops);
    for (let v = op.baseVersion; v < this.head; v++) delta = this.log[v].delta.transform(delta, true);
    this.log.push({ delta, clientId: op.clientId, seq: op.seq });
    this.docs.push(this.docs[this.head - 1].compose(delta));
    this.seen.set(key, this.head);
    return { duplicate: false, message: this.message(this.head) };
  }
}

type SimClient = {
  client: OtClient;
  /** The editor's document. */
  doc: Delta;
  connected: boolean;
  /** Server -> client, in order. */
  inbox: ServerOp[];
  /** Client -> server, in order; may still arrive after a disconnect (delayed). */
  toServer: OutgoingOp[];
};

const Action = {
  edit: 'edit',
  serverReceive: 'serverReceive',
  clientReceive: 'clientReceive',
  disconnect: 'disconnect',
  reconnect: 'reconnect',
  restart: 'restart',
  loseBroadcast: 'loseBroadcast',
} as const;
type Action = (typeof Action)[keyof typeof Action];

const arbAction = (): fc.Arbitrary<Action> =>
  fc.oneof(
    { arbitrary: fc.constant(Action.edit), weight: 4 },
    { arbitrary: fc.constant(Action.serverReceive), weight: 4 },
    { arbitrary: fc.constant(Action.clientReceive), weight: 5 },
    { arbitrary: fc.constant(Action.disconnect), weight: 1 },
    { arbitrary: fc.constant(Action.reconnect), weight: 1 },
    { arbitrary: fc.constant(Action.restart), weight: 1 },
    { arbitrary: fc.constant(Action.loseBroadcast), weight: 1 },
  );

/** How often the interesting paths ran, over all runs: the property is vacuous if they never do. */
const coverage = {
  acksWithBuffer: 0,
  remoteWhileAwaitingWithBuffer: 0,
  duplicateSubmissions: 0,
  transformedOnServer: 0,
  restartsWithPending: 0,
  restartsWithNewClientId: 0,
  gaps: 0,
};

class Simulation {
  readonly server: SimServer;
  readonly clients: SimClient[];

  constructor(doc: Delta, count: number) {
    this.server = new SimServer(doc);
    this.clients = Array.from({ length: count }, (_, i) => ({
      client: new OtClient({ clientId: `c${i}`, version: 0 }),
      doc,
      connected: true,
      inbox: [],
      toServer: [],
    }));
  }

  edit(c: SimClient, op: Delta): void {
    c.doc = c.doc.compose(op);
    const out = c.client.applyLocal(op);
    if (out && c.connected) c.toServer.push(out);
  }

  serverReceive(c: SimClient): void {
    const op = c.toServer.shift();
    if (!op) return;
    const { duplicate, message } = this.server.submit(op);
    if (duplicate) {
      coverage.duplicateSubmissions++;
      // Acknowledged again, to the submitter only (if it is still there).
      if (c.connected) c.inbox.push(message);
      return;
    }
    if (op.baseVersion < message.version - 1) coverage.transformedOnServer++;
    for (const other of this.clients) if (other.connected) other.inbox.push(message);
  }

  clientReceive(c: SimClient): void {
    const message = c.inbox.shift();
    if (message) this.deliver(c, message);
  }

  private deliver(c: SimClient, message: ServerOp): void {
    const result = c.client.receive(message);
    switch (result.kind) {
      case ReceiveKind.ack:
        if (result.next) coverage.acksWithBuffer++;
        if (!result.matches)
          throw new Error(`ack of ${message.clientId}:${message.seq} does not match the rebased op`);
        if (result.next && c.connected) c.toServer.push(result.next);
        return;
      case ReceiveKind.remote:
        if (c.client.pendingCount === 2) coverage.remoteWhileAwaitingWithBuffer++;
        c.doc = c.doc.compose(result.apply);
        return;
      case ReceiveKind.gap:
        // Catch up, then deliver the message again (it is then stale or next).
        coverage.gaps++;
        for (let v = result.expected; v < message.version; v++) this.deliver(c, this.server.message(v));
        this.deliver(c, message);
        return;
      case ReceiveKind.stale:
        return;
    }
  }

  disconnect(c: SimClient, loseInTransit: boolean): void {
    c.connected = false;
    c.inbox = [];
    if (loseInTransit) c.toServer = [];
  }

  reconnect(c: SimClient): void {
    if (c.connected) return;
    c.connected = true;
    // Catch up from the client's version, then resend the unacknowledged op as it was.
    for (let v = c.client.version + 1; v <= this.server.head; v++) c.inbox.push(this.server.message(v));
    const inFlight = c.client.inFlight();
    if (inFlight) c.toServer.push(inFlight);
  }

  /** Page reload: persist the outbox as JSON, rebuild the client from it (maybe under a new clientId). */
  restart(c: SimClient, newClientId: boolean): void {
    this.disconnect(c, false);
    const before = c.client.inFlight();
    if (before) coverage.restartsWithPending++;
    if (before && newClientId) coverage.restartsWithNewClientId++;
    const stored = JSON.parse(JSON.stringify(c.client.snapshot())) as ClientSnapshot;
    c.client = new OtClient({
      clientId: newClientId ? `${stored.clientId}'` : stored.clientId,
      version: stored.version,
      nextSeq: newClientId ? 0 : stored.nextSeq,
      pending: stored.pending,
    });
    if (JSON.stringify(c.client.inFlight()) !== JSON.stringify(before))
      throw new Error('restored in-flight op differs');
  }

  /** Local document = server document at the client's version ∘ rebased in-flight ∘ buffer. */
  checkInvariant(c: SimClient): void {
    const { version, pending } = c.client.snapshot();
    let doc = this.server.docs[version];
    if (pending) {
      doc = doc.compose(pending.rebased);
      if (pending.buffer) doc = doc.compose(pending.buffer);
    }
    // Plain comparison: jest's expect() on every step would dominate the run time.
    if (JSON.stringify(doc) !== JSON.stringify(c.doc)) expect(c.doc).toEqual(doc);
  }

  /**
   * Reconnect everybody and deliver every message until nothing moves. A
   * client whose last broadcasts were lost catches up (in the SDK: on the
   * next message's gap, or on its periodic version check).
   */
  drain(): void {
    for (const c of this.clients) this.reconnect(c);
    for (let moved = true; moved;) {
      moved = false;
      for (const c of this.clients) {
        if (c.inbox.length === 0 && c.client.version < this.server.head) {
          c.inbox.push(this.server.message(this.server.head));
        }
        while (c.toServer.length > 0 || c.inbox.length > 0) {
          moved = true;
          if (c.toServer.length > 0) this.serverReceive(c);
          else this.clientReceive(c);
        }
      }
    }
  }
}

describe('OtClient against a simulated server', () => {
  it('converges under random interleavings, disconnects, resends and restarts', () => {
    fc.assert(
      fc.property(fc.gen(), (g) => {
        const sim = new Simulation(g(arbDocument, { maxPieces: 5 }), g(fc.integer, { min: 2, max: 3 }));
        const steps = g(fc.integer, { min: 1, max: 30 });
        for (let step = 0; step < steps; step++) {
          const c = sim.clients[g(fc.integer, { min: 0, max: sim.clients.length - 1 })];
          const action = g(arbAction);
          switch (action) {
            case Action.edit:
              sim.edit(c, opFromRecipe(c.doc, g(arbEditRecipe)));
              break;
            case Action.serverReceive:
              sim.serverReceive(c);
              break;
            case Action.clientReceive:
              sim.clientReceive(c);
              break;
            case Action.disconnect:
              sim.disconnect(c, g(fc.boolean));
              break;
            case Action.reconnect:
              sim.reconnect(c);
              break;
            case Action.restart:
              sim.restart(c, g(fc.boolean));
              break;
            case Action.loseBroadcast:
              c.inbox.shift();
              break;
          }
          sim.checkInvariant(c);
        }
        sim.drain();
        const final = sim.server.docs[sim.server.head];
        const finalJson = JSON.stringify(final);
        const problems = documentProblems(final);
        const converged = sim.clients.every(
          (c) =>
            c.client.state === 'synchronized' &&
            c.client.version === sim.server.head &&
            JSON.stringify(c.doc) === finalJson,
        );
        // expect() only on failure, for its diff: on every run it would dominate the run time.
        if (problems.length > 0 || !converged) {
          expect(problems).toEqual([]);
          for (const c of sim.clients) {
            expect({ state: c.client.state, version: c.client.version, doc: c.doc }).toEqual({
              state: 'synchronized',
              version: sim.server.head,
              doc: final,
            });
          }
        }
      }),
      { numRuns: NUM_RUNS },
    );
    for (const [path, count] of Object.entries(coverage)) {
      expect({ path, reached: count > 0 }).toEqual({ path, reached: true });
    }
  });
});
