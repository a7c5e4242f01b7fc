// Issue #11 (DMN) and #13 (decision-definition evaluate, /v2 evaluation): DMN deploys and evaluates the same
// way on /api, /engine-rest and /v2; a deployment of BPMN and DMN is all or nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testApp, type TestApp } from '../helpers/app.js';
import { MULTIPART_TYPE, multipartBody } from '../helpers/multipart.js';
import { table, type TableSpec } from '../helpers/dmn-builder.js';
import { reviewProcess } from './models.js';

const RISK: TableSpec = {
  id: 'riskLevel',
  name: 'Risk level',
  hitPolicy: 'FIRST',
  inputs: [{ expression: 'probability * impact', typeRef: 'number', label: 'Score' }],
  outputs: [{ name: 'level', typeRef: 'string' }],
  rules: [
    ['>= 15', '"critical"'],
    ['>= 8', '"high"'],
    ['-', '"low"'],
  ],
};

describe('api/decisions', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await testApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const deployXml = (xml: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/definitions',
      headers: { ...t.headers(), 'content-type': 'application/xml' },
      payload: xml,
    });
  const upload = (url: string, files: Record<string, string>) =>
    t.app.inject({
      method: 'POST',
      url,
      headers: { ...t.headers(), 'content-type': MULTIPART_TYPE },
      payload: multipartBody({ 'deployment-name': 'risk' }, files, 'application/octet-stream'),
    });

  it('deploys a DMN document through /api/definitions, versioned by decision id', async () => {
    const first = await deployXml(table(RISK));
    expect(first.statusCode).toBe(201);
    expect(first.json()).toEqual({
      definitions: [],
      decisions: [
        expect.objectContaining({ id: 'riskLevel:1', key: 'riskLevel', version: 1, name: 'Risk level', created: true }),
      ],
      forms: [],
    });
    expect((await deployXml(table(RISK))).statusCode).toBe(200);
    const changed = await deployXml(table({ ...RISK, rules: [['-', '"low"']] }));
    expect(changed.json().decisions[0]).toMatchObject({ id: 'riskLevel:2', created: true });
    const list = (await t.call('GET', '/api/decisions?key=riskLevel')).json();
    expect(list).toMatchObject({ total: 2, items: [{ id: 'riskLevel:2' }, { id: 'riskLevel:1' }] });
    expect((await t.call('GET', '/api/decisions/riskLevel:1')).json()).toMatchObject({
      key: 'riskLevel',
      version: 1,
      resource: 'decision.dmn',
    });
    expect((await t.call('GET', '/api/decisions/riskLevel:1/xml')).body).toContain('<decisionTable');
  });

  it('evaluates the latest version, or the version asked', async () => {
    await deployXml(table(RISK));
    await deployXml(table({ ...RISK, rules: [['-', '"low"']] }));
    const latest = await t.call('POST', '/api/decisions/riskLevel/evaluate', {
      variables: { probability: 4, impact: 4 },
    });
    expect(latest.statusCode).toBe(200);
    expect(latest.json()).toMatchObject({
      decisionDefinitionId: 'riskLevel:2',
      value: 'low',
      resultList: [{ level: 'low' }],
    });
    const first = await t.call('POST', '/api/decisions/riskLevel/evaluate', {
      variables: { probability: 4, impact: 4 },
      version: 1,
    });
    expect(first.json()).toMatchObject({
      decisionDefinitionId: 'riskLevel:1',
      version: 1,
      value: 'critical',
      matchedRules: ['riskLevel_r1'],
    });
  });

  it('answers 422 naming the decision and input when a variable is missing, 404 for an unknown decision', async () => {
    await deployXml(table(RISK));
    const missing = await t.call('POST', '/api/decisions/riskLevel/evaluate', { variables: { probability: 4 } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json()).toMatchObject({
      code: 'DECISION_FAILED',
      decisionId: 'riskLevel',
      elementId: 'riskLevel_in0',
    });
    expect(missing.json().detail).toContain("'impact', which is not set");
    expect((await t.call('POST', '/api/decisions/nothing/evaluate', { variables: {} })).json()).toMatchObject({
      code: 'DECISION_NOT_FOUND',
    });
  });

  it('refuses an invalid DMN document with problems naming the elements, deploying nothing', async () => {
    const res = await deployXml(table({ ...RISK, hitPolicy: 'SOMETIMES' }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'MODEL_INVALID',
      problems: [expect.objectContaining({ code: 'DECISION_INVALID', elementId: 'riskLevel_table' })],
    });
    expect((await t.call('GET', '/api/decisions')).json().total).toBe(0);
  });

  describe('Camunda 7 (/engine-rest)', () => {
    it('deploys BPMN and DMN in one deployment/create and evaluates by key with typed values', async () => {
      const res = await upload('/engine-rest/deployment/create', {
        'review.bpmn': reviewProcess(),
        'risk.dmn': table(RISK),
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().deployedDecisionDefinitions).toEqual({
        'riskLevel:1': expect.objectContaining({ key: 'riskLevel', version: 1, resource: 'risk.dmn' }),
      });
      expect(Object.keys(res.json().deployedProcessDefinitions)).toEqual(['Process_review:1']);
      const evaluated = await t.call('POST', '/engine-rest/decision-definition/key/riskLevel/evaluate', {
        variables: { probability: { value: 2, type: 'Integer' }, impact: { value: 5, type: 'Integer' } },
      });
      expect(evaluated.statusCode).toBe(200);
      expect(evaluated.json()).toEqual([{ level: { value: 'high', type: 'String', valueInfo: {} } }]);
      const byId = await t.call('POST', '/engine-rest/decision-definition/riskLevel:1/evaluate', {
        variables: { probability: { value: 1, type: 'Integer' }, impact: { value: 1, type: 'Integer' } },
      });
      expect(byId.json()).toEqual([{ level: expect.objectContaining({ value: 'low' }) }]);
      expect((await t.call('GET', '/engine-rest/decision-definition?key=riskLevel')).json()).toEqual([
        expect.objectContaining({ id: 'riskLevel:1', resource: 'risk.dmn' }),
      ]);
    });

    it('deploys nothing when the DMN file of a deployment is invalid', async () => {
      const res = await upload('/engine-rest/deployment/create', {
        'review.bpmn': reviewProcess(),
        'risk.dmn': table({ ...RISK, rules: [['>= 15 and', '"x"']] }),
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ type: 'ParseException', details: { 'risk.dmn': expect.any(Object) } });
      expect((await t.call('GET', '/api/definitions')).json().total).toBe(0);
    });

    it('deploys no decision when a BPMN file of the deployment is refused', async () => {
      const res = await upload('/engine-rest/deployment/create', {
        'broken.bpmn': '<bpmn:definitions',
        'risk.dmn': table(RISK),
      });
      expect(res.statusCode).toBe(400);
      expect((await t.call('GET', '/api/decisions')).json().total).toBe(0);
    });
  });

  describe('Camunda 8 (/v2)', () => {
    it('deploys DMN through /v2/deployments and evaluates by decision id and by key', async () => {
      const res = await upload('/v2/deployments', { 'risk.dmn': table(RISK) });
      expect(res.statusCode).toBe(200);
      const [{ decisionDefinition }] = res.json().deployments;
      expect(decisionDefinition).toMatchObject({
        decisionDefinitionId: 'riskLevel',
        version: 1,
        decisionDefinitionKey: expect.stringMatching(/^\d+$/),
      });
      const byId = await t.call('POST', '/v2/decision-definitions/evaluation', {
        decisionDefinitionId: 'riskLevel',
        variables: { probability: 3, impact: 5 },
      });
      expect(byId.statusCode).toBe(200);
      expect(byId.json()).toMatchObject({
        decisionDefinitionId: 'riskLevel',
        decisionDefinitionVersion: 1,
        output: '"critical"',
        evaluatedDecisions: [
          expect.objectContaining({
            matchedRules: [
              {
                ruleId: 'riskLevel_r1',
                ruleIndex: 1,
                evaluatedOutputs: [expect.objectContaining({ outputName: 'level', outputValue: '"critical"' })],
              },
            ],
          }),
        ],
      });
      const byKey = await t.call('POST', '/v2/decision-definitions/evaluation', {
        decisionDefinitionKey: decisionDefinition.decisionDefinitionKey,
        variables: { probability: 1, impact: 1 },
      });
      expect(byKey.json().output).toBe('"low"');
    });
  });

  it('evaluates by one rule on every entry point', async () => {
    await deployXml(table(RISK));
    const variables = { probability: 2, impact: 3 };
    const api = (await t.call('POST', '/api/decisions/riskLevel/evaluate', { variables })).json().value;
    const c7 = (
      await t.call('POST', '/engine-rest/decision-definition/key/riskLevel/evaluate', {
        variables: { probability: { value: 2, type: 'Integer' }, impact: { value: 3, type: 'Integer' } },
      })
    ).json()[0].level.value;
    const c8 = JSON.parse(
      (
        await t.call('POST', '/v2/decision-definitions/evaluation', { decisionDefinitionId: 'riskLevel', variables })
      ).json().output,
    );
    expect([api, c7, c8]).toEqual(['low', 'low', 'low']);
    // and each fails the same way on a missing variable
    const failures = [
      await t.call('POST', '/api/decisions/riskLevel/evaluate', { variables: {} }),
      await t.call('POST', '/engine-rest/decision-definition/key/riskLevel/evaluate', { variables: {} }),
      await t.call('POST', '/v2/decision-definitions/evaluation', { decisionDefinitionId: 'riskLevel', variables: {} }),
    ];
    expect(failures.map((r) => r.statusCode)).toEqual([422, 422, 422]);
  });
});
