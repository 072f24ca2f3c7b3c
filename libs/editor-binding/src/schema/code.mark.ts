import { Mark, markInputRule, mergeAttributes } from '@tiptap/core';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    code: {
      toggleCode: () => ReturnType;
    };
  }
}

/**
 * Inline code. Tiptap's own Code mark excludes every other mark, but a Delta
 * may hold `{ code: true, bold: true }` (libs/ot allows it): this one
 * combines with the others so such text is kept exactly.
 */
export const Code = Mark.create({
  name: 'code',
  code: true,
  parseHTML() {
    return [{ tag: 'code' }];
  },
  renderHTML({ HTMLAttributes }) {
    return ['code', mergeAttributes(HTMLAttributes), 0];
  },
  addCommands() {
    return {
      toggleCode:
        () =>
        ({ commands }) =>
          commands.toggleMark(this.name),
    };
  },
  addKeyboardShortcuts() {
    return { 'Mod-e': () => this.editor.commands.toggleCode() };
  },
  addInputRules() {
    return [markInputRule({ find: /(?:^|[^`])(`([^`]+)`)$/, type: this.type })];
  },
});
