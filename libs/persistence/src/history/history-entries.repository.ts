import type { EntityManager } from 'typeorm';
import { bigintToNumber } from '../version';
import type { HistoryAuthor } from './history.repository';
import type { HistoryState } from './history-state';
import { encodeSegments } from './history-state';
import {
  type EditingSession,
  foldSessions,
  INITIAL_SESSION_STATE,
  type SessionOperation,
  type SessionState,
  sessionsOf,
} from './sessions';

/**
 * Stores what the worker folded with a snapshot: its attribution and session
 * state (unless that row exists), and every session the fold touched. Runs
 * in one transaction with nothing else to wait for; the snapshot row must
 * exist (foreign key).
 *
 * Idempotent: the fold of an immutable log is the same in every worker, a
 * duplicate attribution row is ignored, and a session row is only replaced
 * by one that reaches a later version.
 *
 * @returns true if this call stored the attribution row.
 */
export async function storeHistoryState(
  manager: EntityManager,
  documentId: string,
  state: HistoryState,
): Promise<boolean> {
  return manager.transaction(async (tx) => {
    const inserted: unknown[] = await tx.query(
      `INSERT INTO snapshot_attributions (document_id, version, inserted_chars, segments, session_state)
       VALUES ($1, $2, $3, $4::jsonb, $5::jsonb)
       ON CONFLICT (document_id, version) DO NOTHING
       RETURNING 1`,
      [
        documentId,
        state.version,
        state.attribution.inserted,
        JSON.stringify(encodeSegments(state.attribution.segments, state.attribution.deletions)),
        JSON.stringify(state.sessions.state),
      ],
    );
    const sessions = sessionsOf(state.sessions);
    if (sessions.length > 0) {
      await tx.query(
        `INSERT INTO history_sessions
           (document_id, from_version, to_version, kind, started_at, ended_at, author_ids, restored_from)
         SELECT $1, s.from_version, s.to_version, s.kind, to_timestamp(s.started_at / 1000.0),
                to_timestamp(s.ended_at / 1000.0), s.author_ids::uuid[], s.restored_from
           FROM jsonb_to_recordset($2::jsonb)
             AS s(from_version bigint, to_version bigint, kind text, started_at double precision,
                  ended_at double precision, author_ids text[], restored_from bigint)
         ON CONFLICT (document_id, from_version) DO UPDATE
           SET to_version = EXCLUDED.to_version, ended_at = EXCLUDED.ended_at, author_ids = EXCLUDED.author_ids
           WHERE history_sessions.to_version < EXCLUDED.to_version`,
        [
          documentId,
          JSON.stringify(
            sessions.map((s) => ({
              from_version: s.fromVersion,
              to_version: s.toVersion,
              kind: s.kind,
              started_at: s.startedAt,
              ended_at: s.endedAt,
              author_ids: s.authorIds,
              restored_from: s.restoredFrom,
            })),
          ),
        ],
      );
    }
    return inserted.length > 0;
  });
}

/** One entry of the history listing with sessions, newest first. */
export type HistoryEntry =
  | {
      readonly kind: 'session' | 'restore';
      readonly fromVersion: number;
      readonly toVersion: number;
      readonly startedAt: Date;
      readonly endedAt: Date;
      readonly authors: HistoryAuthor[];
      readonly restoredFrom: number | null;
    }
  | {
      readonly kind: 'named';
      readonly version: number;
      readonly name: string;
      /** The commit time of the named version (the document's creation for version 0). */
      readonly createdAt: Date;
      readonly namedBy: HistoryAuthor | null;
    };

interface SessionRow {
  from_version: string;
  to_version: string;
  kind: 'session' | 'restore';
  started_at: Date;
  ended_at: Date;
  author_ids: string[];
  restored_from: string | null;
}

/**
 * A page of the history as editing sessions, restores and named versions,
 * newest first: sessions and restores starting below `before` (all when
 * omitted), named versions below it, at most `limit` entries. Sessions and
 * restores partition versions 1..head; named versions are markers inside
 * them.
 *
 * Reads the session state stored with the newest snapshot, folds the
 * operations after it (their metadata only: a snapshot interval while the
 * worker keeps up), and takes older sessions from `history_sessions`: the
 * cost is bounded by the page, not by the log.
 */
export async function listHistoryEntries(
  manager: EntityManager,
  documentId: string,
  page: { before?: number; limit: number },
): Promise<HistoryEntry[]> {
  if (!Number.isSafeInteger(page.limit) || page.limit < 1) {
    throw new RangeError(`limit must be >= 1, got ${page.limit}`);
  }
  const before = page.before ?? Number.MAX_SAFE_INTEGER;
  const bases: { version: string; session_state: SessionState }[] = await manager.query(
    `SELECT version, session_state FROM snapshot_attributions WHERE document_id = $1 ORDER BY version DESC LIMIT 1`,
    [documentId],
  );
  const baseVersion = bases[0] ? bigintToNumber(bases[0].version) : 0;
  const state = bases[0]?.session_state ?? INITIAL_SESSION_STATE;
  const tail: { version: string; user_id: string; created_at: Date; restored_from: string | null }[] =
    await manager.query(
      `SELECT version, user_id, created_at, restored_from FROM operations
        WHERE document_id = $1 AND version > $2 ORDER BY version`,
      [documentId, baseVersion],
    );
  const folded = sessionsOf(
    foldSessions(
      state,
      tail.map((row): SessionOperation => ({
        version: bigintToNumber(row.version),
        userId: row.user_id,
        time: row.created_at.getTime(),
        restoredFrom: row.restored_from === null ? null : bigintToNumber(row.restored_from),
      })),
    ),
  );
  // Rows from the cut on are refolded above (the open session may have grown since).
  const cut = state.open?.fromVersion ?? baseVersion + 1;
  const [stored, named]: [
    SessionRow[],
    { version: string; name: string; created_by: string; created_at: Date }[],
  ] = await Promise.all([
    manager.query(
      `SELECT from_version, to_version, kind, started_at, ended_at, author_ids, restored_from
           FROM history_sessions WHERE document_id = $1 AND from_version < $2
          ORDER BY from_version DESC LIMIT $3`,
      [documentId, Math.min(cut, before), page.limit],
    ),
    manager.query(
      `SELECT n.version, n.name, n.created_by, COALESCE(o.created_at, d.created_at) AS created_at
           FROM named_versions n
           JOIN documents d ON d.id = n.document_id
           LEFT JOIN operations o ON o.document_id = n.document_id AND o.version = n.version
          WHERE n.document_id = $1 AND n.version < $2
          ORDER BY n.version DESC LIMIT $3`,
      [documentId, before, page.limit],
    ),
  ]);
  const sessions: EditingSession[] = [
    ...folded.filter((s) => s.fromVersion < before).reverse(),
    ...stored.map((row) => ({
      kind: row.kind,
      fromVersion: bigintToNumber(row.from_version),
      toVersion: bigintToNumber(row.to_version),
      startedAt: row.started_at.getTime(),
      endedAt: row.ended_at.getTime(),
      authorIds: row.author_ids,
      restoredFrom: row.restored_from === null ? null : bigintToNumber(row.restored_from),
    })),
  ];
  // Newest first; a name at a session's first version is listed above that session.
  type Keyed = { key: number; named: boolean; session?: EditingSession; name?: (typeof named)[number] };
  const keyed: Keyed[] = [
    ...sessions.map((session) => ({ key: session.fromVersion, named: false, session })),
    ...named.map((name) => ({ key: bigintToNumber(name.version), named: true, name })),
  ]
    .sort((a, b) => b.key - a.key || Number(b.named) - Number(a.named))
    .slice(0, page.limit);

  const userIds = new Set<string>();
  for (const k of keyed) {
    k.session?.authorIds.forEach((id) => userIds.add(id));
    if (k.name) userIds.add(k.name.created_by);
  }
  const users = new Map<string, HistoryAuthor>();
  if (userIds.size > 0) {
    const rows: { id: string; name: string; color: string }[] = await manager.query(
      'SELECT id, name, color FROM users WHERE id = ANY($1::uuid[])',
      [[...userIds]],
    );
    for (const row of rows) users.set(row.id, { userId: row.id, name: row.name, color: row.color });
  }
  const author = (id: string) => users.get(id) ?? { userId: id, name: 'Unknown', color: '#888888' };
  return keyed.map((k): HistoryEntry => {
    if (k.session) {
      const s = k.session;
      return {
        kind: s.kind,
        fromVersion: s.fromVersion,
        toVersion: s.toVersion,
        startedAt: new Date(s.startedAt),
        endedAt: new Date(s.endedAt),
        authors: s.authorIds.map(author),
        restoredFrom: s.restoredFrom,
      };
    }
    const n = k.name as (typeof named)[number];
    return {
      kind: 'named',
      version: bigintToNumber(n.version),
      name: n.name,
      createdAt: n.created_at,
      namedBy: users.get(n.created_by) ?? null,
    };
  });
}
