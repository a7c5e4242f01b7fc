/** The Groups tab: the candidate groups of the process models with their members; create a group, set its members. */
import { t } from '../i18n';
import { h, replace } from '../shared/dom';
import { toast } from '../shared/toast';
import {
  createGroup,
  listGroups,
  listUsers,
  problemText,
  setMembers,
  type Group,
  type UserAccount,
} from './admin-data';
import { checkList, field, formDialog } from './admin-form';

// As the API checks it (engine/api/routes/users.ts).
const GROUP_ID_PATTERN = '[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}';

/** Loads groups and users and renders the tab into `panel`; it re-renders itself after each change. */
export async function renderGroups(panel: HTMLElement): Promise<void> {
  replace(panel, h('p', { class: 'loading' }, t('common.loading')));
  const reload = () => renderGroups(panel);
  let groups: Group[];
  let users: UserAccount[];
  try {
    [groups, users] = await Promise.all([listGroups(), listUsers()]);
  } catch (error) {
    return replace(panel, h('p', { class: 'form-error' }, problemText(error)));
  }
  const names = new Map(users.map((user) => [user.username, user.displayName]));
  replace(
    panel,
    h(
      'div',
      { class: 'admin-toolbar' },
      h('p', { class: 'muted' }, t('admin.groupCount', { n: groups.length })),
      h(
        'button',
        { type: 'button', class: 'primary', 'data-action': 'new-group', onclick: () => openCreate(users, reload) },
        t('admin.newGroup'),
      ),
    ),
    groups.length === 0
      ? h('p', { class: 'muted' }, t('admin.noGroups'))
      : h(
          'table',
          { class: 'admin-table', 'data-testid': 'groups-table' },
          h('caption', { class: 'visually-hidden' }, t('admin.tabGroups')),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['admin.groupId', 'admin.groupName', 'admin.members', 'admin.actions'].map((key) =>
                h('th', { scope: 'col' }, t(key as 'admin.groupId')),
              ),
            ),
          ),
          h(
            'tbody',
            {},
            groups.map((group) =>
              h(
                'tr',
                { 'data-group-id': group.id },
                h('th', { scope: 'row' }, h('code', {}, group.id)),
                h('td', {}, group.name),
                h(
                  'td',
                  { class: 'members' },
                  group.members.length === 0
                    ? h('span', { class: 'muted' }, t('admin.noMembers'))
                    : group.members.map((member) =>
                        h('span', { class: 'tag', title: names.get(member) ?? member }, member),
                      ),
                ),
                h(
                  'td',
                  { class: 'row-actions' },
                  h(
                    'button',
                    {
                      type: 'button',
                      'data-action': 'members',
                      'aria-label': t('admin.editMembersOf', { group: group.id }),
                      onclick: () => openMembers(group, users, reload),
                    },
                    t('admin.editMembers'),
                  ),
                ),
              ),
            ),
          ),
        ),
  );
}

// helpers

function memberList(name: string, users: UserAccount[], checked: string[]) {
  return checkList(
    name,
    t('admin.members'),
    users.map((user) => ({
      value: user.username,
      label: user.displayName === user.username ? user.username : `${user.displayName} (${user.username})`,
    })),
    checked,
    { empty: t('admin.noUsers') },
  );
}

function openCreate(users: UserAccount[], reload: () => void): void {
  const id = h('input', {
    id: 'new-group-id',
    name: 'id',
    required: true,
    pattern: GROUP_ID_PATTERN,
    maxlength: '64',
    autocomplete: 'off',
    spellcheck: 'false',
  });
  const name = h('input', { id: 'new-group-name', name: 'name', maxlength: '200', autocomplete: 'off' });
  const members = memberList('new-group-members', users, []);
  formDialog({
    title: t('admin.newGroup'),
    testId: 'group-dialog',
    submitLabel: t('admin.create'),
    fields: [
      field('new-group-id', t('admin.groupId'), id, t('admin.groupIdHint')),
      field('new-group-name', t('admin.groupName'), name),
      members.element,
    ],
    submit: async () => {
      const group = await createGroup({
        id: id.value.trim(),
        name: name.value.trim() || undefined,
        members: members.value(),
      });
      toast(t('admin.groupCreated', { group: group.id }), 'success');
      reload();
    },
  });
}

function openMembers(group: Group, users: UserAccount[], reload: () => void): void {
  const members = memberList('group-members', users, group.members);
  formDialog({
    title: t('admin.membersOf', { group: group.name === group.id ? group.id : `${group.name} (${group.id})` }),
    testId: 'group-dialog',
    submitLabel: t('common.save'),
    fields: [members.element],
    submit: async () => {
      await setMembers(group.id, members.value());
      toast(t('admin.membersSaved', { group: group.id }), 'success');
      reload();
    },
  });
}
