/** Who is using the app: the sign-in answer (token and user), kept in localStorage. */

export type Role = 'admin' | 'owner' | 'staff' | 'supervisor';

export interface User {
  username: string;
  displayName: string;
  roles: Role[];
  groups: string[];
}

export interface Session {
  /** Bearer token from POST /api/auth/login. */
  token: string;
  user: User;
}

const KEY = 'svcflow.session';
const HOME_COOKIE = 'svcflow-home';

/** The current session, or null when nobody is signed in. */
export function getSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? normalise(JSON.parse(raw)) : null;
  } catch {
    return null;
  }
}

/** Stores the session and tells the server which page `/` should lead to (a hint, not a credential). */
export function setSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify(session));
  document.cookie = `${HOME_COOKIE}=${encodeURIComponent(homeFor(session.user))}; path=/; SameSite=Lax`;
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
  document.cookie = `${HOME_COOKIE}=; path=/; max-age=0; SameSite=Lax`;
}

export function hasRole(user: User | undefined, roles: Role[]): boolean {
  return !!user && (user.roles.includes('admin') || roles.some((role) => user.roles.includes(role)));
}

/** The page each kind of user starts on: owners design, supervisors watch SLAs, staff work tasks. */
export function homeFor(user: User): string {
  if (user.roles.includes('owner') || user.roles.includes('admin')) return '/designer';
  if (user.roles.includes('supervisor')) return '/sla';
  return '/tasks';
}

// helpers

function normalise(value: unknown): Session | null {
  const session = value as Partial<Session> | null;
  const user = session?.user;
  if (!user || typeof user.username !== 'string' || user.username === '' || typeof session.token !== 'string')
    return null;
  return {
    token: session.token,
    user: {
      username: user.username,
      displayName: typeof user.displayName === 'string' && user.displayName ? user.displayName : user.username,
      roles: Array.isArray(user.roles) ? user.roles : ['staff'],
      groups: Array.isArray(user.groups) ? user.groups : [],
    },
  };
}
