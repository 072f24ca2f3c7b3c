import { insertOperations, insertSnapshotIfAbsent, type NewOperation } from '@collab/persistence';
import Delta from 'quill-delta';
import { GatewayHarness, type RunningGateway } from './harness';

/** Seeded edits: a heading, bold text, a link, a list, hostile text and a hostile link. */
export const EDITS: Delta[] = [
  new Delta().insert('Plan').insert('\n', { header: 1 }),
  new Delta().retain(5).insert('Some ').insert('bold', { bold: true }).insert(' and a ').insert('link', {
    link: 'https://example.com/a',
  }),
  new Delta().retain(25).insert('\none').insert('\n', { list: 'bullet' }).insert('two').insert('\n', {
    list: 'bullet',
  }),
  new Delta()
    .retain(34)
    .insert('<script>alert(1)</script><img src=x onerror="alert(2)">')
    .insert('click', { link: 'javascript:alert(3)' }),
  new Delta().retain(5).delete(5),
];

/** The document at each seeded version. */
export const versions: Delta[] = EDITS.reduce(
  (all, op) => [...all, all[all.length - 1].compose(op)],
  [new Delta([{ insert: '\n' }])],
);

/** See {@link seededHistory}. Its fields are set once its beforeAll has run. */
export interface SeededHistory {
  h: GatewayHarness;
  gw: RunningGateway;
  /** Ada, who owns the document and wrote versions 1 to 3. */
  owner: string;
  /** Bob, an editor, who wrote versions 4 and 5. */
  editor: string;
  /** Cy, a viewer. */
  viewer: string;
  /** Dee, with no role on the document. */
  stranger: string;
  docId: string;
  /** Calls a REST route on `gw`, as `options.user` (with a valid token) or anonymously. */
  api<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { user?: string; body?: unknown },
  ): Promise<{ status: number; body: T; headers: Headers }>;
  /** Operations in the document's log. */
  operationCount(): Promise<number>;
  /** Named versions of the document. */
  namedCount(): Promise<number>;
}

/**
 * The stack of the history specs, for the calling spec file: a harness named
 * `label` (its private database and Redis prefix), a doc-service and a
 * gateway, four people and one document with the EDITS committed and a
 * snapshot (with its own HTML) at version 2; created in beforeAll, closed in
 * afterAll.
 */
export function seededHistory(label: string): SeededHistory {
  const stack = {
    api<T = Record<string, unknown>>(
      method: string,
      path: string,
      options: { user?: string; body?: unknown } = {},
    ) {
      return stack.h.api<T>(stack.gw, method, path, {
        token: options.user === undefined ? undefined : stack.h.token(options.user),
        body: options.body,
      });
    },
    async operationCount() {
      return (await stack.h.storedOps(stack.docId)).length;
    },
    async namedCount() {
      const rows: { n: string }[] = await stack.h.dataSource.query(
        'SELECT count(*) AS n FROM named_versions WHERE document_id = $1',
        [stack.docId],
      );
      return Number(rows[0].n);
    },
  } as SeededHistory;
  beforeAll(async () => {
    // The harness first, so that afterAll closes it even when the seeding fails.
    const h = (stack.h = await GatewayHarness.create(label));
    await h.startDocService();
    const gw = await h.startGateway();
    await h.settle();
    const owner = await h.createUser('Ada');
    const editor = await h.createUser('Bob');
    const viewer = await h.createUser('Cy');
    const stranger = await h.createUser('Dee');
    const docId = await h.createDocument(owner);
    await h.addMember(docId, editor, 'editor');
    await h.addMember(docId, viewer, 'viewer');
    const rows: NewOperation[] = EDITS.map((op, i) => ({
      documentId: docId,
      version: i + 1,
      delta: op.ops as NewOperation['delta'],
      userId: i < 3 ? owner : editor,
      clientId: 'seed',
      seq: i + 1,
      submissionHash: `h${i}`,
    }));
    await insertOperations(h.dataSource.manager, rows);
    await insertSnapshotIfAbsent(h.dataSource.manager, {
      documentId: docId,
      version: 2,
      delta: versions[2].ops as NewOperation['delta'],
      html: '<p>from the snapshot</p>',
      text: '',
    });
    Object.assign(stack, { gw, owner, editor, viewer, stranger, docId });
  });
  afterAll(async () => {
    await stack.h?.close();
  });
  return stack;
}

/** Expects a REST error answer: `status` and `code`. */
export function expectError(res: { status: number; body: unknown }, status: number, code: string): void {
  expect({ status: res.status, code: (res.body as { error?: { code?: string } }).error?.code }).toEqual({
    status,
    code,
  });
}
