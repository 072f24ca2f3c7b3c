export * from './binding-errors';
export * from './schema/line-format';
export * from './schema/line-commands';
export { Line, lineTag } from './schema/line.node';
export { Image, Divider } from './schema/embeds';
export { Code } from './schema/code.mark';
export { PasteLines, splitNewlinesInSlice, normalizePastedLinks } from './schema/paste-lines';
export { collabExtensions, collabSchema, type CollabExtensionsOptions } from './schema/collab-extensions';
export { COLLAB_EDITOR_CSS } from './schema/editor-css';
export { docToDelta, deltaBetween, NotADeltaDocument } from './convert/doc-to-delta';
export { deltaToDoc } from './convert/delta-to-doc';
export { pmToIndex, indexToPm, deltaLength, pmRange, pmRanges } from './convert/positions';
export { selectionToDelta } from './convert/selection';
export { ChangeOrigin, getDeltaMeta, isForeign, type DeltaMeta } from './local/change-origin';
export { localChangeOf } from './local/local-change';
export { stepToDelta } from './local/step-to-delta';
export { insertTypedText, typedTextPlugin, typedTextKey } from './local/typed-text';
export { TypedText } from './local/typed-text.extension';
export { applyDelta, type ApplyDeltaOptions } from './remote/apply-delta';
export { loadDocument } from './remote/load-document';
export {
  undo,
  redo,
  historyDepth,
  collabHistoryKey,
  collabHistoryPlugin,
  CLOSE_HISTORY_META,
  type CollabHistoryOptions,
  type HistoryState,
} from './history/collab-history';
export { CollabHistory } from './history/collab-history.extension';
export { invertChange, transformStack, type UndoEntry } from './history/undo-stack';
export {
  remotePresencePlugin,
  remotePresenceKey,
  setPeers,
  upsertPeer,
  removePeer,
  peerPositions,
  safeColor,
  type RemotePeer,
} from './presence/remote-presence';
export { RemotePresence } from './presence/remote-presence.extension';
export { collabSyncPlugin, collabSyncKey, notifyUpdate, outgoingChange } from './binding/collab-sync';
export { CollabSync } from './binding/collab-sync.extension';
export {
  bindEditor,
  type BindOptions,
  type BindingError,
  type CollabBinding,
  type CollabDocumentLike,
  type DispatchSource,
  type EditorHost,
} from './binding/bind-editor';
