// Decorator metadata for the entities: imported once, before any entity class is evaluated.
import 'reflect-metadata';

export * from './entities';
export { MIGRATIONS, InitialSchema1764028800000, OperationRestoredFrom1764115200000 } from './migrations';
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
  findOperationBySeq,
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
