import { randomUUID } from 'node:crypto';
import { type DocRestoreRequest } from '@collab/contracts';
import { contentAtVersion, insertSnapshotIfAbsent } from '@collab/persistence';
import Delta from 'quill-delta';
import { until } from '@collab/testing';
import { type DocServiceHarness, type OpFactory, useDocServiceSuite } from './harness';

jest.setTimeout(60_000);

let h: DocServiceHarness;
let userId: string;
let op: OpFactory;
useDocServiceSuite('doc-service-restore', (suite) => ({ h, userId, op } = suite));

function restore(docId: string, toVersion: number, clientId = `restore-${randomUUID()}`) {
  return { type: 'restore' as const, docId, userId, toVersion, clientId, seq: 1 } satisfies Omit<
    DocRestoreRequest,
    'requestId' | 'replyTo' | 'correlationId'
  >;
}

async function restoredFrom(docId: string): Promise<{ version: number; restoredFrom: number | null }[]> {
  const rows: { version: string; restored_from: string | null }[] = await h.dataSource.query(
    'SELECT version, restored_from FROM operations WHERE document_id = $1 ORDER BY version',
    [docId],
  );
  return rows.map((r) => ({
    version: Number(r.version),
    restoredFrom: r.restored_from === null ? null : Number(r.restored_from),
  }));
}

async function replay(docId: string, upTo: number): Promise<Delta['ops']> {
  return (await contentAtVersion(h.dataSource.manager, docId, upTo)).delta as Delta['ops'];
}

/** Writes `Hello` (v1), bold ` world` (v2), deletes `Hello` (v3), inserts `Bye` (v4). */
async function writeFour(docId: string): Promise<void> {
  const ds = h.ownerOf(docId);
  const edits: Delta['ops'][] = [
    [{ insert: 'Hello' }],
    [{ retain: 5 }, { insert: ' world', attributes: { bold: true } }],
    [{ delete: 5 }],
    [{ insert: 'Bye' }],
  ];
  for (const [i, delta] of edits.entries()) {
    expect(await h.request(ds, op(docId, 'writer', i + 1, i, delta))).toMatchObject({
      ok: true,
      result: { version: i + 1 },
    });
  }
}

describe('restore', () => {
  it('commits the difference to the old version as a new operation, broadcast and recorded as a restore', async () => {
    const ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    await writeFour(docId);

    const request = restore(docId, 1);
    expect(await h.request(ds, request)).toEqual(
      expect.objectContaining({ ok: true, result: { version: 5 } }),
    );
    expect(await h.load(docId)).toEqual({ version: 5, content: [{ insert: 'Hello\n' }] });
    expect(await replay(docId, 5)).toEqual(await replay(docId, 1));
    expect((await restoredFrom(docId)).map((r) => r.restoredFrom)).toEqual([null, null, null, null, 1]);
    await until(() => h.broadcasts.some((b) => b.docId === docId && b.version === 5), {
      what: 'the broadcast of the restore (version 5)',
    });
    const broadcast = h.broadcasts.find((b) => b.docId === docId && b.version === 5);
    expect(broadcast).toMatchObject({ clientId: request.clientId, seq: 1, userId });
    // The broadcast delta turns version 4 into version 5 for every client.
    expect(new Delta(await replay(docId, 4)).compose(new Delta(broadcast?.delta)).ops).toEqual(
      await replay(docId, 1),
    );

    // Restoring the newest formatting state back works the same way (attributes included).
    expect(await h.request(ds, restore(docId, 2))).toMatchObject({ ok: true, result: { version: 6 } });
    expect((await h.load(docId)).content).toEqual([
      { insert: 'Hello' },
      { insert: ' world', attributes: { bold: true } },
      { insert: '\n' },
    ]);
  });

  it('a retried restore applies once, also after a restart; the same id with another version is SEQ_REUSED', async () => {
    let ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    await writeFour(docId);
    const request = restore(docId, 2);
    expect(await h.request(ds, request)).toMatchObject({ ok: true, result: { version: 5 } });
    expect(await h.request(ds, request)).toMatchObject({ ok: true, result: { version: 5 } });
    expect(await h.request(ds, { ...request, toVersion: 1 })).toMatchObject({
      ok: false,
      error: { code: 'SEQ_REUSED' },
    });

    // Someone edits after the restore; a late retry must not restore again on top of that.
    expect(await h.request(ds, op(docId, 'writer', 5, 5, [{ insert: '!' }]))).toMatchObject({
      ok: true,
      result: { version: 6 },
    });
    await h.stopInstance(ds);
    ds = await h.startInstance();
    expect(await h.request(ds, request)).toMatchObject({ ok: true, result: { version: 5 } });
    expect((await restoredFrom(docId)).map((r) => r.restoredFrom)).toEqual([null, null, null, null, 2, null]);
    expect((await h.load(docId)).version).toBe(6);
  });

  it('restoring the content the document already has commits nothing and answers the head', async () => {
    const ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    await writeFour(docId);
    expect(await h.request(ds, restore(docId, 4))).toMatchObject({ ok: true, result: { version: 4 } });
    // Version 5 re-inserts what version 4 deleted...
    expect(await h.request(ds, op(docId, 'writer', 5, 4, [{ delete: 3 }]))).toMatchObject({
      ok: true,
      result: { version: 5 },
    });
    // ...so version 3 has the same content as head: nothing to restore.
    expect(await replay(docId, 3)).toEqual(await replay(docId, 5));
    const sameContent = restore(docId, 3);
    expect(await h.request(ds, sameContent)).toMatchObject({ ok: true, result: { version: 5 } });
    expect(await h.request(ds, sameContent)).toMatchObject({ ok: true, result: { version: 5 } });
    expect(await h.storedOps(docId)).toHaveLength(5);
  });

  it('refuses a version above head with VERSION_AHEAD and an unknown document with NOT_FOUND, changing nothing', async () => {
    const ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    await writeFour(docId);
    expect(await h.request(ds, restore(docId, 5))).toMatchObject({
      ok: false,
      error: { code: 'VERSION_AHEAD' },
    });
    expect(await h.request(ds, restore(docId, 9_000_000_000))).toMatchObject({
      ok: false,
      error: { code: 'VERSION_AHEAD' },
    });
    const missing = randomUUID();
    expect(await h.request(h.ownerOf(missing), restore(missing, 0))).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await h.storedOps(docId)).toHaveLength(4);
    // A malformed restore fails the wire schema: dropped, nothing changes.
    await h.redis.publish(
      h.keys.inbox(ds.instanceId),
      JSON.stringify({
        ...restore(docId, -1),
        requestId: 'r1',
        replyTo: h.keys.replies('x'),
        correlationId: 'c',
      }),
    );
    expect(await h.storedOps(docId)).toHaveLength(4);
  });

  it('stays in order with operations around it: staged operations commit first, later ones transform over it', async () => {
    const ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    await writeFour(docId);
    // Sent together: they reach the actor in one batch, the restore between two operations.
    const replies = await Promise.all([
      h.request(ds, op(docId, 'a', 1, 4, [{ insert: 'A' }])),
      h.request(ds, restore(docId, 1)),
      h.request(ds, op(docId, 'b', 1, 4, [{ retain: 3 }, { insert: 'B' }])),
    ]);
    expect(replies.map((r) => (r.ok ? (r.result as { version: number }).version : r.error.code))).toEqual([
      5, 6, 7,
    ]);
    // Version 6 is exactly version 1; B was made at version 4 and transformed over A and the restore.
    expect(await replay(docId, 6)).toEqual(await replay(docId, 1));
    const head = await h.load(docId);
    expect(head.version).toBe(7);
    expect(head.content).toEqual(await replay(docId, 7));
    expect(new Delta(head.content).ops.map((o) => o.insert).join('')).toContain('B');
  });

  it('restores a version between two snapshots from the nearest snapshot', async () => {
    const ds = await h.startInstance();
    const docId = await h.createDocument(userId);
    for (let i = 0; i < 30; i++) {
      const delta = new Delta().retain(i).insert(String.fromCharCode(97 + (i % 26)));
      expect(await h.request(ds, op(docId, 'w', i + 1, i, delta.ops))).toMatchObject({ ok: true });
    }
    for (const version of [10, 20]) {
      const content = await replay(docId, version);
      await insertSnapshotIfAbsent(h.dataSource.manager, {
        documentId: docId,
        version,
        delta: content as never,
        html: '',
        text: '',
      });
    }
    expect(await h.request(ds, restore(docId, 15))).toMatchObject({ ok: true, result: { version: 31 } });
    expect((await h.load(docId)).content).toEqual([{ insert: 'abcdefghijklmno\n' }]);
  });
});
