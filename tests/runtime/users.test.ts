import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  TokenService,
  UserService,
  hashPassword,
  seedUsers,
  sessionSecret,
  verifyPassword,
} from '../../engine/runtime/index.js';
import type { Store } from '../../engine/store/index.js';
import { REFERENCE_CONFIG } from '../helpers/reference-config.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';

const { identity } = REFERENCE_CONFIG;

const COST = 1024;

describe('runtime/passwords', () => {
  it('verifies the password a hash was made from and nothing else', async () => {
    const hash = await hashPassword('correct horse', COST);
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horsE', hash)).toBe(false);
    expect(await verifyPassword('correct horse', 'plain-text')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$4194304$8$1$c2FsdA$aGFzaA')).toBe(false);
  });
});

describeEachStore('runtime/users', (backend) => {
  let store: Store;
  let users: UserService;
  beforeAll(async () => {
    store = await backend.open();
    users = new UserService(store, { passwordCost: COST });
    await users.ensureGroup('billing', 'Billing');
  });
  afterAll(closeStores);

  it('signs in with the right password only, and never a disabled user', async () => {
    await users.create({ username: 'ann', password: 'secret-pass', roles: ['staff'], groups: ['billing'] });
    expect(await users.authenticate('ann', 'secret-pass')).toMatchObject({
      username: 'ann',
      roles: ['staff'],
      groups: ['billing'],
    });
    expect(await users.authenticate('ann', 'wrong')).toBeNull();
    expect(await users.authenticate('nobody', 'secret-pass')).toBeNull();
    await users.update('ann', { disabled: true });
    expect(await users.authenticate('ann', 'secret-pass')).toBeNull();
  });

  it('refuses a second user of the same name, unknown groups and unknown members', async () => {
    await users.create({ username: 'bob', roles: ['staff'] });
    await expect(users.create({ username: 'bob', roles: ['owner'] })).rejects.toMatchObject({ code: 'USER_EXISTS' });
    await expect(users.create({ username: 'cy', roles: ['staff'], groups: ['ghosts'] })).rejects.toMatchObject({
      code: 'USER_INVALID',
      problems: [{ name: 'groups.ghosts', message: expect.any(String) }],
    });
    await expect(users.setMembers('billing', ['bob', 'ghost'])).rejects.toMatchObject({ code: 'USER_INVALID' });
    await expect(users.setMembers('nope', [])).rejects.toMatchObject({ code: 'GROUP_NOT_FOUND' });
  });

  it('keeps at least one enabled admin', async () => {
    await users.create({ username: 'root', roles: ['admin'] });
    const admins = await store.users.enabledWithRole('admin');
    for (const other of admins.filter((u) => u !== 'root')) await users.update(other, { roles: ['staff'] });
    await expect(users.update('root', { roles: ['owner'] })).rejects.toMatchObject({ code: 'USER_INVALID' });
    await expect(users.delete('root')).rejects.toMatchObject({ code: 'USER_INVALID' });
    await users.create({ username: 'root2', roles: ['admin'] });
    await users.delete('root');
    await expect(users.get('root')).rejects.toMatchObject({ code: 'USER_NOT_FOUND' });
  });

  it('shows an API token once, keeps only its hash and refuses it once revoked', async () => {
    const tokens = new TokenService(store);
    const created = await tokens.create({ name: 'mail-worker', roles: ['worker'] }, 'admin');
    expect(created.token).toMatch(/^svcf_[\w-]{40,}$/);
    expect(JSON.stringify(await store.users.listTokens())).not.toContain(created.token);
    expect(await tokens.verify(created.token)).toMatchObject({
      id: created.id,
      name: 'mail-worker',
      roles: ['worker'],
    });
    await tokens.revoke(created.id);
    expect(await tokens.verify(created.token)).toBeNull();
    await expect(tokens.revoke(created.id)).rejects.toMatchObject({ code: 'TOKEN_NOT_FOUND' });
  });

  it('generates the session secret once and shares it', async () => {
    const first = await sessionSecret(store);
    expect(first.length).toBeGreaterThanOrEqual(48);
    expect(await sessionSecret(store)).toBe(first);
    expect(await sessionSecret(store, 'configured')).toBe('configured');
  });
});

describeEachStore('runtime/user-seed', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(closeStores);

  it('creates the groups, an admin with a random password logged once, and the demo users on first start only', async () => {
    const users = new UserService(store, { passwordCost: COST });
    const lines: string[] = [];
    const log = {
      warn: (_o: object, msg: string) => {
        lines.push(msg);
      },
      info: (_o: object, msg: string) => {
        lines.push(msg);
      },
    };
    const result = await seedUsers(users, { identity, log });
    expect(result.users).toEqual(['admin', ...identity.demoUsers.map((u) => u.username)]);
    expect((await users.listGroups()).map((g) => g.id).sort()).toEqual(identity.groups.map((g) => g.id).sort());
    const password = /password (\S+);/.exec(lines.find((l) => l.startsWith('admin user created')) ?? '')?.[1];
    expect(await users.authenticate('admin', password!)).toMatchObject({ roles: ['admin'] });
    expect(await users.authenticate('agent1', DEMO_PASSWORD)).toMatchObject({
      roles: ['staff'],
      groups: ['cs-agents'],
    });
    expect(await users.authenticate('manager1', DEMO_PASSWORD)).toMatchObject({
      roles: ['supervisor'],
      groups: ['service-managers'],
    });
    expect(await users.authenticate('owner1', DEMO_PASSWORD)).toMatchObject({ roles: ['owner'] });
    expect(await seedUsers(users, { identity, log })).toEqual({ seeded: false, users: [] });
    expect(lines.filter((l) => l.includes(password!))).toHaveLength(1);
  });
});

describeEachStore('runtime/user-seed without demo users', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(closeStores);

  it('creates only the admin, with the configured password', async () => {
    const users = new UserService(store, { passwordCost: COST });
    const log = { warn: () => {}, info: () => {} };
    expect(await seedUsers(users, { identity, log, demo: false, adminPassword: 'from-the-env' })).toEqual({
      seeded: true,
      users: ['admin'],
    });
    expect(await users.authenticate('admin', 'from-the-env')).not.toBeNull();
    expect(await users.count()).toBe(1);
  });
});
