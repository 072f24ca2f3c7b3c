export * from './hash-ring';
export * from './membership';
export * from './murmur3';
export * from './channel-batcher';
export * from './end-of-turn';
export * from './turn-loader';
export * from './frame-text';
