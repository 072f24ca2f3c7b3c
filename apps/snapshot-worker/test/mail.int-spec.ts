import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import {
  type InvitationMail,
  JobName,
  type MentionMail,
  mentionMailJobId,
  QueueName,
  redisKeys,
} from '@collab/contracts';
import {
  createTestDatabase,
  createTestRedis,
  deleteKeysWithPrefix,
  type TestDatabase,
  type TestRedis,
  until,
} from '@collab/testing';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { type Job, Queue, Worker } from 'bullmq';
import { pino } from 'pino';
import { SnapshotWorkerModule } from '../src/app.module';
import { loadConfig } from '../src/config/env';
import { SmtpReceiver } from './smtp-receiver';

jest.setTimeout(60_000);

const PUBLIC_APP_URL = 'https://collab.example.test';

let db: TestDatabase;
let infra: TestRedis;
let testCount = 0;

beforeAll(async () => {
  db = await createTestDatabase('worker-mail');
  infra = await createTestRedis('worker-mail');
});

afterAll(async () => {
  await db?.drop();
  await infra?.cleanup();
});

/** One test's own key prefix, mail queue, worker (with /metrics on a free port) and SMTP receiver. */
class Scenario {
  readonly prefix = `${infra.prefix.slice(0, -1)}-m${++testCount}:`;
  readonly queue = new Queue<unknown>(QueueName.Mail, {
    connection: { url: infra.url, maxRetriesPerRequest: null },
    prefix: redisKeys(this.prefix).bullmq,
  });
  receiver?: SmtpReceiver;
  app?: INestApplication;
  /** The worker's log lines, when it logs (the no-SMTP_URL case). */
  readonly logLines: Record<string, unknown>[] = [];

  async start(options: { smtp: boolean }): Promise<void> {
    if (options.smtp) this.receiver = await SmtpReceiver.start();
    const config = loadConfig({
      DATABASE_URL: db.url,
      REDIS_URL: infra.url,
      REDIS_PREFIX: this.prefix,
      DB_POOL_SIZE: '2',
      SWEEP_INTERVAL_MS: '0',
      HTTP_PORT: '0',
      PUBLIC_APP_URL,
      MAIL_FROM: 'Collab <mail@collab.example.test>',
      ...(this.receiver ? { SMTP_URL: this.receiver.url } : {}),
    });
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
          this.logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    this.app = await NestFactory.create(SnapshotWorkerModule.forRoot(config, pino({ level: 'info' }, sink)), {
      logger: false,
      abortOnError: false,
    });
    await this.app.listen(0, '127.0.0.1');
  }

  async metric(series: string): Promise<number> {
    const { port } = this.app?.getHttpServer().address() as { port: number };
    const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? 0 : Number(line.slice(series.length + 1));
  }

  /**
   * The dead letters counted for `reason`, once at least `atLeast` are: the
   * worker counts on its 'failed' event, just after the job's state changes.
   */
  async deadLetters(reason: string, atLeast: number): Promise<number> {
    const series = `collab_mail_dead_letters_total{reason="${reason}"}`;
    await until(async () => (await this.metric(series)) >= atLeast, { what: `${series} >= ${atLeast}` });
    return this.metric(series);
  }

  async close(): Promise<void> {
    await this.app?.close();
    await this.receiver?.close();
    await this.queue.close();
    await deleteKeysWithPrefix(infra.url, this.prefix);
  }
}

function mention(overrides: Partial<MentionMail> = {}): MentionMail {
  return {
    kind: 'mention',
    to: 'ann@example.test',
    recipientName: 'Ann',
    actorName: 'Bob <b>& co',
    docId: randomUUID(),
    documentTitle: 'Plan <2027>',
    threadId: randomUUID(),
    commentId: randomUUID(),
    notificationId: randomUUID(),
    body: '<script>alert("x")</script> @Ann, look at this',
    ...overrides,
  };
}

function invitation(): InvitationMail {
  return {
    kind: 'invitation',
    to: 'carl@example.test',
    inviterName: 'Ann',
    docId: randomUUID(),
    documentTitle: 'Budget',
    invitationId: randomUUID(),
    role: 'commenter',
    token: 'tok_en/with+chars',
    expiresAt: '2030-01-01T00:00:00.000Z',
  };
}

async function finished(job: Job, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') return state;
    if (Date.now() > deadline) throw new Error(`job ${job.id} still ${state}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('mail processor', () => {
  let scenario: Scenario;
  beforeEach(() => {
    scenario = new Scenario();
  });
  afterEach(async () => {
    await scenario.close();
  });

  it('sends a mention through SMTP: plain text and escaped HTML, linking to the thread', async () => {
    await scenario.start({ smtp: true });
    const data = mention();
    const job = await scenario.queue.add(JobName.Mail, data, {
      jobId: mentionMailJobId(data.notificationId),
    });
    expect(await finished(job)).toBe('completed');
    const [mail] = await scenario.receiver!.waitFor(1);
    const link = `${PUBLIC_APP_URL}/d/${data.docId}?thread=${data.threadId}`;
    expect(mail.to).toMatchObject({ text: 'ann@example.test' });
    expect(mail.from?.text).toContain('mail@collab.example.test');
    expect(mail.subject).toBe('Bob <b>& co mentioned you in Plan <2027>');
    expect(mail.text).toContain('> <script>alert("x")</script> @Ann, look at this');
    expect(mail.text).toContain(link);
    const html = String(mail.html);
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; @Ann, look at this');
    expect(html).toContain('Bob &lt;b&gt;&amp; co');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain(`href="${link}"`);
    expect(await scenario.metric('collab_mails_sent_total{transport="smtp"}')).toBe(1);
  });

  it('sends an invitation with its accept link', async () => {
    await scenario.start({ smtp: true });
    const data = invitation();
    expect(await finished(await scenario.queue.add(JobName.Mail, data))).toBe('completed');
    const [mail] = await scenario.receiver!.waitFor(1);
    expect(mail.subject).toBe('Ann invited you to Budget');
    const link = `${PUBLIC_APP_URL}/invite?token=${encodeURIComponent(data.token)}`;
    expect(mail.text).toContain(link);
    expect(mail.text).toContain('as commenter');
    expect(String(mail.html)).toContain(`href="${link}"`);
  });

  it('retries after a temporary refusal and delivers once', async () => {
    await scenario.start({ smtp: true });
    scenario.receiver!.refuse(1, 451);
    const job = await scenario.queue.add(JobName.Mail, mention(), {
      attempts: 3,
      backoff: { type: 'fixed', delay: 50 },
    });
    expect(await finished(job)).toBe('completed');
    expect(await scenario.receiver!.waitFor(1)).toHaveLength(1);
    expect(scenario.receiver!.attempts).toBe(2);
    // The refused attempt and the one that delivered.
    expect((await scenario.queue.getJob(job.id ?? ''))?.attemptsMade).toBe(2);
    expect(await scenario.deadLetters('exhausted', 0)).toBe(0);
  });

  it('counts a dead letter when the attempts run out, and when the server refuses for good', async () => {
    await scenario.start({ smtp: true });
    scenario.receiver!.refuse(2, 451);
    const exhausted = await scenario.queue.add(JobName.Mail, mention(), {
      attempts: 2,
      backoff: { type: 'fixed', delay: 50 },
    });
    expect(await finished(exhausted)).toBe('failed');
    expect((await scenario.queue.getJob(exhausted.id ?? ''))?.attemptsMade).toBe(2);
    expect(await scenario.deadLetters('exhausted', 1)).toBe(1);

    scenario.receiver!.refuse(1, 550);
    const refused = await scenario.queue.add(JobName.Mail, mention(), {
      attempts: 5,
      backoff: { type: 'fixed', delay: 50 },
    });
    expect(await finished(refused)).toBe('failed');
    expect((await scenario.queue.getJob(refused.id ?? ''))?.attemptsMade).toBe(1);
    expect(await scenario.deadLetters('refused', 1)).toBe(1);
    expect(scenario.receiver!.received).toHaveLength(0);
  });

  it('refuses a poison payload as unrecoverable, at once, and counts it', async () => {
    await scenario.start({ smtp: true });
    const poison = [
      { kind: 'mention', to: 'not an address' },
      { ...mention(), body: 'x'.repeat(100_000) },
      { ...invitation(), role: 'owner' },
      'just a string',
    ];
    const jobs = await Promise.all(
      poison.map((data) =>
        scenario.queue.add(JobName.Mail, data, { attempts: 5, backoff: { type: 'fixed', delay: 10 } }),
      ),
    );
    const wrongName = await scenario.queue.add('spam', mention(), { attempts: 5 });
    for (const job of [...jobs, wrongName]) {
      expect(await finished(job)).toBe('failed');
      const failed = await scenario.queue.getJob(job.id ?? '');
      expect(failed?.attemptsMade).toBe(1);
      expect(failed?.failedReason).toMatch(/BAD_REQUEST/);
    }
    expect(await scenario.deadLetters('poison', 5)).toBe(5);
    expect(scenario.receiver!.attempts).toBe(0);
  });

  it('counts a job that stalled past the limit once, as a dead letter, without sending it', async () => {
    const job = await scenario.queue.add(JobName.Mail, mention(), {
      attempts: 5,
      backoff: { type: 'fixed', delay: 50 },
    });
    // A worker takes the job and dies: it never renews its lock (BullMQ's own
    // test of stalled jobs closes a worker the same way).
    const options = {
      connection: { url: infra.url, maxRetriesPerRequest: null },
      prefix: redisKeys(scenario.prefix).bullmq,
    };
    const crashed = new Worker(QueueName.Mail, null, { ...options, lockDuration: 200 });
    expect((await crashed.getNextJob(randomUUID()))?.id).toBe(job.id);
    await crashed.close();
    // Another worker's stalled-job check, allowing no stall: once the lock has
    // lapsed it puts the job back in the wait list, marked to fail.
    const checker = new Worker(QueueName.Mail, null, {
      ...options,
      autorun: false,
      stalledInterval: 100,
      maxStalledCount: 0,
    });
    const stalled = new Promise<string>((resolve) => checker.once('stalled', resolve));
    await checker.startStalledCheckTimer();
    expect(await stalled).toBe(job.id);
    await checker.close();

    // The mail worker takes it and BullMQ fails it without calling the processor.
    await scenario.start({ smtp: true });
    expect(await finished(job)).toBe('failed');
    const failed = await scenario.queue.getJob(job.id ?? '');
    expect(failed?.failedReason).toBe('job stalled more than allowable limit');
    expect(failed?.attemptsMade).toBe(1);
    expect(await scenario.deadLetters('stalled', 1)).toBe(1);
    for (const reason of ['poison', 'refused', 'exhausted'])
      expect(await scenario.deadLetters(reason, 0)).toBe(0);
    expect(scenario.receiver!.attempts).toBe(0);
  });

  it('without SMTP_URL writes each mail to the log as one JSON line', async () => {
    await scenario.start({ smtp: false });
    expect(scenario.logLines.some((l) => String(l.msg).includes('no SMTP_URL'))).toBe(true);
    const data = mention();
    expect(await finished(await scenario.queue.add(JobName.Mail, data))).toBe('completed');
    const line = scenario.logLines.find((l) => l.mail !== undefined);
    expect(line?.mail).toMatchObject({
      to: 'ann@example.test',
      subject: 'Bob <b>& co mentioned you in Plan <2027>',
      link: `${PUBLIC_APP_URL}/d/${data.docId}?thread=${data.threadId}`,
    });
    expect(await scenario.metric('collab_mails_sent_total{transport="log"}')).toBe(1);
  });
});
