/**
 * Issue #13: the reply shapes under /engine-rest match Camunda 7's published OpenAPI description field by
 * field. The fixture holds the DTO templates Camunda's openapi.json is generated from
 * (tests/api/fixtures/camunda7-openapi, Apache License 2.0, see its README). Every field we send must be
 * one Camunda documents, with its type (dates in Camunda's format), and every documented field must be
 * sent, except the few listed in NOT_SENT with the reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';

const FIXTURE = new URL('./fixtures/camunda7-openapi/', import.meta.url).pathname;

interface Field {
  name: string;
  type: string;
  format?: string;
  dto?: string;
}

/** Fields Camunda documents that svcflow leaves out, per DTO, with the reason. */
const NOT_SENT: Record<string, Record<string, string>> = {
  LockedExternalTaskDto: {
    extensionProperties: 'sent only when the topic asks includeExtensionProperties, as Camunda does',
  },
};

// Camunda's date format: yyyy-MM-dd'T'HH:mm:ss.SSSZ
const CAMUNDA_DATE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$/;

describe("api/camunda replies against Camunda 7's OpenAPI description", () => {
  let t: TestApp;
  const ids = {} as { instance: string; done: string; deployment: string; task: string };

  beforeAll(async () => {
    t = await testApp();
    const boundary = '----svcflowOpenApi';
    const payload = `--${boundary}\r\nContent-Disposition: form-data; name="deployment-name"\r\n\r\nclaims\r\n--${boundary}\r\nContent-Disposition: form-data; name="claim.bpmn"; filename="claim.bpmn"\r\nContent-Type: text/xml\r\n\r\n${CLAIM}\r\n--${boundary}--\r\n`;
    ids.deployment = (
      await t.app.inject({
        method: 'POST',
        url: '/engine-rest/deployment/create',
        headers: { ...t.headers(), 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      })
    ).json().id;
    const start = async (key: string) =>
      (
        await t.call('POST', '/engine-rest/process-definition/key/Process_claim/start', {
          businessKey: key,
          variables: {
            amount: { value: 120, type: 'Integer' },
            when: { value: '2026-11-23T09:00:00.000+0000', type: 'Date' },
          },
        })
      ).json().id;
    ids.done = await start('C-1');
    ids.instance = await start('C-2');
    const [task] = (await t.call('GET', `/engine-rest/task?processInstanceId=${ids.done}`)).json();
    await t.call('POST', `/engine-rest/task/${task.id}/complete`, {});
    ids.task = (await t.call('GET', `/engine-rest/task?processInstanceId=${ids.instance}`)).json()[0].id;
    await t.as({ username: 'payer', roles: ['worker'] });
    const worker = await t.as('payer');
    const [job] = (
      await worker.call('POST', '/engine-rest/external-task/fetchAndLock', {
        workerId: 'w1',
        maxTasks: 1,
        topics: [{ topicName: 'pay', lockDuration: 10_000 }],
      })
    ).json();
    await worker.call('POST', `/engine-rest/external-task/${job.id}/failure`, {
      workerId: 'w1',
      errorMessage: 'bank down',
      retries: 0,
      retryTimeout: 0,
    });
  });
  afterAll(async () => {
    await t.close();
  });

  const get = async (url: string) => {
    const res = await t.call('GET', `/engine-rest${url}`);
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json();
  };

  const cases: Array<[string, string, () => Promise<unknown>]> = [
    ['GET /process-definition/key/{key}', 'ProcessDefinitionDto', () => get('/process-definition/key/Process_claim')],
    ['GET /process-definition', 'ProcessDefinitionDto', () => get('/process-definition')],
    [
      'GET /process-definition/statistics',
      'ProcessDefinitionStatisticsResultDto',
      () => get('/process-definition/statistics?rootIncidents=true'),
    ],
    [
      'GET /process-definition/{id}/statistics',
      'ActivityStatisticsResultDto',
      () => get('/process-definition/Process_claim:1/statistics?incidents=true&failedJobs=true'),
    ],
    ['GET /process-instance/{id}', 'ProcessInstanceDto', () => get(`/process-instance/${ids.instance}`)],
    ['GET /process-instance', 'ProcessInstanceDto', () => get('/process-instance')],
    ['GET /deployment/{id}', 'DeploymentDto', () => get(`/deployment/${ids.deployment}`)],
    ['GET /deployment/count', 'CountResultDto', () => get('/deployment/count')],
    ['GET /history/process-instance', 'HistoricProcessInstanceDto', () => get('/history/process-instance')],
    [
      'GET /history/activity-instance',
      'HistoricActivityInstanceDto',
      () => get(`/history/activity-instance?processInstanceId=${ids.done}`),
    ],
    ['GET /history/task', 'HistoricTaskInstanceDto', () => get(`/history/task?processInstanceId=${ids.done}`)],
    [
      'GET /history/variable-instance',
      'HistoricVariableInstanceDto',
      () => get(`/history/variable-instance?processInstanceId=${ids.instance}`),
    ],
    [
      'GET /variable-instance',
      'VariableInstanceDto',
      () => get(`/variable-instance?processInstanceIdIn=${ids.instance}`),
    ],
    ['GET /incident', 'IncidentDto', () => get('/incident')],
    ['GET /task', 'TaskDto', () => get('/task')],
    ['GET /task/{id}', 'TaskDto', () => get(`/task/${ids.task}`)],
    ['GET /external-task', 'ExternalTaskDto', () => get('/external-task')],
    ['GET /task/{id}/identity-links', 'IdentityLinkDto', () => get(`/task/${ids.task}/identity-links`)],
    [
      'POST /task/{id}/comment/create',
      'CommentDto',
      async () =>
        (
          await t.call('POST', `/engine-rest/task/${ids.task}/comment/create`, {
            message: 'called the customer',
            processInstanceId: ids.instance,
          })
        ).json(),
    ],
    ['GET /task/{id}/comment', 'CommentDto', () => get(`/task/${ids.task}/comment`)],
    [
      'POST /external-task/fetchAndLock',
      'LockedExternalTaskDto',
      async () => {
        await t.call('PUT', `/engine-rest/external-task/${(await get('/external-task'))[0].id}/retries`, {
          retries: 1,
        });
        const worker = await t.as('payer');
        return (
          await worker.call('POST', '/engine-rest/external-task/fetchAndLock', {
            workerId: 'w2',
            maxTasks: 1,
            topics: [{ topicName: 'pay', lockDuration: 10_000 }],
          })
        ).json();
      },
    ],
  ];

  it.each(cases)('%s answers %s', async (_operation, dto, read) => {
    const reply = await read();
    const items = Array.isArray(reply) ? reply : [reply];
    expect(items.length, 'the scenario gives at least one object to compare').toBeGreaterThan(0);
    const problems = items.flatMap((item, i) => compare(item, dto, `[${i}]`));
    expect(problems).toEqual([]);
  });

  it("knows what it compares against: the fixture is Camunda's, with its fields", () => {
    expect(Object.keys(fieldsOf('HistoricProcessInstanceDto'))).toEqual(
      expect.arrayContaining(['id', 'businessKey', 'startTime', 'durationInMillis', 'state']),
    );
    expect(fieldsOf('ProcessInstanceDto').links).toEqual({ name: 'links', type: 'array', dto: 'AtomLink' });
    expect(compare({ id: 1, unknown: true }, 'CountResultDto', '')).toEqual(
      expect.arrayContaining(['.unknown is not a field of CountResultDto', '.count is missing']),
    );
  });
});

// helpers

/** Problems of one reply object against a DTO: fields we send that Camunda does not document, wrong types, documented fields missing. */
function compare(value: unknown, dto: string, path: string): string[] {
  if (dto === 'AnyValue') return [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path} is not an object (${dto})`];
  const fields = fieldsOf(dto);
  const problems: string[] = [];
  for (const [name, v] of Object.entries(value)) {
    const field = fields[name];
    if (!field) problems.push(`${path}.${name} is not a field of ${dto}`);
    else problems.push(...typeProblems(v, field, `${path}.${name}`));
  }
  for (const name of Object.keys(fields)) {
    if (!(name in value) && !NOT_SENT[dto]?.[name]) problems.push(`${path}.${name} is missing`);
  }
  return problems;
}

function typeProblems(v: unknown, field: Field, path: string): string[] {
  if (v === null) return [];
  switch (field.type) {
    case 'string':
      if (typeof v !== 'string') return [`${path} should be a string`];
      return field.format === 'date-time' && !CAMUNDA_DATE.test(v)
        ? [`${path} '${v}' is not in Camunda's date format`]
        : [];
    case 'integer':
      return Number.isInteger(v) ? [] : [`${path} should be an integer`];
    case 'number':
      return typeof v === 'number' ? [] : [`${path} should be a number`];
    case 'boolean':
      return typeof v === 'boolean' ? [] : [`${path} should be a boolean`];
    case 'array':
      if (!Array.isArray(v)) return [`${path} should be an array`];
      return field.dto ? v.flatMap((item, i) => compare(item, field.dto!, `${path}[${i}]`)) : [];
    case 'object':
      if (typeof v !== 'object' || Array.isArray(v)) return [`${path} should be an object`];
      return field.dto
        ? Object.entries(v as object).flatMap(([k, item]) => compare(item, field.dto!, `${path}.${k}`))
        : [];
    case 'ref':
      return compare(v, field.dto!, path);
    default:
      return [`${path}: unknown type ${field.type}`];
  }
}

const cache = new Map<string, Record<string, Field>>();

/** The fields of a DTO template, with its includes and the DTO it extends. */
function fieldsOf(dto: string): Record<string, Field> {
  const known = cache.get(dto);
  if (known) return known;
  const file = findFile(join(FIXTURE, 'models'), `${dto}.ftl`);
  if (!file) throw new Error(`${dto}.ftl is not in the fixture`);
  const source = readFileSync(file, 'utf8').replace(/<#include "\/([^"]+)"\s*>/g, (_m, include: string) =>
    readFileSync(join(FIXTURE, include), 'utf8'),
  );
  const parent = /<@lib\.dto\s+extends\s*=\s*"(\w+)"/.exec(source)?.[1];
  const fields: Record<string, Field> = parent ? { ...fieldsOf(parent) } : {};
  for (const chunk of source.split('<@lib.property').slice(1)) {
    const attr = (name: string) => new RegExp(`\\b${name}\\s*=\\s*"([^"]*)"`).exec(chunk.split(/\bdesc\s*=/)[0])?.[1];
    const name = attr('name');
    if (!name) continue;
    fields[name] = {
      name,
      type: attr('type') ?? 'string',
      ...(attr('format') ? { format: attr('format') } : {}),
      ...(attr('dto') ? { dto: attr('dto') } : {}),
    };
  }
  cache.set(dto, fields);
  return fields;
}

function findFile(dir: string, name: string): string | null {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = findFile(path, name);
      if (found) return found;
    } else if (entry.name === name) return path;
  }
  return null;
}

/** As Camunda Modeler (Camunda 7) writes it: a user task, then an external task. */
const CLAIM = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_1" targetNamespace="http://bpmn.io/schema/bpmn" exporter="Camunda Modeler" exporterVersion="5.31.0">
  <bpmn:process id="Process_claim" name="Claim" isExecutable="true" camunda:historyTimeToLive="180">
    <bpmn:startEvent id="Start_claim"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Task_assess" name="Assess" camunda:candidateGroups="complaints"><bpmn:incoming>Flow_1</bpmn:incoming><bpmn:outgoing>Flow_2</bpmn:outgoing></bpmn:userTask>
    <bpmn:serviceTask id="Task_pay" name="Pay" camunda:type="external" camunda:topic="pay"><bpmn:incoming>Flow_2</bpmn:incoming><bpmn:outgoing>Flow_3</bpmn:outgoing></bpmn:serviceTask>
    <bpmn:endEvent id="End_paid"><bpmn:incoming>Flow_3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start_claim" targetRef="Task_assess" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_assess" targetRef="Task_pay" />
    <bpmn:sequenceFlow id="Flow_3" sourceRef="Task_pay" targetRef="End_paid" />
  </bpmn:process>
</bpmn:definitions>`;
