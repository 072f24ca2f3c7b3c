import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server in the test process (the `smtp-server` package) that
 * keeps every message it accepts, parsed. `refuse` answers the next
 * recipients with an SMTP error first: `{ times: 1, code: 451 }` is a
 * temporary failure once, `{ times: Infinity, code: 550 }` a permanent one.
 */
export class SmtpReceiver {
  readonly received: ParsedMail[] = [];
  /** Recipient commands seen, refused ones included. */
  attempts = 0;
  private refusals = { times: 0, code: 451 };
  private readonly server: SMTPServer;

  private constructor() {
    this.server = new SMTPServer({
      // Plain SMTP on 127.0.0.1: no TLS to negotiate, no account to log in with.
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onRcptTo: (_address, _session, callback) => {
        this.attempts++;
        if (this.refusals.times > 0) {
          this.refusals.times--;
          const error = Object.assign(new Error(`refused by the test (${this.refusals.code})`), {
            responseCode: this.refusals.code,
          });
          callback(error);
          return;
        }
        callback();
      },
      onData: (stream, _session, callback) => {
        simpleParser(stream).then(
          (mail) => {
            this.received.push(mail);
            callback();
          },
          (error: Error) => callback(error),
        );
      },
    });
  }

  static async start(): Promise<SmtpReceiver> {
    const receiver = new SmtpReceiver();
    await new Promise<void>((resolve, reject) => {
      receiver.server.once('error', reject);
      receiver.server.listen(0, '127.0.0.1', () => resolve());
    });
    return receiver;
  }

  get url(): string {
    const { port } = this.server.server.address() as AddressInfo;
    return `smtp://127.0.0.1:${port}`;
  }

  refuse(times: number, code: number): void {
    this.refusals = { times, code };
  }

  async waitFor(count: number, timeoutMs = 20_000): Promise<ParsedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < count) {
      if (Date.now() > deadline) throw new Error(`${this.received.length} of ${count} mails arrived`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return this.received;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
