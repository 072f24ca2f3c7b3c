import { randomUUID } from 'node:crypto';
import {
  AppError,
  canEdit,
  type Collaborator,
  DEFAULT_HISTORY_PAGE,
  type DiffChange,
  type DocumentAttribution,
  type DocumentSummary,
  ErrorCode,
  type ExportFormat,
  MAX_DIFF_SPAN,
  type RestoreVersionResult,
  type Role,
  type VersionContent,
  type VersionDiff,
  type VersionList,
  type VersionListQuery,
  type VersionSummary,
} from '@collab/contracts';
import {
  authorRuns,
  contentAtVersion,
  type DiffChange as StoredDiffChange,
  diffVersions,
  documentTitle,
  headVersion,
  historyStateAtVersion,
  listHistory,
  listHistoryEntries,
  nameVersion,
  userBadges,
} from '@collab/persistence';
import { renderDocumentHtml } from '@collab/rich-text';
import type { DataSource } from 'typeorm';
import type { DocumentAccess } from '../documents/document-access';
import type { DocumentsService } from '../documents/documents.service';
import type { DocRouter } from '../routing/doc-router';
import { copyOperations, copyTitle } from './version-copy';
import { type ExportFile, exportVersion } from './version-export';
import { toHistoryEntry, toVersionSummary } from './version-summary';

type Action = 'read' | 'edit';

/**
 * A document's history for the REST API. Reads (the list, past content,
 * exports) come straight from PostgreSQL, whose log and snapshots are
 * immutable below the head, so any gateway can serve them. A restore is a
 * new operation, so it goes through the document's owner like every other
 * write.
 *
 * Every call checks the caller's role first: someone without one gets
 * NOT_FOUND, whatever else is wrong with the request, so the API never tells
 * them whether a document or version exists.
 */
export class HistoryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: DocumentAccess,
    private readonly router: DocRouter,
    private readonly documents: DocumentsService,
  ) {}

  async list(userId: string, docId: string, query: VersionListQuery): Promise<VersionList> {
    await this.authorize(userId, docId, 'read');
    const head = await this.head(docId);
    const page = { before: query.before, limit: query.limit ?? DEFAULT_HISTORY_PAGE };
    const [marks, entries] = await Promise.all([
      listHistory(this.dataSource.manager, docId, page),
      listHistoryEntries(this.dataSource.manager, docId, page),
    ]);
    return { headVersion: head, versions: marks.map(toVersionSummary), entries: entries.map(toHistoryEntry) };
  }

  /**
   * The changes from `from` to `to`, each insert and delete with its author.
   * Both versions come from their newest attributed snapshot plus a short
   * tail, and are merged by character id: nothing between them is read.
   */
  async diff(userId: string, docId: string, from: number, to: number): Promise<VersionDiff> {
    await this.authorize(userId, docId, 'read');
    if (from > to) {
      throw new AppError(ErrorCode.BAD_REQUEST, `from (${from}) must not be after to (${to}).`, {
        details: { reason: 'FROM_AFTER_TO' },
      });
    }
    if (to - from > MAX_DIFF_SPAN) {
      throw new AppError(
        ErrorCode.SPAN_TOO_LARGE,
        `A diff spans at most ${MAX_DIFF_SPAN} versions; compare the two versions' content instead.`,
        { details: { maxSpan: MAX_DIFF_SPAN } },
      );
    }
    await this.existingVersion(docId, to);
    const manager = this.dataSource.manager;
    const [older, newer] = await Promise.all([
      historyStateAtVersion(manager, docId, from),
      historyStateAtVersion(manager, docId, to),
    ]);
    const diff = diffVersions(older, newer);
    const changes = diff.changes.map(toWireChange);
    // Everyone named: who wrote the inserted and deleted text, and who deleted it.
    const ids = diff.changes.flatMap((c) => [
      ...((c.kind === 'insert' || c.kind === 'delete') && c.userId ? [c.userId] : []),
      ...(c.kind === 'delete' && c.deletedBy ? [c.deletedBy] : []),
    ]);
    return {
      from,
      to,
      ops: diff.ops as VersionDiff['ops'],
      changes,
      authors: await this.collaborators(ids),
    };
  }

  /** Who wrote each character at `version` (omitted: the head), as runs covering the document. */
  async attribution(userId: string, docId: string, version?: number): Promise<DocumentAttribution> {
    await this.authorize(userId, docId, 'read');
    const at = version ?? (await this.head(docId));
    if (version !== undefined) await this.existingVersion(docId, version);
    const state = await historyStateAtVersion(this.dataSource.manager, docId, at);
    const runs = authorRuns(state.attribution);
    return {
      version: at,
      length: runs[runs.length - 1].to,
      runs: runs.map((r) => ({
        from: r.from,
        to: r.to,
        userId: r.userId,
        time: new Date(r.time).toISOString(),
      })),
      authors: await this.collaborators(runs.flatMap((r) => (r.userId ? [r.userId] : []))),
    };
  }

  async content(userId: string, docId: string, version: number): Promise<VersionContent> {
    await this.authorize(userId, docId, 'read');
    await this.existingVersion(docId, version);
    const content = await contentAtVersion(this.dataSource.manager, docId, version);
    return {
      version,
      delta: content.delta as VersionContent['delta'],
      html: content.html ?? renderDocumentHtml(content.delta),
    };
  }

  async name(userId: string, docId: string, version: number, name: string): Promise<VersionSummary> {
    await this.authorize(userId, docId, 'edit');
    await this.existingVersion(docId, version);
    return toVersionSummary(await nameVersion(this.dataSource.manager, docId, version, name, userId));
  }

  /**
   * Restores `version` through the document's owner. The restore gets its own
   * clientId (seq 1) here, once, and the router resends that same request
   * after NOT_OWNER or a timeout, so the owner applies it at most once.
   */
  async restore(userId: string, docId: string, version: number): Promise<RestoreVersionResult> {
    await this.authorize(userId, docId, 'edit');
    const result = await this.router.route({
      type: 'restore',
      docId,
      userId,
      toVersion: version,
      clientId: `restore-${randomUUID()}`,
      seq: 1,
    });
    return { version: result.version };
  }

  /**
   * A new document owned by the caller with the content of `version`: its
   * first operations write that content (by the caller, in the creating
   * transaction), so the copy's history starts with it. Any role may copy
   * what it can read, as it may export it.
   */
  async copy(userId: string, docId: string, version: number, title?: string): Promise<DocumentSummary> {
    await this.authorize(userId, docId, 'read');
    await this.existingVersion(docId, version);
    const content = await contentAtVersion(this.dataSource.manager, docId, version);
    return this.documents.create(userId, title ?? copyTitle(await this.title(docId), version), {
      deltas: copyOperations(content.delta),
      clientId: `copy-${randomUUID()}`,
      submissionHash: `copy|${docId}|${version}`,
    });
  }

  /** The head (or `version`) of the document as a file in `format`. */
  async export(userId: string, docId: string, format: ExportFormat, version?: number): Promise<ExportFile> {
    await this.authorize(userId, docId, 'read');
    const at = version ?? (await this.head(docId));
    if (version !== undefined) await this.existingVersion(docId, version);
    const content = await contentAtVersion(this.dataSource.manager, docId, at);
    return exportVersion(format, await this.title(docId), at, content.delta);
  }

  /** NOT_FOUND without a role (or for a deleted document), FORBIDDEN for a viewer's write. */
  private authorize(userId: string, docId: string, action: Action): Promise<Role> {
    return this.access.require(userId, docId, action === 'edit' ? canEdit : () => true);
  }

  private async head(docId: string): Promise<number> {
    const head = await headVersion(this.dataSource.manager, docId);
    if (head === null) throw new AppError(ErrorCode.NOT_FOUND, 'No such document, or no access to it.');
    return head;
  }

  /** Versions run from 0 (the empty document) to the head; anything above does not exist yet. */
  private async existingVersion(docId: string, version: number): Promise<void> {
    const head = await this.head(docId);
    if (version > head) {
      throw new AppError(ErrorCode.NOT_FOUND, `Version ${version} does not exist; the head is ${head}.`, {
        details: { headVersion: head },
      });
    }
  }

  /** Names and colours of the given users (each once). */
  private collaborators(userIds: readonly string[]): Promise<Collaborator[]> {
    return userBadges(this.dataSource.manager, userIds);
  }

  private async title(docId: string): Promise<string> {
    return (await documentTitle(this.dataSource.manager, docId)) ?? 'document';
  }
}

function toWireChange(change: StoredDiffChange): DiffChange {
  switch (change.kind) {
    case 'retain':
    case 'format':
      return { kind: change.kind };
    case 'insert':
      return { kind: 'insert', author: change.userId, at: new Date(change.time).toISOString() };
    case 'delete':
      return {
        kind: 'delete',
        author: change.userId,
        at: new Date(change.time).toISOString(),
        deletedBy: change.deletedBy,
        deletedAt: change.deletedTime === null ? null : new Date(change.deletedTime).toISOString(),
        deleted: change.deleted as Extract<DiffChange, { kind: 'delete' }>['deleted'],
      };
  }
}
