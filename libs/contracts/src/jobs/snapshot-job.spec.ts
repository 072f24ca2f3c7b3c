import fc from 'fast-check';
import { DOC_ID, expectAccepted, expectRejected } from '../../test/expect-parse';
import {
  JobName,
  QueueName,
  SNAPSHOT_EVERY_VERSIONS,
  SnapshotJobData,
  queueName,
  snapshotJobId,
} from './snapshot-job';

describe('snapshotJobId', () => {
  it('is stable and readable', () => {
    expect(snapshotJobId(DOC_ID, 50)).toBe(`snapshot-${DOC_ID}-50`);
    expect(snapshotJobId(DOC_ID, 50)).toBe(snapshotJobId(DOC_ID, 50));
    expect(snapshotJobId(DOC_ID.toUpperCase(), 50)).toBe(snapshotJobId(DOC_ID, 50));
  });

  it('is what BullMQ accepts: no colon, not an integer', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (docId, version) => {
        const id = snapshotJobId(docId, version);
        expect(id).not.toContain(':');
        expect(`${parseInt(id, 10)}`).not.toBe(id);
      }),
    );
  });

  it('is collision-free: different (docId, version) give different ids, each the pair spelled out', () => {
    fc.assert(
      fc.property(
        fc.uuid(),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        fc.uuid(),
        fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
        (docA, versionA, docB, versionB) => {
          const same = docA.toLowerCase() === docB.toLowerCase() && versionA === versionB;
          expect(snapshotJobId(docA, versionA) === snapshotJobId(docB, versionB)).toBe(same);
          expect(snapshotJobId(docA, versionA)).toBe(`snapshot-${docA.toLowerCase()}-${versionA}`);
        },
      ),
      { numRuns: 500 },
    );
    // Neighbours that a naive concatenation could confuse.
    const ids = new Set([1, 10, 11, 101, 110].map((version) => snapshotJobId(DOC_ID, version)));
    expect(ids.size).toBe(5);
  });

  it('refuses ids and versions that cannot be snapshots', () => {
    expect(() => snapshotJobId(DOC_ID, 0)).toThrow(RangeError);
    expect(() => snapshotJobId(DOC_ID, 1.5)).toThrow(RangeError);
    expect(() => snapshotJobId(DOC_ID, 2 ** 53)).toThrow(RangeError);
    expect(() => snapshotJobId('doc:1', 5)).toThrow(RangeError);
  });
});

describe('queues and payloads', () => {
  it('names queues with an optional per-test suffix, never with a colon', () => {
    expect(QueueName.Snapshots).toBe('snapshots');
    expect(JobName.Snapshot).toBe('snapshot');
    expect(SNAPSHOT_EVERY_VERSIONS).toBe(50);
    expect(queueName(QueueName.Snapshots)).toBe('snapshots');
    expect(queueName(QueueName.Snapshots, '')).toBe('snapshots');
    expect(queueName(QueueName.Snapshots, 'w1_a')).toBe('snapshots-w1_a');
    for (const suffix of ['a:b', 'a b', 'x'.repeat(65)]) {
      expect(() => queueName(QueueName.Snapshots, suffix)).toThrow(/Invalid queue name suffix/);
    }
  });

  it('validates the snapshot job payload', () => {
    expectAccepted(SnapshotJobData, { docId: DOC_ID, version: 50 });
    expectAccepted(SnapshotJobData, { docId: DOC_ID, version: 50, correlationId: 'c-1' });
    expectRejected(SnapshotJobData, { docId: DOC_ID }, { path: 'version' });
    expectRejected(SnapshotJobData, { docId: DOC_ID, version: 0 }, { path: 'version' });
    expectRejected(SnapshotJobData, { docId: DOC_ID, version: 5.5 }, { path: 'version' });
    expectRejected(SnapshotJobData, { docId: 'x', version: 5 }, { path: 'docId' });
    expectRejected(SnapshotJobData, null, { path: '(root)' });
  });
});
