import type { Knex } from 'knex';

/**
 * An incident a called instance (or one further down its call chain) has shows on each calling instance as
 * an incident of its own at the call activity, naming the incident one level down (`cause_incident_id`) and
 * the one that started the chain (`root_cause_incident_id`), as Camunda 7 chains them. Null on every other
 * incident, so rows written before keep meaning what they meant. The root index finds a chain to resolve.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('incidents', (t) => {
    t.string('cause_incident_id', 64).nullable();
    t.string('root_cause_incident_id', 64).nullable();
    t.index(['cause_incident_id'], 'incidents_cause_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('incidents', (t) => {
    t.dropIndex(['cause_incident_id'], 'incidents_cause_idx');
    t.dropColumn('cause_incident_id');
    t.dropColumn('root_cause_incident_id');
  });
}
