import { randomUUID } from 'node:crypto';
import { ErrorCode, JoinResult } from '@collab/contracts';
import { OtClient, type OutgoingOp } from '@collab/ot';
import Delta from 'quill-delta';
import { type EditRefusal, RefusedEdits, type ServerCopy } from './edit-refusal';
import { LocalDocument } from './local-document';

/**
 * RefusedEdits through its host alone, with a real OT client and real
 * documents: what the SDK does to the local document, the editor and the
 * wire when the server refuses an edit for good.
 */
describe('RefusedEdits', () => {
  let ot: OtClient;
  let content: LocalDocument;
  let server: ServerCopy;
  let sent: OutgoingOp[];
  let changes: Delta[];
  let refused: EditRefusal[];
  let rejoins: number;
  let refusals: RefusedEdits;

  beforeEach(() => {
    ot = new OtClient({ clientId: 'me', version: 0, nextSeq: 1 });
    content = LocalDocument.of([{ insert: 'ab\n' }]);
    server = { doc: LocalDocument.of([{ insert: 'ab\n' }]), version: 0 };
    sent = [];
    changes = [];
    refused = [];
    rejoins = 0;
    refusals = new RefusedEdits({
      ot: () => ot,
      content: () => content,
      server: () => server,
      setContent: (next) => (content = next),
      restartFrom: (joined: JoinResult) => {
        const ops = joined.content as Delta['ops'];
        ot = new OtClient({ clientId: 'me', version: joined.version, nextSeq: ot.nextSeq });
        content = LocalDocument.of(ops);
        server = { doc: LocalDocument.of(ops), version: joined.version };
      },
      rejoin: () => rejoins++,
      send: (op) => sent.push(op),
      changed: (change) => changes.push(change),
      pending: () => undefined,
      refused: (refusal) => refused.push(refusal),
    });
  });

  /** A local edit, applied and given to the OT client as the SDK's submit does. */
  const edit = (change: Delta) => {
    content.apply(change);
    return ot.applyLocal(change);
  };

  it('takes a refused edit out once the server document reaches the OT client, and sends the later edits without it', () => {
    const first = edit(new Delta().insert('X'))!; // "Xab\n", in flight
    edit(new Delta().retain(3).insert('Y')); // "XabY\n", buffered
    // Someone else's operation reaches the OT client before the server document (a catch-up under way).
    const remote = new Delta().insert('Z');
    const received = ot.receive({ version: 1, delta: remote, clientId: 'other', seq: 1 });
    if (received.kind !== 'remote') throw new Error(`expected a remote operation, got ${received.kind}`);
    content.apply(received.apply);

    refusals.refuse({ op: first, error: { code: ErrorCode.INVALID_OP, message: 'refused' } });
    expect(refusals.waitingToSettle).toBe(true);
    expect(refusals.holds(first)).toBe(true);
    expect(refused).toEqual([]);

    server.doc.apply(remote);
    server.version = 1;
    refusals.settle();

    expect(refusals.waitingToSettle).toBe(false);
    expect(refused).toEqual([
      { error: expect.objectContaining({ code: 'INVALID_OP' }), seq: 1, edit: first.delta, reloaded: false },
    ]);
    expect(content.text()).toBe('ZabY\n');
    // The buffered edit goes out alone, rebased onto the server document, with the next seq.
    expect(sent).toHaveLength(1);
    expect(sent[0].seq).toBe(2);
    expect(server.doc.toDelta().compose(sent[0].delta)).toEqual(content.toDelta());
    expect(changes).toHaveLength(1);
  });

  it('after VERSION_AHEAD sends nothing, rejoins, and reloads from a join behind this client', () => {
    const first = edit(new Delta().insert('X'))!;
    refusals.refuse({ op: first, error: { code: ErrorCode.VERSION_AHEAD, message: 'ahead' } });
    expect(refusals.reloading).toBe(true);
    expect(rejoins).toBe(1);

    ot.receive({ version: 1, delta: new Delta().insert('Q'), clientId: 'other', seq: 1 });
    expect(refusals.reloadDue(1, ot.version)).toBe(false); // the server has our version now
    expect(refusals.reloadDue(0, ot.version)).toBe(true);
    refusals.reloadFrom(
      JoinResult.parse({
        docId: randomUUID(),
        version: 0,
        content: [{ insert: 'old\n' }],
        role: 'editor',
        presence: [],
      }),
    );

    expect(refusals.reloading).toBe(false);
    expect(content.text()).toBe('old\n');
    expect(ot.nextSeq).toBe(2); // seqs go on, never reused
    expect(refused).toEqual([
      {
        error: expect.objectContaining({ code: 'VERSION_AHEAD' }),
        seq: 1,
        edit: first.delta,
        reloaded: true,
      },
    ]);
    expect(sent).toEqual([]);
  });
});
