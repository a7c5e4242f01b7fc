/** Modal dialogs on the native <dialog> element: focus is trapped and Escape closes them. */
import { t } from '../i18n';
import { h } from './dom';

export interface DialogAction {
  label: string;
  primary?: boolean;
  /** Return false to keep the dialog open. */
  run?: () => unknown;
}

export interface DialogHandle {
  element: HTMLDialogElement;
  body: HTMLElement;
  close(): void;
  closed: Promise<void>;
}

/** Opens a modal with a title, a body and action buttons (a Cancel/Close button is always there). */
export function openDialog(options: {
  title: string;
  body: Node;
  actions?: DialogAction[];
  wide?: boolean;
  testId?: string;
  dismissLabel?: string;
}): DialogHandle {
  const body = h('div', { class: 'dialog-body' }, options.body);
  const buttons = (options.actions ?? []).map((action) =>
    h(
      'button',
      {
        type: 'button',
        class: action.primary ? 'primary' : '',
        onclick: async () => {
          if ((await action.run?.()) !== false) close();
        },
      },
      action.label,
    ),
  );
  const titleId = `dialog-title-${Math.random().toString(36).slice(2)}`;
  const element = h(
    'dialog',
    {
      class: options.wide ? 'dialog dialog-wide' : 'dialog',
      'aria-labelledby': titleId,
      'data-testid': options.testId,
    },
    h(
      'header',
      { class: 'dialog-header' },
      h('h2', { id: titleId }, options.title),
      h(
        'button',
        { type: 'button', class: 'icon-button', 'aria-label': t('common.close'), onclick: () => close() },
        '×',
      ),
    ),
    body,
    h(
      'footer',
      { class: 'dialog-footer' },
      h('button', { type: 'button', onclick: () => close() }, options.dismissLabel ?? t('common.cancel')),
      buttons,
    ),
  );
  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  element.addEventListener('close', () => {
    element.remove();
    resolveClosed();
  });
  document.body.appendChild(element);
  element.showModal();
  function close(): void {
    if (element.open) element.close();
  }
  return { element, body, close, closed };
}

/** Asks a yes/no question; resolves true when the user confirms. */
export function confirmDialog(title: string, message: string, confirmLabel: string): Promise<boolean> {
  let confirmed = false;
  const dialog = openDialog({
    title,
    body: h('p', {}, message),
    actions: [
      {
        label: confirmLabel,
        primary: true,
        run: () => {
          confirmed = true;
        },
      },
    ],
    testId: 'confirm-dialog',
  });
  return dialog.closed.then(() => confirmed);
}
