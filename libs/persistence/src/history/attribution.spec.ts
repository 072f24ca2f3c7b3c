import fc from 'fast-check';
import { buildLog, CREATED_AT, editSeed } from '../../test/history-log';
import {
  ATTRIBUTION_TIME_STEP_MS,
  type Attribution,
  authorRuns,
  deletionAtOrAfter,
  foldAttribution,
  initialAttribution,
} from './attribution';

const length = (attribution: Attribution) => attribution.segments.reduce((n, s) => n + s.length, 0);

describe('attribution fold', () => {
  it('starts with the lone newline, written by nobody', () => {
    expect(authorRuns(initialAttribution(CREATED_AT))).toEqual([
      { from: 0, to: 1, userId: null, time: CREATED_AT },
    ]);
  });

  it('keeps typing in one place as one segment, and formats change no author', () => {
    const attribution = foldAttribution(initialAttribution(0), [
      { delta: [{ insert: 'a' }], userId: 'ada', time: 1 },
      { delta: [{ retain: 1 }, { insert: 'b' }], userId: 'ada', time: 2 },
      { delta: [{ retain: 2 }, { insert: 'c' }], userId: 'ada', time: 3 },
      { delta: [{ retain: 1 }, { retain: 1, attributes: { bold: true } }], userId: 'bruno', time: 4 },
    ]);
    expect(attribution.segments).toEqual([
      { length: 3, id: 1, userId: 'ada', time: 1 },
      { length: 1, id: 0, userId: null, time: 0 },
    ]);
  });

  it('records who deleted what: backspacing and deleting forward are one segment each, per person', () => {
    const attribution = foldAttribution(initialAttribution(0), [
      { delta: [{ insert: 'abcdefgh' }], userId: 'ada', time: 1 },
      // Bruno backspaces "def" one character at a time, then deletes "a" forward twice.
      { delta: [{ retain: 5 }, { delete: 1 }], userId: 'bruno', time: 2 },
      { delta: [{ retain: 4 }, { delete: 1 }], userId: 'bruno', time: 3 },
      { delta: [{ retain: 3 }, { delete: 1 }], userId: 'bruno', time: 4 },
      { delta: [{ delete: 1 }], userId: 'bruno', time: 5 },
      { delta: [{ delete: 1 }], userId: 'bruno', time: 6 },
      // Ada deletes "h"; a minute and more later Bruno deletes "g", next to his "def".
      { delta: [{ retain: 2 }, { delete: 1 }], userId: 'ada', time: 7 },
      { delta: [{ retain: 1 }, { delete: 1 }], userId: 'bruno', time: 7 + ATTRIBUTION_TIME_STEP_MS },
    ]);
    expect(attribution.deletions).toEqual([
      { length: 2, id: 1, userId: 'bruno', time: 5 },
      { length: 3, id: 4, userId: 'bruno', time: 2 },
      { length: 1, id: 7, userId: 'bruno', time: 7 + ATTRIBUTION_TIME_STEP_MS },
      { length: 1, id: 8, userId: 'ada', time: 7 },
    ]);
    expect(deletionAtOrAfter(attribution.deletions, 5)).toEqual(attribution.deletions[1]);
    expect(deletionAtOrAfter(attribution.deletions, 3)).toEqual(attribution.deletions[1]);
    expect(deletionAtOrAfter(attribution.deletions, 9)).toBeUndefined();
  });

  it('joins a segment again when what split it is deleted', () => {
    const attribution = foldAttribution(initialAttribution(0), [
      { delta: [{ insert: 'abc' }], userId: 'ada', time: 1 },
      { delta: [{ retain: 1 }, { insert: 'X' }], userId: 'bruno', time: 2 },
      { delta: [{ retain: 1 }, { delete: 1 }], userId: 'bruno', time: 3 },
    ]);
    expect(attribution.segments).toEqual([
      { length: 3, id: 1, userId: 'ada', time: 1 },
      { length: 1, id: 0, userId: null, time: 0 },
    ]);
    expect(attribution.inserted).toBe(5);
  });

  it('gives every character the author of the operation that inserted it (replay of the log)', () => {
    fc.assert(
      fc.property(fc.array(editSeed, { maxLength: 60 }), (seeds) => {
        const log = buildLog(seeds);
        let attribution = initialAttribution(CREATED_AT);
        log.operations.forEach((operation, i) => {
          attribution = foldAttribution(attribution, [operation]);
          const runs = authorRuns(attribution);
          const authors = log.authors[i + 1];
          const times = log.times[i + 1];
          // The runs cover the document exactly, in order, none empty.
          expect(runs[0].from).toBe(0);
          expect(runs[runs.length - 1].to).toBe(authors.length);
          runs.forEach((run, r) => {
            expect(run.to).toBeGreaterThan(run.from);
            if (r > 0) expect(run.from).toBe(runs[r - 1].to);
            for (let c = run.from; c < run.to; c++) {
              expect(run.userId).toBe(authors[c]);
              expect(times[c]).toBeGreaterThanOrEqual(run.time);
              expect(times[c] - run.time).toBeLessThanOrEqual(2 * ATTRIBUTION_TIME_STEP_MS);
            }
          });
          expect(length(attribution)).toBe(authors.length);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('gives the same result from a snapshot plus the tail as from the whole log', () => {
    fc.assert(
      fc.property(fc.array(editSeed, { maxLength: 60 }), fc.nat(), (seeds, cut) => {
        const { operations } = buildLog(seeds);
        const at = operations.length === 0 ? 0 : cut % operations.length;
        const whole = foldAttribution(initialAttribution(CREATED_AT), operations);
        const snapshot = foldAttribution(initialAttribution(CREATED_AT), operations.slice(0, at));
        // Through JSON, as the snapshot is stored.
        const stored = JSON.parse(JSON.stringify(snapshot)) as Attribution;
        expect(foldAttribution(stored, operations.slice(at))).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });
});
