/**
 * @collab/contracts: everything that crosses a process boundary, as zod
 * schemas with their TypeScript types. Runs in browsers and in Node.
 */
export * from './protocol-version';
export * from './limits';
export * from './bytes';
export * from './parse';

export * from './common/ids';
export * from './common/roles';
export * from './common/account-colors';

export * from './errors/error-codes';
export * from './errors/wire-error';
export * from './errors/app-error';
export * from './errors/retry-delay';

export * from './delta/delta.schema';

export * from './socket/ack';
export * from './socket/handshake';
export * from './socket/presence';
export * from './socket/server-events';
export * from './socket/client-events';
export * from './socket/socket-events';
export * from './socket/comment-events';

export * from './service/doc-service-messages';
export * from './service/broadcast';
export * from './service/gateway-notices';
export * from './service/membership';
export * from './service/presence-entry';
export * from './service/redis-keys';
export * from './service/service-batch';

export * from './rest/auth.dto';
export * from './rest/password-policy';
export * from './rest/documents.dto';
export * from './rest/members.dto';
export * from './rest/history.dto';
export * from './rest/comments.dto';
export * from './rest/notifications.dto';

export * from './jobs/mail-job';
export * from './jobs/snapshot-job';
