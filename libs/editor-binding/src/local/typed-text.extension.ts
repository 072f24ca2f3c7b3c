import { Extension } from '@tiptap/core';
import { deleteTypedCharacter, typedTextPlugin } from './typed-text';

/** Installs the typed-text plugin and its Backspace/Delete fast path (see typed-text.ts). */
export const TypedText = Extension.create({
  name: 'typedText',
  // Below every other extension's keys: Tiptap's own Backspace (undo an input
  // rule, leave a list at a line's start) and the line commands go first.
  priority: 0,
  addKeyboardShortcuts() {
    return {
      Backspace: ({ editor }) => deleteTypedCharacter(editor.view, 'backward'),
      Delete: ({ editor }) => deleteTypedCharacter(editor.view, 'forward'),
    };
  },
  addProseMirrorPlugins() {
    return [typedTextPlugin()];
  },
});
