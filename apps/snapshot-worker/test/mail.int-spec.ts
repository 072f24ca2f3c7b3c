import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import {
  type InvitationMail,
  JobName,
  type MentionMail,
  mentionMailJobId,
  QueueName,
} from '@collab/contracts';
import { until } from '@collab/testing';
import { Worker } from 'bullmq';
import { pino } from 'pino';
import { SmtpReceiver } from './smtp-receiver';
import { finishedState, type HttpWorker, WorkerFixture, type WorkerScope } from './worker-fixture';

jest.setTimeout(60_000);

const PUBLIC_APP_URL = 'https://collab.example.test';

let fixture: WorkerFixture;

beforeAll(async () => {
  fixture = await WorkerFixture.create('worker-mail');
});

afterAll(async () => {
  await fixture?.close();
});

/** One test's own key prefix, mail queue, worker (with /metrics on a free port) and SMTP receiver. */
class Scenario {
  readonly scope: WorkerScope = fixture.scope();
  readonly queue = this.scope.queue(QueueName.Mail);
  receiver?: SmtpReceiver;
  worker?: HttpWorker;
  /** The worker's log lines, when it logs (the no-SMTP_URL case). */
  readonly logLines: Record<string, unknown>[] = [];

  async start(options: { smtp: boolean }): Promise<void> {
    if (options.smtp) this.receiver = await SmtpReceiver.start();
    const sink = new Writable({
      write: (chunk: Buffer, _encoding, done) => {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
          this.logLines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    this.worker = await this.scope.startHttpWorker(
      {
        DB_POOL_SIZE: '2',
        PUBLIC_APP_URL,
        MAIL_FROM: 'Collab <mail@collab.example.test>',
        ...(this.receiver ? { SMTP_URL: this.receiver.url } : {}),
      },
      pino({ level: 'info' }, sink),
    );
  }

  metric(series: string): Promise<number> {
    if (!this.worker) throw new Error('no worker started');
    return this.worker.metric(series);
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
    await this.scope.close();
    await this.receiver?.close();
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
    expect(await finishedState(job)).toBe('completed');
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
    expect(await finishedState(await scenario.queue.add(JobName.Mail, data))).toBe('completed');
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
    expect(await finishedState(job)).toBe('completed');
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
    expect(await finishedState(exhausted)).toBe('failed');
    expect((await scenario.queue.getJob(exhausted.id ?? ''))?.attemptsMade).toBe(2);
    expect(await scenario.deadLetters('exhausted', 1)).toBe(1);

    scenario.receiver!.refuse(1, 550);
    const refused = await scenario.queue.add(JobName.Mail, mention(), {
      attempts: 5,
      backoff: { type: 'fixed', delay: 50 },
    });
    expect(await finishedState(refused)).toBe('failed');
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
      expect(await finishedState(job)).toBe('failed');
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
    const options = scenario.scope.bullmq;
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
    expect(await finishedState(job)).toBe('failed');
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
    expect(await finishedState(await scenario.queue.add(JobName.Mail, data))).toBe('completed');
    const line = scenario.logLines.find((l) => l.mail !== undefined);
    expect(line?.mail).toMatchObject({
      to: 'ann@example.test',
      subject: 'Bob <b>& co mentioned you in Plan <2027>',
      link: `${PUBLIC_APP_URL}/d/${data.docId}?thread=${data.threadId}`,
    });
    expect(await scenario.metric('collab_mails_sent_total{transport="log"}')).toBe(1);
  });
});
