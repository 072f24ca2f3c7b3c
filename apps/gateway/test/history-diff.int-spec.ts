import { seededRandom } from '@collab/testing';
import {
  DocumentAttribution,
  MAX_DIFF_SPAN,
  VersionDiff,
  VersionList,
  type DiffChange,
  type HistoryEntry,
} from '@collab/contracts';
import {
  historyStateAtVersion,
  insertOperations,
  insertSnapshotIfAbsent,
  type NewOperation,
  storeHistoryState,
} from '@collab/persistence';
import Delta from 'quill-delta';
import { GatewayHarness, type RunningGateway } from './harness';

jest.setTimeout(90_000);

const COUNT = 130;
const MINUTE = 60_000;

let h: GatewayHarness;
let gw: RunningGateway;
let ada: string;
let bruno: string;
let stranger: string;
let docId: string;
/** The document, and the author of each of its characters (naive replay), at each version. */
const contents: Delta[] = [new Delta([{ insert: '\n' }])];
const authors: (string | null)[][] = [[null]];
/** Each character's id at each version (its rank among all inserted), and who deleted each id. */
const ids: number[][] = [[0]];
const deleters = new Map<number, string>();

/** Seeded edits by two people with a ten-minute pause now and then; returns the commit times. */
function seedLog(): { rows: NewOperation[]; times: number[] } {
  const random = seededRandom(17);
  const rows: NewOperation[] = [];
  const times: number[] = [];
  let time = Date.UTC(2025, 0, 1);
  let who = 0;
  let newId = 1;
  for (let version = 1; version <= COUNT; version++) {
    if (random(25) === 0) who = 1 - who;
    time += random(20) === 0 ? 10 * MINUTE : 2000;
    const doc = contents[version - 1];
    const length = doc.length();
    const at = random(length);
    const userId = who === 0 ? ada : bruno;
    let op: Delta;
    const kind = random(5);
    if (kind === 0 && at < length - 1)
      op = new Delta().retain(at).delete(1 + random(Math.min(4, length - 1 - at)));
    else if (kind === 1 && at < length - 1)
      op = new Delta().retain(at).retain(1, { bold: random(2) ? true : null });
    else op = new Delta().retain(at).insert('ab'.slice(random(2)), random(3) ? undefined : { italic: true });
    const next = [...authors[version - 1]];
    const nextIds = [...ids[version - 1]];
    let position = 0;
    for (const c of op.ops) {
      if (typeof c.insert === 'string') {
        next.splice(position, 0, ...Array<string>(c.insert.length).fill(userId));
        nextIds.splice(position, 0, ...Array.from({ length: c.insert.length }, (_, i) => newId + i));
        newId += c.insert.length;
        position += c.insert.length;
      } else if (c.delete) {
        next.splice(position, c.delete);
        for (const id of nextIds.splice(position, c.delete)) deleters.set(id, userId);
      } else position += c.retain as number;
    }
    ids.push(nextIds);
    contents.push(doc.compose(op));
    authors.push(next);
    times.push(time);
    rows.push({
      documentId: docId,
      version,
      delta: op.ops as NewOperation['delta'],
      userId,
      clientId: `seed-${who}`,
      seq: version,
      submissionHash: `h${version}`,
    });
  }
  return { rows, times };
}

beforeAll(async () => {
  h = await GatewayHarness.create('gw_history_diff');
  gw = await h.startGateway();
  ada = await h.createUser('Ada');
  bruno = await h.createUser('Bruno');
  stranger = await h.createUser('Dee');
  docId = await h.createDocument(ada);
  await h.addMember(docId, bruno, 'viewer');
  const { rows, times } = seedLog();
  await insertOperations(h.dataSource.manager, rows);
  await h.dataSource.query(
    `UPDATE operations o SET created_at = to_timestamp(t.ms / 1000.0)
       FROM unnest($2::double precision[]) WITH ORDINALITY AS t(ms, version)
      WHERE o.document_id = $1 AND o.version = t.version`,
    [docId, times],
  );
  // What the snapshot worker stores at 50 and 100: reads then start there and fold the tail.
  for (const version of [50, 100]) {
    const state = await historyStateAtVersion(h.dataSource.manager, docId, version);
    await insertSnapshotIfAbsent(h.dataSource.manager, {
      documentId: docId,
      version,
      delta: state.content,
      html: '<p></p>',
      text: '',
    });
    await storeHistoryState(h.dataSource.manager, docId, state);
  }
});

afterAll(async () => {
  await h?.close();
});

const get = <T>(path: string, user: string = bruno) => h.api<T>(gw, 'GET', path, { token: h.token(user) });

function expectError(res: { status: number; body: unknown }, status: number, code: string, reason?: string) {
  const error = (res.body as { error?: { code?: string; details?: { reason?: string } } }).error;
  expect({ status: res.status, code: error?.code, reason: error?.details?.reason }).toEqual({
    status,
    code,
    reason,
  });
}

const sorted = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );

describe('GET /documents/:docId/diff', () => {
  it.each([
    [0, COUNT],
    [10, 45],
    [50, 100],
    [37, 121],
    [100, 100],
    [99, 130],
  ])('from %i to %i: the ops turn one version into the other, each run with its author', async (from, to) => {
    const res = await get<VersionDiff>(`/documents/${docId}/diff?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    const diff = VersionDiff.parse(res.body);
    expect(sorted(contents[from].compose(new Delta(diff.ops)).ops)).toBe(sorted(contents[to].ops));
    let inOld = 0;
    let inNew = 0;
    (diff.ops as Delta['ops']).forEach((op, i) => {
      const change: DiffChange = diff.changes[i];
      if (op.insert !== undefined) {
        const n = typeof op.insert === 'string' ? op.insert.length : 1;
        expect(change.kind).toBe('insert');
        if (change.kind === 'insert')
          for (let c = 0; c < n; c++) expect(authors[to][inNew + c]).toBe(change.author);
        inNew += n;
      } else if (op.delete !== undefined) {
        expect(change.kind).toBe('delete');
        if (change.kind === 'delete') {
          for (let c = 0; c < op.delete; c++) {
            expect(authors[from][inOld + c]).toBe(change.author);
            expect(deleters.get(ids[from][inOld + c])).toBe(change.deletedBy);
          }
          expect(new Delta(change.deleted)).toEqual(contents[from].slice(inOld, inOld + op.delete));
        }
        inOld += op.delete;
      } else {
        inOld += op.retain as number;
        inNew += op.retain as number;
      }
    });
    const mentioned = new Set(
      diff.changes.flatMap((c) => [
        ...('author' in c && c.author ? [c.author] : []),
        ...(c.kind === 'delete' && c.deletedBy ? [c.deletedBy] : []),
      ]),
    );
    expect(diff.authors.map((a) => a.userId).sort()).toEqual([...mentioned].sort());
  });

  it('refuses bad input with a code, and changes nothing', async () => {
    const before = await h.storedOps(docId);
    expectError(await get(`/documents/${docId}/diff?from=3&to=${COUNT + 1}`), 404, 'NOT_FOUND');
    expectError(await get(`/documents/${docId}/diff?from=9&to=3`), 400, 'BAD_REQUEST', 'FROM_AFTER_TO');
    const tooLong = await get(`/documents/${docId}/diff?from=0&to=${MAX_DIFF_SPAN + 1}`);
    expectError(tooLong, 400, 'SPAN_TOO_LARGE');
    expect((tooLong.body as { error: { details?: unknown } }).error.details).toEqual({
      maxSpan: MAX_DIFF_SPAN,
    });
    for (const query of [
      'from=1',
      'to=1',
      'from=-1&to=2',
      'from=a&to=2',
      'from=1&to=2&x=1',
      'from=1.5&to=2',
    ]) {
      expectError(await get(`/documents/${docId}/diff?${query}`), 400, 'BAD_REQUEST');
    }
    // A foreign document is NOT_FOUND before anything else is looked at.
    expectError(await get(`/documents/${docId}/diff?from=9&to=3`, stranger), 404, 'NOT_FOUND');
    expect(await h.storedOps(docId)).toEqual(before);
  });
});

describe('GET /documents/:docId/attribution', () => {
  it.each([0, 1, 49, 50, 77, 100, COUNT])(
    'at version %i the runs cover the document and name who inserted each character',
    async (version) => {
      const res = await get<DocumentAttribution>(`/documents/${docId}/attribution?version=${version}`);
      expect(res.status).toBe(200);
      const attribution = DocumentAttribution.parse(res.body);
      expect(attribution.length).toBe(contents[version].length());
      let at = 0;
      for (const run of attribution.runs) {
        expect(run.from).toBe(at);
        expect(run.to).toBeGreaterThan(run.from);
        for (let c = run.from; c < run.to; c++) expect(run.userId).toBe(authors[version][c]);
        at = run.to;
      }
      expect(at).toBe(attribution.length);
    },
  );

  it('answers the head when no version is named, and refuses versions above it', async () => {
    const head = await get<DocumentAttribution>(`/documents/${docId}/attribution`);
    expect(head.body.version).toBe(COUNT);
    expect(head.body.authors.map((a) => a.name).sort()).toEqual(
      [...new Set(authors[COUNT].filter((a) => a !== null))]
        .map((id) => (id === ada ? 'Ada' : 'Bruno'))
        .sort(),
    );
    expectError(await get(`/documents/${docId}/attribution?version=${COUNT + 1}`), 404, 'NOT_FOUND');
    expectError(await get(`/documents/${docId}/attribution?version=x`), 400, 'BAD_REQUEST');
    expectError(await get(`/documents/${docId}/attribution`, stranger), 404, 'NOT_FOUND');
  });
});

describe('GET /documents/:docId/versions: sessions', () => {
  it('lists sessions that partition the versions, the same on every page', async () => {
    const res = await get<VersionList>(`/documents/${docId}/versions`);
    expect(res.status).toBe(200);
    const list = VersionList.parse(res.body);
    const sessions = list.entries.filter(
      (e): e is Extract<HistoryEntry, { kind: 'session' }> => e.kind === 'session',
    );
    expect(sessions.length).toBeGreaterThan(3);
    // Newest first, contiguous, from the head down to version 1.
    let next = COUNT;
    for (const session of sessions) {
      expect(session.toVersion).toBe(next);
      expect(session.fromVersion).toBeLessThanOrEqual(session.toVersion);
      expect(Date.parse(session.endedAt)).toBeGreaterThanOrEqual(Date.parse(session.startedAt));
      const writers = new Set<string>();
      for (let v = session.fromVersion; v <= session.toVersion; v++) {
        const row = (await h.dataSource.query(
          'SELECT user_id FROM operations WHERE document_id = $1 AND version = $2',
          [docId, v],
        )) as { user_id: string }[];
        writers.add(row[0].user_id);
      }
      expect(session.authors.map((a) => a.userId).sort()).toEqual([...writers].sort());
      next = session.fromVersion - 1;
    }
    expect(next).toBe(0);

    // Page by page (two entries each), the same entries.
    const paged: HistoryEntry[] = [];
    let before: number | undefined;
    for (;;) {
      const page = await get<VersionList>(
        `/documents/${docId}/versions?limit=2${before === undefined ? '' : `&before=${before}`}`,
      );
      if (page.body.entries.length === 0) break;
      paged.push(...page.body.entries);
      const last = page.body.entries[page.body.entries.length - 1];
      before = last.kind === 'session' || last.kind === 'restore' ? last.fromVersion : last.version;
    }
    expect(paged).toEqual(list.entries);
  });
});
