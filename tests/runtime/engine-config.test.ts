/**
 * Issue 16: the installation's configuration (processes/svcflow.config.json for the reference processes) tells
 * the engine its groups, demo users and all-seeing groups; a wrong file stops the start naming the field.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startServer } from '../../engine/api/server.js';
import {
  attachInsight,
  attachSla,
  ConfigError,
  Engine,
  type EngineConfig,
  NEUTRAL_CONFIG,
  loadEngineConfig,
  readEngineConfig,
  visibilityOf,
  type Principal,
} from '../../engine/runtime/index.js';
import { openStore } from '../../engine/store/index.js';
import { migrationSource } from '../../migrations/index.js';
import { chain, definitions, end, start, userTask } from '../helpers/bpmn-builder.js';
import { FakeClock } from '../helpers/fake-clock.js';
import { REFERENCE_CONFIG } from '../helpers/reference-config.js';

const aConfig = (identity: Record<string, unknown>, rest: Record<string, unknown> = {}) => ({
  identity: { groups: [{ id: 'desk', name: 'Desk' }], demoUsers: [], allSeeingGroups: [], ...identity },
  zone: 'UTC',
  builtinHandlers: { engineerGroup: null },
  ...rest,
});

const KEYED = definitions('complaint', [
  start('S'),
  userTask('Review'),
  end('E'),
  ...chain('S', 'Review', 'E'),
]).replace(
  '<bpmn:process id="complaint" isExecutable="true">',
  '<bpmn:process id="complaint" isExecutable="true"><bpmn:extensionElements><svc:businessKey variable="complaintId" prefix="CMP" /></bpmn:extensionElements>',
);

const failureOf = (run: () => unknown): ConfigError => {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('no ConfigError');
};

describe('runtime/engine configuration', () => {
  it('reads the reference installation: its groups, demo users and the all-seeing service managers', () => {
    expect(REFERENCE_CONFIG.identity.groups.map((g) => g.id)).toContain('field-engineers');
    expect(REFERENCE_CONFIG.identity.demoUsers.map((u) => u.username)).toContain('manager1');
    expect(REFERENCE_CONFIG.identity.allSeeingGroups).toEqual(['service-managers']);
  });

  it('names the field of a wrong shape, an unknown field and a group nobody seeds', () => {
    expect(failureOf(() => readEngineConfig({}, 'x.json'))).toMatchObject({ field: 'identity', reason: 'is missing' });
    expect(failureOf(() => readEngineConfig(aConfig({ groups: [{ id: 'desk' }] }), 'x.json')).message).toBe(
      'x.json: identity.groups[0].name: is missing',
    );
    expect(failureOf(() => readEngineConfig(aConfig({ allSeeingGroup: [] }), 'x.json')).field).toBe(
      'identity.allSeeingGroup',
    );
    const user = { username: 'u1', displayName: 'U', roles: ['staff'], groups: ['dsk'] };
    expect(failureOf(() => readEngineConfig(aConfig({ demoUsers: [user] }), 'x.json')).message).toBe(
      "x.json: identity.demoUsers[0].groups[0]: 'dsk' is not one of groups[]",
    );
    expect(failureOf(() => readEngineConfig(aConfig({ allSeeingGroups: ['boss'] }), 'x.json')).field).toBe(
      'identity.allSeeingGroups[0]',
    );
    const clerk = { ...user, groups: [], roles: ['clerk'] };
    expect(failureOf(() => readEngineConfig(aConfig({ demoUsers: [clerk] }), 'x.json')).field).toBe(
      'identity.demoUsers[0].roles[0]',
    );
  });

  it('names a zone that is no IANA zone and an engineer group nobody seeds', () => {
    expect(failureOf(() => readEngineConfig(aConfig({}, { zone: 'Mars/Olympus' }), 'x.json')).message).toBe(
      "x.json: zone: 'Mars/Olympus' is not an IANA time zone",
    );
    const handlers = { builtinHandlers: { engineerGroup: 'engineers' } };
    expect(failureOf(() => readEngineConfig(aConfig({}, handlers), 'x.json')).field).toBe(
      'builtinHandlers.engineerGroup',
    );
  });

  it('dates generated business keys in the configured zone, in UTC without one', async () => {
    // 2026-01-04 20:00 UTC is already 2026-01-05 in Shanghai
    const keyOn = async (config?: typeof REFERENCE_CONFIG) => {
      const store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
      try {
        await store.migrate();
        const engine = new Engine({ store, clock: new FakeClock('2026-01-04T20:00:00.000Z'), config });
        await engine.deploy(KEYED);
        return (await engine.startInstance({ definitionKey: 'complaint' })).businessKey;
      } finally {
        await store.close();
      }
    };
    expect(await keyOn(REFERENCE_CONFIG)).toBe('CMP-20260105-0001');
    expect(await keyOn()).toBe('CMP-20260104-0001');
  });

  it('reads the case fields the engine reads by name: optional, a name or null, nothing else', () => {
    expect(REFERENCE_CONFIG.caseFields).toMatchObject({
      priority: 'priority',
      channel: 'channel',
      satisfaction: 'satisfactionScore',
      cost: 'cost',
    });
    // an engine built without a configuration reads no variable by name
    expect(Object.values(NEUTRAL_CONFIG.caseFields).every((name) => name === null)).toBe(true);
    expect(readEngineConfig(aConfig({}), 'x.json').caseFields).toEqual(NEUTRAL_CONFIG.caseFields);
    const given = { priority: 'urgency', channel: null, satisfaction: 'stars' };
    expect(readEngineConfig(aConfig({}, { caseFields: given }), 'x.json').caseFields).toEqual({
      ...NEUTRAL_CONFIG.caseFields,
      priority: 'urgency',
      satisfaction: 'stars',
    });
    expect(failureOf(() => readEngineConfig(aConfig({}, { caseFields: { priority: '' } }), 'x.json')).field).toBe(
      'caseFields.priority',
    );
    expect(failureOf(() => readEngineConfig(aConfig({}, { caseFields: { nps: 7 } }), 'x.json')).field).toBe(
      'caseFields.nps',
    );
    expect(failureOf(() => readEngineConfig(aConfig({}, { caseFields: { colour: 'c' } }), 'x.json')).field).toBe(
      'caseFields.colour',
    );
  });

  it('reads the fields a case is searched by and compared for duplicates: optional lists, nothing without', () => {
    expect(REFERENCE_CONFIG.caseSearch).toMatchObject({
      phone: ['contactPhone', 'phone'],
      duplicates: { customerFields: ['customerId', 'contactPhone', 'contactEmail'], textField: 'description' },
    });
    expect(readEngineConfig(aConfig({}), 'x.json').caseSearch).toEqual({
      customer: [],
      phone: [],
      email: [],
      text: [],
      duplicates: { customerFields: [], textField: null },
    });
    const search = { text: ['summary'], duplicates: { textField: 'summary' } };
    expect(readEngineConfig(aConfig({}, { caseSearch: search }), 'x.json').caseSearch).toEqual({
      ...NEUTRAL_CONFIG.caseSearch,
      text: ['summary'],
      duplicates: { customerFields: [], textField: 'summary' },
    });
    const wrong = (caseSearch: unknown) =>
      failureOf(() => readEngineConfig(aConfig({}, { caseSearch }), 'x.json')).field;
    expect(wrong({ phone: 'contactPhone' })).toBe('caseSearch.phone');
    expect(wrong({ duplicates: { textField: '' } })).toBe('caseSearch.duplicates.textField');
    expect(wrong({ names: [] })).toBe('caseSearch.names');
  });

  it("reports an SLA clock's priority from the configured variable, and none without a configuration", async () => {
    const store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    try {
      await store.migrate();
      const clock = new FakeClock('2026-01-05T09:00:00.000Z');
      const timed = KEYED.replace(
        /(<bpmn:userTask id="Review"[^>]*>)/,
        '$1<bpmn:extensionElements><svc:sla target="PT4H" /></bpmn:extensionElements>',
      );
      const priorities = async (config: EngineConfig | undefined, key: string) => {
        const engine = new Engine({ store, clock, config });
        const sla = await attachSla(engine);
        await engine.deploy(timed);
        const started = await engine.startInstance({
          definitionKey: 'complaint',
          businessKey: key,
          variables: { priority: 'high', urgency: 'urgent' },
        });
        return (await sla.queries.list({ instanceId: started.id })).items.map((row) => row.priority);
      };
      const urgency = { ...NEUTRAL_CONFIG, caseFields: { ...NEUTRAL_CONFIG.caseFields, priority: 'urgency' } };
      expect(await priorities(urgency, 'k1')).toEqual(['urgent']);
      expect(await priorities(undefined, 'k2')).toEqual([null]);
    } finally {
      await store.close();
    }
  });

  it("fills a case's KPI fact from the configured variables, and leaves it empty without a configuration", async () => {
    const store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    try {
      await store.migrate();
      const clock = new FakeClock('2026-01-05T09:00:00.000Z');
      const fields = { ...NEUTRAL_CONFIG.caseFields, channel: 'via', satisfaction: 'stars', cost: 'spent' };
      const factOn = async (config: EngineConfig | undefined, key: string) => {
        const engine = new Engine({ store, clock, config });
        attachInsight(engine, await attachSla(engine));
        await engine.deploy(KEYED);
        const started = await engine.startInstance({
          definitionKey: 'complaint',
          businessKey: key,
          variables: { via: 'phone', stars: 4, channel: 'web', satisfactionScore: 2 },
        });
        const [task] = (await engine.listTasks({ instanceId: started.id })).items;
        await engine.completeTask(task.id, { spent: 12, cost: 99 });
        return store.insight.getFact(started.id);
      };
      expect(await factOn({ ...NEUTRAL_CONFIG, caseFields: fields }, 'k1')).toMatchObject({
        channel: 'phone',
        satisfaction: 4,
        cost: 12,
      });
      expect(await factOn(undefined, 'k2')).toMatchObject({ channel: null, satisfaction: null, cost: null });
    } finally {
      await store.close();
    }
  });

  it('refuses a missing file or one that is not JSON, naming the file and how to name another', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'svcflow-config-'));
    await expect(loadEngineConfig(join(dir, 'absent.json'))).rejects.toThrow(
      /absent\.json: \(file\): no such file; .*SVCFLOW_CONFIG/,
    );
    await writeFile(join(dir, 'broken.json'), '{ "identity": ');
    await expect(loadEngineConfig(join(dir, 'broken.json'))).rejects.toThrow(/broken\.json: \(document\): is not JSON/);
  });

  it('does not start a server on an invalid configuration, and says which field is wrong', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'svcflow-config-'));
    const path = join(dir, 'svcflow.config.json');
    await writeFile(path, JSON.stringify(aConfig({ allSeeingGroups: ['managers'] })));
    await expect(
      startServer({ databaseUrl: 'sqlite::memory:', port: 0, configPath: path, logger: false, handleSignals: false }),
    ).rejects.toThrow(`${path}: identity.allSeeingGroups[0]: 'managers' is not one of groups[]`);
  });

  it('knows no group of any installation without a configuration', async () => {
    const store = await openStore({ migrations: migrationSource, url: 'sqlite::memory:' });
    try {
      expect(new Engine({ store }).config).toEqual(NEUTRAL_CONFIG);
      expect(NEUTRAL_CONFIG.identity).toEqual({ groups: [], demoUsers: [], allSeeingGroups: [] });
    } finally {
      await store.close();
    }
  });

  it('lets a supervisor see everything only when a configured all-seeing group made them all-seeing', () => {
    const manager: Principal = { id: 'm', roles: ['supervisor'], groups: ['service-managers'], kind: 'user' };
    expect(visibilityOf(manager)).toEqual({ user: 'm', groups: ['service-managers'] });
    expect(visibilityOf({ ...manager, allSeeing: true })).toBeUndefined();
    expect(visibilityOf({ ...manager, roles: ['staff'], allSeeing: true })).toEqual({
      user: 'm',
      groups: ['service-managers'],
    });
  });
});
