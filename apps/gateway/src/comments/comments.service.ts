import {
  AppError,
  canComment,
  type CommentDto,
  commentBodyProblem,
  CommentEvent,
  type CommentThreadDto,
  type CommentThreadList,
  type CreateThreadRequest,
  type EditCommentRequest,
  ErrorCode,
  MAX_ANCHOR_LAG_VERSIONS,
  MAX_QUOTED_TEXT_LENGTH,
  type ReplyRequest,
} from '@collab/contracts';
import { anchorRangeProblem } from '@collab/ot';
import {
  contentAtVersion,
  findCommentById,
  findThreadById,
  headVersion,
  insertCommentIfAbsent,
  insertThreadIfAbsent,
  listComments,
  liveCommentCount,
  markCommentDeleted,
  quoteOf,
  setThreadResolved,
  type StoredThread,
  updateCommentBody,
} from '@collab/persistence';
import type { Logger } from 'pino';
import type { DataSource, EntityManager } from 'typeorm';
import type { DocumentAccess } from '../documents/document-access';
import { documentLength, idsNamedBy, peopleById, toCommentDto, toThreadDto } from './comment-dto';
import type { CommentEvents } from './comment-events';
import type { MentionNotifier } from './mention-notifier';
import { readThreadList } from './thread-list';

const anyRole = (): boolean => true;

/**
 * Threads and comments of one document. Any member reads; owners, editors
 * and commenters write (viewers get FORBIDDEN); only its author edits or
 * deletes a comment. Every refusal happens before anything is written.
 *
 * Creation is idempotent on the client-made ids: a resend of a thread or a
 * comment (same id, same author, same place) answers what the first one
 * stored and emits nothing; the same id anywhere else is COMMENT_ID_TAKEN.
 */
export class CommentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly access: DocumentAccess,
    private readonly events: CommentEvents,
    private readonly mentions: MentionNotifier,
    private readonly log: Logger,
  ) {}

  /** Every thread with a comment left, or the `limit` first in the text; anchors at the head (see readThreadList). */
  async list(userId: string, docId: string, limit?: number): Promise<CommentThreadList> {
    const allowed = this.access.require(userId, docId, anyRole);
    return readThreadList(this.dataSource.manager, docId, limit, this.log, allowed);
  }

  async createThread(userId: string, docId: string, request: CreateThreadRequest): Promise<CommentThreadDto> {
    await this.access.require(userId, docId, canComment);
    const body = this.checkBody(request.body);
    await this.mentions.checkMembers(docId, request.mentions);
    const resent = await this.resentThread(userId, docId, request.threadId, request.commentId);
    if (resent) return resent;

    const manager = this.dataSource.manager;
    const { from, to, version } = request.anchor;
    const head = (await headVersion(manager, docId)) ?? 0;
    if (version > head)
      throw new AppError(ErrorCode.VERSION_AHEAD, undefined, { details: { headVersion: head } });
    if (head - version > MAX_ANCHOR_LAG_VERSIONS) {
      throw new AppError(ErrorCode.VERSION_TOO_OLD, undefined, { details: { headVersion: head } });
    }
    const content = await contentAtVersion(manager, docId, version);
    const problem = anchorRangeProblem(from, to, documentLength(content.delta));
    if (problem) throw new AppError(ErrorCode.ANCHOR_OUT_OF_RANGE, problem, { details: { version } });

    const anchor = { from, to, version, detached: false };
    const thread = {
      id: request.threadId,
      documentId: docId,
      anchor,
      quotedText: quoteOf(content.delta, from, to, MAX_QUOTED_TEXT_LENGTH),
      createdBy: userId,
    };
    const notified = await this.dataSource.transaction(async (tx) => {
      if (!(await insertThreadIfAbsent(tx, thread))) return null; // a resend raced us
      if (
        !(await insertCommentIfAbsent(tx, {
          id: request.commentId,
          threadId: thread.id,
          authorId: userId,
          body,
        }))
      ) {
        throw new AppError(ErrorCode.COMMENT_ID_TAKEN);
      }
      return this.mentions.record(
        tx,
        { docId, threadId: thread.id, commentId: request.commentId, actorId: userId },
        request.mentions,
      );
    });
    if (notified === null) {
      const raced = await this.resentThread(userId, docId, request.threadId, request.commentId);
      if (raced) return raced;
      throw new AppError(ErrorCode.COMMENT_ID_TAKEN);
    }
    const dto = await this.threadDto(manager, (await findThreadById(manager, thread.id))!);
    this.events.toDocument(docId, CommentEvent.ThreadCreated, { docId, thread: dto });
    await this.mentions.announce(notified);
    return dto;
  }

  async reply(userId: string, docId: string, threadId: string, request: ReplyRequest): Promise<CommentDto> {
    await this.access.require(userId, docId, canComment);
    const body = this.checkBody(request.body);
    await this.mentions.checkMembers(docId, request.mentions);
    await this.liveThread(docId, threadId);
    const resent = await this.resentComment(userId, threadId, request.commentId);
    if (resent) return resent;

    const comment = { id: request.commentId, threadId, authorId: userId, body };
    const notified = await this.dataSource.transaction(async (tx) => {
      if (!(await insertCommentIfAbsent(tx, comment))) return null;
      return this.mentions.record(
        tx,
        { docId, threadId, commentId: comment.id, actorId: userId },
        request.mentions,
      );
    });
    if (notified === null) {
      const raced = await this.resentComment(userId, threadId, request.commentId);
      if (raced) return raced;
      throw new AppError(ErrorCode.COMMENT_ID_TAKEN);
    }
    const dto = await this.commentDto(comment.id);
    this.events.toDocument(docId, CommentEvent.CommentCreated, { docId, comment: dto });
    await this.mentions.announce(notified);
    return dto;
  }

  async edit(
    userId: string,
    docId: string,
    threadId: string,
    commentId: string,
    request: EditCommentRequest,
  ): Promise<CommentDto> {
    await this.access.require(userId, docId, canComment);
    await this.ownComment(userId, docId, threadId, commentId);
    const body = this.checkBody(request.body);
    await this.mentions.checkMembers(docId, request.mentions);
    const notified = await this.dataSource.transaction(async (tx) => {
      if (!(await updateCommentBody(tx, commentId, body))) throw new AppError(ErrorCode.COMMENT_NOT_FOUND);
      return this.mentions.record(tx, { docId, threadId, commentId, actorId: userId }, request.mentions);
    });
    const dto = await this.commentDto(commentId);
    this.events.toDocument(docId, CommentEvent.CommentEdited, { docId, comment: dto });
    await this.mentions.announce(notified);
    return dto;
  }

  async remove(userId: string, docId: string, threadId: string, commentId: string): Promise<void> {
    await this.access.require(userId, docId, canComment);
    await this.ownComment(userId, docId, threadId, commentId);
    const manager = this.dataSource.manager;
    if (!(await markCommentDeleted(manager, commentId))) throw new AppError(ErrorCode.COMMENT_NOT_FOUND);
    const threadDeleted = (await liveCommentCount(manager, threadId)) === 0;
    this.events.toDocument(docId, CommentEvent.CommentDeleted, { docId, threadId, commentId, threadDeleted });
  }

  /** Resolves (`resolved`) or reopens a thread; answers it as it is then. */
  async setResolved(
    userId: string,
    docId: string,
    threadId: string,
    resolved: boolean,
  ): Promise<CommentThreadDto> {
    await this.access.require(userId, docId, canComment);
    await this.liveThread(docId, threadId);
    const manager = this.dataSource.manager;
    const thread = await setThreadResolved(manager, docId, threadId, resolved ? userId : null);
    if (!thread) throw new AppError(ErrorCode.THREAD_NOT_FOUND);
    const dto = await this.threadDto(manager, thread);
    if (dto.resolvedAt && dto.resolvedBy) {
      this.events.toDocument(docId, CommentEvent.ThreadResolved, {
        docId,
        threadId,
        resolvedAt: dto.resolvedAt,
        resolvedBy: dto.resolvedBy,
      });
    } else {
      this.events.toDocument(docId, CommentEvent.ThreadReopened, { docId, threadId });
    }
    return dto;
  }

  /** The trimmed body, or the body's own refusal. */
  private checkBody(body: string): string {
    const problem = commentBodyProblem(body);
    if (problem) throw new AppError(problem);
    return body.trim();
  }

  /** THREAD_NOT_FOUND unless the document has the thread with a comment left. */
  private async liveThread(docId: string, threadId: string): Promise<StoredThread> {
    const thread = await findThreadById(this.dataSource.manager, threadId);
    if (
      !thread ||
      thread.documentId !== docId ||
      (await liveCommentCount(this.dataSource.manager, threadId)) === 0
    ) {
      throw new AppError(ErrorCode.THREAD_NOT_FOUND);
    }
    return thread;
  }

  /** COMMENT_NOT_FOUND unless it is a live comment of that thread and document; NOT_COMMENT_AUTHOR unless the user wrote it. */
  private async ownComment(
    userId: string,
    docId: string,
    threadId: string,
    commentId: string,
  ): Promise<void> {
    await this.liveThread(docId, threadId).catch(() => {
      throw new AppError(ErrorCode.COMMENT_NOT_FOUND);
    });
    const comment = await findCommentById(this.dataSource.manager, commentId);
    if (!comment || comment.threadId !== threadId || comment.deletedAt)
      throw new AppError(ErrorCode.COMMENT_NOT_FOUND);
    if (comment.authorId !== userId) throw new AppError(ErrorCode.NOT_COMMENT_AUTHOR);
  }

  /** The stored thread when this request is a resend of its creation, null when the ids are free. */
  private async resentThread(
    userId: string,
    docId: string,
    threadId: string,
    commentId: string,
  ): Promise<CommentThreadDto | null> {
    const manager = this.dataSource.manager;
    const thread = await findThreadById(manager, threadId);
    if (!thread) {
      if (await findCommentById(manager, commentId)) throw new AppError(ErrorCode.COMMENT_ID_TAKEN);
      return null;
    }
    const first = await findCommentById(manager, commentId);
    if (thread.documentId !== docId || thread.createdBy !== userId || first?.threadId !== threadId) {
      throw new AppError(ErrorCode.COMMENT_ID_TAKEN);
    }
    return this.threadDto(manager, thread);
  }

  /** The stored comment when this request is a resend of it, null when the id is free. */
  private async resentComment(
    userId: string,
    threadId: string,
    commentId: string,
  ): Promise<CommentDto | null> {
    const comment = await findCommentById(this.dataSource.manager, commentId);
    if (!comment) return null;
    if (comment.threadId !== threadId || comment.authorId !== userId)
      throw new AppError(ErrorCode.COMMENT_ID_TAKEN);
    if (comment.deletedAt) throw new AppError(ErrorCode.COMMENT_NOT_FOUND);
    return this.commentDto(commentId);
  }

  /** A thread with its live comments, its anchor as stored (at the version it names). */
  private async threadDto(manager: EntityManager, thread: StoredThread): Promise<CommentThreadDto> {
    const comments = await listComments(manager, [thread.id]);
    const people = await peopleById(manager, idsNamedBy(thread, comments));
    return toThreadDto(thread, thread.anchor, comments, people);
  }

  private async commentDto(commentId: string): Promise<CommentDto> {
    const manager = this.dataSource.manager;
    const comment = (await findCommentById(manager, commentId))!;
    return toCommentDto(comment, await peopleById(manager, [comment.authorId]));
  }
}
