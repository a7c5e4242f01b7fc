import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seedUsers, UserService } from '../../engine/runtime/index.js';
import { openStore, type Store } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import { REFERENCE_CONFIG } from '../helpers/reference-config.js';

const { identity } = REFERENCE_CONFIG;
const DEMO_USERS = identity.demoUsers;

const quiet = { info: () => undefined, warn: () => undefined };

describe('runtime: first start seeds users atomically', () => {
  let store: Store;
  beforeEach(async () => {
    store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    await store.migrate();
  });
  afterEach(async () => {
    await store.close();
  });

  it('leaves no user behind when seeding dies midway, and seeds everyone on the next start', async () => {
    let inserts = 0;
    const dying: Store = {
      ...store,
      transaction: (fn) =>
        store.transaction((tx) =>
          fn({
            ...tx,
            users: {
              ...tx.users,
              insert: async (row) => {
                if (++inserts === 4) throw new Error('killed');
                return tx.users.insert(row);
              },
            },
          }),
        ),
    };
    await expect(
      seedUsers(new UserService(dying, { passwordCost: 1024 }), {
        identity,
        adminPassword: 'secret-admin',
        log: quiet,
      }),
    ).rejects.toThrow('killed');
    expect(await store.users.count()).toBe(0);
    const again = await seedUsers(new UserService(store, { passwordCost: 1024 }), {
      identity,
      adminPassword: 'secret-admin',
      log: quiet,
    });
    expect(again.users).toEqual(['admin', ...DEMO_USERS.map((u) => u.username)]);
    expect(await store.users.count()).toBe(1 + DEMO_USERS.length);
  });
});
