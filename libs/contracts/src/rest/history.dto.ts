import { z } from 'zod';
import { IsoDateTime, pageSizeParam, UserId, Version, VersionParam } from '../common/ids';
import { DeltaOp, DocumentDelta } from '../delta/delta.schema';
import { MAX_VERSION_NAME_LENGTH } from '../limits';
import { Collaborator, Title } from './documents.dto';

/** Why a version appears in the history. */
export const VersionKind = {
  /** A snapshot the worker made (every 50 versions). */
  Snapshot: 'snapshot',
  /** A version someone named. */
  Named: 'named',
  /** The operation that restored an older version. */
  Restore: 'restore',
} as const;

/** One of the values of {@link VersionKind}. */
export type VersionKind = (typeof VersionKind)[keyof typeof VersionKind];

/** Runtime schema of a {@link VersionKind}. */
export const VersionKindSchema = z.enum(VersionKind);

/** A version name: trimmed, 1 to 100 characters, no control characters. */
export const VersionName = z
  .string()
  .trim()
  .min(1)
  .max(MAX_VERSION_NAME_LENGTH)
  .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed');

/**
 * One entry of a document's history: its version, why it is listed, its
 * name if named (for a restore, e.g. which version it restored), when, and
 * who wrote the operations since the previous entry.
 */
export const VersionSummary = z.object({
  version: Version,
  kind: VersionKindSchema,
  name: VersionName.optional(),
  createdAt: IsoDateTime,
  authors: z.array(Collaborator),
});
/** See {@link VersionSummary}. */
export type VersionSummary = z.infer<typeof VersionSummary>;

/** Entries in one page of the history when the query names no limit. */
export const DEFAULT_HISTORY_PAGE = 100;
/** Most entries one page of the history may ask for. */
export const MAX_HISTORY_PAGE = 500;

/**
 * Query string of the history list: `?before=1200&limit=50` lists the
 * entries below version 1200, newest first (omitted: from the head, and
 * {@link DEFAULT_HISTORY_PAGE} entries). Query values arrive as strings.
 */
export const VersionListQuery = z.strictObject({
  before: VersionParam.optional(),
  limit: pageSizeParam(MAX_HISTORY_PAGE).optional(),
});
/** See {@link VersionListQuery}. */
export type VersionListQuery = z.infer<typeof VersionListQuery>;

/**
 * An editing session: versions `fromVersion..toVersion`, written by
 * `authors` (in the order they first wrote in it) between `startedAt` and
 * `endedAt`. A new session starts after a pause of more than
 * {@link SESSION_GAP_MINUTES} minutes, when someone joins or leaves (writes
 * after, or stops for longer than, that pause), and after a restore.
 */
export const SessionEntry = z.object({
  kind: z.literal('session'),
  fromVersion: Version,
  toVersion: Version,
  startedAt: IsoDateTime,
  endedAt: IsoDateTime,
  authors: z.array(Collaborator),
});
/** See {@link SessionEntry}. */
export type SessionEntry = z.infer<typeof SessionEntry>;

/** A restore: one version (`fromVersion` = `toVersion` = `version`) that restored `restoredFrom`. */
export const RestoreEntry = z.object({
  kind: z.literal('restore'),
  version: Version,
  fromVersion: Version,
  toVersion: Version,
  restoredFrom: Version,
  createdAt: IsoDateTime,
  authors: z.array(Collaborator),
});
/** See {@link RestoreEntry}. */
export type RestoreEntry = z.infer<typeof RestoreEntry>;

/** A named version: a marker at `version`, inside a session (named by `namedBy`). */
export const NamedEntry = z.object({
  kind: z.literal('named'),
  version: Version,
  name: VersionName,
  createdAt: IsoDateTime,
  namedBy: Collaborator.nullable(),
});
/** See {@link NamedEntry}. */
export type NamedEntry = z.infer<typeof NamedEntry>;

/** Minutes of pause after which the next edit starts a new session. */
export const SESSION_GAP_MINUTES = 5;

/**
 * One entry of the history with sessions. Sessions and restores partition
 * versions 1..head (every version is in exactly one of them); named
 * versions are markers. Newest first: sessions and restores by their first
 * version, a name above the session that starts at its version.
 */
export const HistoryEntry = z.discriminatedUnion('kind', [SessionEntry, RestoreEntry, NamedEntry]);
/** See {@link HistoryEntry}. */
export type HistoryEntry = z.infer<typeof HistoryEntry>;

/**
 * A document's history, newest first, and its head version.
 *
 * `entries` is the history with editing sessions (`?before=` pages it by
 * version: sessions and restores starting below it, names below it).
 * `versions` is the older listing (snapshots every 50 versions, names,
 * restores), kept unchanged for existing clients.
 */
export const VersionList = z.object({
  headVersion: Version,
  versions: z.array(VersionSummary),
  entries: z.array(HistoryEntry),
});
/** See {@link VersionList}. */
export type VersionList = z.infer<typeof VersionList>;

/** The content of a document at `version`: the Delta and its sanitized HTML. */
export const VersionContent = z.object({
  version: Version,
  delta: DocumentDelta,
  html: z.string(),
});
/** See {@link VersionContent}. */
export type VersionContent = z.infer<typeof VersionContent>;

/** Name a version (editors and owner); the version is in the path. Answers {@link VersionSummary}. */
export const NameVersionRequest = z.strictObject({ name: VersionName });
/** See {@link NameVersionRequest}. */
export type NameVersionRequest = z.infer<typeof NameVersionRequest>;

/**
 * Restore `version` (editors and owner): committed as a new forward
 * operation through the document's owner. Answers {@link RestoreVersionResult}.
 */
export const RestoreVersionRequest = z.strictObject({ version: Version });
/** See {@link RestoreVersionRequest}. */
export type RestoreVersionRequest = z.infer<typeof RestoreVersionRequest>;

/** The version the restore was committed as. */
export const RestoreVersionResult = z.object({ version: Version });
/** See {@link RestoreVersionResult}. */
export type RestoreVersionResult = z.infer<typeof RestoreVersionResult>;

/**
 * Copy a version as a new document owned by the caller (any role may copy
 * what it can read). `title` omitted: the source's title with the version
 * (for example "Plan (version 12)"). Answers the new document's
 * `DocumentSummary`.
 */
export const CopyVersionRequest = z.strictObject({ title: Title.optional() });
/** See {@link CopyVersionRequest}. */
export type CopyVersionRequest = z.infer<typeof CopyVersionRequest>;

/** Formats a version can be exported as. */
export const ExportFormat = {
  Html: 'html',
  Markdown: 'markdown',
  Text: 'text',
} as const;

/** One of the values of {@link ExportFormat}. */
export type ExportFormat = (typeof ExportFormat)[keyof typeof ExportFormat];

/** Runtime schema of an {@link ExportFormat}. */
export const ExportFormatSchema = z.enum(ExportFormat);

/** Content type and file extension of each export format. */
export const EXPORT_FORMATS: { readonly [F in ExportFormat]: { contentType: string; extension: string } } = {
  html: { contentType: 'text/html; charset=utf-8', extension: 'html' },
  markdown: { contentType: 'text/markdown; charset=utf-8', extension: 'md' },
  text: { contentType: 'text/plain; charset=utf-8', extension: 'txt' },
};

/**
 * Query string of an export: `?format=markdown&version=120` (version
 * omitted: the head). Query values arrive as strings.
 */
export const ExportQuery = z.strictObject({
  format: ExportFormatSchema,
  version: VersionParam.optional(),
});
/** See {@link ExportQuery}. */
export type ExportQuery = z.infer<typeof ExportQuery>;

/**
 * Most versions one diff may span (`to - from`). The diff's cost does not
 * grow with the span (it merges the two versions' stored attribution, see
 * docs/architecture.md 9.4), but a longer span is not something a person
 * reads as changes: compare two versions' content instead. A longer span
 * is refused with SPAN_TOO_LARGE and `details: {maxSpan}`.
 */
export const MAX_DIFF_SPAN = 100_000;

/** Query string of a diff: `?from=120&to=480` (from <= to, both at most the head). */
export const VersionDiffQuery = z.strictObject({ from: VersionParam, to: VersionParam });
/** See {@link VersionDiffQuery}. */
export type VersionDiffQuery = z.infer<typeof VersionDiffQuery>;

/**
 * What one component of a diff's `ops` does (`changes[i]` describes `ops[i]`):
 * - `retain`: unchanged text;
 * - `format`: unchanged text whose formats changed (the retain's attributes
 *   say how; `null` removes a format);
 * - `insert`: text written between the two versions by `author` at `at`;
 * - `delete`: text of the older version that is gone, with that text
 *   (`deleted`, formats included, to show it struck through), who wrote it
 *   (`author`, `at`) and who deleted it (`deletedBy`, `deletedAt`: null only
 *   for a history stored before deletions were recorded).
 * `author` is null only for the newline every document starts with.
 */
export const DiffChange = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('retain') }),
  z.object({ kind: z.literal('format') }),
  z.object({ kind: z.literal('insert'), author: UserId.nullable(), at: IsoDateTime }),
  z.object({
    kind: z.literal('delete'),
    author: UserId.nullable(),
    at: IsoDateTime,
    deletedBy: UserId.nullable(),
    deletedAt: IsoDateTime.nullable(),
    deleted: DocumentDelta,
  }),
]);
/** See {@link DiffChange}. */
export type DiffChange = z.infer<typeof DiffChange>;

/**
 * The changes from version `from` to version `to`. `ops` is a Quill Delta:
 * composed onto version `from` it gives version `to`. Each insert and
 * delete has one author, so `ops` is not normalized: read it with `changes`
 * side by side (same length) and do not merge its components. `authors`
 * names every author mentioned.
 */
export const VersionDiff = z
  .object({
    from: Version,
    to: Version,
    ops: z.array(DeltaOp),
    changes: z.array(DiffChange),
    authors: z.array(Collaborator),
  })
  .refine((diff) => diff.ops.length === diff.changes.length, {
    message: 'ops and changes must have the same length',
    path: ['changes'],
  });
/** See {@link VersionDiff}. */
export type VersionDiff = z.infer<typeof VersionDiff>;

/** Query string of an attribution: `?version=480` (omitted: the head). */
export const AttributionQuery = z.strictObject({ version: VersionParam.optional() });
/** See {@link AttributionQuery}. */
export type AttributionQuery = z.infer<typeof AttributionQuery>;

/**
 * Characters `[from, to)` (Quill positions) were written by `userId`: every
 * character's author is the author of the operation that inserted it
 * (formatting changes no author; a restore's text is its restorer's). The
 * characters of a run were written from `time` to at most two minutes
 * later. `userId` is null only for the newline a document starts with.
 */
export const AuthorRun = z.object({
  from: z.int().nonnegative(),
  to: z.int().positive(),
  userId: UserId.nullable(),
  time: IsoDateTime,
});
/** See {@link AuthorRun}. */
export type AuthorRun = z.infer<typeof AuthorRun>;

/** Who wrote what at `version`: runs covering the document [0, length) exactly, in order. */
export const DocumentAttribution = z.object({
  version: Version,
  length: z.int().positive(),
  runs: z.array(AuthorRun),
  authors: z.array(Collaborator),
});
/** See {@link DocumentAttribution}. */
export type DocumentAttribution = z.infer<typeof DocumentAttribution>;
