export { openStore, type StoreOptions } from './db.js';
export * from './types.js';
export { isDatabaseUnavailable } from './unavailable.js';
export { backupSqlite, POSTGRES_BACKUP_ADVICE } from './backup.js';
