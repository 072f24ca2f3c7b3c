export * from './collab-document';
export * from './typed-emitter';
export * from './transport/transport';
export * from './comments/comments-client';
export { restCall, type RestOptions } from './comments/rest-call';
export * from './inbox/inbox-client';
