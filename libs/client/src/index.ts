export * from './collab-document';
export * from './typed-emitter';
