export * from './errors';
export * from './cursor';
export * from './ot-client';
export * from './attributes';
export * from './limits';
export * from './chunked-document';
export * from './validate-op';
export * from './operation-window';
