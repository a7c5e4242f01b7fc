/** What the admin page reads and changes: users, groups and API tokens (/api/users, /api/groups, /api/tokens; admins only). */
import { api, ApiProblem, query } from '../app/api';
import { t, tOr } from '../i18n';
import type { Page } from '../shared/resources';

/** The roles a user or token may hold, as the engine knows them. */
export const ROLES = ['admin', 'owner', 'staff', 'supervisor', 'worker'] as const;

export interface UserAccount {
  username: string;
  displayName: string;
  roles: string[];
  groups: string[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface NewUser {
  username: string;
  displayName?: string;
  password?: string;
  roles: string[];
}
export interface UserChange {
  displayName?: string;
  password?: string;
  roles?: string[];
  disabled?: boolean;
}

export interface Group {
  id: string;
  name: string;
  members: string[];
  createdAt: string;
}

export interface ApiToken {
  id: string;
  name: string;
  roles: string[];
  createdBy: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** A freshly created token: the only answer that holds the secret itself. */
export interface CreatedToken extends ApiToken {
  token: string;
}

const PAGE = 500;

/** Every user, by username (the API pages by at most 500). */
export async function listUsers(): Promise<UserAccount[]> {
  const users: UserAccount[] = [];
  for (;;) {
    const page = await api<Page<UserAccount>>('GET', `/api/users${query({ offset: users.length, limit: PAGE })}`);
    users.push(...page.items);
    if (page.items.length === 0 || users.length >= page.total) return users;
  }
}

export function createUser(user: NewUser): Promise<UserAccount> {
  return api<UserAccount>('POST', '/api/users', { body: user });
}

export function changeUser(username: string, change: UserChange): Promise<UserAccount> {
  return api<UserAccount>('PATCH', `/api/users/${encodeURIComponent(username)}`, { body: change });
}

export function deleteUser(username: string): Promise<void> {
  return api<void>('DELETE', `/api/users/${encodeURIComponent(username)}`);
}

export async function listGroups(): Promise<Group[]> {
  return (await api<{ items: Group[] }>('GET', '/api/groups')).items;
}

export function createGroup(group: { id: string; name?: string; members: string[] }): Promise<Group> {
  return api<Group>('POST', '/api/groups', { body: group });
}

export function setMembers(groupId: string, members: string[]): Promise<Group> {
  return api<Group>('PUT', `/api/groups/${encodeURIComponent(groupId)}/members`, { body: { members } });
}

export async function listTokens(): Promise<ApiToken[]> {
  return (await api<{ items: ApiToken[] }>('GET', '/api/tokens')).items;
}

export function createToken(token: { name: string; roles: string[] }): Promise<CreatedToken> {
  return api<CreatedToken>('POST', '/api/tokens', { body: token });
}

export function revokeToken(id: string): Promise<void> {
  return api<void>('DELETE', `/api/tokens/${encodeURIComponent(id)}`);
}

/** A role's name in the current language. */
export function roleLabel(role: string): string {
  return tOr(`admin.role.${role}`, role);
}

/** What went wrong, in the current language where the code is known, with the fields the engine named. */
export function problemText(error: unknown): string {
  if (!(error instanceof ApiProblem)) return error instanceof Error ? error.message : String(error);
  const fields = Array.isArray(error.body.fields)
    ? (error.body.fields as Array<{ name: string; message: string }>)
    : [];
  const known = tOr(`admin.problem.${error.code}`, '');
  if (known && fields.length === 0) return known;
  if (fields.length === 0) return error.detail;
  return `${known || t('admin.problem.invalid')} ${fields.map((f) => `${f.name}: ${f.message}`).join('; ')}`;
}
