export * from './errors';
export * from './cursor';
export * from './client-state';
