import type { EditorState } from '@tiptap/pm/state';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { HighlightRange } from './comment-anchors';

interface CommentHighlightState {
  readonly set: DecorationSet;
  readonly active: string | null;
}

type CommentHighlightMeta =
  /** The highlights from the anchors, in the document of the transaction carrying them. */
  | { readonly type: 'ranges'; readonly ranges: readonly HighlightRange[] }
  /** One more highlight (a thread just made, before its anchor is known at the server's version). */
  | { readonly type: 'add'; readonly range: HighlightRange }
  /** Takes one highlight away (a draft given up). */
  | { readonly type: 'drop'; readonly threadId: string }
  | { readonly type: 'active'; readonly threadId: string | null };

export const commentHighlightKey = new PluginKey<CommentHighlightState>('commentHighlight');

function build(state: EditorState, ranges: readonly HighlightRange[], active: string | null): DecorationSet {
  return DecorationSet.create(
    state.doc,
    ranges.map((r) =>
      Decoration.inline(
        r.from,
        r.to,
        {
          class: r.threadId === active ? 'comment-highlight active' : 'comment-highlight',
          'data-thread-id': r.threadId,
        },
        // Text typed at either edge is not the commented text (as the anchors' rule in @collab/ot).
        { inclusiveStart: false, inclusiveEnd: false, threadId: r.threadId },
      ),
    ),
  );
}

/** The ranges the set holds now (after the document's changes moved them). */
function rangesOf(set: DecorationSet): HighlightRange[] {
  return set.find().map((d) => ({
    threadId: (d.spec as { threadId: string }).threadId,
    from: d.from,
    to: d.to,
  }));
}

/**
 * Commented text, highlighted. The anchors set the ranges whenever this
 * copy is at the server's version (see CommentsLayer); in between, while
 * local edits are unacknowledged, the decorations move with each change of
 * the editor's document. Clicking a highlight opens its thread.
 */
export function commentHighlightPlugin(onOpen: (threadId: string) => void): Plugin<CommentHighlightState> {
  return new Plugin<CommentHighlightState>({
    key: commentHighlightKey,
    state: {
      init: () => ({ set: DecorationSet.empty, active: null }),
      apply(tr, value, _old, state) {
        const meta = tr.getMeta(commentHighlightKey) as CommentHighlightMeta | undefined;
        const set = value.set.map(tr.mapping, tr.doc);
        if (!meta) return { set, active: value.active };
        switch (meta.type) {
          case 'ranges':
            return { set: build(state, meta.ranges, value.active), active: value.active };
          case 'add':
            return {
              set: build(state, [...rangesOf(set), meta.range], value.active),
              active: value.active,
            };
          case 'drop':
            return {
              set: build(
                state,
                rangesOf(set).filter((r) => r.threadId !== meta.threadId),
                value.active,
              ),
              active: value.active,
            };
          case 'active':
            return { set: build(state, rangesOf(set), meta.threadId), active: meta.threadId };
        }
      },
    },
    props: {
      decorations: (state) => commentHighlightKey.getState(state)?.set,
      handleClick(view, pos) {
        const found = commentHighlightKey.getState(view.state)?.set.find(pos, pos) ?? [];
        const hit = found.find((d) => d.from <= pos && pos <= d.to);
        if (!hit) return false;
        onOpen((hit.spec as { threadId: string }).threadId);
        return false; // the caret still goes where the person clicked
      },
    },
  });
}

/** The highlighted ranges in the editor now, for placing threads beside their text. */
export const highlightedRanges = (state: EditorState): HighlightRange[] =>
  rangesOf(commentHighlightKey.getState(state)?.set ?? DecorationSet.empty);
