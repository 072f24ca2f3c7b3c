import { randomUUID } from 'node:crypto';
import {
  AppError,
  canEdit,
  DEFAULT_HISTORY_PAGE,
  ErrorCode,
  type ExportFormat,
  type RestoreVersionResult,
  type Role,
  type VersionContent,
  type VersionList,
  type VersionListQuery,
  type VersionSummary,
} from '@collab/contracts';
import { contentAtVersion, headVersion, listHistory, nameVersion } from '@collab/persistence';
import { renderDocumentHtml } from '@collab/rich-text';
import type { DataSource } from 'typeorm';
import type { DocumentAccess } from '../documents/document-access';
import type { DocRouter } from '../routing/doc-router';
import { type ExportFile, exportVersion } from './version-export';
import { toVersionSummary } from './version-summary';

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
  ) {}

  async list(userId: string, docId: string, query: VersionListQuery): Promise<VersionList> {
    await this.authorize(userId, docId, 'read');
    const head = await this.head(docId);
    const marks = await listHistory(this.dataSource.manager, docId, {
      before: query.before,
      limit: query.limit ?? DEFAULT_HISTORY_PAGE,
    });
    return { headVersion: head, versions: marks.map(toVersionSummary) };
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

  private async title(docId: string): Promise<string> {
    const rows: { title: string }[] = await this.dataSource.query(
      'SELECT title FROM documents WHERE id = $1',
      [docId],
    );
    return rows[0]?.title ?? 'document';
  }
}
