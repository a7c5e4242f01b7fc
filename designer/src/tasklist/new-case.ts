/**
 * "New case": the processes the signed-in user may start (their candidate starters name them), the
 * chosen process's start form (form-js), and the start. The server checks the form again.
 */
import { Form } from '@bpmn-io/form-js';
import { api, ApiProblem } from '../app/api';
import { t, type MessageKey } from '../i18n';
import { formatDateTime } from '../shared/format';
import { h, replace } from '../shared/dom';
import type { Instance } from '../shared/resources';
import { toast, toastError } from '../shared/toast';
import { fieldProblemsOf, showFieldProblems } from './form-errors';
import { loadFormSchema } from './task-form';
import { SafeMarkdownModule, installSafeHtml } from '../shared/safe-html';
import { linkDuplicate } from '../cases/case-data';
import { navigate } from '../app/router';

installSafeHtml();

/** A process the user may start, as GET /api/startable-processes lists it. */
export interface StartableProcess {
  definitionId: string;
  definitionKey: string;
  name: string | null;
  version: number;
  startFormKey: string | null;
}

/** What the user may start; empty when nothing (or on a failure, which hides the entry). */
export async function fetchStartable(): Promise<StartableProcess[]> {
  return api<{ items: StartableProcess[] }>('GET', '/api/startable-processes').then(
    (answer) => answer.items,
    () => [],
  );
}

/** Renders the choice of processes into `host`; `onStarted` gets the new instance. */
export function renderNewCase(
  host: HTMLElement,
  processes: StartableProcess[],
  onStarted: (instance: Instance) => void,
): void {
  const choices = processes.map((process) =>
    h(
      'li',
      {},
      h(
        'button',
        {
          type: 'button',
          class: 'process-choice',
          'data-start': process.definitionKey,
          onclick: () => void renderStartForm(host, process, onStarted).catch(toastError),
        },
        process.name ?? process.definitionKey,
      ),
    ),
  );
  replace(
    host,
    h(
      'article',
      { class: 'new-case', 'data-testid': 'new-case' },
      h('h1', {}, t('cases.new')),
      h('p', { class: 'muted' }, t('cases.choose')),
      h('ul', { class: 'process-choices' }, choices),
    ),
  );
}

// helpers

async function renderStartForm(
  host: HTMLElement,
  process: StartableProcess,
  onStarted: (instance: Instance) => void,
): Promise<void> {
  const formHost = h('div', { class: 'task-form', 'data-testid': 'start-form' });
  const startButton = h('button', { type: 'button', class: 'primary', 'data-action': 'start' }, t('cases.start'));
  const problems = h('ul', { class: 'form-problems', 'aria-live': 'polite' });
  replace(
    host,
    h(
      'article',
      { class: 'new-case', 'data-testid': 'new-case' },
      h('h1', {}, t('cases.newOf', { name: process.name ?? process.definitionKey })),
      formHost,
      problems,
      h('div', { class: 'form-actions' }, startButton),
    ),
  );
  const schema = await loadFormSchema(
    process.startFormKey ? `/api/definitions/${encodeURIComponent(process.definitionId)}/start-form` : null,
  );
  const form = schema ? new Form({ container: formHost, additionalModules: [SafeMarkdownModule] }) : null;
  if (form && schema) await form.importSchema(schema, {});
  else replace(formHost, h('p', { class: 'muted' }, t('cases.noForm')));
  const duplicates = h('section', {
    class: 'duplicates',
    'data-testid': 'duplicates',
    'aria-live': 'polite',
    hidden: true,
  });
  formHost.after(duplicates);
  // The same data a second time means the agent has seen the suggested duplicates and goes ahead.
  let checked: string | null = null;
  startButton.onclick = async () => {
    const submitted = form ? form.submit() : { data: {}, errors: {} };
    if (Object.keys(submitted.errors).length > 0)
      return toast(t('tasks.formInvalid', { n: Object.keys(submitted.errors).length }), 'error');
    startButton.disabled = true;
    try {
      const data = JSON.stringify(submitted.data);
      if (checked !== data) {
        checked = data;
        const matches = await possibleDuplicates(process, submitted.data);
        const asDuplicate = (of: string) => startAsDuplicate(process, submitted.data, of, form, problems);
        if (showDuplicates(duplicates, matches, startButton, asDuplicate)) return;
      }
      const instance = await start(process, submitted.data, form, problems);
      if (instance) onStarted(instance);
    } finally {
      startButton.disabled = false;
    }
  };
}

interface DuplicateMatch {
  instanceId: string;
  businessKey: string | null;
  status: string;
  startedAt: string;
  similarity: number;
  text: string;
}

/** The engine's suggestions; none when it cannot tell (the start itself decides then). */
async function possibleDuplicates(
  process: StartableProcess,
  variables: Record<string, unknown>,
): Promise<DuplicateMatch[]> {
  return api<{ items: DuplicateMatch[] }>('POST', '/api/instances/duplicates', {
    body: { definitionKey: process.definitionKey, variables },
  }).then(
    (answer) => answer.items,
    () => [],
  );
}

/** Lists the suggested duplicates above the Start button; false when there are none. */
function showDuplicates(
  host: HTMLElement,
  matches: DuplicateMatch[],
  startButton: HTMLButtonElement,
  asDuplicate: (of: string) => Promise<void>,
): boolean {
  host.hidden = matches.length === 0;
  startButton.textContent = matches.length === 0 ? t('cases.start') : t('cases.startAnyway');
  if (matches.length === 0) return false;
  replace(
    host,
    h('h2', {}, t('cases.duplicatesTitle', { n: matches.length })),
    h('p', { class: 'muted' }, t('cases.duplicatesHint')),
    h(
      'ul',
      { class: 'duplicate-list' },
      matches.map((match) =>
        h(
          'li',
          { class: 'duplicate', 'data-instance-id': match.instanceId },
          h('strong', {}, match.businessKey ?? match.instanceId),
          h('span', { class: `badge status-${match.status}` }, t(statusKey(match.status))),
          h(
            'span',
            { class: 'muted' },
            `${formatDateTime(match.startedAt)} · ${t('cases.similarity', { percent: Math.round(match.similarity * 100) })}`,
          ),
          h('q', {}, match.text),
          match.businessKey
            ? h(
                'button',
                {
                  type: 'button',
                  'data-action': 'link-duplicate',
                  onclick: (event: Event) => {
                    const button = event.currentTarget as HTMLButtonElement;
                    button.disabled = true;
                    void asDuplicate(match.businessKey!).finally(() => {
                      button.disabled = false;
                    });
                  },
                },
                t('case.linkDuplicate'),
              )
            : null,
        ),
      ),
    ),
  );
  return true;
}

function statusKey(status: string): MessageKey {
  return status === 'completed'
    ? 'cases.statusClosed'
    : status === 'terminated'
      ? 'cases.statusCancelled'
      : 'cases.statusOpen';
}

/** Opens the case, records it as a duplicate of `of` (which closes it) and shows its case page. */
async function startAsDuplicate(
  process: StartableProcess,
  variables: Record<string, unknown>,
  of: string,
  form: Form | null,
  problems: HTMLElement,
): Promise<void> {
  const instance = await start(process, variables, form, problems);
  if (!instance?.businessKey) return;
  try {
    await linkDuplicate(instance.businessKey, of);
    toast(t('case.linkedDuplicate', { key: instance.businessKey, of }), 'success');
    navigate(`/cases/${encodeURIComponent(instance.businessKey)}`);
  } catch (error) {
    toastError(error);
  }
}

async function start(
  process: StartableProcess,
  variables: Record<string, unknown>,
  form: Form | null,
  problems: HTMLElement,
): Promise<Instance | null> {
  replace(problems);
  try {
    const instance = await api<Instance>('POST', '/api/instances', {
      body: { definitionKey: process.definitionKey, variables },
    });
    toast(t('cases.started', { key: instance.businessKey ?? instance.id }), 'success');
    return instance;
  } catch (error) {
    const fields = error instanceof ApiProblem ? fieldProblemsOf(error.body) : [];
    if (fields.length === 0) {
      toastError(error);
      return null;
    }
    const rest = form ? showFieldProblems(form, fields) : fields;
    replace(problems, ...rest.map((p) => h('li', { class: 'form-error' }, `${p.name}: ${p.message}`)));
    return null;
  }
}
