import {
  type CommentDto,
  CommentId,
  CommentListQuery,
  type CommentThreadDto,
  type CommentThreadList,
  CreateThreadRequest,
  DocId,
  EditCommentRequest,
  ErrorCode,
  ReplyRequest,
  ThreadId,
} from '@collab/contracts';
import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Identity } from '../auth/identity';
import { CurrentUser } from '../http/current-user.decorator';
import { JwtAuthGuard } from '../http/jwt-auth.guard';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { schemaRef } from '../openapi/openapi-schemas';
import { CommentsService } from './comments.service';

// Aliases: the contracts' names are zod schemas too (see HistoryController).
type CreateBody = CreateThreadRequest;
type ReplyBody = ReplyRequest;
type EditBody = EditCommentRequest;
type ListParams = CommentListQuery;

const docIdPipe = new ZodValidationPipe(DocId);
const threadIdPipe = new ZodValidationPipe(ThreadId);
const commentIdPipe = new ZodValidationPipe(CommentId);

/** The write refusals every comment route may give, besides the class-level ones. */
const WRITE_ERRORS = [
  ErrorCode.FORBIDDEN,
  ErrorCode.COMMENT_EMPTY,
  ErrorCode.COMMENT_TOO_LONG,
  ErrorCode.MENTION_NOT_MEMBER,
] as const;

/**
 * Comment threads of one document. Every member reads; owners, editors and
 * commenters write; viewers get FORBIDDEN; without a role, NOT_FOUND. Ids of
 * threads and comments are made by the client (UUIDs): a resend answers
 * what the first request stored. Each change is emitted live to the
 * document's room (`thread:created`, `comment:created`, ...).
 */
@ApiTags('comments')
@ApiBearerAuth()
@ApiErrors(
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.TOKEN_EXPIRED,
  ErrorCode.BAD_REQUEST,
  ErrorCode.NOT_FOUND,
  ErrorCode.DOCUMENT_DELETED,
)
@UseGuards(JwtAuthGuard)
@ApiParam({ name: 'docId', type: String, format: 'uuid' })
@Controller('documents/:docId/comments')
export class CommentsController {
  constructor(@Inject(CommentsService) private readonly comments: CommentsService) {}

  @Get()
  @ApiOperation({
    summary: 'List threads with their comments, anchors at the head',
    description:
      '`version` is the head the anchors were moved to; a client at a later version moves them through ' +
      'the operations after it. Resolved threads are listed with `resolvedAt`.',
  })
  @ApiQuery({
    name: 'limit',
    required: false,
    type: Number,
    description:
      'Only the first threads in the text (1-500): what a client shows first; `complete` says if any was left out',
  })
  @ApiResponse({ status: 200, schema: schemaRef('CommentThreadList') })
  list(
    @CurrentUser() user: Identity,
    @Param('docId', docIdPipe) docId: string,
    @Query(new ZodValidationPipe(CommentListQuery)) query: ListParams,
  ): Promise<CommentThreadList> {
    return this.comments.list(user.userId, docId, query.limit);
  }

  @Post()
  @ApiOperation({
    summary: 'Start a thread on a range, with its first comment',
    description:
      '`anchor` is `[from, to)` in the document at `anchor.version` (at most the head, and at most ' +
      '10,000 versions behind it). The answer keeps the anchor at that version.',
  })
  @ApiBody({ schema: schemaRef('CreateThreadRequest') })
  @ApiResponse({ status: 201, schema: schemaRef('CommentThreadDto') })
  @ApiErrors(
    ...WRITE_ERRORS,
    ErrorCode.ANCHOR_OUT_OF_RANGE,
    ErrorCode.VERSION_AHEAD,
    ErrorCode.VERSION_TOO_OLD,
    ErrorCode.COMMENT_ID_TAKEN,
  )
  create(
    @CurrentUser() user: Identity,
    @Param('docId', docIdPipe) docId: string,
    @Body(new ZodValidationPipe(CreateThreadRequest)) body: CreateBody,
  ): Promise<CommentThreadDto> {
    return this.comments.createThread(user.userId, docId, body);
  }

  @Post(':threadId')
  @ApiParam({ name: 'threadId', type: String, format: 'uuid' })
  @ApiOperation({ summary: 'Reply in a thread' })
  @ApiBody({ schema: schemaRef('ReplyRequest') })
  @ApiResponse({ status: 201, schema: schemaRef('CommentDto') })
  @ApiErrors(...WRITE_ERRORS, ErrorCode.THREAD_NOT_FOUND, ErrorCode.COMMENT_ID_TAKEN)
  reply(
    @CurrentUser() user: Identity,
    @Param('docId', docIdPipe) docId: string,
    @Param('threadId', threadIdPipe) threadId: string,
    @Body(new ZodValidationPipe(ReplyRequest)) body: ReplyBody,
  ): Promise<CommentDto> {
    return this.comments.reply(user.userId, docId, threadId, body);
  }

  @Patch(':threadId/:commentId')
  @ApiParam({ name: 'threadId', type: String, format: 'uuid' })
  @ApiParam({ name: 'commentId', type: String, format: 'uuid' })
  @ApiOperation({ summary: 'Edit my comment' })
  @ApiBody({ schema: schemaRef('EditCommentRequest') })
  @ApiResponse({ status: 200, schema: schemaRef('CommentDto') })
  @ApiErrors(...WRITE_ERRORS, ErrorCode.COMMENT_NOT_FOUND, ErrorCode.NOT_COMMENT_AUTHOR)
  edit(
    @CurrentUser() user: Identity,
    @Param('docId', docIdPipe) docId: string,
    @Param('threadId', threadIdPipe) threadId: string,
    @Param('commentId', commentIdPipe) commentId: string,
    @Body(new ZodValidationPipe(EditCommentRequest)) body: EditBody,
  ): Promise<CommentDto> {
    return this.comments.edit(user.userId, docId, threadId, commentId, body);
  }

  @Delete(':threadId/:commentId')
  @HttpCode(204)
  @ApiParam({ name: 'threadId', type: String, format: 'uuid' })
  @ApiParam({ name: 'commentId', type: String, format: 'uuid' })
  @ApiOperation({ summary: 'Delete my comment (a thread without comments is gone)' })
  @ApiResponse({ status: 204 })
  @ApiErrors(ErrorCode.FORBIDDEN, ErrorCode.COMMENT_NOT_FOUND, ErrorCode.NOT_COMMENT_AUTHOR)
  remove(
    @CurrentUser() user: Identity,
    @Param('docId', docIdPipe) docId: string,
    @Param('threadId', threadIdPipe) threadId: string,
    @Param('commentId', commentIdPipe) commentId: string,
  ): Promise<void> {
    return this.comments.remove(user.userId, docId, threadId, commentId);
  }

  @Post(':threadId/resolve')
  @HttpCode(200)
  @ApiParam({ name: 'threadId', type: String, format: 'uuid' })
  @ApiOperation({ summary: 'Resolve a thread (resolving it again keeps the first resolver)' })
  @ApiResponse({ status: 200, schema: schemaRef('CommentThreadDto') })
  @ApiErrors(ErrorCode.FORBIDDEN, ErrorCode.THREAD_NOT_FOUND)
  resolve(
    @CurrentUser() user: Identity,
    @Param('docId', docIdPipe) docId: string,
    @Param('threadId', threadIdPipe) threadId: string,
  ): Promise<CommentThreadDto> {
    return this.comments.setResolved(user.userId, docId, threadId, true);
  }

  @Post(':threadId/reopen')
  @HttpCode(200)
  @ApiParam({ name: 'threadId', type: String, format: 'uuid' })
  @ApiOperation({ summary: 'Reopen a resolved thread' })
  @ApiResponse({ status: 200, schema: schemaRef('CommentThreadDto') })
  @ApiErrors(ErrorCode.FORBIDDEN, ErrorCode.THREAD_NOT_FOUND)
  reopen(
    @CurrentUser() user: Identity,
    @Param('docId', docIdPipe) docId: string,
    @Param('threadId', threadIdPipe) threadId: string,
  ): Promise<CommentThreadDto> {
    return this.comments.setResolved(user.userId, docId, threadId, false);
  }
}
