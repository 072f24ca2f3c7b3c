import fc from 'fast-check';
import {
  type EditingSession,
  foldSessions,
  INITIAL_SESSION_STATE,
  SESSION_GAP_MS,
  type SessionOperation,
  sessionsOf,
} from './sessions';

const MINUTE = 60_000;

function log(entries: [user: string, minute: number, restoredFrom?: number][]): SessionOperation[] {
  return entries.map(([userId, minute, restoredFrom], i) => ({
    version: i + 1,
    userId,
    time: minute * MINUTE,
    restoredFrom: restoredFrom ?? null,
  }));
}

const ranges = (sessions: EditingSession[]) =>
  sessions.map((s) => [s.kind, s.fromVersion, s.toVersion, s.authorIds.join('+')]);

const operationsArbitrary = fc
  .array(
    fc.record({
      user: fc.constantFrom('ada', 'bruno', 'chen'),
      gap: fc.oneof(fc.integer({ min: 0, max: MINUTE }), fc.integer({ min: 4 * MINUTE, max: 20 * MINUTE })),
      restore: fc.integer({ min: 0, max: 20 }),
    }),
    { maxLength: 80 },
  )
  .map((seeds) => {
    let time = 0;
    return seeds.map((s, i): SessionOperation => {
      time += s.gap;
      return { version: i + 1, userId: s.user, time, restoredFrom: s.restore === 0 && i > 0 ? i - 1 : null };
    });
  });

describe('editing sessions', () => {
  it('splits on a pause, on someone joining or leaving, and around a restore', () => {
    const operations = log([
      ['ada', 0],
      ['ada', 2],
      ['ada', 10], // a pause of 8 minutes
      ['bruno', 11], // bruno joins
      ['ada', 12],
      ['bruno', 13],
      ['ada', 19], // bruno silent for 6 minutes: he left
      ['ada', 20, 3], // a restore
      ['ada', 21],
    ]);
    expect(ranges(sessionsOf(foldSessions(INITIAL_SESSION_STATE, operations)))).toEqual([
      ['session', 1, 2, 'ada'],
      ['session', 3, 3, 'ada'],
      ['session', 4, 6, 'bruno+ada'],
      ['session', 7, 7, 'ada'],
      ['restore', 8, 8, 'ada'],
      ['session', 9, 9, 'ada'],
    ]);
    expect(SESSION_GAP_MS).toBe(5 * MINUTE);
  });

  it('partitions the versions, and a stored state plus the tail folds like the whole log', () => {
    fc.assert(
      fc.property(operationsArbitrary, fc.nat(), (operations, cut) => {
        const whole = sessionsOf(foldSessions(INITIAL_SESSION_STATE, operations));
        let next = 1;
        for (const session of whole) {
          expect(session.fromVersion).toBe(next);
          expect(session.toVersion).toBeGreaterThanOrEqual(session.fromVersion);
          const inside = operations.slice(session.fromVersion - 1, session.toVersion);
          expect([...new Set(inside.map((o) => o.userId))].sort()).toEqual([...session.authorIds].sort());
          expect(session.startedAt).toBe(inside[0].time);
          expect(session.endedAt).toBe(inside[inside.length - 1].time);
          if (session.kind === 'restore') expect(inside[0].restoredFrom).not.toBeNull();
          else expect(inside.every((o) => o.restoredFrom === null)).toBe(true);
          for (let i = 1; i < inside.length; i++) {
            expect(inside[i].time - inside[i - 1].time).toBeLessThanOrEqual(SESSION_GAP_MS);
          }
          next = session.toVersion + 1;
        }
        expect(next).toBe(operations.length + 1);

        const at = operations.length === 0 ? 0 : cut % operations.length;
        const first = foldSessions(INITIAL_SESSION_STATE, operations.slice(0, at));
        const stored = JSON.parse(JSON.stringify(first.state)) as typeof first.state;
        const rest = foldSessions(stored, operations.slice(at));
        expect([...first.closed, ...sessionsOf(rest)]).toEqual(whole);
      }),
      { numRuns: 300 },
    );
  });
});
