/**
 * Task completion against the task's form: when a task has a form key and the forms directory
 * holds `<formKey>.form`, the submitted variables must satisfy it (engine/runtime/form-validation.ts).
 * The check sits in the API, which owns the forms directory; the engine stays free of files.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import { FormInvalidError, memberOfGroups, validateFormData, type Engine, type FormSchema } from '../runtime/index.js';
import type { TaskRow } from '../store/index.js';

/** Form keys are file names: letters, digits, dashes and underscores (as /api/forms accepts them). */
const FORM_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;

/** The forms directory: the given one, else SVCFLOW_FORMS_DIR, else ./processes/forms. */
export function formsDirOf(option?: string): string {
  return resolve(option ?? process.env.SVCFLOW_FORMS_DIR ?? './processes/forms');
}

/** Throws FormInvalidError listing every field of `variables` the task's form refuses; a task without a form file passes. */
export async function checkTaskForm(engine: Engine, formsDir: string, task: TaskRow, variables: Record<string, unknown>, log: FastifyBaseLogger): Promise<void> {
  // A task no longer open is refused by the engine (TASK_NOT_OPEN), not by its form.
  if (task.status !== 'open') return;
  const form = task.formKey && FORM_KEY.test(task.formKey) ? await readForm(formsDir, task.formKey, log) : null;
  if (!form || !task.formKey) return;
  const instance = await engine.getInstance(task.instanceId);
  const groupMembers: Record<string, string[]> = {};
  for (const group of memberOfGroups(form)) groupMembers[group] = (await engine.store.users.getGroup(group))?.members ?? [];
  const problems = validateFormData(form, variables, { ...instance.variables, ...task.inputs }, {
    now: engine.clock.now().toISOString(), instanceStartedAt: instance.startedAt, groupMembers,
  });
  if (problems.length > 0) throw new FormInvalidError(problems, task.formKey);
}

// helpers

async function readForm(dir: string, formKey: string, log: FastifyBaseLogger): Promise<FormSchema | null> {
  let text: string;
  try {
    text = await readFile(join(dir, `${formKey}.form`), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const form = JSON.parse(text) as FormSchema;
    return form && typeof form === 'object' ? form : null;
  } catch {
    // A hand-edited file that is not JSON cannot be checked; the tasklist cannot show it either.
    log.warn({ formKey }, `form '${formKey}' is not valid JSON; completions of its tasks are not checked against it`);
    return null;
  }
}
