import type { NotificationDto } from '@collab/contracts';
import * as Menu from '@radix-ui/react-dropdown-menu';
import { useEffect, useSyncExternalStore } from 'react';
import { useNavigate } from 'react-router-dom';
import { useServices } from '../app-context';
import { relativeTime } from '../components/relative-time';
import { BellIcon } from '../editor/icons';

/** Where a notification leads: its document, opened at the thread. */
const threadLink = (n: Pick<NotificationDto, 'docId' | 'threadId'>) =>
  `/d/${encodeURIComponent(n.docId)}?thread=${encodeURIComponent(n.threadId)}`;

/**
 * The bell in the top bar: the unread count, live, and the inbox. Choosing
 * an entry marks it read and opens the document at its thread.
 */
export function NotificationsBell() {
  const { notifications } = useServices();
  const inbox = useSyncExternalStore(
    (onChange) => notifications.subscribe(onChange),
    () => notifications.snapshot,
  );
  const navigate = useNavigate();

  useEffect(() => {
    const refresh = () => void notifications.refresh().catch(() => undefined);
    refresh();
    window.addEventListener('focus', refresh);
    return () => window.removeEventListener('focus', refresh);
  }, [notifications]);

  const open = (n: NotificationDto) => {
    if (!n.readAt) void notifications.markRead([n.id]).catch(() => undefined);
    void navigate(threadLink(n));
  };
  const label = inbox.unread > 0 ? `Notifications, ${inbox.unread} unread` : 'Notifications';
  return (
    <Menu.Root
      modal={false}
      onOpenChange={(isOpen) => isOpen && void notifications.refresh().catch(() => undefined)}
    >
      <Menu.Trigger asChild>
        <button className="bell-button" aria-label={label} title={label}>
          <BellIcon />
          {inbox.unread > 0 && (
            <span className="bell-count" aria-hidden="true">
              {inbox.unread > 99 ? '99+' : inbox.unread}
            </span>
          )}
        </button>
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content className="menu card inbox" align="end" sideOffset={6} aria-label="Notifications">
          <Menu.Label className="menu-label inbox-head">
            <strong>Notifications</strong>
          </Menu.Label>
          {inbox.items?.length === 0 && <p className="muted inbox-empty">Nothing yet.</p>}
          {inbox.items?.map((n) => (
            <Menu.Item
              key={n.id}
              className="menu-item inbox-item"
              data-unread={!n.readAt}
              onSelect={() => open(n)}
            >
              <span>
                <strong>{n.actor.name}</strong> mentioned you in <strong>{n.documentTitle}</strong>
              </span>
              <span className="inbox-excerpt">{n.excerpt}</span>
              <span className="muted">{relativeTime(n.createdAt)}</span>
            </Menu.Item>
          ))}
          {inbox.unread > 0 && (
            <>
              <Menu.Separator className="menu-separator" />
              <Menu.Item
                className="menu-item"
                onSelect={() => void notifications.markRead('all').catch(() => undefined)}
              >
                Mark all as read
              </Menu.Item>
            </>
          )}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
