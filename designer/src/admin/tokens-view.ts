/** The API tokens tab: tokens of workers and integrations; create one (its secret shown once, with a copy button), revoke. */
import { t } from '../i18n';
import { confirmDialog, openDialog } from '../shared/dialog';
import { h, replace } from '../shared/dom';
import { formatDateTime } from '../shared/format';
import { toast } from '../shared/toast';
import {
  createToken,
  listTokens,
  problemText,
  revokeToken,
  roleLabel,
  ROLES,
  type ApiToken,
  type CreatedToken,
} from './admin-data';
import { badge, field, formDialog, roleList } from './admin-form';

/** Loads the tokens and renders the tab into `panel`; it re-renders itself after each change. */
export async function renderTokens(panel: HTMLElement): Promise<void> {
  replace(panel, h('p', { class: 'loading' }, t('common.loading')));
  const reload = () => renderTokens(panel);
  let tokens: ApiToken[];
  try {
    tokens = await listTokens();
  } catch (error) {
    return replace(panel, h('p', { class: 'form-error' }, problemText(error)));
  }
  // Live tokens first, then the revoked ones; newest first within each.
  const sorted = [...tokens].sort(
    (a, b) => Number(!!a.revokedAt) - Number(!!b.revokedAt) || b.createdAt.localeCompare(a.createdAt),
  );
  replace(
    panel,
    h(
      'div',
      { class: 'admin-toolbar' },
      h('p', { class: 'muted' }, t('admin.tokenCount', { n: tokens.filter((token) => !token.revokedAt).length })),
      h(
        'button',
        { type: 'button', class: 'primary', 'data-action': 'new-token', onclick: () => openCreate(reload) },
        t('admin.newToken'),
      ),
    ),
    sorted.length === 0
      ? h('p', { class: 'muted' }, t('admin.noTokens'))
      : h(
          'table',
          { class: 'admin-table', 'data-testid': 'tokens-table' },
          h('caption', { class: 'visually-hidden' }, t('admin.tabTokens')),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              [
                'admin.tokenName',
                'admin.roles',
                'admin.createdBy',
                'admin.created',
                'admin.state',
                'admin.actions',
              ].map((key) => h('th', { scope: 'col' }, t(key as 'admin.tokenName'))),
            ),
          ),
          h(
            'tbody',
            {},
            sorted.map((token) =>
              h(
                'tr',
                { 'data-token-id': token.id, class: token.revokedAt ? 'is-disabled' : '' },
                h('th', { scope: 'row' }, token.name),
                h(
                  'td',
                  { class: 'roles' },
                  token.roles.map((role) => h('span', { class: 'tag' }, roleLabel(role))),
                ),
                h('td', {}, token.createdBy ?? '—'),
                h('td', {}, formatDateTime(token.createdAt)),
                h(
                  'td',
                  {},
                  token.revokedAt
                    ? badge(t('admin.revokedAt', { at: formatDateTime(token.revokedAt) }), 'bad')
                    : badge(t('admin.active'), 'good'),
                ),
                h(
                  'td',
                  { class: 'row-actions' },
                  token.revokedAt
                    ? null
                    : h(
                        'button',
                        {
                          type: 'button',
                          class: 'danger',
                          'data-action': 'revoke',
                          'aria-label': t('admin.revokeNamed', { name: token.name }),
                          onclick: () => void revoke(token, reload),
                        },
                        t('admin.revoke'),
                      ),
                ),
              ),
            ),
          ),
        ),
  );
}

// helpers

function openCreate(reload: () => void): void {
  const name = h('input', {
    id: 'new-token-name',
    name: 'name',
    required: true,
    maxlength: '200',
    autocomplete: 'off',
    placeholder: 'mail-worker',
  });
  const roles = roleList('new-token-roles', ['worker'], ROLES);
  formDialog({
    title: t('admin.newToken'),
    testId: 'token-dialog',
    submitLabel: t('admin.create'),
    fields: [field('new-token-name', t('admin.tokenName'), name, t('admin.tokenNameHint')), roles.element],
    check: () => (roles.value().length === 0 ? t('admin.pickRole') : null),
    submit: async () => {
      const created = await createToken({ name: name.value.trim(), roles: roles.value() });
      reload();
      return () => showOnce(created);
    },
  });
}

/** The new token's secret, shown this once, with a copy button. */
function showOnce(created: CreatedToken): void {
  const secret = h('input', {
    id: 'created-token',
    class: 'token-secret',
    readonly: true,
    value: created.token,
    spellcheck: 'false',
    'data-testid': 'created-token',
  });
  const status = h('span', { class: 'muted', role: 'status' });
  const copy = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      'data-action': 'copy-token',
      onclick: () => void copyToClipboard(secret, status),
    },
    t('admin.copy'),
  );
  openDialog({
    title: t('admin.tokenCreated', { name: created.name }),
    testId: 'token-created-dialog',
    dismissLabel: t('common.done'),
    body: h(
      'div',
      { class: 'stack' },
      h('p', { class: 'token-warning' }, t('admin.tokenOnce')),
      field('created-token', t('admin.token'), h('div', { class: 'token-row' }, secret, copy)),
      status,
      h('p', { class: 'hint' }, t('admin.tokenUsage')),
    ),
  });
  secret.addEventListener('focus', () => secret.select());
  copy.focus();
}

async function copyToClipboard(input: HTMLInputElement, status: HTMLElement): Promise<void> {
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
  } catch {
    // No clipboard API (insecure origin, denied): the selected text still copies the old way.
    if (!document.execCommand('copy')) return void (status.textContent = t('admin.copyFailed'));
  }
  status.textContent = t('admin.copied');
}

async function revoke(token: ApiToken, reload: () => void): Promise<void> {
  if (!(await confirmDialog(t('admin.revokeToken'), t('admin.revokeConfirm', { name: token.name }), t('admin.revoke'))))
    return;
  try {
    await revokeToken(token.id);
    toast(t('admin.tokenRevoked', { name: token.name }), 'success');
    reload();
  } catch (error) {
    toast(problemText(error), 'error');
  }
}
