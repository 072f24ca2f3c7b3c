import { Extension } from '@tiptap/core';
import { type Command } from '@tiptap/pm/state';
import {
  collabHistoryPlugin,
  type CollabHistoryOptions,
  DEFAULT_HISTORY_OPTIONS,
  redo,
  undo,
} from './collab-history';

export type { CollabHistoryOptions } from './collab-history';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    collabHistory: {
      /** Undoes this user's last edit only. */
      undo: () => ReturnType;
      redo: () => ReturnType;
    };
  }
}

const run =
  (command: Command) =>
  ({ state, dispatch }: { state: Parameters<Command>[0]; dispatch: Parameters<Command>[1] }) =>
    command(state, dispatch);

/** Collaborative undo/redo, replacing StarterKit's UndoRedo (same command names and shortcuts). */
export const CollabHistory = Extension.create<CollabHistoryOptions>({
  name: 'collabHistory',
  addOptions() {
    return { ...DEFAULT_HISTORY_OPTIONS };
  },
  addProseMirrorPlugins() {
    return [collabHistoryPlugin(this.options)];
  },
  addCommands() {
    return { undo: () => run(undo), redo: () => run(redo) };
  },
  addKeyboardShortcuts() {
    return {
      'Mod-z': () => this.editor.commands.undo(),
      'Shift-Mod-z': () => this.editor.commands.redo(),
      'Mod-y': () => this.editor.commands.redo(),
    };
  },
});
