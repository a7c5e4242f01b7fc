// issue #10: deploy, the CLI's validate and the API report the same problems for the same file
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadBpmn } from '../../engine/bpmn/index.js';
import { validateCommand } from '../../engine/cli/model-commands.js';
import { problemLine } from '../../engine/cli/output.js';
import { compileBpmn } from '../../engine/compile/index.js';
import { checkFeel } from '../../engine/expr/index.js';
import { testApp, type TestApp } from '../helpers/app.js';

const FILE = 'tests/api/fixtures/invalid-mixed.bpmn';
const xml = readFileSync(FILE, 'utf8');

describe('one read-and-validate entry point', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(async () => {
    await t.close();
  });

  it('gives the same problems through compileBpmn, loadBpmn, deploy, the API and the CLI', async () => {
    // given
    const { problems } = await compileBpmn(xml);
    const codes = problems.map((p) => `${p.code}:${p.elementId}`);
    // then: the file has several kinds of problem, and a flow into the refused element is not reported twice
    expect(codes).toEqual(expect.arrayContaining(['UNSUPPORTED_ELEMENT:Call_credit', 'FEEL_SYNTAX:Flow_bad']));
    expect(codes).not.toContain('FLOW_TARGET_MISSING:Flow_other');
    expect((await loadBpmn(xml, { checkExpression: checkFeel })).problems).toEqual(problems);
    const deployed = await t.engine.deploy(xml).catch((e: { problems?: unknown }) => e.problems);
    expect(deployed).toEqual(problems);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: { ...t.headers(), 'content-type': 'application/xml' },
      payload: xml,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().problems).toEqual(
      problems.map((p) => expect.objectContaining({ code: p.code, elementId: p.elementId, message: p.message })),
    );
    const out: string[] = [];
    const exit = await validateCommand.run(
      { positionals: [FILE], values: {} },
      { out: (s) => out.push(s), err: (s) => out.push(s), env: {} },
    );
    expect(exit).toBe(1);
    expect(out.join('')).toBe(problems.map((p) => `${problemLine(FILE, p)}\n`).join(''));
  });
});
