/** Issue 14, "Opening a case": before a complaint starts, the same customer's similar cases of the last days are suggested. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { textSimilarity } from '../../engine/runtime/index.js';
import { testApp, type TestApp } from '../helpers/app.js';
import { PROCESSES_DIR, processXml } from '../helpers/reference-processes.js';

const AGENT = { username: 'agent1', roles: ['staff'], groups: ['cs-agents'] };
const ENGINEER = { username: 'engineer1', roles: ['staff'], groups: ['field-engineers'] };
const DAY = 24 * 3600_000;

const intake = (customerId: string, description: string) => ({
  channel: 'phone',
  customerId,
  customerName: 'Li Wei',
  contactEmail: 'li.wei@example.com',
  preferredContact: 'email',
  customerTier: 'medium',
  category: 'service',
  description,
  priority: 'general',
});

describe('api/duplicates at intake', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp({ formsDir: `${PROCESSES_DIR}/forms` });
    await t.deploy(processXml('complaint-handling'));
  });
  afterEach(async () => {
    await t.close();
  });

  const open = async (customerId: string, description: string) =>
    (
      await (
        await t.as(AGENT)
      ).call('POST', '/api/instances', {
        definitionKey: 'complaint-handling',
        variables: intake(customerId, description),
      })
    ).json();
  const suggest = async (customerId: string, description: string, as = AGENT) =>
    (await t.as(as)).call('POST', '/api/instances/duplicates', {
      definitionKey: 'complaint-handling',
      variables: { customerId: ` ${customerId}`, description },
    });

  it("suggests the same customer's open case with a similar description, most alike first, and not other customers' cases", async () => {
    const first = await open('C-1001', 'The technician missed two appointments this week.');
    const other = await open('C-1001', 'My invoice charges the installation twice.');
    await open('C-2002', 'The technician missed two appointments this week.');
    const res = await suggest('c-1001', 'Technician missed 2 appointments this week!');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      window: 'P7D',
      items: [
        {
          instanceId: first.id,
          businessKey: first.businessKey,
          status: 'active',
          text: 'The technician missed two appointments this week.',
        },
      ],
    });
    expect(res.json().items[0].similarity).toBeGreaterThan(0.7);
    expect(res.json().items.map((m: { instanceId: string }) => m.instanceId)).not.toContain(other.id);
  });

  it('compares Chinese texts as well, and looks back only over the window', async () => {
    const old = await open('C-3003', '维修师傅两次预约都没有上门');
    t.clock.advance(8 * DAY);
    const recent = await open('C-3003', '维修师傅两次预约都没上门，非常不满');
    const items = (await suggest('C-3003', '师傅两次预约没有上门')).json().items;
    expect(items.map((m: { instanceId: string }) => m.instanceId)).toEqual([recent.id]);
    expect(items.map((m: { instanceId: string }) => m.instanceId)).not.toContain(old.id);
  });

  it('suggests nothing without a customer or a description, and refuses someone who may not start the process', async () => {
    await open('C-1001', 'The technician missed two appointments this week.');
    expect((await suggest('', 'The technician missed two appointments this week.')).json().items).toEqual([]);
    expect((await suggest('C-1001', '')).json().items).toEqual([]);
    const refused = await suggest('C-1001', 'The technician missed two appointments.', ENGINEER);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ code: 'START_FORBIDDEN' });
  });
});

describe('runtime/text similarity', () => {
  it('is 1 for texts equal after normalising, 0 for texts with nothing in common, and symmetric', () => {
    expect(textSimilarity('Router broken!', 'router  BROKEN')).toBe(1);
    expect(textSimilarity('ＡＢＣ', 'abc')).toBe(1);
    expect(textSimilarity('abc', 'xyz')).toBe(0);
    expect(textSimilarity('账单重复扣费', '重复扣费的账单')).toBeCloseTo(
      textSimilarity('重复扣费的账单', '账单重复扣费'),
    );
  });
});
