import type { NotificationDto, NotificationEvent } from '@collab/contracts';
import type { Endpoints } from '../api/endpoints';

export interface InboxState {
  readonly unread: number;
  /** The newest entries, newest first; null until read once. */
  readonly items: readonly NotificationDto[] | null;
}

/**
 * The signed-in person's inbox, shared by every page: read over REST (when
 * the bell mounts, when it opens, when the window gets the focus back, and
 * on each (re)connect of the socket that delivers the events) and kept live
 * by the `notification` events sent to the person's room, which the tab's
 * one socket delivers: the open document's, or else LiveInbox's. Each event
 * carries the unread count, so applying one twice changes nothing.
 */
export class NotificationCenter {
  private state: InboxState = { unread: 0, items: null };
  private readonly listeners = new Set<() => void>();

  constructor(private readonly calls: () => Endpoints) {}

  get snapshot(): InboxState {
    return this.state;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async refresh(): Promise<void> {
    const list = await this.calls().notifications();
    this.set({ unread: list.unreadCount, items: list.notifications });
  }

  receive(event: NotificationEvent): void {
    const items = this.state.items ?? [];
    const known = items.some((n) => n.id === event.notification.id);
    this.set({ unread: event.unreadCount, items: known ? items : [event.notification, ...items] });
  }

  async markRead(ids: readonly string[] | 'all'): Promise<void> {
    const answer = await this.calls().markNotificationsRead(
      ids === 'all' ? { all: true } : { ids: [...ids] },
    );
    const now = new Date().toISOString();
    const read = (n: NotificationDto) =>
      ids === 'all' || ids.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n;
    this.set({ unread: answer.unreadCount, items: this.state.items?.map(read) ?? null });
  }

  private set(state: InboxState): void {
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
