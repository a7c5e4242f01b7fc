/**
 * A business rule task's decision: Camunda 7 `camunda:decisionRef` (+ `decisionRefBinding`,
 * `decisionRefVersion`, `decisionRefVersionTag`, `resultVariable`, `mapDecisionResult`) or Camunda 8
 * `zeebe:calledDecision decisionId resultVariable` (+ `bindingType`, `versionTag`). What svcflow cannot
 * run (decision ids as expressions, the `deployment` binding, tenants, Java delegates, job workers) is
 * reported naming the element.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { attr, extensionOf, report, type ReadContext } from './moddle/access.js';
import type { DecisionCall } from './model.js';

const MAPPINGS = ['singleEntry', 'singleResult', 'collectEntries', 'resultList'] as const;

/** The decision a business rule task evaluates, or null (reported) when it names none svcflow can run. */
export function readDecisionCall(element: ModdleElement, ctx: ReadContext): DecisionCall | null {
  const called = extensionOf(element, 'zeebe:CalledDecision');
  if (called) return readZeebe(element, called, ctx);
  if (attr(element, 'camunda:decisionRef')) return readCamunda(element, ctx);
  const fail = (message: string): null => {
    report(ctx, 'UNSUPPORTED_ELEMENT', element, message);
    return null;
  };
  const delegate = ['class', 'expression', 'delegateExpression'].find((name) => attr(element, `camunda:${name}`));
  if (delegate)
    return fail(
      `uses camunda:${delegate}; svcflow does not run Java delegates or expressions yet, reference a DMN decision with camunda:decisionRef`,
    );
  if (attr(element, 'camunda:type') || extensionOf(element, 'zeebe:TaskDefinition')) {
    return fail(
      'is implemented by a job worker; svcflow does not run business rule tasks as jobs yet, reference a DMN decision (camunda:decisionRef or zeebe:calledDecision)',
    );
  }
  return fail(
    'references no decision; set camunda:decisionRef (Camunda 7) or zeebe:calledDecision decisionId (Camunda 8) to a deployed DMN decision id',
  );
}

// helpers

function readZeebe(element: ModdleElement, called: ModdleElement, ctx: ReadContext): DecisionCall | null {
  const decisionId = attr(called, 'decisionId');
  const resultVariable = attr(called, 'resultVariable');
  const binding = attr(called, 'bindingType') ?? 'latest';
  if (!decisionId)
    return invalid(ctx, element, 'has zeebe:calledDecision without a decisionId; name the DMN decision id');
  if (decisionId.startsWith('='))
    return unsupported(
      ctx,
      element,
      `names its decision by the expression '${decisionId}'; svcflow does not run decision ids given as expressions yet, name the decision id`,
    );
  if (!resultVariable)
    return invalid(
      ctx,
      element,
      'has zeebe:calledDecision without a resultVariable; name the variable that receives the decision result',
    );
  if (binding === 'versionTag') {
    const versionTag = attr(called, 'versionTag');
    if (!versionTag) return invalid(ctx, element, 'binds its decision by version tag but names none; set versionTag');
    return { decisionId, binding: 'versionTag', version: null, versionTag, resultVariable, mapping: null };
  }
  if (binding !== 'latest')
    return unsupported(
      ctx,
      element,
      `binds its decision with bindingType '${binding}'; svcflow does not run this binding yet, use latest or versionTag`,
    );
  return { decisionId, binding: 'latest', version: null, versionTag: null, resultVariable, mapping: null };
}

function readCamunda(element: ModdleElement, ctx: ReadContext): DecisionCall | null {
  const decisionId = attr(element, 'camunda:decisionRef')!;
  if (/[$#]\{/.test(decisionId))
    return unsupported(
      ctx,
      element,
      `names its decision by the expression '${decisionId}'; svcflow does not run decision references given as expressions yet, name the decision id`,
    );
  if (attr(element, 'camunda:decisionRefTenantId'))
    return unsupported(
      ctx,
      element,
      'names a decision tenant (camunda:decisionRefTenantId); svcflow has no tenants, remove it',
    );
  const mapping = attr(element, 'camunda:mapDecisionResult') ?? 'resultList';
  if (!(MAPPINGS as readonly string[]).includes(mapping))
    return invalid(ctx, element, `has camunda:mapDecisionResult '${mapping}'; use one of ${MAPPINGS.join(', ')}`);
  const resultVariable = attr(element, 'camunda:resultVariable');
  const base = { decisionId, resultVariable, mapping: mapping as DecisionCall['mapping'] };
  const binding = attr(element, 'camunda:decisionRefBinding') ?? 'latest';
  switch (binding) {
    case 'latest':
      return { ...base, binding: 'latest', version: null, versionTag: null };
    case 'version': {
      const version = Number(attr(element, 'camunda:decisionRefVersion'));
      if (!Number.isInteger(version) || version < 1)
        return invalid(
          ctx,
          element,
          'binds its decision by version but camunda:decisionRefVersion is not a whole number of at least 1',
        );
      return { ...base, binding: 'version', version, versionTag: null };
    }
    case 'versionTag': {
      const versionTag = attr(element, 'camunda:decisionRefVersionTag');
      if (!versionTag)
        return invalid(ctx, element, 'binds its decision by version tag but sets no camunda:decisionRefVersionTag');
      return { ...base, binding: 'versionTag', version: null, versionTag };
    }
    default:
      return unsupported(
        ctx,
        element,
        `binds its decision with camunda:decisionRefBinding '${binding}'; svcflow does not run this binding yet, use latest, version or versionTag`,
      );
  }
}

function invalid(ctx: ReadContext, element: ModdleElement, message: string): null {
  report(ctx, 'DECISION_INVALID', element, message);
  return null;
}

function unsupported(ctx: ReadContext, element: ModdleElement, message: string): null {
  report(ctx, 'UNSUPPORTED_ELEMENT', element, message);
  return null;
}
