export { openStore, type StoreOptions } from './db.js';
export * from './types.js';
export { isDatabaseUnavailable } from './unavailable.js';
