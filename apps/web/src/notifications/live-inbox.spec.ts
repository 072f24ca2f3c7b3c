import { type InboxEvents, TypedEmitter } from '@collab/client';
import type { NotificationList } from '@collab/contracts';
import type { Endpoints } from '../api/endpoints';
import { SessionStore } from '../api/session-store';
import { LiveInbox } from './live-inbox';
import { NotificationCenter } from './notification-center';
import { notificationEntry } from './notification-entry.spec-fixture';

const entry = notificationEntry;

/** An inbox connection that records what LiveInbox asks of it; the test plays the server's part. */
class RecordedConnection extends TypedEmitter<InboxEvents> {
  opened = 0;
  closed = 0;
  open(): void {
    this.opened++;
  }
  close(): void {
    this.closed++;
  }
  serverSays<K extends keyof InboxEvents>(event: K, ...args: InboxEvents[K]): void {
    this.emit(event, ...args);
  }
}

function setup() {
  const storage = new Map<string, string>();
  const session = new SessionStore({
    getItem: (k) => storage.get(k) ?? null,
    setItem: (k, v) => void storage.set(k, v),
    removeItem: (k) => void storage.delete(k),
  });
  const server: { list: NotificationList; reads: number } = {
    list: { notifications: [], unreadCount: 0 },
    reads: 0,
  };
  const calls = {
    notifications: () => {
      server.reads++;
      return Promise.resolve(server.list);
    },
  } as unknown as Endpoints;
  const center = new NotificationCenter(() => calls);
  const connections: RecordedConnection[] = [];
  const inbox = new LiveInbox(session, center, () => {
    const connection = new RecordedConnection();
    connections.push(connection);
    return connection;
  });
  const signIn = () => session.setTokens({ accessToken: 'a', refreshToken: 'r', accessTokenExpiresIn: 900 });
  return { session, server, center, connections, inbox, signIn };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('LiveInbox', () => {
  it('opens one connection once started while signed in, feeds the center, and re-reads on each connect', async () => {
    const { server, center, connections, inbox, signIn } = setup();
    signIn();
    expect(connections).toHaveLength(0); // not before start(): a document page may hold it first
    inbox.start();
    inbox.start();
    expect(connections).toHaveLength(1);
    expect(connections[0].opened).toBe(1);

    server.list = { notifications: [entry('n1')], unreadCount: 1 };
    connections[0].serverSays('connected');
    await settle();
    expect(center.snapshot).toEqual({ unread: 1, items: [entry('n1')] });
    connections[0].serverSays('notification', { notification: entry('n2'), unreadCount: 2 });
    expect(center.snapshot.unread).toBe(2);
    // A reconnect reads the list again (what was sent meanwhile is not replayed).
    connections[0].serverSays('connected');
    await settle();
    expect(server.reads).toBe(2);
    expect(center.snapshot.unread).toBe(1);
  });

  it('holds no connection while a document page is open, nor while signed out', () => {
    const { session, connections, inbox, signIn } = setup();
    const stop = inbox.start();
    expect(inbox.open).toBe(false);
    signIn();
    expect(connections).toHaveLength(1);

    const release = inbox.holdForDocument();
    expect(connections[0].closed).toBe(1);
    const second = inbox.holdForDocument();
    release();
    release();
    expect(inbox.open).toBe(false);
    second();
    expect(connections).toHaveLength(2);
    expect(connections[1].opened).toBe(1);

    // A token refresh keeps the connection; a sign-out closes it.
    signIn();
    expect(connections).toHaveLength(2);
    session.clear();
    expect(connections[1].closed).toBe(1);
    expect(inbox.open).toBe(false);

    signIn();
    expect(connections).toHaveLength(3);
    stop();
    expect(connections[2].closed).toBe(1);
    signIn();
    expect(connections).toHaveLength(3);
  });

  it('a connection the server stopped is dropped, and tried again when the session changes', () => {
    const { connections, inbox, signIn } = setup();
    signIn();
    inbox.start();
    connections[0].serverSays('stopped', { refused: { code: 'TOO_MANY_SOCKETS', message: 'too many' } });
    expect(inbox.open).toBe(false);
    signIn();
    expect(connections).toHaveLength(2);
  });
});
