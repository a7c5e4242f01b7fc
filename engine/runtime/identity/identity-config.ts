/**
 * What an installation says about its people: the groups seeded on the first start, the demo users (one per
 * group, password `demo`) and the groups whose supervisors oversee every process. The engine names none of
 * them itself; the server reads them from the installation's configuration (processes/svcflow.config.json
 * for the reference processes).
 */
import { ROLES } from './users.js';

/** A group created on the first start. */
export interface GroupSeed {
  id: string;
  name: string;
}

/** A demo user created on the first start (unless SVCFLOW_DEMO=0). */
export interface DemoUser {
  username: string;
  displayName: string;
  roles: string[];
  groups: string[];
}

export interface IdentityConfig {
  /** Created on the first start, so candidate groups exist before anyone is added to them. */
  groups: GroupSeed[];
  demoUsers: DemoUser[];
  /** Supervisors who are members of one of these groups see every process, not only their groups' work. */
  allSeeingGroups: string[];
}

/** No groups, no demo users, nobody all-seeing: an installation's configuration adds them. */
export const NEUTRAL_IDENTITY: IdentityConfig = { groups: [], demoUsers: [], allSeeingGroups: [] };

/** Whether one of the groups is an all-seeing one. */
export function inAllSeeingGroup(
  groups: readonly string[],
  identity: Pick<IdentityConfig, 'allSeeingGroups'>,
): boolean {
  return groups.some((g) => identity.allSeeingGroups.includes(g));
}

/** A problem of an identity configuration: the field path (e.g. `demoUsers[2].groups[0]`) and what is wrong. */
export interface IdentityProblem {
  field: string;
  message: string;
}

/**
 * The cross-field rules a shape check cannot see: ids unique, roles known, and every group a demo user
 * joins or that is all-seeing is one of the seeded groups (else a typo silently creates nobody's group).
 */
export function checkIdentity(identity: IdentityConfig): IdentityProblem[] {
  const problems: IdentityProblem[] = [];
  const groups = new Set<string>();
  identity.groups.forEach((g, i) => {
    if (groups.has(g.id)) problems.push({ field: `groups[${i}].id`, message: `group '${g.id}' is listed twice` });
    groups.add(g.id);
  });
  const users = new Set<string>();
  identity.demoUsers.forEach((u, i) => {
    const at = `demoUsers[${i}]`;
    if (users.has(u.username) || u.username === 'admin')
      problems.push({ field: `${at}.username`, message: `username '${u.username}' is taken` });
    users.add(u.username);
    u.roles.forEach((role, j) => {
      if (!(ROLES as readonly string[]).includes(role))
        problems.push({ field: `${at}.roles[${j}]`, message: `'${role}' is not a role (${ROLES.join(', ')})` });
    });
    u.groups.forEach((g, j) => {
      if (!groups.has(g)) problems.push({ field: `${at}.groups[${j}]`, message: `'${g}' is not one of groups[]` });
    });
  });
  identity.allSeeingGroups.forEach((g, i) => {
    if (!groups.has(g)) problems.push({ field: `allSeeingGroups[${i}]`, message: `'${g}' is not one of groups[]` });
  });
  return problems;
}
