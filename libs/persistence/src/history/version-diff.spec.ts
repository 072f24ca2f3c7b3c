import fc from 'fast-check';
import Delta from 'quill-delta';
import { buildLog, CREATED_AT, editSeed } from '../../test/history-log';
import {
  type Attribution,
  ATTRIBUTION_TIME_STEP_MS,
  foldAttribution,
  initialAttribution,
} from './attribution';
import { diffVersions } from './version-diff';

/** Attribution after each version of a log (index = version). */
function attributions(operations: Parameters<typeof foldAttribution>[1] & unknown[]): Attribution[] {
  const all = [initialAttribution(CREATED_AT)];
  for (const operation of operations) all.push(foldAttribution(all[all.length - 1], [operation]));
  return all;
}

const sorted = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );

describe('diffVersions', () => {
  it('marks an insertion with its author and a deletion with the deleted text', () => {
    const operations = [
      { delta: [{ insert: 'hello' }], userId: 'ada', time: 1 },
      {
        delta: [{ retain: 1 }, { delete: 3 }, { insert: 'ELL', attributes: { bold: true } }],
        userId: 'bruno',
        time: 2,
      },
      { delta: [{ retain: 5 }, { retain: 1, attributes: { italic: true } }], userId: 'bruno', time: 3 },
    ];
    const states = attributions(operations);
    const contents = [new Delta([{ insert: '\n' }])];
    for (const o of operations) contents.push(contents[contents.length - 1].compose(new Delta(o.delta)));
    const diff = diffVersions(
      { content: contents[1].ops, attribution: states[1] },
      { content: contents[3].ops, attribution: states[3] },
    );
    expect(diff.ops).toEqual([
      { retain: 1 },
      { insert: 'ELL', attributes: { bold: true } },
      { delete: 3 },
      { retain: 1 },
      { retain: 1, attributes: { italic: true } },
    ]);
    expect(diff.changes).toEqual([
      { kind: 'retain' },
      { kind: 'insert', userId: 'bruno', time: 2 },
      {
        kind: 'delete',
        userId: 'ada',
        time: 1,
        deletedBy: 'bruno',
        deletedTime: 2,
        deleted: [{ insert: 'ell' }],
      },
      { kind: 'retain' },
      { kind: 'format' },
    ]);
  });

  it('turns version A into version B, with the authors of the replayed log', () => {
    fc.assert(
      fc.property(fc.array(editSeed, { maxLength: 50 }), fc.nat(), fc.nat(), (seeds, a, b) => {
        const log = buildLog(seeds);
        const states = attributions(log.operations);
        const versions = log.contents.length;
        const [from, to] = [a % versions, b % versions].sort((x, y) => x - y);
        const diff = diffVersions(
          { content: log.contents[from], attribution: states[from] },
          { content: log.contents[to], attribution: states[to] },
        );
        expect(diff.changes).toHaveLength(diff.ops.length);
        const applied = new Delta(log.contents[from]).compose(new Delta(diff.ops));
        expect(sorted(applied.ops)).toBe(sorted(log.contents[to]));

        // Each insertion's author is the author of those characters in B, each deletion's in A,
        // and each deleted character's deleter is the author of the operation (after A) that deleted it.
        let inA = 0;
        let inB = 0;
        diff.ops.forEach((op, i) => {
          const change = diff.changes[i];
          if (op.insert !== undefined) {
            const n = typeof op.insert === 'string' ? op.insert.length : 1;
            if (change.kind !== 'insert') throw new Error(`op ${i} is an insert marked ${change.kind}`);
            for (let c = inB; c < inB + n; c++) expect(log.authors[to][c]).toBe(change.userId);
            inB += n;
          } else if (op.delete !== undefined) {
            if (change.kind !== 'delete') throw new Error(`op ${i} is a delete marked ${change.kind}`);
            for (let c = inA; c < inA + op.delete; c++) {
              expect(log.authors[from][c]).toBe(change.userId);
              const deleted = log.deletions.get(log.ids[from][c]);
              expect(deleted && deleted.version > from && deleted.version <= to).toBe(true);
              expect(deleted?.userId).toBe(change.deletedBy);
              // The run's time is its first deletion's; the others came at most a time step later.
              const late = deleted!.time - change.deletedTime!;
              expect(late >= 0 && late <= ATTRIBUTION_TIME_STEP_MS).toBe(true);
            }
            expect(new Delta(change.deleted).length()).toBe(op.delete);
            inA += op.delete;
          } else {
            const n = op.retain as number;
            expect(change.kind).toBe(op.attributes ? 'format' : 'retain');
            inA += n;
            inB += n;
          }
        });
        if (from === to) expect(diff.ops).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
