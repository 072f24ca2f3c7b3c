import { z } from 'zod';
import { Color, DisplayName, DocId, IsoDateTime, UserId, Version } from '../common/ids';
import { RoleSchema } from '../common/roles';
import { MAX_TITLE_LENGTH } from '../limits';

/** A document title: trimmed, 1 to 200 characters, no control characters. */
export const Title = z
  .string()
  .trim()
  .min(1)
  .max(MAX_TITLE_LENGTH)
  .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed');
/** See {@link Title}. */
export type Title = z.infer<typeof Title>;

/** Create a document (the caller becomes its owner). Answers {@link DocumentSummary}. */
export const CreateDocumentRequest = z.strictObject({ title: Title });
/** See {@link CreateDocumentRequest}. */
export type CreateDocumentRequest = z.infer<typeof CreateDocumentRequest>;

/** Rename a document. Answers {@link DocumentSummary}. */
export const RenameDocumentRequest = z.strictObject({ title: Title });
/** See {@link RenameDocumentRequest}. */
export type RenameDocumentRequest = z.infer<typeof RenameDocumentRequest>;

/** A person shown next to a document or a version: avatar initials and colour. */
export const Collaborator = z.object({
  userId: UserId,
  name: DisplayName,
  color: Color,
});
/** See {@link Collaborator}. */
export type Collaborator = z.infer<typeof Collaborator>;

/**
 * One document as the caller sees it in a list: its title, the caller's
 * role (`owner` for "mine", anything else for "shared with me"), its head
 * version, when it was last edited, and its members.
 */
export const DocumentSummary = z.object({
  id: DocId,
  title: Title,
  role: RoleSchema,
  ownerId: UserId,
  headVersion: Version,
  updatedAt: IsoDateTime,
  collaborators: z.array(Collaborator),
});
/** See {@link DocumentSummary}. */
export type DocumentSummary = z.infer<typeof DocumentSummary>;

/** The caller's documents, most recently edited first. */
export const DocumentList = z.object({
  documents: z.array(DocumentSummary),
});
/** See {@link DocumentList}. */
export type DocumentList = z.infer<typeof DocumentList>;
