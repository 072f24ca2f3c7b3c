import { until } from '@collab/testing';
import { CollabDocument, type Replica } from '@collab/client';
import Delta from 'quill-delta';
import { GatewayHarness, type RunningGateway } from './harness';

jest.setTimeout(120_000);

/**
 * A document reopened from a saved replica (the web app's IndexedDB entry
 * after a reload while offline): it opens at once without the server, takes
 * more edits, and once connected catches up, sends what is pending exactly
 * once under the replica's client id, and converges with everyone else.
 */
let h: GatewayHarness;
let gateway: RunningGateway;

beforeAll(async () => {
  h = await GatewayHarness.create('gw_replica');
  await h.startDocService();
  gateway = await h.startGateway();
  await h.settle();
});

afterAll(async () => {
  await h?.close();
});

async function replay(docId: string): Promise<string> {
  const rows: { delta: Delta['ops'] }[] = await h.dataSource.query(
    'SELECT delta FROM operations WHERE document_id = $1 ORDER BY version',
    [docId],
  );
  const doc = rows.reduce((d, row) => d.compose(new Delta(row.delta)), new Delta([{ insert: '\n' }]));
  return doc.ops.map((op) => op.insert).join('');
}

const open = async (
  docId: string,
  userId: string,
  extra: Partial<ConstructorParameters<typeof CollabDocument>[0]> = {},
) => {
  const doc = h.track(
    new CollabDocument({ url: gateway.url, docId, token: () => h.token(userId), ...extra }),
  );
  await doc.open();
  return doc;
};

it('opens from a replica offline, keeps editing, and converges exactly once when it connects', async () => {
  const user = await h.createUser();
  const docId = await h.createDocument(user);
  const other = await open(docId, user);
  const first = await open(docId, user, { clientId: 'tab-1' });
  first.submit(new Delta().insert('Hello'));
  await first.whenSynced();

  // The network goes; the first tab types on, then is reloaded: what it saved survives as JSON.
  first.disconnect();
  first.submit(new Delta().retain(5).insert(' world'));
  first.submit(new Delta().retain(11).insert('!'));
  const saved = JSON.parse(JSON.stringify(first.replica())) as Replica;
  first.close();
  expect(saved.pending).not.toBeNull();
  expect(saved.role).toBe('owner');

  // Meanwhile someone else edits, at the start of the text it has received (the
  // first tab's ack can arrive before its broadcast reaches this one).
  await until(() => other.text === 'Hello\n', { what: "the first tab's text at the other client" });
  other.submit(new Delta().insert('>> '));
  await other.whenSynced();

  // Reopened offline (the gateway is unreachable): the content is there at once.
  const offline = h.track(
    new CollabDocument({
      url: 'http://127.0.0.1:9', // nothing listens there
      docId,
      token: () => h.token(user),
      clientId: 'tab-1',
      replica: saved,
    }),
  );
  await offline.open();
  expect(offline.text).toBe('Hello world!\n');
  expect(offline.role).toBe('owner');
  offline.submit(new Delta().retain(12).insert(' Bye'));
  expect(offline.text).toBe('Hello world! Bye\n');
  const savedAgain = offline.replica()!;
  offline.close();

  // Back online: the replica's edits go out once, under its client id, rebased over the other edit.
  const back = await open(docId, user, { clientId: 'tab-1', replica: savedAgain });
  await back.whenSynced(20_000);
  await other.whenSynced();
  await until(() => other.text === back.text, { what: 'the other client to catch up with the replica' });
  expect(back.text).toBe('>> Hello world! Bye\n');
  expect(other.text).toBe(back.text);
  expect(await replay(docId)).toBe(back.text);
  const ops = await h.storedOps(docId);
  const fromTab = ops.filter((op) => op.clientId === 'tab-1').map((op) => op.seq);
  expect(new Set(fromTab).size).toBe(fromTab.length);
  expect(ops.map((op) => op.version)).toEqual(ops.map((_, i) => i + 1));

  // Reopening once more from the same (now stale) replica applies nothing twice.
  const again = await open(docId, user, { clientId: 'tab-1', replica: savedAgain });
  await again.whenSynced(20_000);
  expect(again.text).toBe(back.text);
  expect((await h.storedOps(docId)).length).toBe(ops.length);
  for (const d of [other, back, again]) d.close();
});

it('reports a join refused after opening from a replica (the document is gone)', async () => {
  const user = await h.createUser();
  const docId = await h.createDocument(user);
  const doc = await open(docId, user);
  doc.submit(new Delta().insert('x'));
  await doc.whenSynced();
  const saved = doc.replica()!;
  doc.close();
  await h.dataSource.query('DELETE FROM documents WHERE id = $1', [docId]);

  const reopened = h.track(
    new CollabDocument({
      url: gateway.url,
      docId,
      token: () => h.token(user),
      replica: saved,
    }),
  );
  const error = new Promise((resolve) => reopened.on('error', resolve));
  await reopened.open();
  expect(reopened.text).toBe('x\n');
  expect(await error).toMatchObject({ code: expect.stringMatching(/NOT_FOUND|FORBIDDEN/) });
  reopened.close();
});
