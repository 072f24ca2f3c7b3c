export * from './errors';
export * from './cursor';
export * from './client-state';
export * from './attributes';
export * from './limits';
export * from './server-document';
export * from './validate-op';
export * from './operation-window';
