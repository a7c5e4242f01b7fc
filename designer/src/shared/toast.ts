/** Short notices in the corner: successes fade, errors stay until dismissed. */
import { h } from './dom';
import { t } from '../i18n';

export type ToastKind = 'info' | 'success' | 'error';

/** Shows a notice; errors get a close button and are announced assertively. */
export function toast(message: string, kind: ToastKind = 'info'): void {
  const host = document.getElementById('toasts');
  if (!host) return;
  const close = h(
    'button',
    { class: 'toast-close', type: 'button', 'aria-label': t('common.close'), onclick: () => item.remove() },
    '×',
  );
  const item = h(
    'div',
    { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' },
    h('span', {}, message),
    close,
  );
  host.appendChild(item);
  if (kind !== 'error') setTimeout(() => item.remove(), 4000);
}

/** A toast for a failed API call or any other error. */
export function toastError(error: unknown): void {
  toast(error instanceof Error ? error.message : String(error), 'error');
}
