import {
  AttributionQuery,
  CopyVersionRequest,
  type DocumentSummary,
  DocId,
  type DocumentAttribution,
  ErrorCode,
  ExportQuery,
  NameVersionRequest,
  type RestoreVersionResult,
  RestoreVersionRequest,
  type VersionContent,
  type VersionDiff,
  VersionDiffQuery,
  type VersionList,
  VersionListQuery,
  VersionParam,
  type VersionSummary,
} from '@collab/contracts';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiBody,
  ApiOperation,
  ApiParam,
  ApiProduces,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Identity } from '../auth/identity';
import { CurrentUser } from '../http/current-user.decorator';
import { JwtAuthGuard } from '../http/jwt-auth.guard';
import { ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { schemaRef } from '../openapi/openapi-schemas';
import { HistoryService } from './history.service';

// Aliases, not the contracts' names: those name a zod schema too, and decorator
// metadata would describe the parameter with the schema object (which breaks
// the OpenAPI explorer). The aliases resolve to plain object types.
type ListQuery = VersionListQuery;
type ExportParams = ExportQuery;
type NameBody = NameVersionRequest;
type RestoreBody = RestoreVersionRequest;
type CopyBody = CopyVersionRequest;
type DiffParams = VersionDiffQuery;
type AttributionParams = AttributionQuery;

const docIdPipe = new ZodValidationPipe(DocId);
const versionPipe = new ZodValidationPipe(VersionParam);
// The copy's body is optional: no body at all is a copy with the default title.
const copyBodyPipe = new ZodValidationPipe(CopyVersionRequest.optional());

/**
 * Version history of one document: list, view, name, restore, copy, export. Any
 * role reads; editors and the owner name and restore; without a role the
 * answer is NOT_FOUND. The guard runs before the pipes, so an
 * unauthenticated request is UNAUTHENTICATED whatever else it carries.
 */
@ApiTags('history')
@ApiBearerAuth()
@ApiErrors(ErrorCode.UNAUTHENTICATED, ErrorCode.TOKEN_EXPIRED, ErrorCode.BAD_REQUEST, ErrorCode.NOT_FOUND)
@UseGuards(JwtAuthGuard)
@ApiParam({ name: 'docId', type: String, format: 'uuid' })
@Controller('documents/:docId')
export class HistoryController {
  constructor(@Inject(HistoryService) private readonly history: HistoryService) {}

  @Get('versions')
  @ApiQuery({ name: 'before', required: false, type: Number, description: 'List entries below this version' })
  @ApiQuery({
    name: 'limit',
    required: false,
    type: Number,
    description: 'Entries per page (1-500, default 100)',
  })
  @ApiOperation({
    summary: 'List versions, newest first',
    description:
      '`entries`: editing sessions (a new one after a 5-minute pause or when someone joins or leaves), ' +
      'restores and named versions; sessions and restores partition the versions. `versions`: the older ' +
      'listing (snapshots, named versions and restores, with who wrote since the previous entry). ' +
      'Page both with `before`.',
  })
  @ApiResponse({ status: 200, schema: schemaRef('VersionList') })
  list(
    @CurrentUser() user: Identity,
    @Param('docId', docIdPipe) docId: string,
    @Query(new ZodValidationPipe(VersionListQuery)) query: ListQuery,
  ): Promise<VersionList> {
    return this.history.list(user.userId, docId, query);
  }

  @Get('diff')
  @ApiErrors(ErrorCode.BAD_REQUEST, ErrorCode.SPAN_TOO_LARGE)
  @ApiQuery({ name: 'from', required: true, type: Number, description: 'The older version' })
  @ApiQuery({ name: 'to', required: true, type: Number, description: 'The newer version (at most the head)' })
  @ApiOperation({
    summary: 'The changes between two versions, with their authors',
    description:
      '`ops` is a Quill Delta that turns version `from` into version `to`; `changes[i]` describes `ops[i]` ' +
      '(insert: author and time; delete: the deleted content, who wrote it and who deleted it; format: the retain changes ' +
      'formats). A version above the head is NOT_FOUND; `from` > `to` is BAD_REQUEST (`FROM_AFTER_TO`); ' +
      'a span over 100,000 versions is SPAN_TOO_LARGE (details `maxSpan`).',
  })
  @ApiResponse({ status: 200, schema: schemaRef('VersionDiff') })
  diff(
    @CurrentUser() user: Identity,
    @Param('docId', docIdPipe) docId: string,
    @Query(new ZodValidationPipe(VersionDiffQuery)) query: DiffParams,
  ): Promise<VersionDiff> {
    return this.history.diff(user.userId, docId, query.from, query.to);
  }

  @Get('attribution')
  @ApiQuery({ name: 'version', required: false, type: Number, description: 'Omitted: the head' })
  @ApiOperation({
    summary: 'Who wrote each character of a version',
    description:
      'Runs `{from, to, userId, time}` covering the document exactly: each character is attributed to ' +
      'the author of the operation that inserted it (formatting changes no author).',
  })
  @ApiResponse({ status: 200, schema: schemaRef('DocumentAttribution') })
  attribution(
    @CurrentUser() user: Identity,
    @Param('docId', docIdPipe) docId: string,
    @Query(new ZodValidationPipe(AttributionQuery)) query: AttributionParams,
  ): Promise<DocumentAttribution> {
    return this.history.attribution(user.userId, docId, query.version);
  }

  @Get('versions/:version')
  @ApiOperation({ summary: 'The content of a version: Delta and sanitized HTML' })
  @ApiResponse({ status: 200, schema: schemaRef('VersionContent') })
  content(
    @CurrentUser() user: Identity,
    @Param('docId', docIdPipe) docId: string,
    @Param('version', versionPipe) version: number,
  ): Promise<VersionContent> {
    return this.history.content(user.userId, docId, version);
  }

  @Put('versions/:version/name')
  @ApiBody({ schema: schemaRef('NameVersionRequest') })
  @ApiResponse({ status: 200, schema: schemaRef('VersionSummary') })
  @ApiOperation({ summary: 'Name (or rename) a version' })
  @ApiErrors(ErrorCode.FORBIDDEN)
  name(
    @CurrentUser() user: Identity,
    @Param('docId', docIdPipe) docId: string,
    @Param('version', versionPipe) version: number,
    @Body(new ZodValidationPipe(NameVersionRequest)) body: NameBody,
  ): Promise<VersionSummary> {
    return this.history.name(user.userId, docId, version, body.name);
  }

  @Post('restore')
  @ApiBody({ schema: schemaRef('RestoreVersionRequest') })
  @ApiResponse({ status: 200, schema: schemaRef('RestoreVersionResult') })
  @HttpCode(200)
  @ApiOperation({
    summary: 'Restore a version',
    description:
      'Committed through the document owner as a new operation (the difference to the old content); ' +
      'connected editors converge on it. Restoring the current content commits nothing and answers the head.',
  })
  @ApiErrors(ErrorCode.FORBIDDEN, ErrorCode.VERSION_AHEAD, ErrorCode.TIMEOUT, ErrorCode.UNAVAILABLE)
  restore(
    @CurrentUser() user: Identity,
    @Param('docId', docIdPipe) docId: string,
    @Body(new ZodValidationPipe(RestoreVersionRequest)) body: RestoreBody,
  ): Promise<RestoreVersionResult> {
    return this.history.restore(user.userId, docId, body.version);
  }

  @Post('versions/:version/copy')
  @ApiBody({ schema: schemaRef('CopyVersionRequest'), required: false })
  @ApiResponse({ status: 201, schema: schemaRef('DocumentSummary') })
  @ApiOperation({
    summary: 'Copy a version as a new document',
    description:
      'A new document owned by the caller, with the content of the version (its first operations, by the ' +
      'caller). `title` omitted: "<title> (version N)". A version above the head is NOT_FOUND.',
  })
  copy(
    @CurrentUser() user: Identity,
    @Param('docId', docIdPipe) docId: string,
    @Param('version', versionPipe) version: number,
    @Body(copyBodyPipe) body: CopyBody | undefined,
  ): Promise<DocumentSummary> {
    return this.history.copy(user.userId, docId, version, body?.title);
  }

  @Get('export')
  @ApiQuery({ name: 'format', required: true, enum: ['html', 'markdown', 'text'] })
  @ApiQuery({ name: 'version', required: false, type: Number, description: 'Omitted: the head' })
  @ApiOperation({
    summary: 'Download the head or a version as HTML, Markdown or plain text',
    description: '`?format=html|markdown|text&version=<n>`; the file name is in Content-Disposition.',
  })
  @ApiProduces('text/html', 'text/markdown', 'text/plain')
  @ApiResponse({ status: 200, description: 'The file, with Content-Disposition: attachment' })
  async export(
    @CurrentUser() user: Identity,
    @Param('docId', docIdPipe) docId: string,
    @Query(new ZodValidationPipe(ExportQuery)) query: ExportParams,
    @Res() response: Response,
  ): Promise<void> {
    const file = await this.history.export(user.userId, docId, query.format, query.version);
    response
      .status(200)
      .setHeader('content-type', file.contentType)
      .setHeader('content-disposition', file.contentDisposition)
      // A past version never changes, but access to it can: never cache a copy anywhere shared.
      .setHeader('cache-control', 'private, no-store')
      .send(file.body);
  }
}
