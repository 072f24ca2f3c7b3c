import {
  AcceptInvitationRequest,
  AcceptInvitationResult,
  ChangeMemberRoleRequest,
  CopyVersionRequest,
  CommentDto,
  CommentThreadDto,
  CommentThreadList,
  CreateDocumentRequest,
  CreateThreadRequest,
  EditCommentRequest,
  MarkNotificationsRead,
  NotificationList,
  ReplyRequest,
  UnreadCount,
  DocumentAttribution,
  DocumentList,
  DocumentSummary,
  InvitationList,
  InviteMemberRequest,
  Me,
  MemberDto,
  MemberList,
  NameVersionRequest,
  RefreshRequest,
  RenameDocumentRequest,
  RestoreVersionRequest,
  RestoreVersionResult,
  SentInvitation,
  SignInRequest,
  SignOutRequest,
  SignUpRequest,
  TokenPair,
  VersionContent,
  VersionDiff,
  VersionList,
  VersionSummary,
  WireError,
} from '@collab/contracts';
import { z } from 'zod';

/** Every REST error body: `{error: {code, message, details?}}` (see HttpExceptionFilter). */
const ErrorBody = z.object({ error: WireError });

/**
 * The contracts' zod schemas that REST routes read or answer, by the name
 * they get under `components.schemas`. The OpenAPI document is generated
 * from the same schemas that validate requests, so it cannot drift.
 */
export const OPENAPI_REQUEST_SCHEMAS = {
  SignUpRequest,
  SignInRequest,
  RefreshRequest,
  SignOutRequest,
  CreateDocumentRequest,
  RenameDocumentRequest,
  InviteMemberRequest,
  ChangeMemberRoleRequest,
  AcceptInvitationRequest,
  NameVersionRequest,
  RestoreVersionRequest,
  CopyVersionRequest,
  CreateThreadRequest,
  ReplyRequest,
  EditCommentRequest,
  MarkNotificationsRead,
} as const;

export const OPENAPI_RESPONSE_SCHEMAS = {
  TokenPair,
  Me,
  DocumentSummary,
  DocumentList,
  MemberDto,
  MemberList,
  SentInvitation,
  InvitationList,
  AcceptInvitationResult,
  VersionList,
  VersionSummary,
  VersionContent,
  VersionDiff,
  DocumentAttribution,
  RestoreVersionResult,
  CommentThreadList,
  CommentThreadDto,
  CommentDto,
  NotificationList,
  UnreadCount,
  ErrorBody,
} as const;

export type OpenApiSchemaName = keyof typeof OPENAPI_REQUEST_SCHEMAS | keyof typeof OPENAPI_RESPONSE_SCHEMAS;

/** A reference to a named schema, for `@ApiBody({ schema })` and `@ApiResponse({ schema })`. */
export function schemaRef(name: OpenApiSchemaName): { $ref: string } {
  return { $ref: `#/components/schemas/${name}` };
}
