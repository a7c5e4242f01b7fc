export { openStore, type MigrationSource, type StoreOptions } from './db.js';
export * from './types.js';
export type * from './signal-types.js';
export { isDatabaseUnavailable } from './unavailable.js';
export { backupSqlite, POSTGRES_BACKUP_ADVICE } from './backup.js';
export type * from './insight-types.js';
export type { InsightRepository } from './insight.js';
export type { DrillClockRow, DrillRow, EmergencyPlanRow } from './emergency-plans.js';
export type { CaseLinkRow, CaseNoteRow, CaseRepository, CaseSearch } from './cases.js';
