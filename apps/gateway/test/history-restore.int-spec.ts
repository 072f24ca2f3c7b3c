import { until } from '@collab/testing';
import { CollabDocument } from '@collab/client';
import { contentAtVersion } from '@collab/persistence';
import Delta from 'quill-delta';
import { GatewayHarness, type RunningGateway } from './harness';

jest.setTimeout(120_000);

let h: GatewayHarness;
let gateways: RunningGateway[];

beforeAll(async () => {
  h = await GatewayHarness.create('gw_history_restore');
  await h.startDocService();
  await h.startDocService();
  gateways = [await h.startGateway(), await h.startGateway()];
  await h.settle();
});

afterAll(async () => {
  await h?.close();
});

async function open(gateway: RunningGateway, userId: string, docId: string): Promise<CollabDocument> {
  const doc = h.track(new CollabDocument({ url: gateway.url, docId, token: () => h.token(userId) }));
  await doc.open();
  return doc;
}

async function textAt(docId: string, version: number): Promise<string> {
  return (await contentAtVersion(h.dataSource.manager, docId, version)).text;
}

describe('restoring a version while two clients are connected', () => {
  it('both clients converge on the old text, keep editing, and the history lists the restore', async () => {
    const owner = await h.createUser('Ada');
    const editor = await h.createUser('Bob');
    const docId = await h.createDocument(owner);
    await h.addMember(docId, editor, 'editor');
    const a = await open(gateways[0], owner, docId);
    const b = await open(gateways[1], editor, docId);

    a.submit(new Delta().insert('The first draft.'));
    await a.whenSynced();
    await until(async () => b.version === a.version, { what: "B to reach A's version" });
    b.submit(new Delta().retain(16).insert(' More from Bob.', { bold: true }));
    await b.whenSynced();
    await until(async () => a.version === b.version, { what: "A to reach B's version" });
    const restoreTo = a.version;
    const oldText = a.text;
    expect(oldText).toBe('The first draft. More from Bob.\n');

    // Both sides rewrite the text after that version.
    for (let i = 0; i < 5; i++) {
      a.submit(new Delta().insert(`A${i} `));
      b.submit(new Delta().retain(b.document.length() - 1).insert(` B${i}`));
    }
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    expect(a.text).not.toBe(oldText);

    const restored = await h.api<{ version: number }>(gateways[1], 'POST', `/documents/${docId}/restore`, {
      token: h.token(editor),
      body: { version: restoreTo },
    });
    expect(restored.status).toBe(200);
    const restoredAt = restored.body.version;
    expect(await textAt(docId, restoredAt)).toBe(oldText);

    // Both clients receive the restore as a remote operation and converge on the old text.
    await until(async () => a.version >= restoredAt && b.version >= restoredAt && a.synced && b.synced, {
      what: 'both clients synced at the restored version',
    });
    expect(a.version).toBe(restoredAt);
    expect(a.text).toBe(oldText);
    expect(b.text).toBe(oldText);

    // Editing goes on from the restored text; every copy still equals the log.
    a.submit(new Delta().insert('After. '));
    b.submit(new Delta().retain(b.document.length() - 1).insert(' End.'));
    await Promise.all([a.whenSynced(), b.whenSynced()]);
    await until(async () => a.version === b.version && a.synced && b.synced, {
      what: 'both clients synced at the same version',
    });
    expect(a.text).toBe(b.text);
    expect(a.text).toBe(await textAt(docId, a.version));
    expect(a.text).toBe('After. The first draft. More from Bob. End.\n');

    const history = await h.api<{
      headVersion: number;
      versions: { version: number; kind: string; name?: string }[];
    }>(gateways[0], 'GET', `/documents/${docId}/versions`, { token: h.token(owner) });
    expect(history.body.headVersion).toBe(a.version);
    expect(history.body.versions).toContainEqual(
      expect.objectContaining({
        version: restoredAt,
        kind: 'restore',
        name: `Restored version ${restoreTo}`,
      }),
    );
    a.close();
    b.close();
  });
});
