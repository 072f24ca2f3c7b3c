import { Extension } from '@tiptap/core';
import { typedTextPlugin } from './typed-text';

/** Installs the typed-text plugin (see typed-text.ts). */
export const TypedText = Extension.create({
  name: 'typedText',
  addProseMirrorPlugins() {
    return [typedTextPlugin()];
  },
});
