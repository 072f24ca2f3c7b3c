import {
  type AnchorRequest,
  CommentChanged,
  CommentDeleted,
  CommentDto,
  CommentEvent,
  CommentThreadDto,
  CommentThreadList,
  type MarkNotificationsRead,
  NotificationEvent,
  NotificationList,
  type NotificationListQuery,
  parse,
  ThreadCreated,
  ThreadReopened,
  ThreadResolved,
  UnreadCount,
} from '@collab/contracts';
import type { CollabDocument } from '../collab-document';
import { TypedEmitter } from '../typed-emitter';
import { type AnswerSchema, restCall, type RestOptions } from './rest-call';

/** The live events of one document's comments, and this user's notifications. */
export interface CommentsEvents {
  'thread:created': [event: ThreadCreated];
  'comment:created': [event: CommentChanged];
  'comment:edited': [event: CommentChanged];
  'comment:deleted': [event: CommentDeleted];
  'thread:resolved': [event: ThreadResolved];
  'thread:reopened': [event: ThreadReopened];
  notification: [event: NotificationEvent];
}

export interface CommentsClientOptions extends RestOptions {
  readonly docId: string;
}

/** What a new thread says; the ids are made here unless given (give them to resend from an outbox). */
export interface NewThread {
  readonly anchor: AnchorRequest;
  readonly body: string;
  readonly mentions?: readonly string[];
  readonly threadId?: string;
  readonly commentId?: string;
}

/** A reply or an edit; `commentId` as for {@link NewThread}. */
export interface CommentText {
  readonly body: string;
  readonly mentions?: readonly string[];
  readonly commentId?: string;
}

const LIVE_SCHEMAS = {
  [CommentEvent.ThreadCreated]: ThreadCreated,
  [CommentEvent.CommentCreated]: CommentChanged,
  [CommentEvent.CommentEdited]: CommentChanged,
  [CommentEvent.CommentDeleted]: CommentDeleted,
  [CommentEvent.ThreadResolved]: ThreadResolved,
  [CommentEvent.ThreadReopened]: ThreadReopened,
  [CommentEvent.Notification]: NotificationEvent,
} as const satisfies { [K in keyof CommentsEvents]: AnswerSchema };

/**
 * The comments of one document and the user's inbox, over the gateway's REST
 * API, with the live events of an open {@link CollabDocument} (see
 * {@link attach}). Thin: it keeps no list; an app reads `list()` once and
 * applies the events, and reads the list again after a reconnect (events
 * are at most once).
 *
 * Every write carries ids made by the client and is resent unchanged after a
 * lost answer or a retryable refusal, so it is stored once. A thread's anchor
 * is `[from, to)` at the version of the document the selection was made in
 * (`document.version`); answers keep anchors at the version they name, which a
 * client moves through the committed operations after it with
 * `transformAnchorThrough` from @collab/ot.
 */
export class CommentsClient extends TypedEmitter<CommentsEvents> {
  constructor(private readonly options: CommentsClientOptions) {
    super();
  }

  private get base(): string {
    return `/documents/${encodeURIComponent(this.options.docId)}/comments`;
  }

  /**
   * Every thread with its comments, anchors at `version` (the head when
   * read); with `limit`, the `limit` first in the text (see
   * `CommentListQuery`: what to show first of a large discussion), and
   * `complete` false when some were left out.
   */
  list(query: { limit?: number } = {}): Promise<CommentThreadList> {
    const suffix = query.limit === undefined ? '' : `?limit=${query.limit}`;
    return restCall<CommentThreadList>(this.options, 'GET', `${this.base}${suffix}`, CommentThreadList);
  }

  startThread(thread: NewThread): Promise<CommentThreadDto> {
    return restCall<CommentThreadDto>(this.options, 'POST', this.base, CommentThreadDto, {
      threadId: thread.threadId ?? crypto.randomUUID(),
      commentId: thread.commentId ?? crypto.randomUUID(),
      anchor: thread.anchor,
      body: thread.body,
      mentions: thread.mentions ?? [],
    });
  }

  reply(threadId: string, reply: CommentText): Promise<CommentDto> {
    return restCall<CommentDto>(this.options, 'POST', `${this.base}/${threadId}`, CommentDto, {
      commentId: reply.commentId ?? crypto.randomUUID(),
      body: reply.body,
      mentions: reply.mentions ?? [],
    });
  }

  edit(threadId: string, commentId: string, text: Omit<CommentText, 'commentId'>): Promise<CommentDto> {
    return restCall<CommentDto>(this.options, 'PATCH', `${this.base}/${threadId}/${commentId}`, CommentDto, {
      body: text.body,
      mentions: text.mentions ?? [],
    });
  }

  delete(threadId: string, commentId: string): Promise<void> {
    return restCall<void>(this.options, 'DELETE', `${this.base}/${threadId}/${commentId}`, null);
  }

  resolve(threadId: string): Promise<CommentThreadDto> {
    return restCall<CommentThreadDto>(
      this.options,
      'POST',
      `${this.base}/${threadId}/resolve`,
      CommentThreadDto,
    );
  }

  reopen(threadId: string): Promise<CommentThreadDto> {
    return restCall<CommentThreadDto>(
      this.options,
      'POST',
      `${this.base}/${threadId}/reopen`,
      CommentThreadDto,
    );
  }

  notifications(query: { limit?: number; unreadOnly?: boolean } = {}): Promise<NotificationList> {
    const params = new URLSearchParams();
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.unreadOnly) params.set('unread', 'true' satisfies NotificationListQuery['unread']);
    const suffix = params.size > 0 ? `?${params.toString()}` : '';
    return restCall<NotificationList>(this.options, 'GET', `/notifications${suffix}`, NotificationList);
  }

  unreadCount(): Promise<UnreadCount> {
    return restCall<UnreadCount>(this.options, 'GET', '/notifications/unread-count', UnreadCount);
  }

  markRead(which: MarkNotificationsRead): Promise<UnreadCount> {
    return restCall<UnreadCount>(this.options, 'POST', '/notifications/read', UnreadCount, which);
  }

  /**
   * Re-emits the live comment events of `document`'s connection: those of
   * this document (others the connection joined are left out) and this
   * user's notifications. Payloads that fail their schema are dropped.
   */
  attach(document: CollabDocument): void {
    for (const event of Object.keys(LIVE_SCHEMAS) as (keyof CommentsEvents)[]) {
      document.onCommentEvent(event, (payload: unknown) => {
        const parsed = parse(LIVE_SCHEMAS[event] as AnswerSchema, payload);
        if (!parsed.ok) return;
        const value = parsed.value as { docId?: string };
        if (
          event !== CommentEvent.Notification &&
          value.docId?.toLowerCase() !== this.options.docId.toLowerCase()
        ) {
          return;
        }
        (this.emit as (name: keyof CommentsEvents, ...args: unknown[]) => void)(event, parsed.value);
      });
    }
  }
}
