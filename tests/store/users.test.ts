import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store, UserRow } from '../../engine/store/index.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { aTask, at, seedInstance, T0, uid } from '../helpers/store-rows.js';

describeEachStore('store/users', (backend) => {
  let store: Store;
  beforeAll(async () => {
    store = await backend.open();
  });
  afterAll(closeStores);

  it('inserts a user once and reads it back', async () => {
    const user = aUser();
    expect(await store.users.insert(user)).toBe(true);
    expect(await store.users.insert({ ...user, displayName: 'Other' })).toBe(false);
    expect(await store.users.get(user.username)).toEqual(user);
    expect(await store.users.get('nobody')).toBeNull();
  });

  it('reads a user with their sorted groups in one call, as get and groupsOf answer them', async () => {
    const user = aUser();
    await store.users.insert(user);
    const [b, a] = [uid('gb'), uid('ga')];
    await store.users.insertGroup({ id: b, name: 'B', createdAt: T0 });
    await store.users.insertGroup({ id: a, name: 'A', createdAt: T0 });
    expect(await store.users.getWithGroups(user.username)).toEqual({ user, groups: [] });
    await store.users.setGroupsOf(user.username, [b, a]);
    expect(await store.users.getWithGroups(user.username)).toEqual({
      user: await store.users.get(user.username),
      groups: await store.users.groupsOf(user.username),
    });
    expect((await store.users.getWithGroups(user.username))?.groups).toEqual([a, b].sort());
    expect(await store.users.getWithGroups('nobody')).toBeNull();
  });

  it('patches only the given fields and deletes a user with their memberships', async () => {
    const user = aUser();
    await store.users.insert(user);
    await store.users.insertGroup({ id: uid('g'), name: 'G', createdAt: T0 });
    const [group] = await store.users.listGroups();
    await store.users.setGroupsOf(user.username, [group.id]);
    expect(await store.users.update(user.username, { roles: ['supervisor'], disabled: true, updatedAt: at(5) })).toBe(
      true,
    );
    expect(await store.users.get(user.username)).toEqual({
      ...user,
      roles: ['supervisor'],
      disabled: true,
      updatedAt: at(5),
    });
    expect(await store.users.delete(user.username)).toBe(true);
    expect(await store.users.groupsOf(user.username)).toEqual([]);
    expect(await store.users.delete(user.username)).toBe(false);
  });

  it('keeps groups with their members, replaced as a whole', async () => {
    const [ann, bob] = [aUser(), aUser()];
    await store.users.insert(ann);
    await store.users.insert(bob);
    const id = uid('cs-agents');
    expect(await store.users.insertGroup({ id, name: 'Agents', createdAt: T0 })).toBe(true);
    expect(await store.users.insertGroup({ id, name: 'Again', createdAt: T0 })).toBe(false);
    await store.users.setMembers(id, [ann.username, bob.username]);
    await store.users.setMembers(id, [bob.username]);
    expect(await store.users.getGroup(id)).toEqual({ id, name: 'Agents', createdAt: T0, members: [bob.username] });
    expect(await store.users.groupsOf(bob.username)).toEqual([id]);
    expect(await store.users.existing([ann.username, 'ghost'])).toEqual([ann.username]);
  });

  it('finds enabled users by role', async () => {
    const admin = aUser({ roles: ['admin', 'owner'] });
    const disabled = aUser({ roles: ['admin'], disabled: true });
    await store.users.insert(admin);
    await store.users.insert(disabled);
    const admins = await store.users.enabledWithRole('admin');
    expect(admins).toContain(admin.username);
    expect(admins).not.toContain(disabled.username);
  });

  it('finds a token by its hash until it is revoked', async () => {
    const token = {
      id: uid('tok'),
      name: 'mail-worker',
      tokenHash: uid('h').padEnd(64, '0'),
      roles: ['worker'],
      createdBy: 'admin',
      createdAt: T0,
      revokedAt: null,
    };
    await store.users.insertToken(token);
    expect(await store.users.tokenByHash(token.tokenHash)).toEqual(token);
    expect(await store.users.revokeToken(token.id, at(1))).toBe(true);
    expect(await store.users.revokeToken(token.id, at(2))).toBe(false);
    expect((await store.users.listTokens()).find((t) => t.id === token.id)?.revokedAt).toBe(at(1));
  });

  it('keeps the first value of a setting', async () => {
    const key = uid('setting');
    expect(await store.users.settingOrPut(key, 'first')).toBe('first');
    expect(await store.users.settingOrPut(key, 'second')).toBe('first');
    expect(await store.users.setting(key)).toBe('first');
  });

  describe('visibility', () => {
    it('lists the tasks assigned to, completed by or offered to a user or their groups', async () => {
      const instance = await seedInstance(store);
      const mine = aTask(instance, { assignee: 'ann', candidateGroups: ['billing'] });
      const offered = aTask(instance, { candidateUsers: ['ann'] });
      const group = aTask(instance, { candidateGroups: ['support'] });
      const done = aTask(instance, { status: 'completed', completedBy: 'ann' });
      const other = aTask(instance, { candidateGroups: ['billing'], assignee: 'bob' });
      for (const task of [mine, offered, group, done, other]) await store.tasks.insert(task);
      const visibleTo = { user: 'ann', groups: ['support'] };
      const open = await store.tasks.list({ instanceId: instance.id, status: 'open', visibleTo });
      expect(open.items.map((t) => t.id).sort()).toEqual([mine.id, offered.id, group.id].sort());
      const all = await store.tasks.list({ instanceId: instance.id, visibleTo });
      expect(all.total).toBe(4);
    });

    it('lists the instances holding a task the user may see', async () => {
      const seen = await seedInstance(store);
      const unseen = await seedInstance(store);
      await store.tasks.insert(aTask(seen, { candidateGroups: ['risk-owners'] }));
      await store.tasks.insert(aTask(unseen, { candidateGroups: ['billing'] }));
      const page = await store.instances.list({ visibleTo: { user: 'zoe', groups: ['risk-owners'] } });
      expect(page.items.map((i) => i.id)).toEqual([seen.id]);
    });
  });
});

// helpers

function aUser(over: Partial<UserRow> = {}): UserRow {
  return {
    username: uid('user'),
    displayName: 'Ann Lin',
    passwordHash: 'scrypt$1024$8$1$c2FsdA$aGFzaA',
    roles: ['staff'],
    disabled: false,
    tokenVersion: 0,
    createdAt: T0,
    updatedAt: T0,
    ...over,
  };
}
