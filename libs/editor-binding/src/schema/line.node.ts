import { InputRule, mergeAttributes, Node } from '@tiptap/core';
import { type Command, Plugin, PluginKey } from '@tiptap/pm/state';
import { LINE_ATTRIBUTES, LINE_NODE } from './line-format';
import {
  backspaceAtLineStart,
  changeIndent,
  indentListLine,
  insertDivider,
  type ListKind,
  setPlainLine,
  splitLine,
  toggleChecked,
  toggleLineKind,
} from './line-commands';
import { lineAttrsFromElement, lineParseRules } from './line-parse';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    line: {
      /** Toggles a heading of `level` (1..6) on the selected lines. */
      toggleHeader: (level: number) => ReturnType;
      /** Toggles a list of `kind` (bullet, ordered, checked/unchecked task) on the selected lines. */
      toggleLineList: (kind: ListKind) => ReturnType;
      toggleBlockquote: () => ReturnType;
      toggleCodeLine: () => ReturnType;
      /** Clears heading, list, quote and code formats (alignment and indent stay). */
      setPlainLine: () => ReturnType;
      indentLines: () => ReturnType;
      outdentLines: () => ReturnType;
      /** Flips checked/unchecked on the task line at `pos`, or on the selected task lines. */
      toggleChecked: (pos?: number) => ReturnType;
      insertDivider: () => ReturnType;
    };
  }
}

/** Adapts a ProseMirror command to a Tiptap command (Tiptap passes a chainable state). */
const run =
  (command: Command) =>
  ({ state, dispatch }: { state: Parameters<Command>[0]; dispatch: Parameters<Command>[1] }) =>
    command(state, dispatch);

/** The tag a line is drawn with; the precedence is libs/rich-text's (list, code, heading, quote). */
export function lineTag(attrs: Readonly<Record<string, unknown>>): string {
  if (attrs[LINE_ATTRIBUTES.list] !== null) return 'li';
  if (attrs[LINE_ATTRIBUTES.codeBlock] !== null) return 'pre';
  const header = attrs[LINE_ATTRIBUTES.header];
  if (typeof header === 'number') return `h${header}`;
  if (attrs[LINE_ATTRIBUTES.blockquote] !== null) return 'blockquote';
  return 'p';
}

/** DOM attributes that let CSS draw every combination (a quoted heading, an indented code line...). */
function lineDomAttributes(attrs: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  const indent = attrs[LINE_ATTRIBUTES.indent];
  if (typeof indent === 'number' && indent > 0) out.class = `ql-indent-${indent}`;
  const list = attrs[LINE_ATTRIBUTES.list];
  if (typeof list === 'string') out['data-list'] = list;
  if (typeof attrs[LINE_ATTRIBUTES.header] === 'number')
    out['data-header'] = String(attrs[LINE_ATTRIBUTES.header]);
  if (attrs[LINE_ATTRIBUTES.blockquote] === true) out['data-blockquote'] = 'true';
  if (attrs[LINE_ATTRIBUTES.codeBlock] === true) out['data-code-block'] = 'true';
  return out;
}

/**
 * A line format attribute: null when absent, drawn by renderHTML (not one
 * HTML attribute each), parsed from the element and its ancestors, and kept
 * by Tiptap's own splitBlock (our Enter decides what the new line keeps).
 */
const lineAttribute = (name: string) => ({
  default: null,
  rendered: false,
  keepOnSplit: true,
  parseHTML: (el: HTMLElement) => lineAttrsFromElement(el)[name] ?? null,
});

const checkboxClickKey = new PluginKey('collabTaskCheckbox');

/**
 * The one block node: a Delta line. See line-format.ts for why the model is
 * flat. Attributes are null when absent, so "no indent" and `indent: 0` stay
 * distinct, as they are in the Delta.
 */
export const Line = Node.create({
  name: LINE_NODE,
  group: 'block',
  content: 'inline*',
  // Before every other block node: the default block of the schema.
  priority: 1000,

  addAttributes() {
    return {
      [LINE_ATTRIBUTES.header]: lineAttribute(LINE_ATTRIBUTES.header),
      [LINE_ATTRIBUTES.list]: lineAttribute(LINE_ATTRIBUTES.list),
      [LINE_ATTRIBUTES.indent]: lineAttribute(LINE_ATTRIBUTES.indent),
      [LINE_ATTRIBUTES.blockquote]: lineAttribute(LINE_ATTRIBUTES.blockquote),
      [LINE_ATTRIBUTES.codeBlock]: lineAttribute(LINE_ATTRIBUTES.codeBlock),
      // Never drawn, never parsed from HTML: only remote Deltas set it.
      [LINE_ATTRIBUTES.newlineMarks]: {
        default: null,
        rendered: false,
        keepOnSplit: true,
        parseHTML: () => null,
      },
    };
  },

  parseHTML() {
    return lineParseRules();
  },

  renderHTML({ node, HTMLAttributes }) {
    return [lineTag(node.attrs), mergeAttributes(HTMLAttributes, lineDomAttributes(node.attrs)), 0];
  },

  addCommands() {
    return {
      toggleHeader: (level: number) => run(toggleLineKind(LINE_ATTRIBUTES.header, level)),
      toggleLineList: (kind: ListKind) => run(toggleLineKind(LINE_ATTRIBUTES.list, kind)),
      toggleBlockquote: () => run(toggleLineKind(LINE_ATTRIBUTES.blockquote, true)),
      toggleCodeLine: () => run(toggleLineKind(LINE_ATTRIBUTES.codeBlock, true)),
      setPlainLine: () => run(setPlainLine()),
      indentLines: () => run(changeIndent(1)),
      outdentLines: () => run(changeIndent(-1)),
      toggleChecked: (pos?: number) => run(toggleChecked(pos)),
      insertDivider: () => run(insertDivider()),
    };
  },

  addKeyboardShortcuts() {
    const exec = (command: Command) => () => command(this.editor.state, this.editor.view.dispatch);
    return {
      Enter: exec(splitLine()),
      // No soft line breaks: a "\n" always ends a Delta line.
      'Shift-Enter': exec(splitLine()),
      Backspace: exec(backspaceAtLineStart()),
      Tab: exec(indentListLine(1)),
      'Shift-Tab': exec(indentListLine(-1)),
      'Mod-]': exec(changeIndent(1)),
      'Mod-[': exec(changeIndent(-1)),
      'Mod-Alt-0': () => this.editor.commands.setPlainLine(),
      'Mod-Alt-1': () => this.editor.commands.toggleHeader(1),
      'Mod-Alt-2': () => this.editor.commands.toggleHeader(2),
      'Mod-Alt-3': () => this.editor.commands.toggleHeader(3),
      'Mod-Alt-4': () => this.editor.commands.toggleHeader(4),
      'Mod-Alt-5': () => this.editor.commands.toggleHeader(5),
      'Mod-Alt-6': () => this.editor.commands.toggleHeader(6),
      'Mod-Shift-7': () => this.editor.commands.toggleLineList('ordered'),
      'Mod-Shift-8': () => this.editor.commands.toggleLineList('bullet'),
      'Mod-Shift-9': () => this.editor.commands.toggleLineList('unchecked'),
      'Mod-Shift-b': () => this.editor.commands.toggleBlockquote(),
      'Mod-Alt-c': () => this.editor.commands.toggleCodeLine(),
      'Mod-Enter': () => this.editor.commands.toggleChecked(),
    };
  },

  addInputRules() {
    // Markdown-style shortcuts typed at the start of a line.
    const kind = (
      find: RegExp,
      attr: (typeof LINE_ATTRIBUTES)[keyof typeof LINE_ATTRIBUTES],
      value: (m: RegExpMatchArray) => unknown,
    ) =>
      new InputRule({
        find,
        handler: ({ state, range, match }) => {
          const $start = state.doc.resolve(range.from);
          if ($start.depth !== 1 || $start.parentOffset !== 0) return null;
          const tr = state.tr.delete(range.from, range.to);
          tr.setNodeAttribute($start.before(1), attr, value(match));
        },
      });
    return [
      kind(/^(#{1,6})\s$/, LINE_ATTRIBUTES.header, (m) => m[1].length),
      kind(/^[-*+]\s$/, LINE_ATTRIBUTES.list, () => 'bullet'),
      kind(/^1[.)]\s$/, LINE_ATTRIBUTES.list, () => 'ordered'),
      kind(/^\[( |x)\]\s$/, LINE_ATTRIBUTES.list, (m) => (m[1] === 'x' ? 'checked' : 'unchecked')),
      kind(/^>\s$/, LINE_ATTRIBUTES.blockquote, () => true),
      kind(/^```$/, LINE_ATTRIBUTES.codeBlock, () => true),
    ];
  },

  addProseMirrorPlugins() {
    // A task line draws its checkbox with CSS (li[data-list]::before, as
    // Quill does); a press in the line's left padding flips it.
    return [
      new Plugin({
        key: checkboxClickKey,
        props: {
          handleDOMEvents: {
            mousedown: (view, event) => {
              const target = event.target as HTMLElement | null;
              if (!target || target.tagName !== 'LI') return false;
              const list = target.getAttribute('data-list');
              if (list !== 'checked' && list !== 'unchecked') return false;
              const padding = parseFloat(getComputedStyle(target).paddingLeft) || 0;
              if (event.clientX - target.getBoundingClientRect().left > padding) return false;
              const inside = view.posAtDOM(target, 0);
              const pos = view.state.doc.resolve(inside).before(1);
              event.preventDefault();
              return toggleChecked(pos)(view.state, view.dispatch);
            },
          },
        },
      }),
    ];
  },
});
