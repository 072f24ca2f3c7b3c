import type { EntityManager } from 'typeorm';

/**
 * Makes `userIds` exactly the people a comment mentions. Answers those who
 * were not mentioned before (the ones to notify), so an edit that keeps a
 * mention notifies nobody again.
 */
export async function setMentions(
  manager: EntityManager,
  commentId: string,
  userIds: readonly string[],
): Promise<string[]> {
  await manager.query(`DELETE FROM mentions WHERE comment_id = $1 AND NOT (user_id = ANY($2::uuid[]))`, [
    commentId,
    userIds,
  ]);
  if (userIds.length === 0) return [];
  const added: { user_id: string }[] = await manager.query(
    `INSERT INTO mentions (comment_id, user_id) SELECT $1, u FROM unnest($2::uuid[]) AS u
     ON CONFLICT DO NOTHING RETURNING user_id`,
    [commentId, userIds],
  );
  return added.map((row) => row.user_id);
}

/** Which of `userIds` are members of the document (any role). */
export async function membersAmong(
  manager: EntityManager,
  documentId: string,
  userIds: readonly string[],
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows: { user_id: string }[] = await manager.query(
    `SELECT user_id FROM document_members WHERE document_id = $1 AND user_id = ANY($2::uuid[])`,
    [documentId, userIds],
  );
  return new Set(rows.map((row) => row.user_id));
}
