import { until } from '@collab/testing';
import { CollabDocument } from '@collab/client';
import { contentAtVersion } from '@collab/persistence';
import Delta from 'quill-delta';
import type { RunningGateway } from './harness';
import { twoGateways } from './two-gateways';

jest.setTimeout(120_000);

const stack = twoGateways('gw_history_restore');

async function open(gateway: RunningGateway, userId: string, docId: string): Promise<CollabDocument> {
  const doc = stack.h.track(
    new CollabDocument({ url: gateway.url, docId, token: () => stack.h.token(userId) }),
  );
  await doc.open();
  return doc;
}

async function textAt(docId: string, version: number): Promise<string> {
  return (await contentAtVersion(stack.h.dataSource.manager, docId, version)).text;
}

describe('restoring a version while two clients are connected', () => {
  it('both clients converge on the old text, keep editing, and the history lists the restore', async () => {
    const owner = await stack.h.createUser('Ada');
    const editor = await stack.h.createUser('Bob');
    const docId = await stack.h.createDocument(owner);
    await stack.h.addMember(docId, editor, 'editor');
    const a = await open(stack.gateways[0], owner, docId);
    const b = await open(stack.gateways[1], editor, docId);

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

    const restored = await stack.h.api<{ version: number }>(
      stack.gateways[1],
      'POST',
      `/documents/${docId}/restore`,
      {
        token: stack.h.token(editor),
        body: { version: restoreTo },
      },
    );
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

    const history = await stack.h.api<{
      headVersion: number;
      versions: { version: number; kind: string; name?: string }[];
    }>(stack.gateways[0], 'GET', `/documents/${docId}/versions`, { token: stack.h.token(owner) });
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
