/** Sign in with username and password (POST /api/auth/login); the answer's token and user become the session. */
import { t } from '../i18n';
import { h } from '../shared/dom';
import { api, ApiProblem } from './api';
import { navigate, type Page } from './router';
import { homeFor, setSession, type User } from './session';

interface LoginAnswer {
  token: string;
  user: User;
}

export function createPage(): Page {
  return {
    mount(container) {
      const username = h('input', { id: 'login-username', name: 'username', autocomplete: 'username', required: true });
      const password = h('input', {
        id: 'login-password',
        name: 'password',
        type: 'password',
        autocomplete: 'current-password',
        required: true,
      });
      const error = h('p', { class: 'form-error', role: 'alert' });
      const form = h(
        'form',
        {
          class: 'stack',
          onsubmit: (event: Event) => {
            event.preventDefault();
            void signIn(username.value.trim(), password.value, error);
          },
        },
        field('login-username', t('login.username'), username),
        field('login-password', t('login.password'), password),
        error,
        h('button', { type: 'submit', class: 'primary' }, t('login.signIn')),
      );
      container.appendChild(
        h(
          'div',
          { class: 'login-page' },
          h(
            'section',
            { class: 'login-card', 'aria-labelledby': 'login-title' },
            h('h1', { id: 'login-title' }, t('login.title')),
            form,
          ),
        ),
      );
      username.focus();
    },
  };
}

// helpers

async function signIn(username: string, password: string, error: HTMLElement): Promise<void> {
  try {
    const answer = await api<LoginAnswer>('POST', '/api/auth/login', { body: { username, password } });
    setSession({ token: answer.token, user: answer.user });
    const next = new URLSearchParams(location.search).get('next');
    navigate(next && next.startsWith('/') && !next.startsWith('//') ? next : homeFor(answer.user), true);
  } catch (problem) {
    if (problem instanceof ApiProblem && problem.status === 401) error.textContent = t('login.wrong');
    else if (problem instanceof ApiProblem && problem.status === 429) error.textContent = t('login.tooMany');
    else error.textContent = (problem as Error).message;
  }
}

function field(id: string, label: string, control: HTMLElement): HTMLElement {
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}
