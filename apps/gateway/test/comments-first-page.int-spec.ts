import type { CommentThreadList } from '@collab/contracts';
import { comments, commentTools, newThread, replayAnchor } from './comment-tools';
import { errorCode } from './harness';
import { twoGateways } from './two-gateways';

jest.setTimeout(90_000);

const stack = twoGateways('gw_comments_page');
let tools: ReturnType<typeof commentTools>;

beforeAll(() => {
  tools = commentTools(stack.h);
});

async function page(userId: string, docId: string, query: string) {
  return stack.h.api<CommentThreadList>(stack.gw1, 'GET', `${comments(docId)}${query}`, {
    token: stack.h.token(userId),
  });
}

describe('the first threads in the text (?limit=N)', () => {
  it('answers open threads by place at the head, then detached, then resolved, each as the whole list has it', async () => {
    const ada = await stack.h.createUser('Ada');
    const docId = await stack.h.createDocument(ada);
    const typing = await tools.typist(stack.gw2, ada, docId);
    const v1 = await typing.type([{ insert: 'alpha beta gamma delta epsilon\n' }]);
    // Made out of text order: the page must sort by place, not by age.
    const onDelta = newThread({ from: 17, to: 22, version: v1 }, 'delta');
    const onBeta = newThread({ from: 6, to: 10, version: v1 }, 'beta');
    const onGamma = newThread({ from: 11, to: 16, version: v1 }, 'gamma');
    const onAlpha = newThread({ from: 0, to: 5, version: v1 }, 'alpha');
    const onEpsilon = newThread({ from: 23, to: 30, version: v1 }, 'epsilon');
    for (const t of [onDelta, onBeta, onGamma, onAlpha, onEpsilon])
      expect((await tools.post(stack.gw1, ada, comments(docId), t)).status).toBe(201);
    await tools.post(stack.gw1, ada, `${comments(docId)}/${onAlpha.threadId}/resolve`);
    // Typing after the threads: their stored anchors lag until a read moves them.
    await typing.type([{ insert: 'Title\n' }]);
    await typing.type([{ retain: 17 }, { delete: 6 }]); // "gamma " goes: its thread detaches

    const first = await page(ada, docId, '?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.complete).toBe(false);
    expect(first.body.threads.map((t) => t.quotedText)).toEqual(['beta', 'delta']);
    // The page read moved and stored every anchor, not only its own threads'.
    const stored: { anchor_version: string }[] = await stack.h.dataSource.query(
      'SELECT anchor_version FROM comment_threads WHERE document_id = $1',
      [docId],
    );
    expect(stored.map((r) => Number(r.anchor_version))).toEqual(Array(5).fill(first.body.version));

    const all = await tools.list(stack.gw2, ada, docId);
    expect(all.complete).toBe(true);
    expect(all.version).toBe(first.body.version);
    const byId = new Map(all.threads.map((t) => [t.id, t]));
    // Each thread of the page as the whole list has it: anchor, comments, people.
    for (const t of first.body.threads) expect(t).toEqual(byId.get(t.id));
    const log = await tools.loggedOps(docId);
    expect(byId.get(onDelta.threadId)!.anchor).toEqual(
      replayAnchor({ from: 17, to: 22, version: v1, detached: false }, log),
    );

    const everything = await page(ada, docId, '?limit=500');
    expect(everything.body.complete).toBe(true);
    expect(everything.body.threads.map((t) => t.quotedText)).toEqual([
      'beta',
      'delta',
      'epsilon',
      'gamma', // detached
      'alpha', // resolved
    ]);
    expect(new Set(everything.body.threads.map((t) => JSON.stringify(t)))).toEqual(
      new Set(all.threads.map((t) => JSON.stringify(t))),
    );
    // Exactly as many as there are: complete.
    expect((await page(ada, docId, '?limit=5')).body.complete).toBe(true);
    expect((await page(ada, docId, '?limit=4')).body.complete).toBe(false);
  });

  it('a document without threads: an empty, complete page', async () => {
    const ada = await stack.h.createUser('Ada');
    const docId = await stack.h.createDocument(ada);
    const res = await page(ada, docId, '?limit=50');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ version: 0, threads: [], complete: true });
  });

  it('refuses a limit that is not a page size, and an unknown parameter, with BAD_REQUEST', async () => {
    const ada = await stack.h.createUser('Ada');
    const docId = await stack.h.createDocument(ada);
    for (const query of ['?limit=0', '?limit=501', '?limit=abc', '?limit=-1', '?limit=1e2', '?limit=5&x=1']) {
      const res = await page(ada, docId, query);
      expect([query, res.status, errorCode(res.body)]).toEqual([query, 400, 'BAD_REQUEST']);
    }
    // No role: NOT_FOUND, as for the whole list.
    const stranger = await stack.h.createUser('Stranger');
    const res = await page(stranger, docId, '?limit=5');
    expect([res.status, errorCode(res.body)]).toEqual([404, 'NOT_FOUND']);
  });
});
