/**
 * Issue 14 / 16: the start form is checked by the engine, so every way of starting an instance obeys it:
 * POST /api/instances, /engine-rest/process-definition/key/X/start, the CLI and instances started by a job.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../engine/cli/run.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { registerBuiltinHandlers } from '../../engine/runtime/index.js';
import { chain, definitions, end, start, userTask } from '../helpers/bpmn-builder.js';
import { PROCESSES_DIR } from '../helpers/reference-processes.js';

const FORMS = join(PROCESSES_DIR, 'forms');

/** A process whose start event shows the reference complaint intake form. */
const INTAKE = definitions('Intake', [
  '<bpmn:startEvent id="start"><bpmn:extensionElements><zeebe:formDefinition formKey="complaint-intake" /></bpmn:extensionElements></bpmn:startEvent>',
  userTask('Task_respond', { groups: 'agents' }),
  end('End'),
  ...chain('start', 'Task_respond', 'End'),
]);

/** A process whose job starts Intake with variables the intake form refuses. */
const OPENER = definitions('Opener', [
  start('S'),
  `<bpmn:serviceTask id="Task_open"><bpmn:extensionElements><zeebe:taskDefinition type="process.start" retries="1" /><zeebe:ioMapping><zeebe:input source="Intake" target="definitionKey" /><zeebe:input source="={ channel: &quot;fax&quot;, priority: &quot;whatever&quot; }" target="variables" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>`,
  end('E'),
  ...chain('S', 'Task_open', 'E'),
]);

const BAD = { channel: 'fax', priority: 'whatever', description: 'The parcel arrived broken.' };
const GOOD = {
  channel: 'phone',
  customerId: 'C-1',
  customerName: 'Li Lei',
  preferredContact: 'phone',
  customerTier: 'medium',
  category: 'delivery',
  description: 'The parcel arrived broken.',
  priority: 'general',
};

const refusedFields = [
  'channel',
  'customerId',
  'customerName',
  'preferredContact',
  'customerTier',
  'category',
  'priority',
];

describe('api/start forms', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ formsDir: FORMS });
    await t.deploy(INTAKE);
  });
  afterEach(async () => {
    await t.close();
  });

  it('refuses POST /api/instances with a problem naming each field the start form refuses', async () => {
    const res = await t.call('POST', '/api/instances', { definitionKey: 'Intake', variables: BAD });
    expect(res.statusCode).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ code: 'FORM_INVALID', formKey: 'complaint-intake' });
    expect(body.fields.map((f: { name: string }) => f.name)).toEqual(refusedFields);
    expect(body.fields[0]).toEqual({ name: 'channel', message: 'must be one of "phone", "online", "email", "onsite"' });
    expect((await t.engine.listInstances({ limit: 10, offset: 0 })).total).toBe(0);
  });

  it('starts when the variables satisfy the start form', async () => {
    const res = await t.call('POST', '/api/instances', { definitionKey: 'Intake', variables: GOOD });
    expect(res.statusCode).toBe(201);
    expect(res.json().activeElements).toEqual(['Task_respond']);
  });

  it('refuses the Camunda start the same way', async () => {
    const variables = { channel: { value: 'fax', type: 'String' }, priority: { value: 'whatever', type: 'String' } };
    const res = await t.call('POST', '/engine-rest/process-definition/key/Intake/start', { variables });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(
      /form 'complaint-intake'.*channel must be one of.*customerId is required.*priority must be one of/,
    );
  });

  it('refuses an instance a job starts (process.start): the job fails with the reason and starts nothing', async () => {
    registerBuiltinHandlers(t.engine);
    await t.deploy(OPENER);
    const opener = await t.engine.startInstance({ definitionKey: 'Opener' });
    await t.engine.tick();
    const [job] = (await t.engine.listJobs({ instanceId: opener.id, limit: 10, offset: 0 })).items;
    expect(job.errorMessage).toMatch(/does not satisfy form 'complaint-intake': channel must be one of/);
    expect((await t.engine.listInstances({ definitionKey: 'Intake', limit: 10, offset: 0 })).total).toBe(0);
  });
});

describe('cli/start forms', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'svcflow-start-form-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses `svcflow start` with variables the start form refuses, naming the fields, exit 1', async () => {
    const env = { DATABASE_URL: `sqlite:${join(dir, 'cli.db')}` };
    writeFileSync(join(dir, 'intake.bpmn'), INTAKE);
    const io = (sink: string[]) => ({
      out: (s: string) => {
        sink.push(s);
      },
      err: (s: string) => {
        sink.push(s);
      },
      env,
    });
    // the form is deployed with the process, into the database
    expect(await runCli(['deploy', join(dir, 'intake.bpmn'), join(FORMS, 'complaint-intake.form')], io([]))).toBe(0);
    const said: string[] = [];
    const code = await runCli(['start', 'Intake', '--var', 'channel=fax', '--var', 'priority=whatever'], io(said));
    expect(code).toBe(1);
    expect(said.join('')).toMatch(
      /channel must be one of .*customerId is required.*priority must be one of .*\[FORM_INVALID\]/,
    );
  });
});
