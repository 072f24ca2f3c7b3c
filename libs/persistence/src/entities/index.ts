import { DocumentMemberEntity } from './document-member.entity';
import { DocumentEntity } from './document.entity';
import { InvitationEntity } from './invitation.entity';
import { NamedVersionEntity } from './named-version.entity';
import { OperationEntity } from './operation.entity';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SnapshotEntity } from './snapshot.entity';
import { UserEntity } from './user.entity';

export { DocumentMemberEntity, DocumentRole } from './document-member.entity';
export { DocumentEntity } from './document.entity';
export { InvitationEntity, InvitationRole } from './invitation.entity';
export { NamedVersionEntity } from './named-version.entity';
export { OperationEntity } from './operation.entity';
export { RefreshTokenEntity } from './refresh-token.entity';
export { SnapshotEntity } from './snapshot.entity';
export { UserEntity } from './user.entity';

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
] as const;
