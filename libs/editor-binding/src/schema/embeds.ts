import { mergeAttributes, Node } from '@tiptap/core';
import { isSafeUrl } from '@collab/ot';
import { DIVIDER_NODE, IMAGE_NODE } from './line-format';

/*
 * Delta embeds are characters of a line (length 1), so they are inline atom
 * nodes here, and like any character they may carry inline marks (a linked
 * image). A divider on a line of its own is drawn as a full-width rule by CSS.
 */

/** `{ image: url }`: an http(s) image. */
export const Image = Node.create({
  name: IMAGE_NODE,
  group: 'inline',
  inline: true,
  atom: true,
  draggable: true,
  addAttributes() {
    return {
      src: { default: null, parseHTML: (el: HTMLElement) => el.getAttribute('src') },
    };
  },
  parseHTML() {
    return [
      {
        tag: 'img[src]',
        getAttrs: (el) => (isSafeUrl((el as HTMLElement).getAttribute('src'), false) ? null : false),
      },
    ];
  },
  renderHTML({ HTMLAttributes }) {
    return ['img', mergeAttributes(HTMLAttributes, { alt: '' })];
  },
});

/** `{ divider: true }`: a horizontal rule. */
export const Divider = Node.create({
  name: DIVIDER_NODE,
  group: 'inline',
  inline: true,
  atom: true,
  parseHTML() {
    return [{ tag: 'hr' }];
  },
  renderHTML() {
    return ['hr', { contenteditable: 'false' }];
  },
});
