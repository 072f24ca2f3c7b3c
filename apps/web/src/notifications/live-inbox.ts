import type { InboxClient } from '@collab/client';
import type { SessionStore } from '../api/session-store';
import type { NotificationCenter } from './notification-center';

/** What LiveInbox needs of an inbox connection (InboxClient). */
export type InboxConnection = Pick<InboxClient, 'open' | 'close' | 'on'>;

/**
 * Keeps the bell's count live on every signed-in page. The gateway sends a
 * user's notifications to every socket of that user, so a tab needs one
 * socket for them, not one per purpose: while a document page is open its
 * document's socket delivers them (the page holds the inbox, see
 * {@link holdForDocument}); otherwise this keeps one InboxClient open, from
 * `start()` while signed in. So a tab never has more than one socket, and a
 * user's tabs count once each against the gateway's per-user socket limit
 * (MAX_SOCKETS_PER_USER).
 *
 * Events are at most once: each (re)connect re-reads the list over REST.
 * A connection the server stops (a sign-out, too many sockets) is tried
 * again only when the session changes (a token refresh too) or a document
 * page is left; meanwhile the bell reads the list when the window gets the
 * focus back.
 */
export class LiveInbox {
  private client: InboxConnection | null = null;
  private holds = 0;
  private started = false;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly session: SessionStore,
    private readonly center: NotificationCenter,
    private readonly connect: () => InboxConnection,
  ) {}

  /**
   * Starts following the session. The app's root calls it from an effect,
   * which React runs after those of the page inside it: a document page
   * loaded directly holds the inbox first, and no socket opens for nothing.
   */
  start(): () => void {
    if (!this.started) {
      this.started = true;
      this.unsubscribe = this.session.subscribe(() => this.update());
      this.update();
    }
    return () => this.stop();
  }

  /** A document page's socket delivers the notifications while it is open; returns the release. */
  holdForDocument(): () => void {
    this.holds++;
    this.update();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.holds--;
      this.update();
    };
  }

  /** Whether an inbox connection is open (tests, and the reader of this class). */
  get open(): boolean {
    return this.client !== null;
  }

  private stop(): void {
    this.started = false;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.update();
  }

  private update(): void {
    const wanted = this.started && this.session.session !== null && this.holds === 0;
    if (wanted && !this.client) {
      const client = this.connect();
      this.client = client;
      client.on('notification', (event) => this.center.receive(event));
      client.on('connected', () => void this.center.refresh().catch(() => undefined));
      client.on('stopped', () => {
        if (this.client === client) this.client = null;
      });
      client.open();
    } else if (!wanted && this.client) {
      this.client.close();
      this.client = null;
    }
  }
}
