// Decorator metadata for the entities: imported once, before any entity class is evaluated.
import 'reflect-metadata';

export * from './entities';
export {
  MIGRATIONS,
  InitialSchema1764028800000,
  OperationRestoredFrom1764115200000,
  HistoryAttribution1764201600000,
  Comments1764288000000,
} from './migrations';
export {
  createDataSource,
  databaseNameOf,
  ensureDatabase,
  revertLastMigration,
  runMigrations,
  type PersistenceOptions,
} from './data-source';
export { databaseUrlProblems, redactDatabaseUrl } from './database-url';
export { FenceViolationError, FenceViolationReason, MissingDocumentError } from './errors';
export {
  findOperationsBySeq,
  type SeqKey,
  headVersion,
  insertOperations,
  loadOperationsAfter,
  type NewOperation,
  type StoredOperation,
} from './repositories/operation.repository';
export {
  documentsBehindSnapshots,
  insertSnapshotIfAbsent,
  latestSnapshot,
  type LaggingDocument,
  type NewSnapshot,
  type StoredSnapshot,
} from './repositories/snapshot.repository';
export { quoteIdentifier } from './sql';
export type { StoredDelta, StoredDeltaOp } from './stored-delta';
export { bigintNumberTransformer, bigintToNumber } from './version';
export { normalizeEmail } from './email';
export { contentAtVersion, type ContentAtVersion } from './history/content-at-version';
export { VersionUnavailableError } from './history/version-unavailable.error';
export { listHistory, nameVersion, type HistoryAuthor, type HistoryMark } from './history/history.repository';
export { insertOperationGroups, type GroupOutcome } from './repositories/operation-groups.repository';
export {
  ATTRIBUTION_TIME_STEP_MS,
  AttributionBuilder,
  AttributionMismatchError,
  authorRuns,
  deletionAtOrAfter,
  foldAttribution,
  initialAttribution,
  type Attribution,
  type AttributedOperation,
  type AttributionSegment,
  type AuthorRun,
  type DeletionSegment,
} from './history/attribution';
export { diffVersions, type DiffChange, type DiffSide, type VersionDiffResult } from './history/version-diff';
export {
  foldSessions,
  INITIAL_SESSION_STATE,
  SESSION_GAP_MS,
  sessionsOf,
  type EditingSession,
  type SessionFold,
  type SessionOperation,
  type SessionState,
} from './history/sessions';
export {
  documentsWithoutAttribution,
  type UnattributedDocument,
} from './history/attribution-backfill.repository';
export {
  decodeDeletions,
  decodeSegments,
  encodeSegments,
  historyStateAtVersion,
  type HistoryState,
  type StoredSegments,
} from './history/history-state';
export {
  listHistoryEntries,
  storeHistoryState,
  type HistoryEntry,
} from './history/history-entries.repository';
export {
  collaboratorsOf,
  documentHead,
  documentHeads,
  documentMeta,
  documentsOfMember,
  documentState,
  documentTitle,
  insertDocument,
  renameDocument,
  softDeleteDocument,
  type DocumentHead,
  type DocumentMeta,
  type MemberDocument,
} from './repositories/document.repository';
export {
  changeMemberRole,
  insertMember,
  isMemberByEmail,
  isMemberOfDeletedDocument,
  listMembers,
  lockMemberRole,
  memberIds,
  removeMember,
  rolesOf,
  setMemberRole,
  type MemberRecord,
  type RoleRecord,
} from './repositories/member.repository';
export {
  claimInvitation,
  deletePendingInvitation,
  invitationStatus,
  invitationsForEmail,
  pendingInvitationsOf,
  replacePendingInvitation,
  type InvitationKey,
  type InvitationStatus,
  type PendingInvitation,
  type ReceivedInvitation,
} from './repositories/invitation.repository';
export {
  credentialsByEmail,
  findUser,
  insertUser,
  userBadges,
  type UserBadge,
  type UserRecord,
} from './repositories/user.repository';
export {
  insertRefreshToken,
  lockRefreshToken,
  markRefreshTokenReplaced,
  refreshTokenFamily,
  revokeRefreshTokenFamily,
  type RefreshTokenRecord,
} from './repositories/refresh-token.repository';
export {
  findThreadById,
  insertThreadIfAbsent,
  listThreads,
  setThreadResolved,
  storeMovedAnchors,
  type NewThread,
  type StoredThread,
} from './comments/comment-thread.repository';
export {
  findCommentById,
  insertCommentIfAbsent,
  listComments,
  liveCommentCount,
  markCommentDeleted,
  updateCommentBody,
  type NewComment,
  type StoredComment,
} from './comments/comment.repository';
export {
  listDocumentThreads,
  listThreadPlaces,
  type ThreadPlace,
  type ThreadWithComments,
} from './comments/document-threads';
export { membersAmong, setMentions } from './comments/mention.repository';
export {
  findNotification,
  insertMentionNotifications,
  listNotifications,
  markNotificationsRead,
  unreadNotificationCount,
  type StoredNotification,
} from './comments/notification.repository';
export { AnchorLogGapError, anchorsAtVersion, quoteOf } from './comments/anchors-at-version';
