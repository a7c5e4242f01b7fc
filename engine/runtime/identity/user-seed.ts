/**
 * First-start seeding: with an empty users table, the candidate groups of the reference processes,
 * an `admin` (password from SVCFLOW_ADMIN_PASSWORD or random, logged once) and, unless turned off,
 * one demo user per group plus a process owner, all with the password `demo`.
 */
import { randomBytes } from 'node:crypto';
import { hashPassword } from './passwords.js';
import { UserExistsError } from './user-errors.js';
import type { NewUser, UserService } from './users.js';

/** The candidate groups of the reference processes (domain.md, "Groups and roles"). */
export const DOMAIN_GROUPS: Array<{ id: string; name: string }> = [
  { id: 'cs-agents', name: 'Customer-service agents' },
  { id: 'cs-resolvers', name: 'Complaint resolvers' },
  { id: 'tech-support', name: 'Technical support' },
  { id: 'billing', name: 'Billing' },
  { id: 'logistics', name: 'Logistics' },
  { id: 'dispatchers', name: 'Field-service dispatchers' },
  { id: 'field-engineers', name: 'Field engineers' },
  { id: 'risk-owners', name: 'Risk owners' },
  { id: 'emergency-team', name: 'Emergency team' },
  { id: 'cs-supervisors', name: 'Customer-service supervisors' },
  { id: 'risk-managers', name: 'Risk managers' },
  { id: 'service-managers', name: 'Service managers' },
];

const CS_STAFF = [
  'cs-agents',
  'cs-resolvers',
  'tech-support',
  'billing',
  'logistics',
  'dispatchers',
  'field-engineers',
];

/** The demo users: one per group; a supervisor's further groups are the staff groups they oversee. */
export const DEMO_USERS: Array<{ username: string; displayName: string; roles: string[]; groups: string[] }> = [
  { username: 'owner1', displayName: 'Process owner', roles: ['owner'], groups: [] },
  { username: 'agent1', displayName: 'CS agent', roles: ['staff'], groups: ['cs-agents'] },
  { username: 'resolver1', displayName: 'Complaint resolver', roles: ['staff'], groups: ['cs-resolvers'] },
  { username: 'tech1', displayName: 'Technical specialist', roles: ['staff'], groups: ['tech-support'] },
  { username: 'billing1', displayName: 'Billing clerk', roles: ['staff'], groups: ['billing'] },
  { username: 'logistics1', displayName: 'Logistics clerk', roles: ['staff'], groups: ['logistics'] },
  { username: 'dispatcher1', displayName: 'Dispatcher', roles: ['staff'], groups: ['dispatchers'] },
  { username: 'engineer1', displayName: 'Field engineer', roles: ['staff'], groups: ['field-engineers'] },
  { username: 'riskowner1', displayName: 'Risk owner', roles: ['staff'], groups: ['risk-owners'] },
  { username: 'responder1', displayName: 'Emergency responder', roles: ['staff'], groups: ['emergency-team'] },
  {
    username: 'supervisor1',
    displayName: 'CS supervisor',
    roles: ['supervisor'],
    groups: ['cs-supervisors', ...CS_STAFF],
  },
  {
    username: 'riskmanager1',
    displayName: 'Risk manager',
    roles: ['supervisor'],
    groups: ['risk-managers', 'risk-owners', 'emergency-team'],
  },
  { username: 'manager1', displayName: 'Service manager', roles: ['supervisor'], groups: ['service-managers'] },
];

/** The password of every demo user (README lists them). */
export const DEMO_PASSWORD = 'demo';

/** What first-start seeding needs. */
export interface SeedOptions {
  /** The admin's password; a random one is generated (and logged once) without it. */
  adminPassword?: string;
  /** Seed the demo users (default true). */
  demo?: boolean;
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void };
}

/** Whether seeding ran, and the users it created. */
export interface SeedResult {
  seeded: boolean;
  users: string[];
  /** The admin's generated password, when one was generated (shown once). */
  adminPassword?: string;
}

/** Seeds groups, the admin and the demo users when no user exists yet; does nothing otherwise. */
/**
 * Seeds groups, the admin and the demo users when no user exists yet; does nothing otherwise. All of it is
 * one transaction, so a start killed midway leaves no half-seeded users: the next start seeds again.
 */
export async function seedUsers(users: UserService, options: SeedOptions): Promise<SeedResult> {
  if ((await users.count()) > 0) return { seeded: false, users: [] };
  const password = options.adminPassword || randomBytes(12).toString('base64url');
  // One hash for all demo users, before the transaction: they share a published password anyway.
  const demoHash = options.demo !== false ? await hashPassword(DEMO_PASSWORD) : undefined;
  const created = await users.transaction(async (tx) => {
    for (const group of DOMAIN_GROUPS) await tx.ensureGroup(group.id, group.name);
    // Another node starting at the same moment may have won the race; then it seeds.
    if (!(await createIfAbsent(tx, { username: 'admin', displayName: 'Administrator', password, roles: ['admin'] })))
      return null;
    const names = ['admin'];
    if (demoHash)
      for (const demo of DEMO_USERS) if (await createIfAbsent(tx, demo, demoHash)) names.push(demo.username);
    return names;
  });
  if (!created) return { seeded: false, users: [] };
  logSeeded(options, password);
  return { seeded: true, users: created, ...(options.adminPassword ? {} : { adminPassword: password }) };
}

// helpers

// Only after the commit: a password shown for an admin that was rolled back would mislead.
function logSeeded(options: SeedOptions, password: string): void {
  if (options.adminPassword)
    options.log.info({ username: 'admin' }, 'admin user created with the password from SVCFLOW_ADMIN_PASSWORD');
  else
    options.log.warn(
      { username: 'admin' },
      `admin user created with the password ${password}; it is shown only this once, change it after signing in`,
    );
  if (options.demo !== false)
    options.log.info(
      { users: DEMO_USERS.map((u) => u.username) },
      `demo users created with the password '${DEMO_PASSWORD}' (set SVCFLOW_DEMO=0 to skip them)`,
    );
}

async function createIfAbsent(users: UserService, user: NewUser, passwordHash?: string): Promise<boolean> {
  try {
    await users.create(user, passwordHash);
    return true;
  } catch (err) {
    if (err instanceof UserExistsError) return false;
    throw err;
  }
}
