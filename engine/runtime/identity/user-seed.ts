/**
 * First-start seeding: with an empty users table, the configured groups, an `admin` (password from
 * SVCFLOW_ADMIN_PASSWORD or random, logged once) and, unless turned off, the configured demo users, all with
 * the password `demo` (identity-config.ts; the reference processes' ones are in processes/svcflow.config.json).
 */
import { randomBytes } from 'node:crypto';
import type { IdentityConfig } from './identity-config.js';
import { hashPassword } from './passwords.js';
import { UserExistsError } from './user-errors.js';
import type { NewUser, UserService } from './users.js';

/** The password of every demo user (README lists them). */
export const DEMO_PASSWORD = 'demo';

/** What first-start seeding needs. */
export interface SeedOptions {
  /** The groups and demo users to create. */
  identity: Pick<IdentityConfig, 'groups' | 'demoUsers'>;
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

/**
 * Seeds groups, the admin and the demo users when no user exists yet; does nothing otherwise. All of it is
 * one transaction, so a start killed midway leaves no half-seeded users: the next start seeds again.
 */
export async function seedUsers(users: UserService, options: SeedOptions): Promise<SeedResult> {
  if ((await users.count()) > 0) return { seeded: false, users: [] };
  const password = options.adminPassword || randomBytes(12).toString('base64url');
  // One hash for all demo users, before the transaction: they share a published password anyway.
  const demoHash = seedsDemo(options) ? await hashPassword(DEMO_PASSWORD) : undefined;
  const created = await users.transaction(async (tx) => {
    for (const group of options.identity.groups) await tx.ensureGroup(group.id, group.name);
    // Another node starting at the same moment may have won the race; then it seeds.
    if (!(await createIfAbsent(tx, { username: 'admin', displayName: 'Administrator', password, roles: ['admin'] })))
      return null;
    const names = ['admin'];
    if (demoHash)
      for (const demo of options.identity.demoUsers)
        if (await createIfAbsent(tx, demo, demoHash)) names.push(demo.username);
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
  if (seedsDemo(options))
    options.log.info(
      { users: options.identity.demoUsers.map((u) => u.username) },
      `demo users created with the password '${DEMO_PASSWORD}' (set SVCFLOW_DEMO=0 to skip them)`,
    );
}

function seedsDemo(options: SeedOptions): boolean {
  return options.demo !== false && options.identity.demoUsers.length > 0;
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
