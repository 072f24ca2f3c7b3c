// Decorator metadata for the entities: imported once, before any entity class is evaluated.
import 'reflect-metadata';

export * from './entities';
export {
  MIGRATIONS,
  InitialSchema1764028800000,
  OperationRestoredFrom1764115200000,
  HistoryAttribution1764201600000,
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
  insertSnapshotIfAbsent,
  latestSnapshot,
  type NewSnapshot,
  type StoredSnapshot,
} from './repositories/snapshot.repository';
export { quoteIdentifier } from './sql';
export type { StoredDelta, StoredDeltaOp } from './stored-delta';
export { bigintNumberTransformer, bigintToNumber } from './version';
export { normalizeEmail } from './email';
export {
  contentAtVersion,
  type ContentAtVersion,
  VersionUnavailableError,
} from './history/content-at-version';
export { listHistory, nameVersion, type HistoryAuthor, type HistoryMark } from './history/history.repository';
export { insertOperationGroups, type GroupOutcome } from './repositories/operation-groups.repository';
export {
  ATTRIBUTION_TIME_STEP_MS,
  AttributionBuilder,
  AttributionMismatchError,
  authorRuns,
  foldAttribution,
  initialAttribution,
  type Attribution,
  type AttributedOperation,
  type AttributionSegment,
  type AuthorRun,
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
