import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import type { EditorView } from '@tiptap/pm/view';

/*
 * A character typed at a caret is inserted by a transaction, not by the
 * browser.
 *
 * ProseMirror lets the browser insert such a character into the DOM itself
 * and reads the change back. In Chromium that native insertion is slow on a
 * long document (its editing code updates style and layout of the editable
 * root: keydown to `input` took about 2.9 ms at 100,000 characters, see
 * bench/editor). Here the keypress is handled the way ProseMirror already
 * handles a key typed over a selection: input rules see the text first
 * (`handleTextInput`), otherwise `tr.insertText` inserts it with the marks
 * at the caret or the stored marks, and the browser's default is cancelled.
 * Layout is then forced once, when ProseMirror sets the DOM selection; the
 * keystroke's median cost falls by about 0.6 ms. The insertion happens only
 * when the browser's selection agrees with ProseMirror's (see
 * domSelectionAgrees), and keypress never fires during a composition.
 *
 * Backspace and Delete of one plain character inside a line are handled the
 * same way (deleteTypedCharacter): natively they cost as much as a typed
 * character. Only characters whose deletion unit is unambiguous qualify
 * (Latin script, no combining mark or joiner next to them): what one
 * keypress deletes in other scripts and in emoji sequences is the browser's
 * call, and stays with it.
 *
 * Composition (IME, dead keys, most mobile keyboards), spellcheck and
 * autocorrect replacements, paste, drop, Enter, word deletions and deletions
 * at a line's edge are left to the browser and ProseMirror as before.
 */
export const typedTextKey = new PluginKey('typedText');

/**
 * Whether the browser's selection is where ProseMirror thinks it is. A key
 * that moved the caret (Home, End, arrows, a click) changes the DOM selection
 * first; ProseMirror learns of it from the `selectionchange` event, which can
 * arrive after the next keypress when keys come quickly. Inserting at the
 * state's selection then would type at the old caret, so such a keypress is
 * left to the browser (which types at the real caret, read back by ProseMirror).
 */
function domSelectionAgrees(view: EditorView): boolean {
  const root = view.root as Document | (ShadowRoot & { getSelection?: () => Selection | null });
  const dom = 'getSelection' in root && root.getSelection ? root.getSelection() : null;
  if (!dom || !dom.anchorNode || !dom.focusNode) return false;
  try {
    const anchor = view.posAtDOM(dom.anchorNode, dom.anchorOffset);
    const head = view.posAtDOM(dom.focusNode, dom.focusOffset);
    const { selection } = view.state;
    return anchor === selection.anchor && head === selection.head;
  } catch {
    return false; // the DOM selection is outside the editor's content
  }
}

/** Inserts `text` typed at the current selection; false when the browser should. */
export function insertTypedText(view: EditorView, text: string): boolean {
  const { selection } = view.state;
  if (!view.editable || view.composing || !(selection instanceof TextSelection)) return false;
  if (text === '' || /[\r\n]/.test(text)) return false;
  if (!domSelectionAgrees(view)) return false;
  const { from, to } = selection;
  const insert = () => view.state.tr.insertText(text).scrollIntoView();
  if (!view.someProp('handleTextInput', (f) => f(view, from, to, text, insert))) view.dispatch(insert());
  return true;
}

export function typedTextPlugin(): Plugin {
  return new Plugin({
    key: typedTextKey,
    props: {
      // ProseMirror calls this for printable keys only (no composition, no
      // Ctrl/Cmd shortcut) and cancels the keypress when it returns true.
      handleKeyPress: (view, event) =>
        event.charCode > 0 && insertTypedText(view, String.fromCodePoint(event.charCode)),
    },
  });
}

/** A character one Backspace or Delete removes alone in every browser: Latin script, one UTF-16 unit. */
const PLAIN = /^[\u0020-\u007e\u00a0-\u02ff]$/;
/** Marks (combining accents, variation selectors) and joiners fuse with the character before them. */
const FUSES = /^(?:\p{M}|\u200c|\u200d)/u;

/**
 * Deletes the plain character before (`backward`) or after the caret with a
 * transaction; false when the browser and the other key handlers should
 * (a selection, a line's edge, an embed, a character that is not plain, or a
 * DOM caret that disagrees with the state).
 */
export function deleteTypedCharacter(view: EditorView, direction: 'backward' | 'forward'): boolean {
  const { selection } = view.state;
  if (!view.editable || view.composing || !(selection instanceof TextSelection) || !selection.empty) {
    return false;
  }
  const $at = selection.$from;
  const before = $at.nodeBefore;
  const after = $at.nodeAfter;
  const textBefore = before?.isText ? before.text! : '';
  const textAfter = after?.isText ? after.text! : '';
  const gone = direction === 'backward' ? textBefore.slice(-1) : textAfter.slice(0, 1);
  // What follows the deleted character must not fuse with it (or with what comes before it).
  const next = direction === 'backward' ? textAfter : textAfter.slice(1);
  if (!PLAIN.test(gone) || FUSES.test(next)) return false;
  if (!domSelectionAgrees(view)) return false;
  const pos = selection.from;
  const [from, to] = direction === 'backward' ? [pos - 1, pos] : [pos, pos + 1];
  view.dispatch(view.state.tr.delete(from, to).scrollIntoView());
  return true;
}
