import { createTransport, type Transporter } from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { Logger } from 'pino';
import type { RenderedMail } from './mail-renderer';

/** Where mails go: an SMTP server, or (no SMTP_URL) the worker's log. */
export type MailTransportKind = 'smtp' | 'log';

/** Sends one rendered mail; throws {@link MailRefusedError} when the server refuses it for good. */
export interface MailTransport {
  readonly kind: MailTransportKind;
  send(mail: RenderedMail, log: Logger): Promise<void>;
  close(): void;
}

/**
 * The SMTP server answered with a permanent failure (a 5xx reply: unknown
 * mailbox, message refused). Sending the same mail again cannot succeed, so
 * the job fails without further attempts. A 4xx reply (greylisting, a full
 * mailbox, a busy server) and a connection failure are retried instead.
 */
export class MailRefusedError extends Error {
  constructor(
    readonly responseCode: number,
    message: string,
  ) {
    super(message);
    this.name = 'MailRefusedError';
  }
}

/** How long to wait on an SMTP server before the attempt fails (and is retried). */
const SMTP_TIMEOUT_MS = 30_000;

/** The transport `smtpUrl` names, or the log transport when it is undefined. */
export function createMailTransport(smtpUrl: string | undefined, from: string): MailTransport {
  return smtpUrl === undefined ? new LogMailTransport(from) : new SmtpMailTransport(smtpUrl, from);
}

/** nodemailer over SMTP (STARTTLS when the server offers it for smtp://, TLS from the start for smtps://). */
class SmtpMailTransport implements MailTransport {
  readonly kind = 'smtp';
  private readonly transporter: Transporter<SMTPTransport.SentMessageInfo>;

  constructor(
    url: string,
    private readonly from: string,
  ) {
    this.transporter = createTransport({
      url,
      connectionTimeout: SMTP_TIMEOUT_MS,
      greetingTimeout: SMTP_TIMEOUT_MS,
      socketTimeout: SMTP_TIMEOUT_MS,
    } satisfies SMTPTransport.Options);
  }

  async send(mail: RenderedMail, log: Logger): Promise<void> {
    try {
      const info = await this.transporter.sendMail({
        from: this.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
      });
      log.info({ messageId: info.messageId }, 'mail sent');
    } catch (error) {
      const code = (error as { responseCode?: unknown }).responseCode;
      if (typeof code === 'number' && code >= 500 && code < 600) {
        throw new MailRefusedError(code, error instanceof Error ? error.message : String(error));
      }
      throw error;
    }
  }

  close(): void {
    this.transporter.close();
  }
}

/**
 * Local use (no SMTP_URL): each mail is one JSON line in the worker's log,
 * its whole content included, so that a developer can follow the link. The
 * in-app inbox has mentions regardless.
 */
class LogMailTransport implements MailTransport {
  readonly kind = 'log';

  constructor(private readonly from: string) {}

  send(mail: RenderedMail, log: Logger): Promise<void> {
    log.info({ mail: { from: this.from, ...mail } }, 'mail written to the log (no SMTP_URL)');
    return Promise.resolve();
  }

  close(): void {}
}
