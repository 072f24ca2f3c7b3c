import type { NotificationList, UnreadCount } from '@collab/contracts';
import type { Endpoints } from '../api/endpoints';
import { NotificationCenter } from './notification-center';
import { notificationEntry } from './notification-entry.spec-fixture';

const entry = notificationEntry;

/** The two inbox calls the center makes, answering from `server`. */
function inbox(server: { list: NotificationList; marked: unknown[] }) {
  return {
    notifications: () => Promise.resolve(server.list),
    markNotificationsRead: (which: unknown): Promise<UnreadCount> => {
      server.marked.push(which);
      return Promise.resolve({ unreadCount: 0 });
    },
  } as unknown as Endpoints;
}

describe('NotificationCenter', () => {
  it('reads the inbox, applies a live entry once (a repeat changes nothing), and tells its listeners', async () => {
    const server = { list: { notifications: [entry('n1')], unreadCount: 1 }, marked: [] as unknown[] };
    const center = new NotificationCenter(() => inbox(server));
    let heard = 0;
    center.subscribe(() => heard++);
    await center.refresh();
    expect(center.snapshot).toEqual({ unread: 1, items: [entry('n1')] });
    const live = { notification: entry('n2'), unreadCount: 2 };
    center.receive(live);
    center.receive(live);
    expect(center.snapshot.unread).toBe(2);
    expect(center.snapshot.items?.map((n) => n.id)).toEqual(['n2', 'n1']);
    expect(heard).toBe(3);
  });

  it('marks entries read with the server’s count, keeping a time already set', async () => {
    const server = {
      list: { notifications: [entry('n1'), entry('n0', '2026-12-06T00:00:00.000Z')], unreadCount: 1 },
      marked: [] as unknown[],
    };
    const center = new NotificationCenter(() => inbox(server));
    await center.refresh();
    await center.markRead(['n1']);
    await center.markRead('all');
    expect(server.marked).toEqual([{ ids: ['n1'] }, { all: true }]);
    expect(center.snapshot.unread).toBe(0);
    expect(center.snapshot.items?.every((n) => n.readAt !== null)).toBe(true);
    expect(center.snapshot.items?.[1].readAt).toBe('2026-12-06T00:00:00.000Z');
  });
});
