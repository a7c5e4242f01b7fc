import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstanceRow, Store, TaskRow } from '../../engine/store/index.js';
import { closeStores, describeEachStore } from '../helpers/stores.js';
import { aTask, at, seedInstance, uid } from '../helpers/store-rows.js';

describeEachStore('store/tasks', (backend) => {
  let store: Store;
  let instance: InstanceRow;
  beforeAll(async () => {
    store = await backend.open();
    instance = await seedInstance(store);
  });
  afterAll(closeStores);

  it('returns a task with its candidates in the given order', async () => {
    const task = aTask(instance, {
      candidateGroups: ['support', 'billing'],
      candidateUsers: ['ann'],
      due: at(60),
      inputs: { channel: 'mail' },
    });
    await store.tasks.insert(task);
    expect(await store.tasks.get(task.id)).toEqual(task);
  });

  it('finds the open task of an element', async () => {
    const own = await seedInstance(store);
    await store.tasks.insert(aTask(own, { elementId: 'Task_call', status: 'completed' }));
    const open = aTask(own, { elementId: 'Task_call' });
    await store.tasks.insert(open);
    expect((await store.tasks.openByElement(own.id, 'Task_call'))?.id).toBe(open.id);
    expect(await store.tasks.openByElement(own.id, 'Task_other')).toBeNull();
  });

  it('updates only the patched fields and replaces candidate lists', async () => {
    const task = aTask(instance, { candidateGroups: ['support'], candidateUsers: ['ann'], due: at(30) });
    await store.tasks.insert(task);
    await store.tasks.update(task.id, { assignee: 'bob', priority: 90, candidateGroups: ['escalation'] });
    expect(await store.tasks.get(task.id)).toEqual({
      ...task,
      assignee: 'bob',
      priority: 90,
      candidateGroups: ['escalation'],
    });
    await store.tasks.update(task.id, {
      assignee: null,
      due: null,
      status: 'completed',
      endedAt: at(40),
      completedBy: 'bob',
    });
    expect(await store.tasks.get(task.id)).toMatchObject({
      assignee: null,
      due: null,
      status: 'completed',
      endedAt: at(40),
      candidateUsers: ['ann'],
    });
  });

  it('keeps a group query in step with status changes', async () => {
    const own = await seedInstance(store);
    const group = uid('group');
    const task = aTask(own, { candidateGroups: [group] });
    await store.tasks.insert(task);
    await store.tasks.update(task.id, { status: 'completed' });
    await store.tasks.update(task.id, { candidateGroups: [group, 'audit'] });
    expect(await store.tasks.list({ candidateGroups: [group], status: 'open' })).toEqual({
      items: [],
      total: 0,
      nextCursor: null,
    });
    const completed = await store.tasks.list({ candidateGroups: [group], status: 'completed' });
    expect(completed.items.map((t) => t.id)).toEqual([task.id]);
  });

  describe('list', () => {
    let key: string;
    let ids: Record<string, string>;
    beforeAll(async () => {
      const own = await seedInstance(store);
      key = own.definitionKey;
      const tasks: Array<[string, Partial<TaskRow>]> = [
        ['noDue', { due: null, priority: 99, candidateGroups: ['support'] }],
        ['lateLow', { due: at(120), priority: 10, candidateGroups: ['billing'] }],
        ['soonHigh', { due: at(30), priority: 80, candidateGroups: ['support', 'billing'] }],
        ['soonLow', { due: at(30), priority: 20, candidateUsers: ['ann'], assignee: 'ann' }],
        ['soonLowOlder', { due: at(30), priority: 20, createdAt: at(-5), candidateGroups: ['legal'] }],
        ['done', { due: at(10), status: 'completed', candidateGroups: ['support'] }],
      ];
      ids = {};
      for (const [name, over] of tasks) {
        const task = aTask(own, { id: uid(name), ...over });
        ids[name] = task.id;
        await store.tasks.insert(task);
      }
    });
    const names = (page: { items: TaskRow[] }) => page.items.map((t) => Object.keys(ids).find((n) => ids[n] === t.id));

    it('sorts by due with nulls last, then priority high first, then oldest first', async () => {
      const page = await store.tasks.list({ definitionKey: key, status: 'open' });
      expect(names(page)).toEqual(['soonHigh', 'soonLowOlder', 'soonLow', 'lateLow', 'noDue']);
      expect(page.total).toBe(5);
    });

    it('pages through the sorted list', async () => {
      const second = await store.tasks.list({ definitionKey: key, status: 'open', offset: 2, limit: 2 });
      expect(second.total).toBe(5);
      expect(names(second)).toEqual(['soonLow', 'lateLow']);
    });

    it('finds tasks having any of the given candidate groups, each once', async () => {
      const page = await store.tasks.list({ definitionKey: key, candidateGroups: ['support', 'billing'] });
      expect(names(page)).toEqual(['done', 'soonHigh', 'lateLow', 'noDue']);
      expect(page.total).toBe(4);
    });

    it('combines filters with AND', async () => {
      const page = await store.tasks.list({ definitionKey: key, status: 'open', candidateGroups: ['support'] });
      expect(names(page)).toEqual(['soonHigh', 'noDue']);
    });

    it('finds tasks by candidate user and by assignee', async () => {
      expect(names(await store.tasks.list({ definitionKey: key, candidateUser: 'ann' }))).toEqual(['soonLow']);
      expect(names(await store.tasks.list({ definitionKey: key, assignee: 'ann' }))).toEqual(['soonLow']);
    });

    it('matches no task for an empty candidate group list', async () => {
      expect(await store.tasks.list({ definitionKey: key, candidateGroups: [] })).toEqual({
        items: [],
        total: 0,
        nextCursor: null,
      });
    });

    it('defaults to 50 items and caps the limit at 500', async () => {
      const own = await seedInstance(store);
      await store.transaction(async (tx) => {
        for (let i = 0; i < 510; i++) await tx.tasks.insert(aTask(own, { createdAt: at(i) }));
      });
      expect((await store.tasks.list({ instanceId: own.id })).items).toHaveLength(50);
      const capped = await store.tasks.list({ instanceId: own.id, limit: 10_000 });
      expect(capped.items).toHaveLength(500);
      expect(capped.total).toBe(510);
    });
  });
});
