export * from './collab-document';
export * from './typed-emitter';
export * from './transport/transport';
