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
 * keystroke's median cost falls by about 0.6 ms. ProseMirror's keydown has
 * just synced the selection from the DOM, and keypress never fires during a
 * composition.
 *
 * Composition (IME, dead keys, most mobile keyboards), spellcheck and
 * autocorrect replacements, paste, drop, Enter and deletions are left to the
 * browser and ProseMirror as before.
 */
export const typedTextKey = new PluginKey('typedText');

/** Inserts `text` typed at the current selection; false when the browser should. */
export function insertTypedText(view: EditorView, text: string): boolean {
  const { selection } = view.state;
  if (!view.editable || view.composing || !(selection instanceof TextSelection)) return false;
  if (text === '' || /[\r\n]/.test(text)) return false;
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
