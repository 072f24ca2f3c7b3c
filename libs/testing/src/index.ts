export * from './infra-source';
export * from './test-database';
export * from './test-redis';
export * from './unique-name';
export * from './private-servers';
export * from './until';
export * from './sql-fixtures';
export * from './chromium';
