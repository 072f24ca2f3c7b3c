import {
  JobName,
  MailJobData,
  mentionMailJobId,
  type NotificationEvent,
  QueueName,
  type SentInvitation,
} from '@collab/contracts';
import { type Job, Queue } from 'bullmq';
import { comments, commentTools, newThread, nextEvent } from './comment-tools';
import { until } from '@collab/testing';
import { GatewayHarness, type RunningGateway } from './harness';

jest.setTimeout(90_000);

let h: GatewayHarness;
let gateway: RunningGateway;
let tools: ReturnType<typeof commentTools>;
/** The queue the snapshot worker consumes; no worker runs here, so the jobs wait to be read. */
let mail: Queue<unknown>;

beforeAll(async () => {
  h = await GatewayHarness.create('gw_mail');
  await h.startDocService();
  gateway = await h.startGateway({ MAIL_JOB_ATTEMPTS: '3', MAIL_JOB_BACKOFF_MS: '250' });
  await h.settle();
  tools = commentTools(h);
  mail = new Queue(QueueName.Mail, {
    connection: { url: h.infra.url, maxRetriesPerRequest: null },
    prefix: h.keys.bullmq,
  });
});

afterAll(async () => {
  await mail?.close();
  await h?.close();
});

async function queuedMails(): Promise<Job[]> {
  return mail.getJobs(['waiting', 'delayed', 'prioritized']);
}

describe('mail jobs queued by the gateway', () => {
  it('a mention queues one mail to the mentioned member (not to the author), with the retry policy', async () => {
    const ada = await h.createUser('Ada <the author>');
    const bob = await h.createUser('Bob');
    const docId = await h.createDocument(ada);
    await h.addMember(docId, bob, 'commenter');
    const typing = await tools.typist(gateway, ada, docId);
    const version = await typing.type([{ insert: 'Some text\n' }]);
    const socket = await h.connect(gateway, bob);
    const notified = nextEvent<NotificationEvent>(socket, 'notification');

    const thread = newThread({ from: 0, to: 4, version }, 'Mind this, @Bob <b>now</b>', [bob, ada]);
    expect((await tools.post(gateway, ada, comments(docId), thread)).status).toBe(201);
    const { notification } = await notified;

    let jobs: Job[] = [];
    await until(async () => (jobs = await queuedMails()).length > 0, { what: 'a mail job on the queue' });
    expect(jobs).toHaveLength(1);
    const [job] = jobs;
    expect(job.name).toBe(JobName.Mail);
    expect(job.id).toBe(mentionMailJobId(notification.id));
    expect(job.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential', delay: 250 } });
    // What the worker will accept, exactly as the notification says.
    expect(MailJobData.parse(job.data)).toEqual({
      kind: 'mention',
      to: `${bob}@example.test`,
      recipientName: 'Bob',
      actorName: 'Ada <the author>',
      docId,
      documentTitle: 'Doc',
      threadId: thread.threadId,
      commentId: thread.commentId,
      notificationId: notification.id,
      body: 'Mind this, @Bob <b>now</b>',
    });
    await job.remove();
  });

  it('an invitation queues a mail with the link token the owner got', async () => {
    const owner = await h.createUser('Owner');
    const docId = await h.createDocument(owner);
    const res = await h.api<SentInvitation>(gateway, 'POST', `/documents/${docId}/invitations`, {
      token: h.token(owner),
      body: { email: ' Guest@Example.TEST ', role: 'commenter' },
    });
    expect(res.status).toBe(201);

    let jobs: Job[] = [];
    await until(async () => (jobs = await queuedMails()).length > 0, { what: 'a mail job on the queue' });
    expect(jobs).toHaveLength(1);
    expect(MailJobData.parse(jobs[0].data)).toEqual({
      kind: 'invitation',
      to: 'guest@example.test',
      inviterName: 'Owner',
      docId,
      documentTitle: 'Doc',
      invitationId: res.body.id,
      role: 'commenter',
      token: res.body.token,
      expiresAt: res.body.expiresAt,
    });
    await jobs[0].remove();
  });

  it('a refused invitation (a member already in) queues nothing', async () => {
    const owner = await h.createUser('Owner');
    const docId = await h.createDocument(owner);
    const res = await h.api(gateway, 'POST', `/documents/${docId}/invitations`, {
      token: h.token(owner),
      body: { email: `${owner}@example.test`, role: 'editor' },
    });
    expect(res.status).toBe(409);
    expect(await queuedMails()).toEqual([]);
  });
});
