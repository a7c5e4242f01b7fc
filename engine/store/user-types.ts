/**
 * The storage contract of users, groups, memberships, API tokens and settings. Timestamps are
 * ISO 8601 strings in UTC; roles are plain strings (the runtime knows which exist).
 */
import type { Page, Paging } from './types.js';

/** A person who signs in; `passwordHash` is an scrypt hash (null: no password sign-in). */
export interface UserRow {
  username: string;
  displayName: string;
  passwordHash: string | null;
  roles: string[];
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  /** Raised to revoke every sign-in token of the user (0 when new). */
  tokenVersion?: number;
}

/** A candidate group of the BPMN models. */
export interface GroupRow {
  id: string;
  name: string;
  createdAt: string;
}

/** A group with its members' usernames. */
export interface GroupWithMembers extends GroupRow {
  members: string[];
}

/** A revocable API token of a worker or integration; only the sha256 of the token is kept. */
export interface ApiTokenRow {
  id: string;
  name: string;
  tokenHash: string;
  roles: string[];
  createdBy: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** Whose tasks and instances a query may return: the user's own and their groups'. */
export interface Visibility {
  user: string;
  groups: string[];
}

/** The fields users.update changes; updatedAt always. */
export type UserPatch = Partial<
  Pick<UserRow, 'displayName' | 'passwordHash' | 'roles' | 'disabled' | 'tokenVersion'>
> & { updatedAt: string };

/** Users, groups, memberships, API tokens and settings; every method runs in the transaction it was handed. */
export interface UserRepository {
  get(username: string): Promise<UserRow | null>;
  /** Ordered by username. */
  list(filter: Paging): Promise<Page<UserRow>>;
  count(): Promise<number>;
  /** false when the username is taken. */
  insert(row: UserRow): Promise<boolean>;
  /** false when there is no such user. */
  update(username: string, patch: UserPatch): Promise<boolean>;
  /** Deletes the user and their memberships; false when there is no such user. */
  delete(username: string): Promise<boolean>;
  /** The user with their group ids (sorted), or null: one statement on PostgreSQL, read on every request. */
  getWithGroups(username: string): Promise<{ user: UserRow; groups: string[] } | null>;
  /** The group ids of a user, sorted. */
  groupsOf(username: string): Promise<string[]>;
  /** Replaces a user's memberships. */
  setGroupsOf(username: string, groupIds: string[]): Promise<void>;
  getGroup(id: string): Promise<GroupWithMembers | null>;
  /** Every group with its members, ordered by id. */
  listGroups(): Promise<GroupWithMembers[]>;
  /** false when the id is taken. */
  insertGroup(row: GroupRow): Promise<boolean>;
  /** Replaces a group's members. */
  setMembers(groupId: string, usernames: string[]): Promise<void>;
  /** The usernames of enabled users holding a role. */
  enabledWithRole(role: string): Promise<string[]>;
  /** The usernames among the given ones that exist. */
  existing(usernames: string[]): Promise<string[]>;
  insertToken(row: ApiTokenRow): Promise<void>;
  tokenByHash(tokenHash: string): Promise<ApiTokenRow | null>;
  /** Newest first, revoked ones included. */
  listTokens(): Promise<ApiTokenRow[]>;
  /** false when there is no such token or it is revoked already. */
  revokeToken(id: string, at: string): Promise<boolean>;
  setting(key: string): Promise<string | null>;
  /** Stores the value unless the key has one; returns the value that is stored afterwards. */
  settingOrPut(key: string, value: string): Promise<string>;
}
