export { openStore, type MigrationSource, type StoreOptions } from './db.js';
export * from './types.js';
export type * from './insight-types.js';
export type { InsightRepository } from './insight.js';
