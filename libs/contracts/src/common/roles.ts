import { z } from 'zod';

/** A person's role on a document. */
export const Role = {
  /** Created the document: edits, shares, renames, deletes. */
  Owner: 'owner',
  /** Edits the content. */
  Editor: 'editor',
  /** Reads the content and comments on it; cannot change the text. */
  Commenter: 'commenter',
  /** Reads the content, its comments and presence; cannot edit or comment. */
  Viewer: 'viewer',
} as const;

/** One of the values of {@link Role}. */
export type Role = (typeof Role)[keyof typeof Role];

/** Runtime schema of a {@link Role}. */
export const RoleSchema = z.enum(Role);

/** The roles an invitation or a role change may grant (there is one owner). */
export const InvitableRole = {
  Editor: Role.Editor,
  Commenter: Role.Commenter,
  Viewer: Role.Viewer,
} as const;

/** One of the values of {@link InvitableRole}. */
export type InvitableRole = (typeof InvitableRole)[keyof typeof InvitableRole];

/** Runtime schema of an {@link InvitableRole}. */
export const InvitableRoleSchema = z.enum(InvitableRole);

/** Whether `role` may submit operations, restore versions and name versions. */
export function canEdit(role: Role): boolean {
  return role === Role.Owner || role === Role.Editor;
}

/** Whether `role` may write comments: start threads, reply, resolve and reopen them. */
export function canComment(role: Role): boolean {
  return role === Role.Owner || role === Role.Editor || role === Role.Commenter;
}

/**
 * How much a role may do, for "an invitation never downgrades": a higher rank
 * includes everything a lower one may do.
 */
export const ROLE_RANK: { readonly [K in Role]: number } = {
  viewer: 0,
  commenter: 1,
  editor: 2,
  owner: 3,
};

/** Whether `role` may invite, change roles, remove members and delete the document. */
export function canManage(role: Role): boolean {
  return role === Role.Owner;
}
