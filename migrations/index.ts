import type { Knex } from 'knex';
import * as core from './001_core.js';
import * as sla from './002_sla.js';
import * as users from './003_users.js';
import * as notifications from './004_notifications.js';
import * as sequences from './005_sequences.js';
import * as insight from './010_insight.js';
import * as kpiRollup from './011_kpi_rollup.js';
import * as kpiMonthly from './110_kpi_monthly.js';
import * as reportSchedules from './012_report_schedules.js';
import * as emergencyPlans from './013_emergency_plans.js';
import * as messageBuffer from './020_message_buffer.js';
import * as deliveries from './021_deliveries.js';
import * as notificationReads from './022_notification_reads.js';
import * as idempotency from './030_idempotency.js';
import * as tokenVersion from './031_token_version.js';
import * as externalKeys from './040_external_keys.js';
import * as deployments from './041_deployments.js';
import * as activations from './050_activations.js';
import * as listOrder from './060_list_order.js';
import * as decisions from './070_decisions.js';
import * as signals from './075_signals.js';
import * as startTimers from './076_start_timers.js';
import * as signalActivations from './077_signal_activations.js';
import * as deployedFiles from './100_deployed_files.js';
import * as cases from './101_cases.js';
import * as messageStartKeys from './130_message_start_keys.js';
import * as callLinks from './140_call_links.js';
import * as practiceCases from './150_practice_cases.js';
import * as practiceIndex from './151_practice_index.js';
import * as forms from './160_forms.js';
import * as stepChecks from './180_step_checks.js';
import * as incidentCauses from './185_incident_causes.js';
import * as kpiReads from './190_kpi_reads.js';
import * as instanceSuspension from './195_instance_suspension.js';
import * as incidentTriggers from './196_incident_triggers.js';

/** One schema migration: its recorded name and its up/down functions. */
export interface MigrationEntry {
  name: string;
  module: Knex.Migration;
}

// A static list rather than a directory scan, so the same migrations load under tsx,
// vitest and compiled output alike. Append new entries; never rename a recorded name.
const migrations: MigrationEntry[] = [
  { name: '001_core', module: core },
  { name: '002_sla', module: sla },
  { name: '003_users', module: users },
  { name: '004_notifications', module: notifications },
  { name: '005_sequences', module: sequences },
  { name: '010_insight', module: insight },
  { name: '011_kpi_rollup', module: kpiRollup },
  { name: '012_report_schedules', module: reportSchedules },
  { name: '013_emergency_plans', module: emergencyPlans },
  { name: '020_message_buffer', module: messageBuffer },
  { name: '021_deliveries', module: deliveries },
  { name: '022_notification_reads', module: notificationReads },
  { name: '030_idempotency', module: idempotency },
  { name: '031_token_version', module: tokenVersion },
  { name: '040_external_keys', module: externalKeys },
  { name: '041_deployments', module: deployments },
  { name: '060_list_order', module: listOrder },
  { name: '070_decisions', module: decisions },
  { name: '075_signals', module: signals },
  { name: '076_start_timers', module: startTimers },
  { name: '050_activations', module: activations },
  { name: '077_signal_activations', module: signalActivations },
  { name: '100_deployed_files', module: deployedFiles },
  { name: '101_cases', module: cases },
  { name: '130_message_start_keys', module: messageStartKeys },
  { name: '110_kpi_monthly', module: kpiMonthly },
  { name: '140_call_links', module: callLinks },
  { name: '150_practice_cases', module: practiceCases },
  { name: '151_practice_index', module: practiceIndex },
  { name: '160_forms', module: forms },
  { name: '180_step_checks', module: stepChecks },
  { name: '185_incident_causes', module: incidentCauses },
  { name: '190_kpi_reads', module: kpiReads },
  { name: '195_instance_suspension', module: instanceSuspension },
  { name: '196_incident_triggers', module: incidentTriggers },
];

/** The knex migration source the store's migrate() runs. */
export const migrationSource: Knex.MigrationSource<MigrationEntry> = {
  getMigrations: async () => migrations,
  getMigrationName: (migration) => migration.name,
  getMigration: async (migration) => migration.module,
};
