import { type Role } from '@collab/contracts';
import { DocumentMemberEntity, UserEntity } from '@collab/persistence';
import type { DataSource } from 'typeorm';

export interface UserProfile {
  readonly name: string;
  readonly color: string;
}

/**
 * Reads who may do what from PostgreSQL. Roles are read on every join and
 * every operation (never cached): a downgraded editor's next operation is
 * refused at once.
 */
export class DocumentAccess {
  constructor(private readonly dataSource: DataSource) {}

  /** The user's role on the document, or null when they have none (or it does not exist). */
  async roleOf(userId: string, docId: string): Promise<Role | null> {
    const member = await this.dataSource
      .getRepository(DocumentMemberEntity)
      .findOne({ select: { role: true }, where: { documentId: docId, userId } });
    return member?.role ?? null;
  }

  /** The name and colour drawn next to the user's caret. */
  async profileOf(userId: string): Promise<UserProfile | null> {
    const user = await this.dataSource
      .getRepository(UserEntity)
      .findOne({ select: { name: true, color: true }, where: { id: userId } });
    return user ? { name: user.name, color: user.color } : null;
  }
}
