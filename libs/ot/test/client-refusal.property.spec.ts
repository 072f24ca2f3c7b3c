/**
 * A refused operation (OtClient.refuse) against a simulated server, with
 * random interleavings of local edits, remote commits, deliveries, acks and
 * refusals. The refused operation never reaches the server; everything else
 * the client typed does, exactly once. Checked after every step:
 *
 * - the local document is the server document at the client's version with
 *   the client's pending edits on top (L = S ∘ rebased ∘ buffer), the
 *   invariant every later operation relies on;
 * - once everything is delivered, client and server hold the same document,
 *   and it is a well-formed document.
 *
 * A refusal can only come for the operation the server has not committed:
 * the simulation refuses only an operation that has not been submitted.
 */
import fc from 'fast-check';
import Delta from 'quill-delta';
import { OtClient, ReceiveKind, type OutgoingOp, type ServerOp } from '../src/ot-client';
import { arbDocument, arbEditRecipe, opFromRecipe, type EditRecipe } from './arbitraries';
import { documentProblems } from './document-problems';

const NUM_RUNS = Number(process.env.SIM_RUNS ?? 2_000);

const Step = {
  local: 'local',
  remote: 'remote',
  deliver: 'deliver',
  submit: 'submit',
  refuse: 'refuse',
} as const;
type Step = (typeof Step)[keyof typeof Step];

const arbStep = (): fc.Arbitrary<{ step: Step; recipe: EditRecipe }> =>
  fc.record({
    step: fc.oneof(
      { arbitrary: fc.constant(Step.local), weight: 4 },
      { arbitrary: fc.constant(Step.remote), weight: 3 },
      { arbitrary: fc.constant(Step.deliver), weight: 4 },
      { arbitrary: fc.constant(Step.submit), weight: 1 },
      { arbitrary: fc.constant(Step.refuse), weight: 2 },
    ),
    recipe: arbEditRecipe(),
  });

const coverage = { refusals: 0, refusalsWithBuffer: 0, refusalsAfterRemote: 0 };

class Run {
  /** docs[v]: the server document at version v. */
  readonly docs: Delta[];
  private readonly log: ServerOp[] = [];
  readonly client = new OtClient({ clientId: 'me', version: 0, nextSeq: 1 });
  local: Delta;
  private inbox: ServerOp[] = [];
  /** The client's operation on its way to the server (at most one: one in flight). */
  private outgoing: OutgoingOp | null = null;
  private readonly refusedSeqs = new Set<number>();

  constructor(doc: Delta) {
    this.docs = [doc];
    this.local = doc;
  }

  private commit(delta: Delta, clientId: string, seq: number, baseVersion: number): void {
    let committed = delta;
    for (let v = baseVersion; v < this.log.length; v++)
      committed = new Delta([...this.log[v].delta.ops]).transform(committed, true);
    const message = { version: this.log.length + 1, delta: committed, clientId, seq };
    this.log.push(message);
    this.docs.push(this.docs[this.docs.length - 1].compose(committed));
    this.inbox.push(message);
  }

  do(step: Step, recipe: EditRecipe): void {
    switch (step) {
      case Step.local: {
        const op = opFromRecipe(this.local, recipe);
        this.local = this.local.compose(op);
        const out = this.client.applyLocal(op);
        if (out) this.outgoing = out;
        return;
      }
      case Step.remote:
        this.commit(
          opFromRecipe(this.docs[this.docs.length - 1], recipe),
          'other',
          this.log.length,
          this.log.length,
        );
        return;
      case Step.deliver: {
        const message = this.inbox.shift();
        if (!message) return;
        const result = this.client.receive(message);
        if (result.kind === ReceiveKind.remote) this.local = this.local.compose(result.apply);
        if (result.kind === ReceiveKind.ack && result.next) this.outgoing = result.next;
        return;
      }
      case Step.submit: {
        const op = this.outgoing;
        if (!op) return;
        if (this.refusedSeqs.has(op.seq)) throw new Error(`refused seq ${op.seq} was sent again`);
        this.outgoing = null;
        this.commit(new Delta(op.delta.ops), op.clientId, op.seq, op.baseVersion);
        return;
      }
      case Step.refuse: {
        const op = this.outgoing;
        if (!op) return;
        coverage.refusals++;
        if (this.client.pendingCount === 2) coverage.refusalsWithBuffer++;
        if (this.client.version > op.baseVersion) coverage.refusalsAfterRemote++;
        const result = this.client.refuse(op.seq, this.docs[this.client.version]);
        if (!result) throw new Error('the op in flight was not refused');
        this.refusedSeqs.add(op.seq);
        this.local = this.local.compose(result.apply);
        this.outgoing = result.next;
        return;
      }
    }
  }

  /** L = S ∘ rebased ∘ buffer. */
  checkInvariant(): void {
    const pending = this.client.snapshot().pending;
    let expected = this.docs[this.client.version];
    if (pending) {
      expected = expected.compose(pending.rebased);
      if (pending.buffer) expected = expected.compose(pending.buffer);
    }
    expect(this.local).toEqual(expected);
  }

  /** Delivers and submits until nothing moves. */
  settle(): void {
    for (let guard = 0; guard < 1_000; guard++) {
      if (this.inbox.length > 0) this.do(Step.deliver, []);
      else if (this.outgoing) this.do(Step.submit, []);
      else return;
      this.checkInvariant();
    }
    throw new Error('the simulation did not settle');
  }
}

describe('OtClient.refuse under random interleavings', () => {
  it('keeps L = S ∘ rebased ∘ buffer, never resends a refused op, and converges', () => {
    fc.assert(
      fc.property(arbDocument(), fc.array(arbStep(), { maxLength: 60 }), (doc, steps) => {
        const run = new Run(doc);
        for (const { step, recipe } of steps) {
          run.do(step, recipe);
          run.checkInvariant();
        }
        run.settle();
        expect(run.client.pendingCount).toBe(0);
        expect(run.local).toEqual(run.docs[run.docs.length - 1]);
        expect(documentProblems(run.local)).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );
    // The property says nothing unless these paths ran.
    expect(coverage.refusalsWithBuffer).toBeGreaterThan(NUM_RUNS / 100);
    expect(coverage.refusalsAfterRemote).toBeGreaterThan(NUM_RUNS / 100);
  });
});
