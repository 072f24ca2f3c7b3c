import { Extension } from '@tiptap/core';
import { collabSyncPlugin } from './collab-sync';

/** Installs the sync plugin (see collab-sync.ts). */
export const CollabSync = Extension.create({
  name: 'collabSync',
  addProseMirrorPlugins() {
    return [collabSyncPlugin()];
  },
});
