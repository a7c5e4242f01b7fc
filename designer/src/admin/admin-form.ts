/** The admin page's small forms: labelled fields, role and member check lists, and a dialog that keeps itself open on an error. */
import { t } from '../i18n';
import { openDialog } from '../shared/dialog';
import { h } from '../shared/dom';
import { problemText, roleLabel } from './admin-data';

/** A label above its control, with an optional hint tied to it. */
export function field(id: string, label: string, control: HTMLElement, hint?: string): HTMLElement {
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    control,
    hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null,
  );
}

export interface CheckList {
  element: HTMLElement;
  /** The checked values, in the list's order. */
  value(): string[];
}

/** A fieldset of checkboxes, one per value; `name` also prefixes the ids. */
export function checkList(
  name: string,
  legend: string,
  values: Array<{ value: string; label: string }>,
  checked: string[],
  options: { required?: boolean; empty?: string } = {},
): CheckList {
  const boxes = values.map(({ value }) =>
    h('input', { type: 'checkbox', id: `${name}-${value}`, name, value, checked: checked.includes(value) }),
  );
  const element = h(
    'fieldset',
    { class: 'check-list', 'data-testid': name, 'aria-required': options.required ? 'true' : false },
    h('legend', {}, legend),
    values.length === 0 ? h('p', { class: 'muted' }, options.empty ?? '—') : null,
    values.map(({ value, label }, i) =>
      h('label', { class: 'check', for: `${name}-${value}` }, boxes[i], h('span', {}, label)),
    ),
  );
  return { element, value: () => boxes.filter((box) => box.checked).map((box) => box.value) };
}

/** Check boxes for the roles. */
export function roleList(name: string, checked: string[], roles: readonly string[]): CheckList {
  return checkList(
    name,
    t('admin.roles'),
    roles.map((role) => ({ value: role, label: roleLabel(role) })),
    checked,
    { required: true },
  );
}

/**
 * A dialog holding a form: the primary button (and Enter) checks the form, then runs `submit`;
 * an error from `submit` or `check` is shown in the dialog, which stays open.
 */
export function formDialog(options: {
  title: string;
  testId: string;
  submitLabel: string;
  fields: HTMLElement[];
  /** An extra check before submitting; returns the message to show, or null when all is well. */
  check?: () => string | null;
  /** Saves; may resolve with what to do once the dialog has closed (open the next one). */
  submit: () => Promise<void | (() => void)>;
}): void {
  const error = h('p', { class: 'form-error', role: 'alert' });
  // A new edit makes the last error stale.
  const form = h(
    'form',
    {
      class: 'stack admin-form',
      oninput: () => {
        error.textContent = '';
      },
      onsubmit: (event: Event) => {
        event.preventDefault();
        dialog.element.querySelector<HTMLButtonElement>('.dialog-footer button.primary')?.click();
      },
    },
    options.fields,
    error,
    // Lets Enter in a text field submit the form; the visible button is in the dialog's footer.
    h(
      'button',
      { type: 'submit', class: 'visually-hidden', tabindex: '-1', 'aria-hidden': 'true' },
      options.submitLabel,
    ),
  );
  const dialog = openDialog({
    title: options.title,
    body: form,
    testId: options.testId,
    actions: [
      {
        label: options.submitLabel,
        primary: true,
        run: async () => {
          error.textContent = '';
          if (!form.reportValidity()) return false;
          const problem = options.check?.() ?? null;
          if (problem) {
            error.textContent = problem;
            return false;
          }
          try {
            const next = await options.submit();
            if (next) void dialog.closed.then(next);
            return true;
          } catch (failure) {
            error.textContent = problemText(failure);
            return false;
          }
        },
      },
    ],
  });
  form.querySelector<HTMLElement>('input:not([type=checkbox]), select, textarea')?.focus();
}

/** A small status label: enabled, disabled, revoked. */
export function badge(text: string, kind: 'good' | 'neutral' | 'bad'): HTMLElement {
  return h(
    'span',
    { class: `status status-${kind === 'good' ? 'met' : kind === 'bad' ? 'breached' : 'neutral'}` },
    text,
  );
}
