import { until } from '@collab/testing';
import type { CommittedOp, CommittedOps, PresenceState } from '@collab/contracts';
import { request } from './harness';
import { twoGateways } from './two-gateways';

jest.setTimeout(60_000);

const stack = twoGateways('gw-edit');

interface JoinAck {
  ok: boolean;
  version: number;
  content: unknown[];
  role: string;
  presence: PresenceState[];
  error?: { code: string };
}

/** A document with its owner connected to gw1 and an editor to gw2 (neither has joined yet). */
async function ownerAndEditorConnected() {
  const owner = await stack.h.createUser('Ada');
  const editor = await stack.h.createUser('Bob');
  const docId = await stack.h.createDocument(owner);
  await stack.h.addMember(docId, editor, 'editor');
  const a = await stack.h.connect(stack.gw1, owner);
  const b = await stack.h.connect(stack.gw2, editor);
  return { owner, editor, docId, a, b };
}

describe('editing through two gateways and two doc-services', () => {
  it('persists one client’s ops, broadcasts them across gateways, and shows them to a later joiner', async () => {
    const { owner, editor, docId, a, b } = await ownerAndEditorConnected();
    const seenByB: CommittedOp[] = [];
    b.on('ops', (committed: CommittedOps) => seenByB.push(...committed.ops));

    const joinA = await request<JoinAck>(a, 'join', { docId });
    expect(joinA).toMatchObject({ ok: true, docId, version: 0, role: 'owner', presence: [] });
    expect((await request<JoinAck>(b, 'join', { docId })).ok).toBe(true);

    const first = await request(a, 'op', {
      docId,
      clientId: 'a1',
      seq: 1,
      baseVersion: 0,
      delta: [{ insert: 'Hello' }],
    });
    expect(first).toEqual({ ok: true, version: 1 });
    const second = await request(a, 'op', {
      docId,
      clientId: 'a1',
      seq: 2,
      baseVersion: 1,
      delta: [{ retain: 5 }, { insert: ' world' }],
    });
    expect(second).toEqual({ ok: true, version: 2 });

    await until(async () => seenByB.length === 2, { what: 'both operations broadcast to B' });
    expect(seenByB.map((op) => [op.version, op.clientId, op.seq, op.userId])).toEqual([
      [1, 'a1', 1, owner],
      [2, 'a1', 2, owner],
    ]);
    expect(await stack.h.storedOps(docId)).toEqual([
      { version: 1, clientId: 'a1', seq: 1 },
      { version: 2, clientId: 'a1', seq: 2 },
    ]);

    const later = await stack.h.connect(stack.gw2, editor);
    const joinLater = await request<JoinAck>(later, 'join', { docId });
    expect(joinLater).toMatchObject({ ok: true, version: 2, content: [{ insert: 'Hello world\n' }] });

    const catchup = await request<{ ok: boolean; ops: CommittedOp[]; headVersion: number; hasMore: boolean }>(
      later,
      'catchup',
      { docId, fromVersion: 0 },
    );
    expect(catchup).toMatchObject({ ok: true, headVersion: 2, hasMore: false });
    expect(catchup.ops.map((op) => op.version)).toEqual([1, 2]);
  });

  it.each(['viewer', 'commenter'] as const)(
    'refuses a %s’s op with FORBIDDEN; nothing is persisted or broadcast',
    async (role) => {
      const owner = await stack.h.createUser();
      const viewer = await stack.h.createUser();
      const docId = await stack.h.createDocument(owner);
      await stack.h.addMember(docId, viewer, role);

      const watcher = await stack.h.connect(stack.gw1, owner);
      const seen: CommittedOp[] = [];
      watcher.on('ops', (committed: CommittedOps) => seen.push(...committed.ops));
      await request(watcher, 'join', { docId });

      const v = await stack.h.connect(stack.gw2, viewer);
      expect(await request<JoinAck>(v, 'join', { docId })).toMatchObject({ ok: true, role });
      const refused = await request(v, 'op', {
        docId,
        clientId: 'v',
        seq: 1,
        baseVersion: 0,
        delta: [{ insert: 'x' }],
      });
      expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(await stack.h.storedOps(docId)).toEqual([]);
      // A later operation of the owner's, from another socket (a submitter is
      // answered by its ack, not the broadcast), is broadcast in version order:
      // once it arrives, anything committed before it would have arrived first.
      const writer = await stack.h.connect(stack.gw2, owner);
      await request(writer, 'join', { docId });
      expect(
        await request(writer, 'op', {
          docId,
          clientId: 'o',
          seq: 1,
          baseVersion: 0,
          delta: [{ insert: 'o' }],
        }),
      ).toEqual({ ok: true, version: 1 });
      await until(() => seen.length > 0, { what: "the owner's operation broadcast to the watcher" });
      expect(seen.filter((op) => op.clientId === 'v')).toEqual([]);
      expect((await stack.h.storedOps(docId)).filter((op) => op.clientId === 'v')).toEqual([]);
    },
  );

  it('refuses a join without membership, an op before join, and malformed payloads, changing nothing', async () => {
    const owner = await stack.h.createUser();
    const stranger = await stack.h.createUser();
    const docId = await stack.h.createDocument(owner);
    const s = await stack.h.connect(stack.gw1, stranger);
    expect(await request(s, 'join', { docId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    const c = await stack.h.connect(stack.gw1, owner);
    const op = { docId, clientId: 'c', seq: 1, baseVersion: 0, delta: [{ insert: 'x' }] };
    expect(await request(c, 'op', op)).toMatchObject({ ok: false, error: { code: 'NOT_JOINED' } });
    expect(await request(c, 'catchup', { docId, fromVersion: 0 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_JOINED' },
    });
    await request(c, 'join', { docId });

    for (const bad of [
      null,
      'op',
      [op],
      { ...op, seq: 0 },
      { ...op, delta: [{ retain: -1 }] },
      { ...op, extra: true },
      JSON.parse(`{"docId":"${docId}","__proto__":{"x":1}}`),
    ]) {
      expect(await request(c, 'op', bad)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    }
    // Two payload arguments are not one payload.
    expect(await request(c, 'op', op, op)).toMatchObject({ ok: false, error: { code: 'BAD_REQUEST' } });
    // Shape is fine, meaning is not: deleting past the end of the document.
    const outOfRange = await request<{ ok: boolean; error: { code: string } }>(c, 'op', {
      ...op,
      delta: [{ delete: 50 }],
    });
    expect(outOfRange.ok).toBe(false);
    expect(outOfRange.error.code).toMatch(/^(OP_OUT_OF_RANGE|INVALID_OP)$/);
    // Without an ack the event is ignored, and the socket keeps working.
    c.emit('op', { ...op, clientId: 'no-ack' });
    c.emit('join');
    c.emit('no-such-event', { docId });
    expect(await stack.h.storedOps(docId)).toEqual([]);
    // One connection's events are handled, and routed to the owner, in order:
    // had the ack-less op been forwarded, it would have been committed first.
    expect(await request(c, 'op', op)).toEqual({ ok: true, version: 1 });
    expect(await stack.h.storedOps(docId)).toEqual([{ version: 1, clientId: op.clientId, seq: op.seq }]);
  });

  it('relays presence with name and colour to the room, and removes it when the socket leaves', async () => {
    const { owner, editor, docId, a, b } = await ownerAndEditorConnected();
    await request(a, 'join', { docId });
    await request(b, 'join', { docId });
    const received: PresenceState[] = [];
    const left: unknown[] = [];
    a.on('presence', (p: PresenceState) => received.push(p));
    a.on('presence:leave', (l: unknown) => left.push(l));
    const mine: PresenceState[] = [];
    b.on('presence', (p: PresenceState) => mine.push(p));

    for (let i = 0; i < 30; i++) {
      expect(await request(b, 'presence', { docId, version: 0, selection: { anchor: i, head: i } })).toEqual({
        ok: true,
      });
    }
    await until(async () => received.at(-1)?.selection?.head === 29, {
      what: 'the last selection (head 29) relayed',
    });
    // Throttled: far fewer than 30 relayed, and the latest always arrives.
    expect(received.length).toBeLessThan(30);
    expect(received.at(-1)).toMatchObject({
      docId,
      userId: editor,
      name: 'Bob',
      color: '#336699',
      version: 0,
    });
    expect(mine).toEqual([]);

    const c = await stack.h.connect(stack.gw1, owner);
    const joinC = await request<JoinAck>(c, 'join', { docId });
    expect(joinC.presence.map((p) => p.userId)).toEqual([editor]);

    b.disconnect();
    await until(async () => left.length === 1, { what: "the peer's departure" });
    expect(left[0]).toEqual({ docId, sessionId: received[0].sessionId });
  });

  it('serves a document from the other doc-service after its owner stops, losing no acknowledged op', async () => {
    const owner = await stack.h.createUser();
    const docId = await stack.h.createDocument(owner);
    const c = await stack.h.connect(stack.gw1, owner);
    await request(c, 'join', { docId });
    const acked: number[] = [];
    let seq = 0;
    const submit = async () => {
      seq++;
      const version = acked.length;
      const ack = await request<{ ok: boolean; version: number; error?: unknown }>(c, 'op', {
        docId,
        clientId: 'f',
        seq,
        baseVersion: version,
        delta: version === 0 ? [{ insert: `${seq}` }] : [{ retain: version }, { insert: `${seq}` }],
      });
      expect(ack).toEqual({ ok: true, version: version + 1 });
      acked.push(ack.version);
    };
    for (let i = 0; i < 3; i++) await submit();

    const ownerId = stack.h.ownerOf(docId);
    const proc = stack.h.docServices.find((d) => d.instanceId === ownerId)!;
    const stopping = stack.h.stopDocService(proc);
    // Submitted while the owner is leaving: routed again until the survivor takes it.
    for (let i = 0; i < 3; i++) await submit();
    await stopping;
    for (let i = 0; i < 3; i++) await submit();

    expect(stack.h.docServices.map((d) => d.instanceId)).not.toContain(ownerId);
    const stored = await stack.h.storedOps(docId);
    expect(stored.map((op) => op.version)).toEqual(acked);
    expect(stored.map((op) => op.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
