/**
 * The forms port: where the engine finds the form-js schema behind a form key. The engine checks
 * every start (against the start event's form) and every task completion (against the task's form)
 * through it, so the API, /engine-rest, the CLI and job-started instances obey the same rules.
 */
import type { Store } from '../../store/index.js';
import { caseReferences, memberOfGroups, validateFormData, type FormSchema } from './form-validation.js';
import { FormInvalidError } from '../identity/user-errors.js';

/** The deployed definition a form key belongs to. */
export interface FormOwner {
  definitionId: string;
  definitionKey: string;
}

/** Looks forms up by key; null when the key names no form (the data is then not checked). */
export interface FormsPort {
  formOf(formKey: string, owner: FormOwner): Promise<FormSchema | null>;
  /** The same form with its stored version, where the port keeps versions. */
  versionOf?(formKey: string, owner: FormOwner): Promise<{ id: string; version: number } | null>;
}

/** What a form check needs besides the form and the data. */
export interface FormCheck {
  formKey: string | null;
  owner: FormOwner;
  data: Record<string, unknown>;
  /** Instance variables (and task inputs) the form's expressions see. */
  variables: Record<string, unknown>;
  now: string;
  instanceStartedAt?: string;
  /** The instance the data is for: a case cannot name itself as an existing case. */
  instanceId?: string;
}

/** A port that knows no forms: nothing is checked (engine tests on the in-memory seam). */
export const noForms: FormsPort = { formOf: async () => null };

/** Throws FormInvalidError listing every field the form refuses; passes when there is no form key or no such form. */
export async function checkFormData(forms: FormsPort, store: Store, check: FormCheck): Promise<void> {
  if (!check.formKey) return;
  const form = await forms.formOf(check.formKey, check.owner);
  if (!form) return;
  const groupMembers: Record<string, string[]> = {};
  for (const group of memberOfGroups(form)) groupMembers[group] = (await store.users.getGroup(group))?.members ?? [];
  const knownCases = await findCases(store, form, check);
  const problems = validateFormData(form, check.data, check.variables, {
    now: check.now,
    instanceStartedAt: check.instanceStartedAt,
    groupMembers,
    knownCases,
  });
  if (problems.length > 0) throw new FormInvalidError(problems, check.formKey);
}

// helpers

/** For each `svc.existingCase` field: the submitted business key when it names another case of that process. */
async function findCases(store: Store, form: FormSchema, check: FormCheck): Promise<Record<string, string[]>> {
  const known: Record<string, string[]> = {};
  for (const ref of caseReferences(form)) {
    known[ref.processKey] ??= [];
    const value = check.data[ref.path];
    if (typeof value !== 'string' || value === '') continue;
    const found = await store.instances.list({ definitionKey: ref.processKey, businessKey: value, limit: 2 });
    if (found.items.some((instance) => instance.id !== check.instanceId)) known[ref.processKey].push(value);
  }
  return known;
}
