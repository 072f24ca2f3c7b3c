import Delta from 'quill-delta';
import { ClientState, OtClient, type OutgoingOp, type ServerOp } from './ot-client';

const insert = (at: number, s: string) => new Delta().retain(at).insert(s);
const remote = (version: number, delta: Delta, clientId = 'other', seq = 0): ServerOp => ({
  version,
  delta,
  clientId,
  seq,
});
const ackOf = (op: OutgoingOp, version: number, delta: Delta = op.delta): ServerOp => ({
  version,
  delta,
  clientId: op.clientId,
  seq: op.seq,
});

describe('OtClient states', () => {
  it('synchronized -> awaitingConfirm -> awaitingWithBuffer -> (ack) awaitingConfirm -> (ack) synchronized', () => {
    const client = new OtClient({ clientId: 'me', version: 5, nextSeq: 7 });
    expect([client.state, client.pendingCount]).toEqual([ClientState.synchronized, 0]);

    const first = client.applyLocal(insert(0, 'a'));
    expect(first).toEqual({ clientId: 'me', seq: 7, baseVersion: 5, delta: insert(0, 'a') });
    expect([client.state, client.pendingCount]).toEqual([ClientState.awaitingConfirm, 1]);

    expect(client.applyLocal(insert(1, 'b'))).toBeNull();
    expect(client.applyLocal(insert(2, 'c'))).toBeNull();
    expect([client.state, client.pendingCount]).toEqual([ClientState.awaitingWithBuffer, 2]);

    const ack = client.receive(ackOf(first!, 6));
    // The buffer (both later edits, composed) goes out, based on the acknowledged version.
    expect(ack).toEqual({
      kind: 'ack',
      version: 6,
      delta: insert(0, 'a'),
      matches: true,
      next: { clientId: 'me', seq: 8, baseVersion: 6, delta: insert(1, 'bc') },
    });
    expect([client.state, client.version]).toEqual([ClientState.awaitingConfirm, 6]);

    if (ack.kind !== 'ack' || !ack.next) throw new Error('expected a next op');
    expect(client.receive(ackOf(ack.next, 7))).toEqual({
      kind: 'ack',
      version: 7,
      delta: insert(1, 'bc'),
      matches: true,
      next: null,
    });
    expect([client.state, client.pendingCount, client.nextSeq]).toEqual([ClientState.synchronized, 0, 9]);
  });

  it('ignores an empty edit without using a seq', () => {
    const client = new OtClient({ clientId: 'me', version: 0 });
    expect(client.applyLocal(new Delta())).toBeNull();
    expect(client.applyLocal({ ops: [{ retain: 3 }] })).toBeNull();
    expect([client.state, client.nextSeq]).toEqual([ClientState.synchronized, 0]);
  });

  it('sends edits in canonical form (merged, no trailing retain)', () => {
    const client = new OtClient({ clientId: 'me', version: 0 });
    const op = client.applyLocal({ ops: [{ retain: 1 }, { insert: 'a' }, { insert: 'b' }, { retain: 4 }] });
    expect(op?.delta.ops).toEqual([{ retain: 1 }, { insert: 'ab' }]);
  });

  it('applies a remote op as is when synchronized', () => {
    const client = new OtClient({ clientId: 'me', version: 0 });
    expect(client.receive(remote(1, insert(0, 'x')))).toEqual({
      kind: 'remote',
      version: 1,
      apply: insert(0, 'x'),
    });
    expect(client.version).toBe(1);
  });
});

describe('OtClient transforms remote ops against pending edits', () => {
  it('mirrors the server priority: at a tie the committed remote text goes first', () => {
    // "\n": I type "A" at 0 (in flight); another client's "B" at 0 committed first.
    const client = new OtClient({ clientId: 'me', version: 0 });
    const sent = client.applyLocal(insert(0, 'A'))!;
    const result = client.receive(remote(1, insert(0, 'B')));
    // Local "A\n" becomes "BA\n", as the server's: B then A (inFlight' = B.transform(A, true)).
    expect(result).toEqual({ kind: 'remote', version: 1, apply: insert(0, 'B') });
    const serverDelta = insert(0, 'B').transform(sent.delta, true);
    expect(client.snapshot().pending?.rebased).toEqual(serverDelta);
    expect(client.receive(ackOf(sent, 2, serverDelta))).toMatchObject({ kind: 'ack', matches: true });
  });

  it('transforms through the in-flight op and the buffer', () => {
    // "abc\n": in flight inserts "X" at 0, buffer deletes "c"; remote inserts "R" after "b".
    const client = new OtClient({ clientId: 'me', version: 0 });
    client.applyLocal(insert(0, 'X')); // "Xabc\n"
    client.applyLocal(new Delta().retain(3).delete(1)); // "Xab\n"
    const result = client.receive(remote(1, insert(2, 'R'))); // server: "abRc\n"
    expect(result).toEqual({ kind: 'remote', version: 1, apply: insert(3, 'R') }); // "XabR\n"
    const local = new Delta().insert('Xab\n').compose(insert(3, 'R'));
    expect(local).toEqual(new Delta().insert('XabR\n'));
  });

  it('never changes the in-flight op: same object, same content, resendable after a reconnect', () => {
    const client = new OtClient({ clientId: 'me', version: 0 });
    const edit = insert(1, 'A');
    const sent = client.applyLocal(edit)!;
    const json = JSON.stringify(sent);
    edit.ops.push({ insert: 'mutated by the caller' });
    client.applyLocal(insert(0, 'Z'));
    client.receive(remote(1, insert(0, 'B')));
    client.receive(remote(2, new Delta().delete(1)));
    expect(client.inFlight()).toBe(sent);
    expect(JSON.stringify(client.inFlight())).toBe(json);
    expect(sent.baseVersion).toBe(0);
  });

  it('freezes what it sends, deeply', () => {
    const client = new OtClient({ clientId: 'me', version: 0 });
    const sent = client.applyLocal(new Delta().retain(1, { bold: true }))!;
    expect(Object.isFrozen(sent) && Object.isFrozen(sent.delta) && Object.isFrozen(sent.delta.ops)).toBe(
      true,
    );
    expect(Object.isFrozen(sent.delta.ops[0].attributes)).toBe(true);
    expect(() => sent.delta.ops.push({ insert: 'x' })).toThrow(TypeError);
  });

  it('reports an acknowledgement whose delta differs from the rebased op (client and server disagree)', () => {
    const client = new OtClient({ clientId: 'me', version: 0 });
    const sent = client.applyLocal(insert(0, 'A'))!;
    expect(client.receive(ackOf(sent, 1, insert(1, 'A')))).toMatchObject({ kind: 'ack', matches: false });
  });

  it('compares the acknowledged delta ignoring key order (jsonb reorders keys)', () => {
    const client = new OtClient({ clientId: 'me', version: 0 });
    const sent = client.applyLocal(new Delta().retain(2, { bold: true, italic: true }))!;
    const reordered = { ops: [{ attributes: { italic: true, bold: true }, retain: 2 }] };
    expect(client.receive({ version: 1, delta: reordered, clientId: 'me', seq: sent.seq })).toMatchObject({
      kind: 'ack',
      matches: true,
    });
  });
});

describe('OtClient versions', () => {
  it('reports a gap when a version is skipped, and changes nothing', () => {
    const client = new OtClient({ clientId: 'me', version: 3 });
    expect(client.receive(remote(5, insert(0, 'x')))).toEqual({ kind: 'gap', expected: 4, received: 5 });
    expect(client.version).toBe(3);
  });

  it('ignores versions already incorporated (duplicates after a catch-up, repeated acks)', () => {
    const client = new OtClient({ clientId: 'me', version: 3 });
    expect(client.receive(remote(3, insert(0, 'x')))).toEqual({ kind: 'stale', version: 3 });
    expect(client.receive(remote(1, insert(0, 'x')))).toEqual({ kind: 'stale', version: 1 });
    expect(client.version).toBe(3);
  });

  it('an ack that arrives after a gap waits for the catch-up', () => {
    const client = new OtClient({ clientId: 'me', version: 0 });
    const sent = client.applyLocal(insert(0, 'A'))!;
    expect(client.receive(ackOf(sent, 2))).toEqual({ kind: 'gap', expected: 1, received: 2 });
    expect(client.receive(remote(1, insert(0, 'B')))).toMatchObject({ kind: 'remote' });
    const committed = insert(0, 'B').transform(sent.delta, true);
    expect(client.receive(ackOf(sent, 2, committed))).toMatchObject({ kind: 'ack', matches: true });
  });
});

describe('OtClient acknowledged by the server’s answer (no broadcast of its own op)', () => {
  it('takes the rebased in-flight op as the next version, then sends the buffer', () => {
    const client = new OtClient({ clientId: 'me', version: 0 });
    const sent = client.applyLocal(insert(0, 'A'))!;
    expect(client.applyLocal(insert(1, 'b'))).toBeNull();
    // Someone else's op commits first; ours becomes version 2, after it.
    expect(client.receive(remote(1, insert(0, 'B')))).toMatchObject({ kind: 'remote' });
    const answered = client.acknowledge(sent.seq, 2);
    expect(answered).toEqual({
      kind: 'ack',
      version: 2,
      delta: insert(1, 'A'),
      matches: true,
      next: { clientId: 'me', seq: sent.seq + 1, baseVersion: 2, delta: insert(2, 'b') },
    });
    // The same state as if the broadcast of our op had come: a later op transforms alike.
    const viaBroadcast = new OtClient({ clientId: 'me', version: 0 });
    const again = viaBroadcast.applyLocal(insert(0, 'A'))!;
    viaBroadcast.applyLocal(insert(1, 'b'));
    viaBroadcast.receive(remote(1, insert(0, 'B')));
    viaBroadcast.receive(ackOf(again, 2, insert(0, 'B').transform(again.delta, true)));
    expect(client.receive(remote(3, insert(0, 'C')))).toEqual(
      viaBroadcast.receive(remote(3, insert(0, 'C'))),
    );
  });

  it('waits for the versions before it, and ignores answers for ops no longer in flight', () => {
    const client = new OtClient({ clientId: 'me', version: 0 });
    const sent = client.applyLocal(insert(0, 'A'))!;
    expect(client.acknowledge(sent.seq, 2)).toEqual({ kind: 'gap', expected: 1, received: 2 });
    expect(client.acknowledge(sent.seq + 1, 1)).toEqual({ kind: 'stale', version: 1 });
    client.receive(remote(1, insert(0, 'B')));
    expect(client.acknowledge(sent.seq, 2)).toMatchObject({ kind: 'ack', version: 2 });
    // A late broadcast of it, or a repeated answer, changes nothing.
    expect(client.acknowledge(sent.seq, 2)).toEqual({ kind: 'stale', version: 2 });
    expect(client.receive(ackOf(sent, 2))).toEqual({ kind: 'stale', version: 2 });
    expect([client.state, client.version]).toEqual([ClientState.synchronized, 2]);
  });
});

describe('OtClient restore from an offline outbox', () => {
  function clientWithPending(): OtClient {
    const client = new OtClient({ clientId: 'me', version: 0, nextSeq: 3 });
    client.applyLocal(insert(0, 'A'));
    client.applyLocal(insert(1, 'B'));
    client.receive(remote(1, insert(0, 'R')));
    return client;
  }

  it('rebuilds the same state from a JSON snapshot, and resends the same op', () => {
    const original = clientWithPending();
    const stored = JSON.parse(JSON.stringify(original.snapshot()));
    const restored = new OtClient({ ...stored });
    expect(restored.snapshot()).toEqual(original.snapshot());
    expect(JSON.stringify(restored.inFlight())).toBe(JSON.stringify(original.inFlight()));
    expect(restored.state).toBe(ClientState.awaitingWithBuffer);
    expect(Object.isFrozen(restored.inFlight())).toBe(true);
  });

  it('recognises the ack of a restored op by its own clientId, and sends the buffer under the new one', () => {
    const stored = JSON.parse(JSON.stringify(clientWithPending().snapshot()));
    const client = new OtClient({ clientId: 'new-tab', version: stored.version, pending: stored.pending });
    const inFlight = client.inFlight()!;
    expect([inFlight.clientId, inFlight.seq]).toEqual(['me', 3]);
    const result = client.receive({ version: 2, delta: stored.pending.rebased, clientId: 'me', seq: 3 });
    expect(result).toMatchObject({
      kind: 'ack',
      matches: true,
      next: { clientId: 'new-tab', seq: 0, baseVersion: 2 },
    });
  });

  it('moves nextSeq past a restored seq of the same clientId', () => {
    const op = { clientId: 'me', seq: 9, baseVersion: 0, delta: { ops: [{ insert: 'x' }] } };
    expect(new OtClient({ clientId: 'me', version: 0, nextSeq: 2, pending: { inFlight: op } }).nextSeq).toBe(
      10,
    );
  });

  it('rejects inconsistent pending state', () => {
    const op = { clientId: 'me', seq: 0, baseVersion: 2, delta: { ops: [{ insert: 'x' }] } };
    expect(() => new OtClient({ clientId: 'me', version: 1, pending: { inFlight: op } })).toThrow(RangeError);
    expect(() => new OtClient({ clientId: 'me', version: 3, pending: { inFlight: op } })).toThrow(/rebased/);
    expect(() => new OtClient({ clientId: 'me', version: -1 })).toThrow(RangeError);
  });
});

describe('OtClient presence', () => {
  it('expresses a local selection at the server version, without unacknowledged text', () => {
    const client = new OtClient({ clientId: 'me', version: 4 });
    client.applyLocal(insert(0, 'AB')); // in flight
    client.applyLocal(insert(5, 'C')); // buffered
    expect(client.presenceOut({ anchor: 4, head: 6 })).toEqual({
      version: 4,
      selection: { anchor: 2, head: 3 },
    });
  });

  it('places remote presence through later committed ops (their own edits push their caret) and local pending edits', () => {
    const client = new OtClient({ clientId: 'me', version: 0 });
    client.receive(remote(1, insert(2, 'xy'), 'bob')); // Bob types at his caret (2)
    client.receive(remote(2, insert(0, 'Q'), 'carol'));
    client.applyLocal(insert(0, 'MM')); // mine, unacknowledged
    const placed = client.presenceIn({ clientId: 'bob', version: 0, selection: { anchor: 2, head: 2 } });
    expect(placed).toEqual({ kind: 'placed', selection: { anchor: 7, head: 7 } });
  });

  it('asks to retry presence from a version not reached yet, and drops presence older than the history', () => {
    const client = new OtClient({ clientId: 'me', version: 0, historyLimit: 1 });
    client.receive(remote(1, insert(0, 'a')));
    client.receive(remote(2, insert(0, 'b')));
    const at = (version: number) =>
      client.presenceIn({ clientId: 'x', version, selection: { anchor: 0, head: 0 } });
    expect(at(3)).toEqual({ kind: 'ahead' });
    expect(at(1)).toEqual({ kind: 'placed', selection: { anchor: 0, head: 0 } });
    expect(at(0)).toEqual({ kind: 'dropped' });
  });

  it('drops malformed presence', () => {
    const client = new OtClient({ clientId: 'me', version: 0 });
    expect(client.presenceIn({ clientId: 'x', version: 0, selection: { anchor: -1, head: 0 } })).toEqual({
      kind: 'dropped',
    });
  });
});

describe('OtClient refusal (the in-flight op will never commit)', () => {
  const doc = (s: string) => new Delta().insert(s);

  it('drops a refused op with nothing buffered: the local document goes back to the server one', () => {
    const server = doc('abc\n');
    const client = new OtClient({ clientId: 'me', version: 4, nextSeq: 1 });
    const sent = client.applyLocal(new Delta().retain(1).delete(1).insert('X'))!;
    const local = server.compose(sent.delta);
    const result = client.refuse(sent.seq, server)!;
    expect(result.refused).toBe(sent);
    expect(result.next).toBeNull();
    expect(local.compose(result.apply)).toEqual(server);
    expect([client.state, client.pendingCount, client.version, client.nextSeq]).toEqual([
      ClientState.synchronized,
      0,
      4,
      2,
    ]);
  });

  it('rebases the buffer onto the server document and sends it under a fresh seq', () => {
    const server = doc('hello\n');
    const client = new OtClient({ clientId: 'me', version: 0, nextSeq: 1 });
    const refused = client.applyLocal(insert(5, '!'))!; // "hello!\n"
    client.applyLocal(insert(6, '?')); // "hello!?\n": after the refused text
    client.applyLocal(new Delta().delete(1)); // "ello!?\n"
    const local = server.compose(refused.delta).compose(insert(6, '?')).compose(new Delta().delete(1));
    const result = client.refuse(refused.seq, server)!;
    expect(local.compose(result.apply)).toEqual(doc('ello?\n'));
    expect(result.next).toMatchObject({ clientId: 'me', seq: 2, baseVersion: 0 });
    expect(server.compose(result.next!.delta)).toEqual(doc('ello?\n'));
    expect([client.state, client.pendingCount]).toEqual([ClientState.awaitingConfirm, 1]);
  });

  it('uses the rebased copy: a refusal after remote ops undoes exactly what is left of the op', () => {
    const client = new OtClient({ clientId: 'me', version: 0, nextSeq: 1 });
    let server = doc('abc\n');
    const refused = client.applyLocal(new Delta().retain(1).insert('X'))!; // aXbc
    let local = server.compose(refused.delta);
    const theirs = insert(0, 'R'); // Rabc on the server
    const received = client.receive(remote(1, theirs));
    if (received.kind !== 'remote') throw new Error('expected a remote op');
    server = server.compose(theirs);
    local = local.compose(received.apply);
    const result = client.refuse(refused.seq, server)!;
    expect(local.compose(result.apply)).toEqual(server);
    expect(client.version).toBe(1);
  });

  it('ignores a refusal for an op that is not in flight', () => {
    const client = new OtClient({ clientId: 'me', version: 0, nextSeq: 1 });
    expect(client.refuse(1, doc('\n'))).toBeNull();
    const sent = client.applyLocal(insert(0, 'a'))!;
    expect(client.refuse(sent.seq + 1, doc('\n'))).toBeNull();
    expect(client.inFlight()).toBe(sent);
  });
});
