import { randomUUID } from 'node:crypto';
import { JobName, QueueName, type SnapshotJobData, snapshotJobId } from '@collab/contracts';
import { until } from '@collab/testing';
import type { Queue } from 'bullmq';
import { type HttpWorker, WorkerFixture } from './worker-fixture';

jest.setTimeout(60_000);

let fixture: WorkerFixture;
let worker: HttpWorker;
let queue: Queue<SnapshotJobData>;

beforeAll(async () => {
  fixture = await WorkerFixture.create('worker-http');
  worker = await fixture.startHttpWorker({ DB_POOL_SIZE: '2' });
  queue = fixture.queue(QueueName.Snapshots);
});

afterAll(async () => {
  await fixture?.close();
});

describe('snapshot worker HTTP', () => {
  it('answers liveness and readiness (database and queue)', async () => {
    const live = await fetch(`${worker.url}/healthz`);
    expect(live.status).toBe(200);
    expect(await live.json()).toMatchObject({ ok: true });
    const ready = await fetch(`${worker.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up' }, queue: { status: 'up' } },
    });
  });

  it('exposes queue depth by state and the duration of each job by outcome', async () => {
    const docId = randomUUID();
    await queue.add(
      JobName.Snapshot,
      { docId, version: 50 },
      { jobId: snapshotJobId(docId, 50), delay: 60_000 },
    );
    expect(await worker.metric('collab_queue_jobs{queue="snapshots",state="delayed"}')).toBe(1);
    expect(await worker.metric('collab_queue_jobs{queue="snapshots",state="waiting"}')).toBe(0);

    // A job for a document that does not exist completes without a snapshot.
    const other = randomUUID();
    await queue.add(
      JobName.Snapshot,
      { docId: other, version: 50, correlationId: 'c-1' },
      { jobId: snapshotJobId(other, 50) },
    );
    const series = 'collab_job_duration_seconds_count{queue="snapshots",outcome="document-gone"}';
    await until(async () => (await worker.metric(series)) >= 1, { what: `${series} counted`, everyMs: 50 });
    expect(await worker.metric(series)).toBe(1);
    const text = await (await fetch(`${worker.url}/metrics`)).text();
    expect(text).toContain('collab_nodejs_eventloop_lag_seconds ');
    expect(text).not.toContain(other);
  });
});
