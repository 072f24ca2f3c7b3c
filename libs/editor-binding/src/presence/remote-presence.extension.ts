import { Extension } from '@tiptap/core';
import { remotePresencePlugin } from './remote-presence';

/** Installs the remote caret plugin (see remote-presence.ts). */
export const RemotePresence = Extension.create({
  name: 'collabRemotePresence',
  addProseMirrorPlugins() {
    return [remotePresencePlugin()];
  },
});
