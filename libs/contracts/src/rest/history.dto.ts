import { z } from 'zod';
import { IsoDateTime, Version, VersionParam } from '../common/ids';
import { DocumentDelta } from '../delta/delta.schema';
import { MAX_VERSION_NAME_LENGTH } from '../limits';
import { Collaborator } from './documents.dto';

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
  limit: z
    .string()
    .regex(/^[1-9][0-9]{0,3}$/, 'Expected a page size')
    .transform(Number)
    .pipe(z.int().min(1).max(MAX_HISTORY_PAGE))
    .optional(),
});
/** See {@link VersionListQuery}. */
export type VersionListQuery = z.infer<typeof VersionListQuery>;

/** A document's history, newest first, and its head version. */
export const VersionList = z.object({
  headVersion: Version,
  versions: z.array(VersionSummary),
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
