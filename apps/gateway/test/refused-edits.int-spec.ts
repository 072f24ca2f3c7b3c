import { until } from '@collab/testing';
import { CollabDocument, type EditRefusal } from '@collab/client';
import Delta from 'quill-delta';
import { GatewayHarness, type RunningGateway } from './harness';

jest.setTimeout(120_000);

/**
 * A final refusal through the SDK against the real stack: the refused edit is
 * taken out of the local document, the edits typed after it are rebased and
 * sent, each exactly once, and every later edit is still acknowledged. The
 * editor ends equal to the log, and the app hears which edit was refused and
 * why.
 */
let h: GatewayHarness;
let gateway: RunningGateway;

beforeAll(async () => {
  h = await GatewayHarness.create('gw_refused');
  await h.startDocService();
  gateway = await h.startGateway();
  await h.settle();
});

afterAll(async () => {
  await h?.close();
});

async function openEditor(): Promise<{
  doc: CollabDocument;
  docId: string;
  userId: string;
  refusals: EditRefusal[];
}> {
  const userId = await h.createUser('Refused');
  const docId = await h.createDocument(userId);
  const doc = h.track(new CollabDocument({ url: gateway.url, docId, token: () => h.token(userId) }));
  const refusals: EditRefusal[] = [];
  doc.on('refused', (refusal) => refusals.push(refusal));
  await doc.open();
  return { doc, docId, userId, refusals };
}

/** Waits until the document has heard `count` refusals (they come with the server's answer). */
async function refusalsReach(refusals: EditRefusal[], count: number): Promise<void> {
  await until(() => refusals.length >= count, { what: `${count} refusals`, timeoutMs: 20_000, everyMs: 10 });
}

/** The log holds each (clientId, seq) once and contiguous versions. */
async function expectExactlyOnce(docId: string): Promise<void> {
  const ops = await h.storedOps(docId);
  expect(ops.map((op) => op.version)).toEqual(ops.map((_, i) => i + 1));
  expect(new Set(ops.map((op) => `${op.clientId}/${op.seq}`)).size).toBe(ops.length);
}

// Each edit is refused by the doc-service's validation or limits; the edit
// typed right after it is buffered behind it and must survive.
const invalidEdits: [code: string, edit: (length: number) => Delta][] = [
  ['MISSING_FINAL_NEWLINE', (length) => new Delta().retain(length).insert('after the end')],
  ['OP_OUT_OF_RANGE', (length) => new Delta().retain(length + 5).insert('x')],
  ['INVALID_ATTRIBUTES', () => new Delta().retain(1, { color: 'red; background: url(x)' })],
  ['OP_TOO_LARGE', () => new Delta().insert('x'.repeat(1_000_001))],
];

describe('an edit refused for good', () => {
  it.each(invalidEdits)(
    '%s: the edit is taken out, later edits are sent exactly once',
    async (code, edit) => {
      const { doc, docId, refusals } = await openEditor();
      doc.submit(new Delta().insert('hello'));
      await doc.whenSynced();

      doc.submit(edit(doc.length));
      // Typed while the refused edit is in flight: buffered, then rebased without it.
      doc.submit(new Delta().insert('A'));
      await refusalsReach(refusals, 1);
      expect(refusals[0]).toMatchObject({ error: { code }, reloaded: false });
      doc.submit(new Delta().retain(doc.length - 1).insert('!'));
      await doc.whenSynced();

      expect(doc.text).toBe('Ahello!\n');
      expect(doc.document).toEqual(await h.replay(docId));
      expect(doc.pendingCount).toBe(0);
      await expectExactlyOnce(docId);
    },
  );

  it('DOC_TOO_LARGE: an insert that would pass the document limit is taken out, the document stays usable', async () => {
    const { doc, docId, refusals } = await openEditor();
    doc.submit(new Delta().insert('y'.repeat(1_000_000)));
    await doc.whenSynced(60_000);
    doc.submit(new Delta().insert('z'.repeat(1_000_000)));
    await refusalsReach(refusals, 1);
    expect(refusals[0]).toMatchObject({ error: { code: 'DOC_TOO_LARGE' } });
    doc.submit(new Delta().insert('ok '));
    await doc.whenSynced(60_000);
    expect(doc.length).toBe(1_000_000 + 'ok \n'.length);
    expect(doc.document).toEqual(await h.replay(docId));
  });

  it('FORBIDDEN: a downgraded editor’s edit is taken out and the document equals the log', async () => {
    const owner = await h.createUser('Owner');
    const editor = await h.createUser('Editor');
    const docId = await h.createDocument(owner);
    await h.addMember(docId, editor, 'editor');
    const doc = h.track(new CollabDocument({ url: gateway.url, docId, token: () => h.token(editor) }));
    const refusals: EditRefusal[] = [];
    doc.on('refused', (refusal) => refusals.push(refusal));
    await doc.open();
    doc.submit(new Delta().insert('mine '));
    await doc.whenSynced();

    const demoted = new Promise<void>((resolve) => doc.on('role', (role) => role === 'viewer' && resolve()));
    const patch = await h.api(gateway, 'PATCH', `/documents/${docId}/members/${editor}`, {
      token: h.token(owner),
      body: { role: 'viewer' },
    });
    expect(patch.status).toBe(200);
    await demoted;
    doc.submit(new Delta().insert('not allowed '));
    doc.submit(new Delta().insert('nor this '));
    await refusalsReach(refusals, 2);
    await doc.whenSynced();
    expect(refusals.map((r) => r.error.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(doc.text).toBe('mine \n');
    expect(doc.document).toEqual(await h.replay(docId));
  });

  it('VERSION_AHEAD: a replica ahead of the server reloads from it, and editing goes on', async () => {
    const { doc: first, docId, userId } = await openEditor();
    first.submit(new Delta().insert('on the server'));
    await first.whenSynced();
    first.close();
    // A replica from a future the server does not have (its database was restored from a backup).
    const replica = {
      version: 40,
      nextSeq: 7,
      pending: null,
      document: { ops: [{ insert: 'lost work\n' }] },
      role: 'owner' as const,
    };
    const doc = h.track(
      new CollabDocument({ url: gateway.url, docId, token: () => h.token(userId), replica }),
    );
    const refusals: EditRefusal[] = [];
    doc.on('refused', (refusal) => refusals.push(refusal));
    await doc.open();
    doc.submit(new Delta().insert('more '));
    await refusalsReach(refusals, 1);
    expect(refusals[0]).toMatchObject({ error: { code: 'VERSION_AHEAD' }, reloaded: true });
    await doc.whenSynced();
    expect([doc.version, doc.text]).toEqual([1, 'on the server\n']);
    doc.submit(new Delta().insert('again: '));
    await doc.whenSynced();
    expect(doc.text).toBe('again: on the server\n');
    expect(doc.document).toEqual(await h.replay(docId));
    await expectExactlyOnce(docId);
  });
});
