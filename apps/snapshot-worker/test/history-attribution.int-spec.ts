import {
  createDataSource,
  decodeDeletions,
  decodeSegments,
  foldAttribution,
  foldSessions,
  initialAttribution,
  INITIAL_SESSION_STATE,
  insertSnapshotIfAbsent,
  loadOperationsAfter,
  type NewOperation,
  runMigrations,
  sessionsOf,
  type StoredSegments,
} from '@collab/persistence';
import {
  createDocument,
  createTestDatabase,
  createUser,
  seededRandom,
  type TestDatabase,
} from '@collab/testing';
import Delta from 'quill-delta';
import type { DataSource } from 'typeorm';
import { SnapshotBuilder } from '../src/snapshots/snapshot-builder';
import { insertInBatches, operationRow } from './operation-rows';

jest.setTimeout(60_000);

let db: TestDatabase;
let dataSource: DataSource;
const users: string[] = [];

beforeAll(async () => {
  db = await createTestDatabase('snapshot-worker-history');
  dataSource = await createDataSource({ url: db.url, poolSize: 4 }).initialize();
  await runMigrations(dataSource);
  for (const name of ['Ada', 'Bruno']) users.push(await createUser(dataSource, name));
});

afterAll(async () => {
  await dataSource?.destroy();
  await db?.drop();
});

/**
 * `count` seeded random edits by two users, committed with times that have
 * pauses of ten minutes now and then (so the log has several sessions).
 */
async function writeLog(count: number, seed: number): Promise<{ docId: string; contents: Delta[] }> {
  const docId = await createDocument(dataSource, users[0]);
  const random = seededRandom(seed);
  let doc = new Delta([{ insert: '\n' }]);
  const contents = [doc];
  const rows: NewOperation[] = [];
  const times: number[] = [];
  let time = Date.UTC(2025, 0, 1);
  let author = 0;
  for (let version = 1; version <= count; version++) {
    if (random(20) === 0) author = 1 - author;
    time += random(15) === 0 ? 10 * 60_000 : 1000;
    const length = doc.length();
    const at = random(length);
    // Never the final newline: every document keeps one.
    const op =
      at < length - 1 && random(3) === 0
        ? new Delta().retain(at).delete(1 + random(Math.min(3, length - 1 - at)))
        : new Delta().retain(at).insert('xyz'.slice(random(3)), random(4) ? undefined : { bold: true });
    doc = doc.compose(op);
    contents.push(doc);
    times.push(time);
    rows.push(operationRow(docId, version, op, users[author], `c${author}`));
  }
  await insertInBatches(dataSource.manager, rows);
  await dataSource.query(
    `UPDATE operations o SET created_at = to_timestamp(t.ms / 1000.0)
       FROM unnest($2::double precision[]) WITH ORDINALITY AS t(ms, version)
      WHERE o.document_id = $1 AND o.version = t.version`,
    [docId, times],
  );
  return { docId, contents };
}

async function logOf(docId: string) {
  const operations = await loadOperationsAfter(dataSource.manager, docId, 0, 100_000);
  const [{ created_at }]: { created_at: Date }[] = await dataSource.query(
    'SELECT created_at FROM documents WHERE id = $1',
    [docId],
  );
  return { operations, createdAt: created_at.getTime() };
}

describe('snapshot worker: attribution and sessions', () => {
  it('stores with each snapshot the attribution and sessions a replay of the log gives, whatever the job order', async () => {
    const { docId, contents } = await writeLog(300, 5);
    const builder = new SnapshotBuilder(dataSource, 37);
    // Late and repeated jobs: 300 first (folded from version 0), then the others, then all again.
    const order = [300, 100, 50, 250, 150, 200];
    for (const version of order) expect(await builder.build(docId, version)).toBe('created');
    for (const version of order) expect(await builder.build(docId, version)).toBe('existed');

    const { operations, createdAt } = await logOf(docId);
    const rows: { version: string; inserted_chars: string; segments: StoredSegments }[] =
      await dataSource.query(
        'SELECT version, inserted_chars, segments FROM snapshot_attributions WHERE document_id = $1 ORDER BY version',
        [docId],
      );
    expect(rows.map((r) => Number(r.version))).toEqual([50, 100, 150, 200, 250, 300]);
    for (const row of rows) {
      const version = Number(row.version);
      const replay = foldAttribution(
        initialAttribution(createdAt),
        operations
          .slice(0, version)
          .map((o) => ({ delta: o.delta, userId: o.userId, time: o.createdAt.getTime() })),
      );
      expect({
        inserted: Number(row.inserted_chars),
        segments: decodeSegments(row.segments),
        deletions: decodeDeletions(row.segments),
      }).toEqual(replay);
      expect(replay.segments.reduce((n, s) => n + s.length, 0)).toBe(contents[version].length());
    }

    const sessions: { from_version: string; to_version: string; kind: string; author_ids: string[] }[] =
      await dataSource.query(
        `SELECT from_version, to_version, kind, author_ids FROM history_sessions
          WHERE document_id = $1 ORDER BY from_version`,
        [docId],
      );
    const expected = sessionsOf(
      foldSessions(
        INITIAL_SESSION_STATE,
        operations.map((o) => ({
          version: o.version,
          userId: o.userId,
          time: o.createdAt.getTime(),
          restoredFrom: o.restoredFrom ?? null,
        })),
      ),
    );
    expect(expected.length).toBeGreaterThan(3);
    expect(
      sessions.map((s) => ({
        from: Number(s.from_version),
        to: Number(s.to_version),
        authors: s.author_ids,
      })),
    ).toEqual(expected.map((s) => ({ from: s.fromVersion, to: s.toVersion, authors: [...s.authorIds] })));
  });

  it('adds the attribution to a snapshot made before attribution existed', async () => {
    const { docId, contents } = await writeLog(100, 11);
    await insertSnapshotIfAbsent(dataSource.manager, {
      documentId: docId,
      version: 50,
      delta: contents[50].ops as NewOperation['delta'],
      html: '<p>old</p>',
      text: 'old',
    });
    const builder = new SnapshotBuilder(dataSource, 1000);
    expect(await builder.build(docId, 50)).toBe('existed');
    expect(await builder.build(docId, 100)).toBe('created');
    const rows: { version: string; html: string }[] = await dataSource.query(
      `SELECT a.version, s.html FROM snapshot_attributions a JOIN snapshots s USING (document_id, version)
        WHERE a.document_id = $1 ORDER BY a.version`,
      [docId],
    );
    // The old snapshot itself is left as it was.
    expect(rows.map((r) => [Number(r.version), r.html === '<p>old</p>'])).toEqual([
      [50, true],
      [100, false],
    ]);
  });
});
