import {
  CreateDocumentRequest,
  DocId,
  type DocumentList,
  type DocumentSummary,
  ErrorCode,
  RenameDocumentRequest,
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
  UseGuards,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Identity } from '../auth/identity';
import { CurrentUser } from '../http/current-user.decorator';
import { JwtAuthGuard } from '../http/jwt-auth.guard';
import { type Parsed, ZodValidationPipe } from '../http/zod-validation.pipe';
import { ApiErrors } from '../openapi/api-errors.decorator';
import { schemaRef } from '../openapi/openapi-schemas';
import { DocumentsService } from './documents.service';

/** Documents: create, list (mine and shared with me), read, rename and delete. */
@ApiTags('documents')
@ApiBearerAuth()
@ApiErrors(ErrorCode.UNAUTHENTICATED, ErrorCode.TOKEN_EXPIRED)
@UseGuards(JwtAuthGuard)
@Controller('documents')
export class DocumentsController {
  constructor(@Inject(DocumentsService) private readonly documents: DocumentsService) {}

  @Post()
  @ApiOperation({ summary: 'Create a document; the caller owns it' })
  @ApiBody({ schema: schemaRef('CreateDocumentRequest') })
  @ApiResponse({ status: 201, schema: schemaRef('DocumentSummary') })
  @ApiErrors(ErrorCode.BAD_REQUEST)
  create(
    @CurrentUser() user: Identity,
    @Body(new ZodValidationPipe(CreateDocumentRequest)) body: Parsed<typeof CreateDocumentRequest>,
  ): Promise<DocumentSummary> {
    return this.documents.create(user.userId, body.title);
  }

  @Get()
  @ApiOperation({ summary: 'The documents the caller owns or that are shared with them, last edited first' })
  @ApiResponse({ status: 200, schema: schemaRef('DocumentList') })
  list(@CurrentUser() user: Identity): Promise<DocumentList> {
    return this.documents.list(user.userId);
  }

  @Get(':docId')
  @ApiOperation({ summary: 'One document and the caller’s role on it' })
  @ApiParam({ name: 'docId', format: 'uuid' })
  @ApiResponse({ status: 200, schema: schemaRef('DocumentSummary') })
  @ApiErrors(ErrorCode.BAD_REQUEST, ErrorCode.NOT_FOUND)
  get(
    @CurrentUser() user: Identity,
    @Param('docId', new ZodValidationPipe(DocId)) docId: string,
  ): Promise<DocumentSummary> {
    return this.documents.get(user.userId, docId);
  }

  @Patch(':docId')
  @ApiOperation({ summary: 'Rename a document (owner only)' })
  @ApiParam({ name: 'docId', format: 'uuid' })
  @ApiBody({ schema: schemaRef('RenameDocumentRequest') })
  @ApiResponse({ status: 200, schema: schemaRef('DocumentSummary') })
  @ApiErrors(ErrorCode.BAD_REQUEST, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND)
  rename(
    @CurrentUser() user: Identity,
    @Param('docId', new ZodValidationPipe(DocId)) docId: string,
    @Body(new ZodValidationPipe(RenameDocumentRequest)) body: Parsed<typeof RenameDocumentRequest>,
  ): Promise<DocumentSummary> {
    return this.documents.rename(user.userId, docId, body.title);
  }

  @Delete(':docId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a document (owner only); open editors are closed' })
  @ApiParam({ name: 'docId', format: 'uuid' })
  @ApiResponse({ status: 204, description: 'Deleted.' })
  @ApiErrors(ErrorCode.BAD_REQUEST, ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND)
  async delete(
    @CurrentUser() user: Identity,
    @Param('docId', new ZodValidationPipe(DocId)) docId: string,
  ): Promise<void> {
    await this.documents.delete(user.userId, docId);
  }
}
