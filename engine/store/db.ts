import type { Knex } from 'knex';
import type { Store, StoreTx } from './types.js';
import type { Db, Dialect } from './columns.js';
import { type ConnectionOptions, connect } from './connection.js';
import { definitionRepository } from './definitions.js';
import { decisionRepository } from './decisions.js';
import { instanceRepository } from './instances.js';
import { taskRepository } from './tasks.js';
import { timerRepository } from './timers.js';
import { jobRepository } from './jobs.js';
import { subscriptionRepository } from './subscriptions.js';
import { incidentRepository } from './incidents.js';
import { historyRepository } from './history.js';
import { notificationRepository } from './notifications.js';
import { sequenceRepository } from './sequences.js';
import { messageRepository } from './messages.js';
import { signalRepository, startEventRepository } from './signals.js';
import { messageStartKeyRepository } from './message-start-keys.js';
import { startTimerRepository } from './start-timers.js';
import { deliveryRepository } from './deliveries.js';
import { idempotencyRepository } from './idempotency.js';
import { externalKeyRepository } from './external-keys.js';
import { deploymentRepository } from './deployments.js';
import { formRepository } from './forms.js';
import { statisticsRepository } from './statistics.js';
import { slaRepository } from './sla.js';
import { calendarRepository } from './calendars.js';
import { userRepository } from './users.js';
import { insightRepository } from './insight.js';
import { caseRepository } from './cases.js';
import { isBetterSqlite, sqliteStore } from './sqlite/store.js';
import { lazyTransaction } from './pg-step.js';

/** The schema migrations a store's migrate() runs; the store knows none itself (they live in `migrations/`). */
export type MigrationSource = Knex.MigrationSource<unknown>;

/** How the store migrates: the caller's migration source and, on PostgreSQL, the schema to work in. */
export interface MigrationOptions {
  migrations?: MigrationSource;
  schema?: string;
}

/** How to open a store: the database url, an optional PostgreSQL schema, a debug logger, and the migrations. */
export type StoreOptions = ConnectionOptions & MigrationOptions;

/** Opens a store on SQLite (default `sqlite:./data/svcflow.db`) or PostgreSQL; call migrate() before first use. */
export async function openStore(options: StoreOptions = {}): Promise<Store> {
  const { knex, dialect } = connect(options);
  return storeOn(knex, dialect, options);
}

/** A store over an open knex pool (on better-sqlite3: its one connection, held, with hand-written hot statements); its repositories auto-commit, transaction() binds them to one transaction. */
export function storeOn(knex: Knex, dialect: Dialect, options: MigrationOptions = {}): Store {
  if (dialect === 'sqlite' && isBetterSqlite(knex)) {
    return sqliteStore(knex, {
      repositories: (db) => repositoriesOn(db, dialect),
      migrate: () => migrate(knex, dialect, options),
    });
  }
  const pool = repositoriesOn(knex, dialect);
  return {
    dialect,
    ...pool,
    // the step's hot writes go out as one statement; reads before them need no transaction (pg-step.ts)
    transaction: (fn) =>
      dialect === 'postgres'
        ? lazyTransaction(knex, (db) => repositoriesOn(db, dialect), fn, pool)
        : knex.transaction((trx) => fn(repositoriesOn(trx, dialect))),
    // knex runs a transaction opened on a transaction as a savepoint
    group: (fn) =>
      knex.transaction((trx) =>
        fn((work) => trx.transaction((unit) => work(repositoriesOn(unit, dialect))), repositoriesOn(trx, dialect)),
      ),
    migrate: () => migrate(knex, dialect, options),
    ping: () => ping(knex),
    close: () => knex.destroy(),
  };
}

/** Every repository, bound to one knex handle (the pool or a transaction). */
export function repositoriesOn(db: Db, dialect: Dialect): StoreTx {
  return {
    definitions: definitionRepository(db, dialect),
    decisions: decisionRepository(db),
    instances: instanceRepository(db, dialect),
    tasks: taskRepository(db, dialect),
    timers: timerRepository(db, dialect),
    jobs: jobRepository(db, dialect),
    subscriptions: subscriptionRepository(db, dialect),
    incidents: incidentRepository(db, dialect),
    history: historyRepository(db, dialect),
    sla: slaRepository(db, dialect),
    calendars: calendarRepository(db, dialect),
    users: userRepository(db, dialect),
    notifications: notificationRepository(db, dialect),
    sequences: sequenceRepository(db, dialect),
    messages: messageRepository(db, dialect),
    deliveries: deliveryRepository(db, dialect),
    idempotency: idempotencyRepository(db, dialect),
    insight: insightRepository(db, dialect),
    externalKeys: externalKeyRepository(db, dialect),
    deployments: deploymentRepository(db, dialect),
    statistics: statisticsRepository(db, dialect),
    signals: signalRepository(db, dialect),
    startEvents: startEventRepository(db, dialect),
    messageStartKeys: messageStartKeyRepository(db, dialect),
    startTimers: startTimerRepository(db, dialect),
    cases: caseRepository(db, dialect),
    forms: formRepository(db, dialect),
  };
}

// helpers

async function migrate(knex: Knex, dialect: Dialect, { migrations, schema }: MigrationOptions): Promise<void> {
  if (!migrations)
    throw new Error('this store was opened without migrations; pass openStore({ migrations }) to migrate it');
  if (dialect === 'postgres' && schema) await knex.schema.createSchemaIfNotExists(schema);
  await knex.migrate.latest({ migrationSource: migrations, schemaName: dialect === 'postgres' ? schema : undefined });
}

async function ping(knex: Knex): Promise<boolean> {
  try {
    await knex.raw('select 1');
    return true;
  } catch {
    return false;
  }
}
