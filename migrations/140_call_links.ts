import type { Knex } from 'knex';

/**
 * A called instance names the instance whose call activity started it (`parent_instance_id`, with the
 * element and its activation) and the top of its call chain (`root_instance_id`). Null on instances nobody
 * called, so rows written before keep meaning what they meant. The parent index finds the children a
 * cancelled call activity must cancel with it.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instances', (t) => {
    t.string('parent_instance_id', 64).nullable();
    t.string('root_instance_id', 64).nullable();
    t.string('caller_element_id', 255).nullable();
    t.string('caller_activation_id', 64).nullable();
    t.index(['parent_instance_id', 'caller_element_id'], 'instances_parent_idx');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('instances', (t) => {
    t.dropIndex(['parent_instance_id', 'caller_element_id'], 'instances_parent_idx');
    t.dropColumn('parent_instance_id');
    t.dropColumn('root_instance_id');
    t.dropColumn('caller_element_id');
    t.dropColumn('caller_activation_id');
  });
}
