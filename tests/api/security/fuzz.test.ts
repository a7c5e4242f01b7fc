import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as b from '../../helpers/bpmn-builder.js';
import { testApp, type TestApp } from '../../helpers/app.js';
import { chargeProcess, reviewProcess } from '../models.js';

const SEED_DOCUMENTS = [reviewProcess(), chargeProcess(), formProcess()];
const XML_PIECES = [
  '<',
  '>',
  '/>',
  '</bpmn:process>',
  '<bpmn:userTask id="T">',
  '<!DOCTYPE x>',
  '<!ENTITY e "e">',
  '&e;',
  '&#0;',
  ']]>',
  '<![CDATA[',
  '"',
  "'",
  '=',
  'xmlns:bpmn="x"',
  '\u0000',
  '\uFFFF',
  '<?xml?>',
  'isExecutable="true"',
  '<bpmn:sequenceFlow id="F" sourceRef="nope" targetRef="T"/>',
];
const ALLOWED = [200, 201, 400, 413, 415];

describe('api/security: fuzzing', () => {
  let t: TestApp;
  let formsDir: string;
  beforeAll(async () => {
    formsDir = mkdtempSync(join(tmpdir(), 'svcflow-fuzz-'));
    writeFileSync(
      join(formsDir, 'fuzz-form.form'),
      JSON.stringify({
        components: [
          { type: 'number', key: 'amount', validate: { required: true, min: 0 } },
          {
            type: 'select',
            key: 'channel',
            values: [{ value: 'phone' }, { value: 'mail' }],
            conditional: { hide: '=amount > 100' },
          },
          { type: 'textfield', key: 'code', validate: { pattern: '^[A-Z]{2}\\d+$', maxLength: 20 } },
          { type: 'dynamiclist', path: 'items', components: [{ type: 'checkbox', key: 'ok' }] },
        ],
      }),
    );
    t = await testApp({ formsDir });
    await t.deploy(formProcess());
  });
  afterAll(async () => {
    await t.close();
    rmSync(formsDir, { recursive: true, force: true });
  });

  const deploy = (payload: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: { ...t.headers(), 'content-type': 'application/xml' },
      payload,
    });

  it('never answers random text sent as BPMN with a 500', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 2000, unit: 'binary' }), async (text) => {
        expect(ALLOWED).toContain((await deploy(text)).statusCode);
      }),
      { numRuns: 150 },
    );
  });

  it('never answers mutated BPMN with a 500', async () => {
    const mutation = fc.tuple(
      fc.constantFrom(...SEED_DOCUMENTS),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.constantFrom(...XML_PIECES, '')), {
        minLength: 1,
        maxLength: 6,
      }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async ([xml, edits]) => {
        const mutated = edits.reduce((doc, [at, cut, insert]) => {
          const i = at % (doc.length + 1);
          return doc.slice(0, i) + insert + doc.slice(i + cut);
        }, xml);
        const res = await deploy(mutated);
        expect(ALLOWED, res.body).toContain(res.statusCode);
      }),
      { numRuns: 200 },
    );
  });

  it('never answers random task completion payloads with a 500', async () => {
    const payload = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc
        .record({ variables: fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 4 })) })
        .map((v) => JSON.stringify(v)),
      fc
        .record({
          variables: fc.record(
            {
              amount: fc.oneof(fc.integer(), fc.string(), fc.constant(null)),
              channel: fc.string(),
              code: fc.string(),
              items: fc.jsonValue(),
            },
            { requiredKeys: [] },
          ),
        })
        .map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
    );
    await fc.assert(
      fc.asyncProperty(payload, async (body) => {
        const instance = (await t.call('POST', '/api/instances', { definitionKey: 'Process_fuzz' })).json();
        const task = (await t.call('GET', `/api/tasks?instanceId=${instance.id}`)).json().items[0];
        for (const url of [`/api/tasks/${task.id}/complete`, `/engine-rest/task/${task.id}/complete`]) {
          const res = await t.app.inject({
            method: 'POST',
            url,
            headers: { ...t.headers(), 'content-type': 'application/json' },
            payload: body,
          });
          expect([200, 204, 400, 409], `${url} ${body}: ${res.body}`).toContain(res.statusCode);
        }
      }),
      { numRuns: 120 },
    );
  });
});

// helpers

function formProcess(): string {
  return b.definitions('Process_fuzz', [
    b.start('Start_1'),
    b.userTask('Task_fuzz', { groups: 'complaints', formKey: 'fuzz-form' }),
    b.end('End_1'),
    ...b.chain('Start_1', 'Task_fuzz', 'End_1'),
  ]);
}
