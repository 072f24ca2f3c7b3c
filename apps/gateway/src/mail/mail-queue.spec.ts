import { type MailJobData, QueueName } from '@collab/contracts';
import { Queue } from 'bullmq';
import { pino } from 'pino';
import { MailQueue } from './mail-queue';

describe('MailQueue', () => {
  it('with Redis unreachable, gives up after its timeout instead of holding the request', async () => {
    // Nothing listens on port 1: BullMQ keeps reconnecting and its add never settles on its own.
    const queue = new Queue<MailJobData>(QueueName.Mail, {
      connection: { url: 'redis://127.0.0.1:1', maxRetriesPerRequest: 1, retryStrategy: () => 50 },
    });
    queue.on('error', () => undefined);
    const mail = new MailQueue(
      queue,
      { attempts: 3, backoffMs: 10, addTimeoutMs: 300 },
      pino({ level: 'silent' }),
    );
    const started = Date.now();
    const queued = await mail.invitation({
      kind: 'invitation',
      to: 'carl@example.test',
      inviterName: 'Ann',
      docId: '3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b',
      documentTitle: 'Doc',
      invitationId: '0b9f8d2e-4c1a-4f7e-9a3b-2d5c6e7f8a9b',
      role: 'viewer',
      token: 'token',
      expiresAt: '2030-01-01T00:00:00.000Z',
    });
    expect(queued).toBe(false);
    expect(Date.now() - started).toBeLessThan(3000);
    await mail.close(300);
  });
});
