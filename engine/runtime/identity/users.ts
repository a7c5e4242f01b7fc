/**
 * Users and groups: who may sign in, with which roles, in which candidate groups. Passwords are
 * scrypt hashes; a sign-in with an unknown name costs as much as one with a wrong password.
 */
import type { GroupWithMembers, Page, Paging, Store, UserPatch, UserRow } from '../../store/index.js';
import { systemClock, type Clock } from '../clock.js';
import { randomInt } from 'node:crypto';
import { DEFAULT_PASSWORD_COST, hashPassword, verifyPassword } from './passwords.js';
import {
  GroupExistsError,
  GroupNotFoundError,
  UserExistsError,
  UserInvalidError,
  UserNotFoundError,
} from './user-errors.js';

/** The roles the engine knows; `worker` is for API tokens of external workers. */
export const ROLES = ['admin', 'owner', 'staff', 'supervisor', 'worker'] as const;
/** One of ROLES. */
export type Role = (typeof ROLES)[number];

/** A user as the API shows it: never the password hash. */
export interface UserView {
  username: string;
  displayName: string;
  roles: string[];
  groups: string[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  /** Raised to revoke the user's sign-in tokens. */
  tokenVersion: number;
}

/**
 * What a sign-in token must carry to stay valid: the user's creation instant (a new user with a deleted
 * user's name does not inherit their tokens) and token version (raised on password change, disable, logout).
 */
export function sessionVersion(user: { createdAt: string; tokenVersion?: number }): string {
  return `${user.createdAt}#${user.tokenVersion ?? 0}`;
}

/** A user to create; without a password the user cannot sign in with one. */
export interface NewUser {
  username: string;
  password?: string;
  displayName?: string;
  roles: string[];
  groups?: string[];
  disabled?: boolean;
}

/** The fields of a user to change. */
export type UserChange = Partial<Omit<NewUser, 'username'>>;

/** The clock and password hashing cost of a UserService. */
export interface UserServiceOptions {
  clock?: Clock;
  /** scrypt N of new password hashes (tests lower it). */
  passwordCost?: number;
}

/** Creates, changes and authenticates users and manages groups and memberships. */
export class UserService {
  private readonly clock: Clock;
  private readonly cost: number;
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly store: Pick<Store, 'users'> & Partial<Pick<Store, 'transaction'>>,
    options: UserServiceOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.cost = options.passwordCost ?? DEFAULT_PASSWORD_COST;
  }

  /** Runs fn with a UserService bound to one transaction: every change in it commits together or not at all. */
  async transaction<T>(fn: (users: UserService) => Promise<T>): Promise<T> {
    if (!this.store.transaction) return fn(this);
    return this.store.transaction((tx) => fn(new UserService(tx, { clock: this.clock, passwordCost: this.cost })));
  }

  /** The enabled user with this name and password, or null (unknown name, wrong password, disabled). */
  async authenticate(username: string, password: string): Promise<UserView | null> {
    const row = await this.store.users.get(username);
    // Unknown users are checked against a dummy hash so the answer takes as long either way.
    const hash = row?.passwordHash ?? (await (this.dummyHash ??= hashPassword('dummy password', this.cost)));
    const matches = await verifyPassword(password, hash);
    if (!row || !row.passwordHash || !matches || row.disabled) return null;
    return this.view(row);
  }

  /** The user, or null when there is none. */
  async find(username: string): Promise<UserView | null> {
    // read on every request: the user and their groups in one statement
    const found = await this.store.users.getWithGroups(username);
    return found ? viewOf(found.user, found.groups) : null;
  }

  async get(username: string): Promise<UserView> {
    const user = await this.find(username);
    if (!user) throw new UserNotFoundError(username);
    return user;
  }

  async list(paging: Paging): Promise<Page<UserView>> {
    const page = await this.store.users.list(paging);
    return { total: page.total, items: await Promise.all(page.items.map((row) => this.view(row))) };
  }

  count(): Promise<number> {
    return this.store.users.count();
  }

  /** Creates a user; the groups must exist. */
  async create(input: NewUser, passwordHash?: string): Promise<UserView> {
    await this.checkGroups(input.groups ?? []);
    const now = this.clock.now().toISOString();
    const hash = passwordHash ?? (input.password === undefined ? null : await hashPassword(input.password, this.cost));
    const row: UserRow = {
      username: input.username,
      displayName: input.displayName ?? input.username,
      passwordHash: hash,
      roles: uniqueRoles(input.roles),
      disabled: input.disabled ?? false,
      createdAt: now,
      updatedAt: now,
      // a random start, so a new user with a deleted user's name never matches that user's old tokens
      tokenVersion: randomInt(1, 2 ** 31),
    };
    if (!(await this.store.users.insert(row))) throw new UserExistsError(input.username);
    await this.store.users.setGroupsOf(input.username, input.groups ?? []);
    return this.get(input.username);
  }

  /** Changes the given fields; the last enabled admin cannot lose the role. */
  async update(username: string, change: UserChange): Promise<UserView> {
    const current = await this.get(username);
    if (change.groups) await this.checkGroups(change.groups);
    const losesAdmin = (change.roles !== undefined && !change.roles.includes('admin')) || change.disabled === true;
    if (current.roles.includes('admin') && !current.disabled && losesAdmin) await this.keepAnAdmin(username);
    const patch: UserPatch = { updatedAt: this.clock.now().toISOString() };
    if (change.displayName !== undefined) patch.displayName = change.displayName;
    if (change.roles !== undefined) patch.roles = uniqueRoles(change.roles);
    if (change.disabled !== undefined) patch.disabled = change.disabled;
    if (change.password !== undefined) patch.passwordHash = await hashPassword(change.password, this.cost);
    // a new password, a disable or a lost role ends every session signed in before
    if (change.password !== undefined || change.disabled === true || change.roles !== undefined)
      patch.tokenVersion = current.tokenVersion + 1;
    await this.store.users.update(username, patch);
    if (change.groups) await this.store.users.setGroupsOf(username, change.groups);
    return this.get(username);
  }

  /** Revokes every sign-in token of the user (logout; a new sign-in gets a fresh one). */
  async revokeSessions(username: string): Promise<void> {
    const current = await this.get(username);
    await this.store.users.update(username, {
      tokenVersion: current.tokenVersion + 1,
      updatedAt: this.clock.now().toISOString(),
    });
  }

  /** The user's own password change: the current password must match; every other session ends. */
  async changeOwnPassword(username: string, currentPassword: string, newPassword: string): Promise<boolean> {
    if (!(await this.authenticate(username, currentPassword))) return false;
    await this.update(username, { password: newPassword });
    return true;
  }

  async delete(username: string): Promise<void> {
    const current = await this.get(username);
    if (current.roles.includes('admin') && !current.disabled) await this.keepAnAdmin(username);
    await this.store.users.delete(username);
  }

  listGroups(): Promise<GroupWithMembers[]> {
    return this.store.users.listGroups();
  }

  async createGroup(input: { id: string; name?: string; members?: string[] }): Promise<GroupWithMembers> {
    await this.checkMembers(input.members ?? []);
    const created = await this.store.users.insertGroup({
      id: input.id,
      name: input.name ?? input.id,
      createdAt: this.clock.now().toISOString(),
    });
    if (!created) throw new GroupExistsError(input.id);
    await this.store.users.setMembers(input.id, input.members ?? []);
    return (await this.store.users.getGroup(input.id))!;
  }

  /** Creates the group unless it exists; true when it was created. */
  async ensureGroup(id: string, name: string): Promise<boolean> {
    return this.store.users.insertGroup({ id, name, createdAt: this.clock.now().toISOString() });
  }

  /** Replaces the members of a group; every member must exist. */
  async setMembers(groupId: string, usernames: string[]): Promise<GroupWithMembers> {
    if (!(await this.store.users.getGroup(groupId))) throw new GroupNotFoundError(groupId);
    await this.checkMembers(usernames);
    await this.store.users.setMembers(groupId, usernames);
    return (await this.store.users.getGroup(groupId))!;
  }

  private async view(row: UserRow): Promise<UserView> {
    return viewOf(row, await this.store.users.groupsOf(row.username));
  }

  private async checkGroups(groupIds: string[]): Promise<void> {
    const known = new Set((await this.store.users.listGroups()).map((g) => g.id));
    const unknown = [...new Set(groupIds)].filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw new UserInvalidError(
        unknown.map((id) => ({ name: `groups.${id}`, message: 'is not a group; create it with POST /api/groups' })),
      );
  }

  private async checkMembers(usernames: string[]): Promise<void> {
    const unique = [...new Set(usernames)];
    const known = new Set(await this.store.users.existing(unique));
    const unknown = unique.filter((u) => !known.has(u));
    if (unknown.length > 0)
      throw new UserInvalidError(unknown.map((u) => ({ name: `members.${u}`, message: 'is not a user' })));
  }

  private async keepAnAdmin(username: string): Promise<void> {
    const others = (await this.store.users.enabledWithRole('admin')).filter((u) => u !== username);
    if (others.length === 0)
      throw new UserInvalidError([
        { name: username, message: 'is the last enabled admin; make another user admin first' },
      ]);
  }
}

// helpers

function uniqueRoles(roles: string[]): string[] {
  return ROLES.filter((role) => roles.includes(role));
}

function viewOf(row: UserRow, groups: string[]): UserView {
  return {
    username: row.username,
    displayName: row.displayName,
    roles: row.roles,
    groups,
    disabled: row.disabled,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    tokenVersion: row.tokenVersion ?? 0,
  };
}
