import {
  VersionConflictError,
  type DefinitionRepository,
  type HistoryRepository,
  type HistoryRow,
  type IncidentRepository,
  type InstanceRepository,
  type JobRepository,
  type SlaRepository,
  type SubscriptionRepository,
  type TimerRepository,
} from '../types.js';
import { type SlaRecord, fromRow as slaFromRow } from '../sla.js';
import { type DefinitionRecord, fromRow as definitionFromRow } from '../definitions.js';
import { type InstanceRecord, fromRow as instanceFromRow, toRow as instanceToRow } from '../instances.js';
import { toRow as historyToRow } from '../history.js';
import { type TimerRecord, fromRow as timerFromRow, toRow as timerToRow } from '../timers.js';
import { isoIn } from '../columns.js';
import type { Params, SqliteSession } from './store.js';

const INSTANCE_COLUMNS = [
  'id',
  'definition_id',
  'definition_key',
  'business_key',
  'status',
  'snapshot',
  'variables',
  'active_elements',
  'version',
  'started_at',
  'ended_at',
  'started_by',
  'parent_instance_id',
  'root_instance_id',
  'caller_element_id',
  'caller_activation_id',
] as const;
const HISTORY_COLUMNS = ['instance_id', 'element_id', 'element_type', 'event', 'at', 'actor', 'details'] as const;
const TIMER_COLUMNS = [
  'id',
  'instance_id',
  'element_id',
  'activation_id',
  'due',
  'repeat',
  'locked_by',
  'locked_until',
] as const;

const SQL = {
  insertInstance: insertSql('instances', INSTANCE_COLUMNS),
  getInstance: 'select * from "instances" where "id" = ? limit 1',
  saveInstance:
    'update "instances" set "snapshot" = ?, "variables" = ?, "active_elements" = ?, "status" = ?, "ended_at" = ?, "version" = "version" + 1 where "id" = ? and "version" = ?',
  getDefinition: 'select * from "definitions" where "id" = ? limit 1',
  latestDefinition:
    'select * from "definitions" where "key" = ? and "deleted_at" is null order by "version" desc limit 1',
  insertHistory: insertSql('history', HISTORY_COLUMNS),
  insertTimer: insertSql('timers', TIMER_COLUMNS),
  getTimer: 'select * from "timers" where "id" = ? limit 1',
  deleteTimer: 'delete from "timers" where "id" = ?',
  openIncidents: 'select count(*) as "n" from "incidents" where "instance_id" = ? and "status" = \'open\'',
  resolveIncidents:
    'update "incidents" set "status" = \'resolved\', "resolved_at" = ? where "instance_id" = ? and "status" = \'open\'',
};

const CANCEL_JOBS =
  'update "jobs" set "status" = \'cancelled\', "locked_until" = null where "status" in (\'pending\', \'locked\', \'failed\')';

const CLEANUP = {
  timersByInstance: 'delete from "timers" where "instance_id" = ?',
  timersByElement: 'delete from "timers" where "instance_id" = ? and "element_id" = ?',
  timersByActivation: 'delete from "timers" where "instance_id" = ? and "element_id" = ? and "activation_id" = ?',
  subscriptionsByInstance: 'delete from "subscriptions" where "instance_id" = ?',
  subscriptionsByElement: 'delete from "subscriptions" where "instance_id" = ? and "element_id" = ?',
  subscriptionsByActivation:
    'delete from "subscriptions" where "instance_id" = ? and "element_id" = ? and "activation_id" = ?',
  jobsByInstance: `${CANCEL_JOBS} and "instance_id" = ?`,
  jobsByElement: `${CANCEL_JOBS} and "instance_id" = ? and "element_id" = ?`,
  jobsByActivation: `${CANCEL_JOBS} and "instance_id" = ? and "element_id" = ? and "activation_id" = ?`,
  slasOpenByInstance:
    'select * from "slas" where "instance_id" = ? and "completed_at" is null order by "started_at" asc',
  slaOpenByElement:
    'select * from "slas" where "instance_id" = ? and "element_id" = ? and "completed_at" is null order by "started_at" desc limit 1',
};

/** Every statement written here, for the query-plan tests. */
export const STATEMENTS: readonly string[] = [...Object.values(SQL), ...Object.values(CLEANUP)];

/** instances.insert/get/save as prepared statements; list stays knex-built. */
export function fastInstances(session: SqliteSession, base: InstanceRepository): InstanceRepository {
  return {
    ...base,
    async insert(row) {
      session.run(SQL.insertInstance, valuesOf(instanceToRow(row), INSTANCE_COLUMNS));
    },
    async get(id) {
      const record = session.get<InstanceRecord>(SQL.getInstance, [id]);
      return record ? instanceFromRow(record) : null;
    },
    async save(row, expectedVersion, history = []) {
      const { snapshot, variables, active_elements, status, ended_at } = instanceToRow(row);
      const changed = session.run(SQL.saveInstance, [
        snapshot,
        variables,
        active_elements,
        status,
        ended_at ?? null,
        row.id,
        expectedVersion,
      ]);
      if (changed === 0) throw new VersionConflictError(row.id, expectedVersion);
      appendHistory(session, history);
    },
  };
}

/** definitions.get/latestByKey as prepared statements. */
export function fastDefinitions(session: SqliteSession, base: DefinitionRepository): DefinitionRepository {
  return {
    ...base,
    async get(id) {
      const record = session.get<DefinitionRecord>(SQL.getDefinition, [id]);
      return record ? definitionFromRow(record) : null;
    },
    async latestByKey(key) {
      const record = session.get<DefinitionRecord>(SQL.latestDefinition, [key]);
      return record ? definitionFromRow(record) : null;
    },
  };
}

/** history.append as prepared inserts, all or none like knex's multi-row insert; list stays knex-built. */
export function fastHistory(session: SqliteSession, base: HistoryRepository): HistoryRepository {
  return {
    ...base,
    async append(rows) {
      appendHistory(session, rows);
    },
  };
}

function appendHistory(session: SqliteSession, rows: HistoryRow[]): void {
  const insert = (row: HistoryRow) => session.run(SQL.insertHistory, valuesOf(historyToRow(row), HISTORY_COLUMNS));
  session.atomically(rows.length, () => rows.forEach(insert));
}

/** incidents.openCount/resolveOpenByInstance as prepared statements. */
export function fastIncidents(session: SqliteSession, base: IncidentRepository): IncidentRepository {
  return {
    ...base,
    async openCount(instanceId) {
      return Number(session.get<{ n: number }>(SQL.openIncidents, [instanceId])?.n ?? 0);
    },
    async resolveOpenByInstance(instanceId, at) {
      session.run(SQL.resolveIncidents, [isoIn(at), instanceId]);
    },
  };
}

/** timers.insert/get/delete/deleteByInstance/deleteByElement as prepared statements; claims stay knex-built. */
export function fastTimers(session: SqliteSession, base: TimerRepository): TimerRepository {
  return {
    ...base,
    async insert(row) {
      session.run(SQL.insertTimer, valuesOf(timerToRow(row), TIMER_COLUMNS));
    },
    async get(id) {
      const record = session.get<TimerRecord>(SQL.getTimer, [id]);
      return record ? timerFromRow(record) : null;
    },
    async delete(id) {
      session.run(SQL.deleteTimer, [id]);
    },
    async deleteByInstance(instanceId) {
      session.run(CLEANUP.timersByInstance, [instanceId]);
    },
    async deleteByElement(instanceId, elementId, activationId) {
      if (activationId) session.run(CLEANUP.timersByActivation, [instanceId, elementId, activationId]);
      else session.run(CLEANUP.timersByElement, [instanceId, elementId]);
    },
  };
}

/** subscriptions.deleteByInstance/deleteByElement as prepared statements. */
export function fastSubscriptions(session: SqliteSession, base: SubscriptionRepository): SubscriptionRepository {
  return {
    ...base,
    async deleteByInstance(instanceId) {
      session.run(CLEANUP.subscriptionsByInstance, [instanceId]);
    },
    async deleteByElement(instanceId, elementId, activationId) {
      if (activationId) session.run(CLEANUP.subscriptionsByActivation, [instanceId, elementId, activationId]);
      else session.run(CLEANUP.subscriptionsByElement, [instanceId, elementId]);
    },
  };
}

/** jobs.cancelByInstance/cancelByElement as prepared statements. */
export function fastJobs(session: SqliteSession, base: JobRepository): JobRepository {
  return {
    ...base,
    async cancelByInstance(instanceId) {
      session.run(CLEANUP.jobsByInstance, [instanceId]);
    },
    async cancelByElement(instanceId, elementId, activationId) {
      if (activationId) session.run(CLEANUP.jobsByActivation, [instanceId, elementId, activationId]);
      else session.run(CLEANUP.jobsByElement, [instanceId, elementId]);
    },
  };
}

/** sla.openByInstance/openByElement as prepared statements. */
export function fastSla(session: SqliteSession, base: SlaRepository): SlaRepository {
  return {
    ...base,
    async openByInstance(instanceId) {
      return session.all<SlaRecord>(CLEANUP.slasOpenByInstance, [instanceId]).map(slaFromRow);
    },
    async openByElement(instanceId, elementId) {
      const record = session.get<SlaRecord>(CLEANUP.slaOpenByElement, [instanceId, elementId]);
      return record ? slaFromRow(record) : null;
    },
  };
}

/** An INSERT statement for the given columns of a table, with one placeholder each. */
export function insertSql(table: string, columns: readonly string[]): string {
  return `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`;
}

/** A record's values in column order, undefined as null (as knex's useNullAsDefault writes it). */
export function valuesOf(record: object, columns: readonly string[]): Params {
  const values = record as Record<string, unknown>;
  return columns.map((c) => values[c] ?? null);
}
