/**
 * Issue 17: variables are capped per instance (1 MB in all), not only per request — on every path a step takes:
 * messages, scripts and completions alike. The step that would pass the cap is refused (400 INVALID_VARIABLES)
 * and the instance stays as it was.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../../helpers/app.js';
import {
  chain,
  definitions,
  end,
  message,
  messageCatch,
  scriptTask,
  start,
  userTask,
} from '../../helpers/bpmn-builder.js';

const KB = 1024;
const CATCHES = ['Catch_1', 'Catch_2', 'Catch_3', 'Catch_4', 'Catch_5'];
const MESSAGES = definitions(
  'fed',
  [
    start('S'),
    ...CATCHES.map((id) => messageCatch(id, 'Message_more')),
    userTask('Task_done'),
    end('E'),
    ...chain('S', ...CATCHES, 'Task_done', 'E'),
  ],
  [message('Message_more', 'more')],
);
const SCRIPT = definitions('swollen', [
  start('S'),
  scriptTask('Task_swell', 's + s + s + s + s + s', 'swollen'),
  userTask('Task_done'),
  end('E'),
  ...chain('S', 'Task_swell', 'Task_done', 'E'),
]);

describe('api/security: variables per instance', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
    await t.deploy(MESSAGES);
    await t.deploy(SCRIPT);
  });
  afterEach(async () => {
    await t.close();
  });

  it('refuses the message that would take an instance past 1 MB and keeps the instance where it was', async () => {
    // given: an instance fed four messages of 240 KB each
    const id = (await t.call('POST', '/api/instances', { definitionKey: 'fed' })).json().id;
    for (const [i, name] of ['a', 'b', 'c', 'd'].entries()) {
      const res = await t.call('POST', '/api/messages', { name: 'more', variables: { [name]: 'x'.repeat(240 * KB) } });
      expect(res.statusCode, `message ${i + 1}`).toBeLessThan(300);
    }

    // when: a fifth would make it 1.2 MB
    const res = await t.call('POST', '/api/messages', { name: 'more', variables: { e: 'x'.repeat(240 * KB) } });

    // then
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_VARIABLES' });
    expect(res.json().detail ?? JSON.stringify(res.json())).toMatch(/1024 KB per instance/);
    const instance = (await t.call('GET', `/api/instances/${id}`)).json();
    expect(instance.activeElements).toEqual(['Catch_5']);
    expect(Object.keys(instance.variables).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses a start whose script would swell the variables past 1 MB, and starts nothing', async () => {
    const res = await t.call('POST', '/api/instances', {
      definitionKey: 'swollen',
      variables: { s: 'y'.repeat(200 * KB) },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'INVALID_VARIABLES' });
    expect((await t.call('GET', '/api/instances?definitionKey=swollen&total=true')).json().total).toBe(0);
  });

  it('lets the same script run when the result fits', async () => {
    const res = await t.call('POST', '/api/instances', {
      definitionKey: 'swollen',
      variables: { s: 'y'.repeat(20 * KB) },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().activeElements).toEqual(['Task_done']);
  });
});
