import { DocumentMemberEntity } from './document-member.entity';
import { DocumentEntity } from './document.entity';
import { InvitationEntity } from './invitation.entity';
import { NamedVersionEntity } from './named-version.entity';
import { OperationEntity } from './operation.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SnapshotEntity } from './snapshot.entity';
import { UserEntity } from './user.entity';
import { CommentThreadEntity } from './comment-thread.entity';
import { CommentEntity } from './comment.entity';
import { MentionEntity } from './mention.entity';
import { NotificationEntity } from './notification.entity';

export { DocumentMemberEntity, DocumentRole } from './document-member.entity';
export { DocumentEntity } from './document.entity';
export { InvitationEntity, type InvitationRole } from './invitation.entity';
export { NamedVersionEntity } from './named-version.entity';
export { OperationEntity } from './operation.entity';
export { RefreshTokenEntity } from './refresh-token.entity';
export { SnapshotEntity } from './snapshot.entity';
export { UserEntity } from './user.entity';
export { CommentThreadEntity } from './comment-thread.entity';
export { CommentEntity } from './comment.entity';
export { MentionEntity } from './mention.entity';
export { NotificationEntity, NotificationKindValue } from './notification.entity';

/** Every entity of the schema, for a DataSource (or `TypeOrmModule.forRoot({ entities })`). */
export const ENTITIES = [
  UserEntity,
  RefreshTokenEntity,
  DocumentEntity,
  DocumentMemberEntity,
  InvitationEntity,
  OperationEntity,
  SnapshotEntity,
  NamedVersionEntity,
  CommentThreadEntity,
  CommentEntity,
  MentionEntity,
  NotificationEntity,
] as const;
