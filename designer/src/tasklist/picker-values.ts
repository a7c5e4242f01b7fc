/**
 * The option lists of a form's user pickers, which the tasklist supplies (processes/README.md):
 * `members_<group>` (dashes as underscores) and `reassignCandidates`, the members of the groups
 * of the instance's other open work.
 */
import { api, query } from '../app/api';
import type { Page, Task } from '../shared/resources';

type Option = { label: string; value: string };
interface Group {
  id: string;
  name: string;
  members: string[];
}
interface Component {
  valuesKey?: string;
  components?: Component[];
}

const MEMBERS = /^members_([a-z0-9_]+)$/;

/** Options for every `valuesKey` the form's components name; empty when they name none. */
export async function pickerValues(components: Component[], task: Task): Promise<Record<string, Option[]>> {
  const keys = valuesKeys(components);
  if (keys.length === 0) return {};
  const groups = await api<{ items: Group[] }>('GET', '/api/groups').then(
    (answer) => answer.items,
    () => [] as Group[],
  );
  const members = (ids: string[]) =>
    [...new Set(groups.filter((g) => ids.includes(g.id)).flatMap((g) => g.members))].sort();
  const values: Record<string, Option[]> = {};
  for (const key of keys) {
    const match = MEMBERS.exec(key);
    if (match) values[key] = options(members([match[1].replace(/_/g, '-')]));
    else if (key === 'reassignCandidates') values[key] = options(members(await otherWorkGroups(task)));
  }
  return values;
}

// helpers

function valuesKeys(components: Component[]): string[] {
  return components.flatMap((component) => [
    ...(component.valuesKey ? [component.valuesKey] : []),
    ...valuesKeys(component.components ?? []),
  ]);
}

/** The candidate groups of the instance's other open tasks (the overdue work), else this task's own. */
async function otherWorkGroups(task: Task): Promise<string[]> {
  const open = await api<Page<Task>>(
    'GET',
    `/api/tasks${query({ instanceId: task.instanceId, status: 'open' })}`,
  ).catch(() => ({ items: [] as Task[], total: 0 }));
  const others = open.items.filter((other) => other.id !== task.id).flatMap((other) => other.candidateGroups);
  return others.length > 0 ? others : task.candidateGroups;
}

function options(usernames: string[]): Option[] {
  return usernames.map((username) => ({ label: username, value: username }));
}
