import { type AnyExtension, getSchema } from '@tiptap/core';
import type { Schema } from '@tiptap/pm/model';
import StarterKit from '@tiptap/starter-kit';
import TextAlign from '@tiptap/extension-text-align';
import { ALIGN_VALUES, isSafeUrl } from '@collab/ot';
import { Code } from './code.mark';
import { Divider, Image } from './embeds';
import { Line } from './line.node';
import { LINE_NODE } from './line-format';
import { PasteLines } from './paste-lines';
import { CollabSync } from '../binding/collab-sync.extension';
import { TypedText } from '../local/typed-text.extension';
import { CollabHistory, type CollabHistoryOptions } from '../history/collab-history.extension';
import { RemotePresence } from '../presence/remote-presence.extension';

export type CollabExtensionsOptions = Readonly<{
  /** Undo grouping and depth (see CollabHistory). */
  history?: Partial<CollabHistoryOptions>;
}>;

/**
 * Marks, document and editing comforts from StarterKit; every StarterKit node
 * is replaced by the flat line model (see line-format.ts), and its undo
 * history by the collaborative one (a local undo stack that knew nothing of
 * remote edits would undo other people's work).
 */
function starterKit() {
  return StarterKit.configure({
    paragraph: false,
    heading: false,
    blockquote: false,
    codeBlock: false,
    bulletList: false,
    orderedList: false,
    listItem: false,
    listKeymap: false,
    horizontalRule: false,
    // No soft breaks: a "\n" always ends a Delta line.
    hardBreak: false,
    // Replaced by Code below, which may combine with other marks.
    code: false,
    undoRedo: false,
    trailingNode: false,
    gapcursor: false,
    link: {
      openOnClick: false,
      autolink: true,
      defaultProtocol: 'https',
      // The document may only hold http, https and mailto links (libs/ot's rule).
      isAllowedUri: (url: string) => isSafeUrl(url, true),
    },
  });
}

/**
 * The Tiptap extensions of a collaborative editor: exactly the formats libs/ot
 * allows (inline: bold, italic, underline, strike, code, link; lines: header
 * 1-6, bullet/ordered/task lists with indent 0-8, blockquote, code lines,
 * alignment; embeds: image and divider), plus the sync, undo and presence
 * plugins that bindEditor relies on.
 */
export function collabExtensions(options: CollabExtensionsOptions = {}): AnyExtension[] {
  return [
    starterKit(),
    Line,
    Image,
    Divider,
    Code,
    TextAlign.configure({ types: [LINE_NODE], alignments: [...ALIGN_VALUES] }),
    PasteLines,
    TypedText,
    CollabSync,
    CollabHistory.configure(options.history ?? {}),
    RemotePresence,
  ];
}

/** The ProseMirror schema of {@link collabExtensions}, for code that runs without an editor (tests, Node). */
export function collabSchema(): Schema {
  return getSchema(collabExtensions());
}
