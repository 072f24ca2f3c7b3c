import { until } from '@collab/testing';
import { GatewayHarness } from '../harness';
import { expectConvergedExactlyOnce, seeded, Typist } from './chaos-kit';
import { type GatewaySlot, SoakFaults } from './soak-faults';

/**
 * Issue 7: a seeded randomized soak. Clients type into a few documents
 * through 2 gateways (own processes) and 2-3 doc-services while gateways and
 * doc-services are killed (SIGKILL) or stopped (SIGTERM) and restarted, and
 * clients drop and reconnect, all drawn from one seeded PRNG. It ends with
 * the invariant of every chaos test: every client holds the same content,
 * equal to a replay of the operations table; each acknowledged (clientId,
 * seq) is stored exactly once; versions are contiguous.
 *
 *   SOAK_SEED=123 replays a run's decisions; SOAK_SECONDS=600 soaks longer.
 */
const SEED = Number(process.env['SOAK_SEED'] ?? Date.now() % 1_000_000);
// Default: about 2 minutes in CI with setup and recovery; SOAK_SECONDS for longer.
const SOAK_SECONDS = Number(process.env['SOAK_SECONDS'] ?? 90);
const DOCS = 3;
const TYPISTS_PER_DOC = 2;
/** Setup, recovery, convergence and shutdown on a loaded 2-core machine, on top of the soak itself. */
jest.setTimeout(SOAK_SECONDS * 1000 + 240_000);

let h: GatewayHarness;
const typists: Typist[] = [];

beforeAll(async () => {
  console.log(`soak seed ${SEED}, ${SOAK_SECONDS} s (SOAK_SEED=${SEED} replays it)`);
  h = await GatewayHarness.create('chaos_soak');
  for (let i = 0; i < 3; i++) await h.startDocService();
});

afterAll(async () => {
  for (const t of typists) t.close();
  await h?.close();
});

it('converges exactly once after random kills, restarts and reconnects', async () => {
  const random = seeded(SEED);
  const slots: GatewaySlot[] = [];
  for (let i = 0; i < 2; i++) {
    const proc = await h.startGatewayProcess();
    slots.push({ port: proc.port, proc });
  }
  await h.settle();

  const owner = await h.createUser('Owner');
  const docs: { docId: string; typists: Typist[] }[] = [];
  for (let d = 0; d < DOCS; d++) {
    const docId = await h.createDocument(owner);
    const own: Typist[] = [];
    for (let i = 0; i < TYPISTS_PER_DOC; i++) {
      // One user each: the per-user limits and socket counts are per person.
      const user = await h.createUser();
      await h.addMember(docId, user, 'editor');
      const slot = slots[(d + i) % slots.length];
      const tag = `d${d}t${i}`;
      const typist = h.track(
        new Typist(
          tag,
          { url: `http://127.0.0.1:${slot.port}` },
          () => h.token(user),
          docId,
          seeded(SEED + 1 + typists.length),
        ),
      );
      typists.push(typist);
      own.push(await typist.open());
    }
    docs.push({ docId, typists: own });
  }
  for (const t of typists) t.start(60 + Math.floor(random() * 100));

  const faults = new SoakFaults(h, random, slots, typists, { minDocServices: 2, maxDocServices: 3 });
  const endAt = Date.now() + SOAK_SECONDS * 1000;
  try {
    while (Date.now() < endAt) {
      await new Promise((r) => setTimeout(r, 300 + random() * 1700));
      await faults.step();
    }
    await faults.restoreAll();
    await h.settle();
    // Editing resumes on every document once everything is back.
    for (const { docId } of docs) {
      const head = (await h.storedOps(docId)).length;
      await until(async () => (await h.storedOps(docId)).length >= head + 10, {
        what: 'typing resumes',
        timeoutMs: 60_000,
      });
    }
  } finally {
    console.log(`soak seed ${SEED}, faults:\n${faults.log.join('\n')}`);
  }

  let versions = 0;
  try {
    for (const { docId, typists: own } of docs) {
      versions += (await expectConvergedExactlyOnce(h, docId, own, [], 90_000)).versions;
    }
  } catch (error) {
    // Which client is behind, and in what state, is the first thing a failing seed needs.
    const states = typists.map(
      (t) => `${t.tag}: ${t.doc.status}, version ${t.doc.version}, ${t.doc.pendingCount} pending`,
    );
    console.log(`soak seed ${SEED}, clients:\n${states.join('\n')}`);
    throw error;
  }
  // Nothing died that the soak did not kill.
  for (const p of [...h.docServices, ...h.gatewayProcesses]) {
    expect({ pid: p.child.pid, exitCode: p.child.exitCode, signal: p.child.signalCode }).toEqual({
      pid: p.child.pid,
      exitCode: null,
      signal: null,
    });
  }
  console.log(`soak seed ${SEED}: ${faults.log.length} faults, ${versions} operations, converged`);
});
