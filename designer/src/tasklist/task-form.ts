/** The task's form (form-js viewer): prefilled from the instance, validated, and submitted as the completion variables. */
import '@bpmn-io/form-js/dist/assets/form-js.css';
import { Form } from '@bpmn-io/form-js';
import { api, ApiProblem } from '../app/api';
import { t } from '../i18n';
import { h, replace } from '../shared/dom';
import type { Instance, Task } from '../shared/resources';
import { toast, toastError } from '../shared/toast';
import { fieldProblemsOf, showFieldProblems } from './form-errors';
import { pickerValues } from './picker-values';
import { SafeMarkdownModule, installSafeHtml } from '../shared/safe-html';

installSafeHtml();

interface Options {
  task: Task;
  instance: Instance | null;
  /** Whether the signed-in user holds the task (only they may complete it). */
  canComplete: boolean;
  onCompleted(): void;
}

/** Renders the form and the Complete button into `panel`. */
export async function renderTaskForm(panel: HTMLElement, options: Options): Promise<void> {
  const { task } = options;
  const host = h('div', { class: 'task-form', 'data-testid': 'task-form' });
  const complete = h(
    'button',
    { type: 'button', class: 'primary', 'data-action': 'complete', disabled: !options.canComplete },
    t('tasks.complete'),
  );
  const hint = options.canComplete
    ? null
    : h(
        'p',
        { class: 'hint' },
        task.assignee ? t('tasks.heldBy', { user: task.assignee }) : t('tasks.claimToComplete'),
      );
  replace(panel, host, h('div', { class: 'form-actions' }, hint, complete));
  // the form deployed with the case's process version: a running case keeps its form when a newer one is deployed
  const schema = await loadFormSchema(task.formKey ? `/api/tasks/${encodeURIComponent(task.id)}/form` : null);
  if (!schema) {
    replace(
      host,
      h('p', { class: 'muted' }, task.formKey ? t('tasks.formMissing', { key: task.formKey }) : t('tasks.noForm')),
    );
    complete.onclick = () => void submit(options, {}, null);
    return;
  }
  const form = new Form({ container: host, additionalModules: [SafeMarkdownModule] });
  const pickers = await pickerValues((schema.components ?? []) as [], task);
  await form.importSchema(schema, { ...(options.instance?.variables ?? {}), ...task.inputs, ...pickers });
  form.setProperty('readOnly', !options.canComplete);
  complete.onclick = () => {
    const { data, errors } = form.submit();
    if (Object.keys(errors).length > 0) {
      toast(t('tasks.formInvalid', { n: Object.keys(errors).length }), 'error');
      host
        .querySelector<HTMLElement>('.fjs-has-errors input, .fjs-has-errors textarea, .fjs-has-errors select')
        ?.focus();
      return;
    }
    void submit(options, data, form);
  };
}

// helpers

/** A deployed form-js schema (a task's or a definition's start form, by its route); null when there is none. */
export async function loadFormSchema(path: string | null): Promise<Record<string, unknown> | null> {
  if (!path) return null;
  try {
    return await api<Record<string, unknown>>('GET', path);
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 404) return null;
    throw error;
  }
}

async function submit(options: Options, variables: Record<string, unknown>, form: Form | null): Promise<void> {
  try {
    await api('POST', `/api/tasks/${encodeURIComponent(options.task.id)}/complete`, { body: { variables } });
    toast(t('tasks.completed', { name: options.task.name ?? options.task.elementId }), 'success');
    options.onCompleted();
  } catch (error) {
    const fields = error instanceof ApiProblem ? fieldProblemsOf(error.body) : [];
    if (fields.length > 0) {
      // the problems appear on their fields; only those of fields the form does not show go to a toast
      const rest = form ? showFieldProblems(form, fields) : fields;
      return toast(
        rest.length > 0
          ? rest.map((f) => `${f.name}: ${f.message}`).join('; ')
          : t('tasks.formInvalid', { n: fields.length }),
        'error',
      );
    }
    toastError(error);
  }
}
