import type { Knex } from 'knex';

/**
 * PostgreSQL: `svcflow_require(checks)` fails the statement it is called from when a check is false, naming
 * the first one (SQLSTATE SVCF1, message its 0-based index). A step's writes then go out as one statement
 * of data-modifying CTEs in autocommit (`engine/store/pg-step.ts`): a version check or a task that is no
 * longer open undoes the whole statement, as a failed check inside a transaction would. SQLite needs none.
 */
export async function up(knex: Knex): Promise<void> {
  if (knex.client.dialect !== 'postgresql') return;
  await knex.raw(`create or replace function svcflow_require(checks boolean[]) returns boolean
    language plpgsql volatile as $$
    begin
      for i in 1 .. coalesce(array_length(checks, 1), 0) loop
        if not coalesce(checks[i], false) then
          raise exception using errcode = 'SVCF1', message = (i - 1)::text;
        end if;
      end loop;
      return true;
    end $$`);
}

export async function down(knex: Knex): Promise<void> {
  if (knex.client.dialect !== 'postgresql') return;
  await knex.raw('drop function if exists svcflow_require(boolean[])');
}
