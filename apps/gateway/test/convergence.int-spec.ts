import { until } from '@collab/testing';
import { CollabDocument } from '@collab/client';
import Delta from 'quill-delta';
import type { RunningGateway } from './harness';
import { twoGateways } from './two-gateways';

jest.setTimeout(120_000);

const stack = twoGateways('convergence');

/** A small deterministic PRNG, so a failing run can be replayed from its seed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random local edit against the client's current document (never touching the final newline). */
function randomEdit(doc: CollabDocument, random: () => number, tag: string): Delta {
  const length = doc.document.length() - 1;
  const at = Math.floor(random() * (length + 1));
  const roll = random();
  if (roll < 0.6 || length === 0) {
    return new Delta().retain(at).insert(tag, random() < 0.3 ? { bold: true } : undefined);
  }
  if (roll < 0.85) {
    const count = Math.min(1 + Math.floor(random() * 3), length - Math.min(at, length - 1));
    return new Delta().retain(Math.min(at, length - 1)).delete(Math.max(1, count));
  }
  return new Delta().retain(Math.min(at, length - 1)).retain(1, { italic: true });
}

async function openDoc(gateway: RunningGateway, userId: string, docId: string): Promise<CollabDocument> {
  const doc = stack.h.track(
    new CollabDocument({ url: gateway.url, docId, token: () => stack.h.token(userId) }),
  );
  await doc.open();
  return doc;
}

async function replay(docId: string): Promise<Delta> {
  const rows: { delta: Delta['ops'] }[] = await stack.h.dataSource.query(
    'SELECT delta FROM operations WHERE document_id = $1 ORDER BY version',
    [docId],
  );
  return rows.reduce((doc, row) => doc.compose(new Delta(row.delta)), new Delta([{ insert: '\n' }]));
}

describe('convergence through the SDK', () => {
  it('10 clients on 2 stack.gateways and 2 doc-services converge on a replay of the log, with contiguous versions', async () => {
    const owner = await stack.h.createUser('Owner');
    const docId = await stack.h.createDocument(owner);
    const users = [owner];
    for (let i = 1; i < 10; i++) {
      const user = await stack.h.createUser(`Editor ${i}`);
      await stack.h.addMember(docId, user, 'editor');
      users.push(user);
    }
    const clients = await Promise.all(users.map((u, i) => openDoc(stack.gateways[i % 2], u, docId)));
    // An edit that changes nothing by the time it reaches the owner (italic on
    // italic text, two deletes of the same character) is refused, its seq unused.
    const refused = new Map(clients.map((c) => [c.clientId, [] as number[]]));
    const refusedCodes = new Set<string>();
    for (const client of clients) {
      client.on('refused', (r) => {
        refused.get(client.clientId)!.push(r.seq);
        refusedCodes.add(r.error.code);
      });
    }
    const seed = Date.now() % 100_000;
    const random = prng(seed);
    const edits = 25;
    await Promise.all(
      clients.map(async (client, c) => {
        for (let i = 0; i < edits; i++) {
          client.submit(randomEdit(client, random, String.fromCharCode(65 + c)));
          await new Promise((r) => setTimeout(r, random() * 15));
        }
      }),
    );
    await Promise.all(clients.map((c) => c.whenSynced(30_000)));
    const head = Math.max(...clients.map((c) => c.version));
    // Every client reaches the head (the last broadcasts may still be in flight).
    await until(() => clients.every((c) => c.version >= head), {
      what: `every client at head ${head}`,
      timeoutMs: 15_000,
      everyMs: 50,
    });

    const expected = await replay(docId);
    for (const client of clients)
      expect({ seed, ops: client.document.ops }).toEqual({ seed, ops: expected.ops });
    const stored = await stack.h.storedOps(docId);
    expect(stored.map((o) => o.version)).toEqual(Array.from({ length: stored.length }, (_, i) => i + 1));
    expect(stored.length).toBe(head);
    // Every edit was committed exactly once or refused: each client's stored
    // seqs and refused seqs are disjoint and together exactly 1..n.
    expect([...refusedCodes].filter((code) => code !== 'OP_CHANGES_NOTHING')).toEqual([]);
    for (const client of clients) {
      const seqs = stored.filter((o) => o.clientId === client.clientId).map((o) => o.seq);
      const all = [...seqs, ...refused.get(client.clientId)!].sort((a, b) => a - b);
      expect(all).toEqual(Array.from({ length: all.length }, (_, i) => i + 1));
    }
    for (const client of clients) client.close();
  });
});
