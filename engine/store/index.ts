export { openStore, type MigrationSource, type StoreOptions } from './db.js';
export * from './types.js';
