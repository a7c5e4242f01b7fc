/** The Users tab: every account with its roles, groups and state; create, edit, disable or enable, delete. */
import { getSession } from '../app/session';
import { t } from '../i18n';
import { confirmDialog } from '../shared/dialog';
import { h, replace } from '../shared/dom';
import { toast } from '../shared/toast';
import {
  changeUser,
  createUser,
  deleteUser,
  listUsers,
  problemText,
  roleLabel,
  ROLES,
  type UserAccount,
} from './admin-data';
import { badge, field, formDialog, roleList } from './admin-form';

// As the API checks them (engine/api/routes/users.ts).
const USERNAME_PATTERN = '[A-Za-z0-9][A-Za-z0-9._@\\-]{0,63}';
const PASSWORD_MIN = 8;

/** Loads the users and renders the tab into `panel`; it re-renders itself after each change. */
export async function renderUsers(panel: HTMLElement): Promise<void> {
  replace(panel, h('p', { class: 'loading' }, t('common.loading')));
  const reload = () => renderUsers(panel);
  let users: UserAccount[];
  try {
    users = await listUsers();
  } catch (error) {
    return replace(panel, h('p', { class: 'form-error' }, problemText(error)));
  }
  const me = getSession()?.user.username;
  replace(
    panel,
    h(
      'div',
      { class: 'admin-toolbar' },
      h('p', { class: 'muted' }, t('admin.userCount', { n: users.length })),
      h(
        'button',
        { type: 'button', class: 'primary', 'data-action': 'new-user', onclick: () => openCreate(reload) },
        t('admin.newUser'),
      ),
    ),
    h(
      'table',
      { class: 'admin-table', 'data-testid': 'users-table' },
      h('caption', { class: 'visually-hidden' }, t('admin.tabUsers')),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['admin.username', 'admin.displayName', 'admin.roles', 'admin.groups', 'admin.state', 'admin.actions'].map(
            (key) => h('th', { scope: 'col' }, t(key as 'admin.username')),
          ),
        ),
      ),
      h(
        'tbody',
        {},
        users.map((user) => row(user, user.username === me, reload)),
      ),
    ),
  );
}

// helpers

function row(user: UserAccount, isMe: boolean, reload: () => void): HTMLElement {
  const selfHint = isMe ? t('admin.notYourself') : false;
  return h(
    'tr',
    { 'data-username': user.username, class: user.disabled ? 'is-disabled' : '' },
    h('th', { scope: 'row' }, h('code', {}, user.username)),
    h('td', {}, user.displayName),
    h(
      'td',
      { class: 'roles' },
      user.roles.map((role) => h('span', { class: 'tag' }, roleLabel(role))),
    ),
    h('td', {}, user.groups.join(', ') || '—'),
    h('td', {}, user.disabled ? badge(t('admin.disabled'), 'bad') : badge(t('admin.enabled'), 'good')),
    h(
      'td',
      { class: 'row-actions' },
      h(
        'button',
        {
          type: 'button',
          'data-action': 'edit',
          'aria-label': t('admin.editUserNamed', { user: user.username }),
          onclick: () => openEdit(user, reload),
        },
        t('admin.edit'),
      ),
      h(
        'button',
        {
          type: 'button',
          'data-action': user.disabled ? 'enable' : 'disable',
          disabled: isMe,
          title: selfHint,
          onclick: () => void setDisabled(user, !user.disabled, reload),
        },
        user.disabled ? t('admin.enable') : t('admin.disable'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'danger',
          'data-action': 'delete',
          disabled: isMe,
          title: selfHint,
          'aria-label': t('admin.deleteUserNamed', { user: user.username }),
          onclick: () => void remove(user, reload),
        },
        t('admin.delete'),
      ),
    ),
  );
}

function openCreate(reload: () => void): void {
  const username = h('input', {
    id: 'new-username',
    name: 'username',
    required: true,
    pattern: USERNAME_PATTERN,
    maxlength: '64',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const displayName = h('input', {
    id: 'new-display-name',
    name: 'displayName',
    maxlength: '200',
    autocomplete: 'off',
  });
  const password = h('input', {
    id: 'new-password',
    name: 'password',
    type: 'password',
    required: true,
    minlength: String(PASSWORD_MIN),
    maxlength: '200',
    autocomplete: 'new-password',
  });
  const roles = roleList('new-roles', ['staff'], ROLES);
  formDialog({
    title: t('admin.newUser'),
    testId: 'user-dialog',
    submitLabel: t('admin.create'),
    fields: [
      field('new-username', t('admin.username'), username, t('admin.usernameHint')),
      field('new-display-name', t('admin.displayName'), displayName, t('admin.displayNameHint')),
      field('new-password', t('admin.password'), password, t('admin.passwordHint', { n: PASSWORD_MIN })),
      roles.element,
    ],
    check: () => (roles.value().length === 0 ? t('admin.pickRole') : null),
    submit: async () => {
      const user = await createUser({
        username: username.value.trim(),
        displayName: displayName.value.trim() || undefined,
        password: password.value,
        roles: roles.value(),
      });
      toast(t('admin.userCreated', { user: user.username }), 'success');
      reload();
    },
  });
}

function openEdit(user: UserAccount, reload: () => void): void {
  const displayName = h('input', {
    id: 'edit-display-name',
    name: 'displayName',
    required: true,
    maxlength: '200',
    value: user.displayName,
    autocomplete: 'off',
  });
  const password = h('input', {
    id: 'edit-password',
    name: 'password',
    type: 'password',
    minlength: String(PASSWORD_MIN),
    maxlength: '200',
    autocomplete: 'new-password',
  });
  const roles = roleList('edit-roles', user.roles, ROLES);
  formDialog({
    title: t('admin.editUser', { user: user.username }),
    testId: 'user-dialog',
    submitLabel: t('common.save'),
    fields: [
      field('edit-display-name', t('admin.displayName'), displayName),
      field('edit-password', t('admin.newPassword'), password, t('admin.newPasswordHint', { n: PASSWORD_MIN })),
      roles.element,
    ],
    check: () => (roles.value().length === 0 ? t('admin.pickRole') : null),
    submit: async () => {
      await changeUser(user.username, {
        displayName: displayName.value.trim(),
        roles: roles.value(),
        ...(password.value ? { password: password.value } : {}),
      });
      toast(t('admin.userSaved', { user: user.username }), 'success');
      reload();
    },
  });
}

async function setDisabled(user: UserAccount, disabled: boolean, reload: () => void): Promise<void> {
  try {
    await changeUser(user.username, { disabled });
    toast(t(disabled ? 'admin.userDisabled' : 'admin.userEnabled', { user: user.username }), 'success');
    reload();
  } catch (error) {
    toast(problemText(error), 'error');
  }
}

async function remove(user: UserAccount, reload: () => void): Promise<void> {
  if (
    !(await confirmDialog(
      t('admin.deleteUser'),
      t('admin.deleteUserConfirm', { user: user.username }),
      t('admin.delete'),
    ))
  )
    return;
  try {
    await deleteUser(user.username);
    toast(t('admin.userDeleted', { user: user.username }), 'success');
    reload();
  } catch (error) {
    toast(problemText(error), 'error');
  }
}
