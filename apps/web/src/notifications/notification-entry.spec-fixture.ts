import type { NotificationDto } from '@collab/contracts';

/** A mention notification for the inbox specs, unread unless `readAt` says when it was read. */
export const notificationEntry = (id: string, readAt: string | null = null): NotificationDto => ({
  id,
  kind: 'mention',
  docId: '00000000-0000-4000-8000-0000000000d0',
  documentTitle: 'Plan',
  threadId: '00000000-0000-4000-8000-0000000000a0',
  commentId: '00000000-0000-4000-8000-0000000000c0',
  actor: { userId: '00000000-0000-4000-8000-0000000000b0', name: 'Bo', color: '#336699' },
  excerpt: '@Ada look',
  createdAt: '2026-12-07T10:00:00.000Z',
  readAt,
});
