import { forwardRef, useState } from 'react';
import { initials, textColorOn } from '../components/avatars';
import { relativeTime } from '../components/relative-time';
import { describeError } from '../errors/messages';
import { CommentComposer } from './comment-composer';
import { type Mentionable, splitMentions } from './mentions';
import type { CommentView, ThreadView } from './pending-view';
import type { CommentActions } from './use-comments';

export interface ThreadContext {
  readonly meId: string | undefined;
  readonly members: readonly Mentionable[];
  readonly canComment: boolean;
  readonly actions: CommentActions;
}

/** A body as text, mentions set apart: React escapes every piece, so HTML in a body shows as typed. */
function CommentBody({ body, members }: { body: string; members: readonly Mentionable[] }) {
  return (
    <p className="comment-body">
      {splitMentions(body, members).map((part, i) =>
        part.userId ? (
          <span key={i} className="mention">
            {part.text}
          </span>
        ) : (
          part.text
        ),
      )}
    </p>
  );
}

/** Marks a change kept on this device (the comment outbox) until the server has it. */
function WaitingBadge() {
  return (
    <span className="badge pending" title="Kept on this device; sent when the connection is back">
      Waiting to be sent
    </span>
  );
}

function CommentItem({
  thread,
  comment,
  context,
}: {
  thread: ThreadView;
  comment: CommentView;
  context: ThreadContext;
}) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { author } = comment;
  const mine = author.userId === context.meId;
  const remove = async () => {
    try {
      await context.actions.remove(thread.id, comment.id);
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <li className="comment" data-comment-id={comment.id} data-pending={comment.pending === true}>
      <div className="comment-head">
        <span
          className="avatar"
          style={{ background: author.color, color: textColorOn(author.color) }}
          aria-hidden="true"
        >
          {initials(author.name)}
        </span>
        <strong className="comment-author">{author.name}</strong>
        <time
          className="muted"
          dateTime={comment.createdAt}
          title={new Date(comment.createdAt).toLocaleString()}
        >
          {relativeTime(comment.createdAt)}
          {comment.editedAt && ' (edited)'}
        </time>
        {comment.pending && <WaitingBadge />}
      </div>
      {editing ? (
        <CommentComposer
          label="Edit comment"
          members={context.members}
          meId={context.meId}
          initial={comment.body}
          submitLabel="Save"
          autoFocus
          onSubmit={async (body, mentions) => {
            await context.actions.edit(thread.id, comment.id, body, mentions);
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <CommentBody body={comment.body} members={context.members} />
      )}
      {mine && context.canComment && !editing && (
        <div className="comment-actions">
          <button type="button" className="link-button" onClick={() => setEditing(true)}>
            Edit
          </button>
          <button type="button" className="link-button" onClick={() => void remove()}>
            Delete
          </button>
        </div>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/**
 * One thread: the text it was made on (as it was then), its comments
 * oldest first, a reply box, and resolve or reopen. Clicking the card
 * makes it the active thread (its highlight stands out in the text).
 */
export const ThreadCard = forwardRef<
  HTMLElement,
  {
    thread: ThreadView;
    context: ThreadContext;
    active: boolean;
    top?: number;
    onActivate: () => void;
  }
>(function ThreadCard({ thread, context, active, top, onActivate }, ref) {
  const [error, setError] = useState<string | null>(null);
  const resolved = thread.resolvedAt !== null;
  const run = async (what: () => Promise<void>) => {
    setError(null);
    try {
      await what();
    } catch (e) {
      setError(describeError(e));
    }
  };
  return (
    <article
      ref={ref}
      className="thread card"
      data-thread-id={thread.id}
      data-active={active}
      data-resolved={resolved}
      aria-label={`Comment thread on “${thread.quotedText}”`}
      style={top === undefined ? undefined : { top }}
      onFocus={onActivate}
      onClick={onActivate}
    >
      <blockquote className="thread-quote">{thread.quotedText}</blockquote>
      {thread.anchor.detached && !resolved && <p className="badge detached">The text was deleted</p>}
      {resolved && thread.resolvedBy && !thread.pending && (
        <p className="muted thread-resolved">Resolved by {thread.resolvedBy.name}</p>
      )}
      {thread.pending && (
        <p className="thread-pending">
          {resolved ? 'Resolved' : 'Reopened'} on this device <WaitingBadge />
        </p>
      )}
      <ol className="comments">
        {thread.comments.map((comment) => (
          <CommentItem key={comment.id} thread={thread} comment={comment} context={context} />
        ))}
      </ol>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {context.canComment && (
        <>
          {!resolved && active && (
            <CommentComposer
              label="Reply"
              members={context.members}
              meId={context.meId}
              submitLabel="Reply"
              onSubmit={(body, mentions) => context.actions.reply(thread.id, body, mentions)}
            />
          )}
          <div className="thread-actions">
            {resolved ? (
              <button type="button" onClick={() => void run(() => context.actions.reopen(thread.id))}>
                Reopen
              </button>
            ) : (
              <button type="button" onClick={() => void run(() => context.actions.resolve(thread.id))}>
                Resolve
              </button>
            )}
          </div>
        </>
      )}
    </article>
  );
});
