/** A supervisor's Reassign action: give an open task to another member of its candidate groups. */
import { api } from '../app/api';
import { t } from '../i18n';
import { h } from '../shared/dom';
import type { Task } from '../shared/resources';
import { toast, toastError } from '../shared/toast';

interface Group {
  id: string;
  members: string[];
}

/** The control: a picker of the task's group members and a button; `onDone` after a reassignment. */
export function reassignControl(task: Task, onDone: () => void): HTMLElement {
  const picker = h(
    'select',
    { id: `reassign-${task.id}`, 'aria-label': t('tasks.reassignTo'), 'data-testid': 'reassign-to' },
    h('option', { value: '' }, t('tasks.reassignTo')),
  );
  const button = h(
    'button',
    {
      type: 'button',
      'data-action': 'reassign',
      disabled: true,
      onclick: () => void reassign(task, picker.value, onDone),
    },
    t('tasks.reassign'),
  );
  picker.addEventListener('change', () => {
    button.disabled = !picker.value;
  });
  void api<{ items: Group[] }>('GET', '/api/groups')
    .then(({ items }) => {
      const members = [
        ...new Set(items.filter((g) => task.candidateGroups.includes(g.id)).flatMap((g) => g.members)),
      ].sort();
      for (const member of members.filter((m) => m !== task.assignee))
        picker.appendChild(h('option', { value: member }, member));
    })
    .catch(toastError);
  return h('div', { class: 'reassign' }, picker, button);
}

// helpers

async function reassign(task: Task, userId: string, onDone: () => void): Promise<void> {
  try {
    await api('POST', `/api/tasks/${encodeURIComponent(task.id)}/claim`, { body: { userId, force: true } });
    toast(t('tasks.reassigned', { user: userId }), 'success');
    onDone();
  } catch (error) {
    toastError(error);
  }
}
