import type { CollabDocument } from '@collab/client';
import type { NotificationEvent, Role } from '@collab/contracts';
import { canComment } from '@collab/contracts';
import { pmToIndex } from '@collab/editor-binding';
import type { Editor } from '@tiptap/react';
import { type RefObject, useEffect, useMemo, useState } from 'react';
import type { AppServices } from '../app-context';
import { InputProblem } from '../errors/messages';
import { CommentBubble } from './comment-bubble';
import { highlightedRanges } from './comment-highlight';
import { type CommentDraft, CommentsPanel } from './comments-panel';
import type { Mentionable } from './mentions';
import { DRAFT_ID, useCommentHighlights } from './use-comment-highlights';
import { useComments } from './use-comments';

/**
 * Everything about comments on the editor page: the live threads, their
 * highlights in the editor, the panel beside it, the bubble on a selection,
 * and `requestComment` (the toolbar button and Ctrl+Alt+M). `focusThread`
 * opens a thread once it is loaded (a notification's link).
 */
export function DocumentComments({
  services,
  docId,
  doc,
  editor,
  role,
  shown,
  focusThread,
  requestComment,
  onNotification,
  onOpen,
}: {
  services: AppServices;
  docId: string;
  doc: CollabDocument | null;
  editor: Editor | null;
  role: Role | undefined;
  /** Whether the panel shows (another panel may take its place). */
  shown: boolean;
  focusThread: string | null;
  requestComment: RefObject<(() => void) | null>;
  onNotification: (event: NotificationEvent) => void;
  /** The panel should show (a highlight was clicked, a comment started). */
  onOpen: () => void;
}) {
  const comments = useComments(services, docId, doc, onNotification);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [draftQuote, setDraftQuote] = useState<string | null>(null);
  // The thread the draft is being sent as: until the server has it the draft stands for it (and shows a
  // refusal); the draft goes in the render that lists the stored thread, never beside it.
  const [sending, setSending] = useState<string | null>(null);
  const sent = sending !== null && comments.threads.some((t) => t.id === sending && !t.unsent);
  const shownThreads = useMemo(
    () => comments.threads.filter((t) => !(t.unsent && t.id === sending)),
    [comments.threads, sending],
  );
  const [members, setMembers] = useState<Mentionable[]>([]);
  const me = services.session.session?.me;
  const mayComment = role !== undefined && canComment(role);

  const activate = (threadId: string | null) => {
    setActiveId(threadId);
    highlights.dispatchMeta({ type: 'active', threadId });
    if (threadId) {
      onOpen();
      requestAnimationFrame(() =>
        document
          .querySelector(`.comments-panel [data-thread-id="${threadId}"]`)
          ?.scrollIntoView({ block: 'nearest' }),
      );
    }
  };
  // A thread not stored yet is drawn only while its anchor holds (at the version the client shows).
  const drawn = useMemo(
    () => shownThreads.filter((t) => !t.unsent || t.anchor.version === comments.version),
    [shownThreads, comments.version],
  );
  const highlights = useCommentHighlights(editor, doc, drawn, (id) => activate(id));

  useEffect(() => {
    let cancelled = false;
    services.calls.members(docId).then(
      (list) => !cancelled && setMembers(list.members.map((m) => ({ userId: m.userId, name: m.name }))),
      () => undefined, // no suggestions; mentions typed in full still work once the list loads
    );
    return () => {
      cancelled = true;
    };
  }, [services, docId]);

  // A notification’s link: open its thread once the list has it (once per thread to focus).
  const focusLoaded = comments.threads.some((t) => t.id === focusThread);
  useEffect(() => {
    if (focusThread && focusLoaded) activate(focusThread);
  }, [focusThread, focusLoaded]);

  const startDraft = () => {
    if (!editor || !mayComment) return;
    const { from, to, empty } = editor.state.selection;
    if (empty) return;
    highlights.dispatchMeta({ type: 'drop', threadId: DRAFT_ID });
    highlights.dispatchMeta({ type: 'add', range: { threadId: DRAFT_ID, from, to } });
    setDraftQuote(editor.state.doc.textBetween(from, to, '\n'));
    onOpen();
  };
  requestComment.current = mayComment ? startDraft : null;

  const cancelDraft = () => {
    setDraftQuote(null);
    highlights.dispatchMeta({ type: 'drop', threadId: DRAFT_ID });
    editor?.commands.focus();
  };
  const draft: CommentDraft | null =
    draftQuote === null || sent || !editor || !doc
      ? null
      : {
          quote: draftQuote,
          cancel: cancelDraft,
          async submit(body, mentions) {
            // The anchor names a server version: wait until this copy is one (no unacknowledged edits).
            await doc.whenSynced(10_000);
            const range = highlightedRanges(editor.state).find((r) => r.threadId === DRAFT_ID);
            if (!range) throw new InputProblem('The text you selected was deleted meanwhile.');
            const anchor = {
              from: pmToIndex(editor.state.doc, range.from),
              to: pmToIndex(editor.state.doc, range.to),
              version: doc.version,
            };
            const quote = editor.state.doc.textBetween(range.from, range.to, '\n');
            const threadId = crypto.randomUUID();
            setSending(threadId);
            let stored: boolean;
            try {
              stored = await comments.start(threadId, anchor, quote, body, mentions);
            } finally {
              setSending(null);
            }
            // Not stored: kept in the comment outbox, shown once the server has it (after a reconnect).
            setDraftQuote(null);
            highlights.dispatchMeta({ type: 'drop', threadId: DRAFT_ID });
            if (stored) activate(threadId);
          },
        };

  const context = useMemo(
    () => ({ meId: me?.id, members, canComment: mayComment, actions: comments }),
    [me?.id, members, mayComment, comments],
  );

  return (
    <>
      {editor && mayComment && shown && !draft && <CommentBubble editor={editor} onComment={startDraft} />}
      {shown && (
        <CommentsPanel
          threads={shownThreads}
          context={context}
          activeId={activeId}
          onActivate={(id) => id !== activeId && activate(id)}
          draft={draft}
          placeOf={highlights.placeOf}
          layoutTick={highlights.tick}
          error={comments.error}
          notice={comments.notice}
        />
      )}
    </>
  );
}
