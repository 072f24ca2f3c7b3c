import { randomUUID } from 'node:crypto';
import type { CommentThreadList } from '@collab/contracts';
import { transformAnchorThrough, type AnchorStep, type CommentAnchor } from '@collab/ot';
import type { Socket as ClientSocket } from 'socket.io-client';
import { type GatewayHarness, request, type RunningGateway } from './harness';

/** The REST path of a document's comments. */
export const comments = (docId: string) => `/documents/${docId}/comments`;

/** A new thread request with fresh client-made ids. */
export function newThread(
  anchor: { from: number; to: number; version: number },
  body = 'Why this?',
  mentions: string[] = [],
) {
  return { threadId: randomUUID(), commentId: randomUUID(), anchor, body, mentions };
}

/** Moves an anchor through a document's log as a replay does. */
export function replayAnchor(
  anchor: CommentAnchor,
  log: { version: number; delta: unknown[] }[],
): CommentAnchor {
  return transformAnchorThrough(
    anchor,
    log.map((op) => ({ version: op.version, delta: op.delta as AnchorStep })),
  );
}

/** The next `name` event on `socket`, or a failure after `timeoutMs`. */
export function nextEvent<T>(socket: ClientSocket, name: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${name} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(name, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** REST calls, a typist and database reads for the comment specs, on one harness. */
export function commentTools(h: GatewayHarness) {
  function post<T>(gateway: RunningGateway, userId: string, path: string, body?: unknown) {
    return h.api<T>(gateway, 'POST', path, { token: h.token(userId), body });
  }

  async function list(gateway: RunningGateway, userId: string, docId: string): Promise<CommentThreadList> {
    const res = await h.api<CommentThreadList>(gateway, 'GET', comments(docId), { token: h.token(userId) });
    expect(res.status).toBe(200);
    return res.body;
  }

  /** A joined typist: sends operations one at a time, each on the version its previous one got. */
  async function typist(gateway: RunningGateway, userId: string, docId: string) {
    const socket = await h.connect(gateway, userId);
    const joined = await request<{ ok: boolean; version: number }>(socket, 'join', { docId });
    expect(joined.ok).toBe(true);
    let version = joined.version;
    let seq = 0;
    const clientId = `typist-${randomUUID().slice(0, 8)}`;
    return {
      socket,
      async type(delta: unknown[]): Promise<number> {
        const ack = await request<{ ok: boolean; version: number }>(socket, 'op', {
          docId,
          clientId,
          seq: ++seq,
          baseVersion: version,
          delta,
        });
        expect(ack).toMatchObject({ ok: true });
        version = ack.version;
        return version;
      },
    };
  }

  /** The log of a document as committed deltas. */
  async function loggedOps(docId: string): Promise<{ version: number; delta: unknown[] }[]> {
    const rows: { version: string; delta: unknown[] }[] = await h.dataSource.query(
      'SELECT version, delta FROM operations WHERE document_id = $1 ORDER BY version',
      [docId],
    );
    return rows.map((r) => ({ version: Number(r.version), delta: r.delta }));
  }

  /** Rows in each comment table, to show a refusal wrote nothing. */
  async function rowCounts(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const table of ['comment_threads', 'comments', 'mentions', 'notifications']) {
      const [row] = (await h.dataSource.query(`SELECT count(*)::int AS n FROM ${table}`)) as { n: number }[];
      out[table] = row.n;
    }
    return out;
  }

  return { post, list, typist, loggedOps, rowCounts };
}
