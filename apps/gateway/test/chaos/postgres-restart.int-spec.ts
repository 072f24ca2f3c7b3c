import { startPrivatePostgres, type PrivatePostgres, until } from '@collab/testing';
import { GatewayHarness, type RunningGateway } from '../harness';
import { AckRecorder, type Acked, expectConvergedExactlyOnce, openTypists } from './chaos-kit';

/**
 * Issue 7: PostgreSQL restarted under load. A private cluster (never the
 * shared server, which other runs use): operations stall while it is down,
 * nothing is acknowledged before it is durable, editing resumes by itself,
 * and an operation whose commit outcome was unknown is resolved by the
 * dedupe on (clientId, seq), not applied twice.
 */
jest.setTimeout(240_000);

const SEED = Number(process.env['CHAOS_SEED'] ?? Date.now() % 1_000_000);

let pg: PrivatePostgres;
let h: GatewayHarness;
let gateways: RunningGateway[];

beforeAll(async () => {
  console.log(`postgres-restart chaos seed ${SEED} (CHAOS_SEED=${SEED} replays it)`);
  pg = await startPrivatePostgres();
  const url = await pg.createDatabase('chaos_pg');
  h = await GatewayHarness.create('chaos_pg', { db: { url, name: 'chaos_pg', drop: () => pg.destroy() } });
  await h.startDocService();
  await h.startDocService();
  gateways = [await h.startGateway(), await h.startGateway()];
  await h.settle();
});

afterAll(async () => {
  if (h) await h.close();
  else await pg?.destroy();
});

/** The head version, or undefined while the database does not answer. */
async function head(docId: string): Promise<number | undefined> {
  try {
    const [row] = (await h.dataSource.query(
      'SELECT coalesce(max(version), 0) AS head FROM operations WHERE document_id = $1',
      [docId],
    )) as { head: string }[];
    return Number(row.head);
  } catch {
    return undefined;
  }
}

it('stalls while PostgreSQL is down, acknowledges only durable operations, and resumes by itself', async () => {
  const user = await h.createUser();
  const docId = await h.createDocument(user);
  const typists = await openTypists(h, gateways, docId, user, 3, SEED);
  const recorders: AckRecorder[] = [
    new AckRecorder(await h.connect(gateways[0], user), docId, 'r0'),
    new AckRecorder(await h.connect(gateways[1], user), docId, 'r1'),
  ];
  for (const r of recorders) expect(await r.join()).toMatchObject({ ok: true });
  for (const t of typists) t.start(40);
  for (const r of recorders) r.start(20);
  await until(async () => ((await head(docId)) ?? 0) >= 30, {
    what: 'some history before the restart',
    timeoutMs: 30_000,
  });

  // A fast shutdown: sessions are terminated, and a group commit in flight either
  // committed before or rolls back; its submitter never knows which.
  await pg.stop();
  const stoppedAt = Date.now();
  const ackedBeforeStop = new Set(recorders.flatMap((r) => r.acked.map(ackKey)));
  // Down for a while, with everyone still typing.
  await until(() => Date.now() - stoppedAt >= 3000, { what: '3 s of outage', timeoutMs: 10_000 });
  const ackedWhileDown: Acked[] = recorders.flatMap((r) =>
    r.acked.filter((a) => !ackedBeforeStop.has(ackKey(a))),
  );
  // Stalled: at most the one operation each recorder had in flight at the shutdown
  // was acknowledged after it (a commit that completed just before).
  expect(ackedWhileDown.length).toBeLessThanOrEqual(recorders.length);
  await pg.start();

  // Anything acknowledged while the server was down must have been durable
  // before the shutdown: checked against the table below, like every ack.
  const restartedHead = await waitForHead(docId);
  await until(async () => ((await head(docId)) ?? 0) >= restartedHead + 30, {
    what: 'editing resumes by itself',
    timeoutMs: 60_000,
  });
  for (const r of recorders) await r.stop();
  const acked = recorders.flatMap((r) => r.acked);
  expect(acked.length).toBeGreaterThan(ackedBeforeStop.size);
  await expectConvergedExactlyOnce(h, docId, typists, acked);
  for (const t of typists) t.close();
});

function ackKey(a: Acked): string {
  return `${a.clientId}#${a.seq}`;
}

async function waitForHead(docId: string): Promise<number> {
  let value: number | undefined;
  await until(async () => (value = await head(docId)) !== undefined, {
    what: 'the database answers again',
    timeoutMs: 60_000,
  });
  return value!;
}
