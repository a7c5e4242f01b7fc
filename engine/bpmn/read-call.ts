/**
 * A call activity's called process: Camunda 8 `zeebe:calledElement processId` (a key or a FEEL `=expr`,
 * `bindingType`, `versionTag`, `propagateAllChildVariables`, `propagateAllParentVariables`) or Camunda 7
 * `calledElement` (+ `camunda:calledElementBinding` latest | deployment | version | versionTag,
 * `camunda:calledElementVersion`, `camunda:calledElementVersionTag`, `camunda:in`/`camunda:out`).
 * What svcflow cannot run (CMMN cases, tenants, variable-mapping delegates, JUEL keys) is reported
 * naming the element.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { attr, extensionOf, extensionsOf, report, type ReadContext } from './moddle/access.js';
import type { CallBinding, CalledElement } from './model.js';

const BINDINGS = ['latest', 'deployment', 'version', 'versionTag'] as const;

/** The process a call activity calls, or null (reported) when svcflow cannot run the call. */
export function readCall(element: ModdleElement, ctx: ReadContext): CalledElement | null {
  const zeebe = extensionOf(element, 'zeebe:CalledElement');
  if (zeebe) return readZeebe(element, zeebe, ctx);
  return readCamunda(element, ctx);
}

// helpers

function readZeebe(element: ModdleElement, called: ModdleElement, ctx: ReadContext): CalledElement | null {
  const processId = attr(called, 'processId');
  if (!processId) return invalid(ctx, element, 'has zeebe:calledElement without a processId; name the called process');
  const binding = attr(called, 'bindingType') ?? 'latest';
  if (binding !== 'latest' && binding !== 'deployment' && binding !== 'versionTag')
    return unsupported(
      ctx,
      element,
      `binds its process with bindingType '${binding}'; use latest, deployment or versionTag`,
    );
  const versionTag = attr(called, 'versionTag');
  if (binding === 'versionTag' && !versionTag)
    return invalid(ctx, element, 'binds its process by version tag but names none; set versionTag');
  return {
    flavour: 'camunda8',
    processId,
    binding,
    version: null,
    versionTag: binding === 'versionTag' ? versionTag : null,
    ins: [],
    outs: [],
    businessKey: null,
    propagateAllParentVariables: called.get('propagateAllParentVariables') !== false,
    propagateAllChildVariables: called.get('propagateAllChildVariables') !== false,
  };
}

function readCamunda(element: ModdleElement, ctx: ReadContext): CalledElement | null {
  const processId = typeof element.calledElement === 'string' ? element.calledElement.trim() : '';
  if (attr(element, 'camunda:caseRef'))
    return unsupported(ctx, element, 'calls a CMMN case (camunda:caseRef); svcflow runs no CMMN, call a process');
  if (!processId)
    return invalid(
      ctx,
      element,
      'names no called process; set calledElement (Camunda 7) or zeebe:calledElement processId (Camunda 8)',
    );
  if (/[$#]\{/.test(processId))
    return unsupported(
      ctx,
      element,
      `names its process by the expression '${processId}'; svcflow does not run JUEL process keys yet, name the key or use zeebe:calledElement processId "=expr"`,
    );
  if (attr(element, 'camunda:calledElementTenantId'))
    return unsupported(ctx, element, 'names a tenant (camunda:calledElementTenantId); svcflow has no tenants');
  if (attr(element, 'camunda:variableMappingClass') || attr(element, 'camunda:variableMappingDelegateExpression'))
    return unsupported(ctx, element, 'maps variables with a Java delegate; use camunda:in and camunda:out');
  const binding = attr(element, 'camunda:calledElementBinding') ?? 'latest';
  if (!(BINDINGS as readonly string[]).includes(binding))
    return invalid(ctx, element, `has camunda:calledElementBinding '${binding}'; use ${BINDINGS.join(', ')}`);
  const versionText = attr(element, 'camunda:calledElementVersion');
  const version = versionText === null ? null : Number(versionText);
  if (binding === 'version' && (version === null || !Number.isInteger(version) || version < 1))
    return invalid(
      ctx,
      element,
      `binds its process by version but camunda:calledElementVersion is '${versionText ?? ''}'; give a version number`,
    );
  const versionTag = attr(element, 'camunda:calledElementVersionTag');
  if (binding === 'versionTag' && !versionTag)
    return invalid(
      ctx,
      element,
      'binds its process by version tag but names none; set camunda:calledElementVersionTag',
    );
  const ins = extensionsOf(element, 'camunda:In');
  const outs = extensionsOf(element, 'camunda:Out');
  const keyed = ins.find((i) => attr(i, 'businessKey'));
  const bindings = (list: ModdleElement[]) => list.filter((b) => !attr(b, 'businessKey')).map(toBinding);
  const read = { ins: bindings(ins), outs: bindings(outs) };
  const broken = [...read.ins, ...read.outs].find((b) => !b.all && (!b.target || (!b.source && !b.expression)));
  if (broken)
    return invalid(
      ctx,
      element,
      'has a camunda:in or camunda:out without a target and a source or sourceExpression (or variables="all")',
    );
  if (read.outs.some((b) => b.local))
    return unsupported(
      ctx,
      element,
      'has camunda:out local="true"; svcflow keeps one variable map per instance, so out mappings set process variables',
    );
  return {
    flavour: 'camunda7',
    processId,
    binding: binding as CalledElement['binding'],
    version: binding === 'version' ? version : null,
    versionTag: binding === 'versionTag' ? versionTag : null,
    ...read,
    businessKey: keyed ? attr(keyed, 'businessKey') : null,
    propagateAllParentVariables: false,
    propagateAllChildVariables: false,
  };
}

function toBinding(b: ModdleElement): CallBinding {
  return {
    all: attr(b, 'variables') === 'all',
    source: attr(b, 'source'),
    expression: attr(b, 'sourceExpression'),
    target: attr(b, 'target'),
    local: b.get('local') === true,
  };
}

function invalid(ctx: ReadContext, element: ModdleElement, message: string): null {
  report(ctx, 'UNSUPPORTED_ELEMENT', element, `the model is invalid: it ${message}`);
  return null;
}

function unsupported(ctx: ReadContext, element: ModdleElement, message: string): null {
  report(ctx, 'UNSUPPORTED_ELEMENT', element, `${message}; svcflow does not run this yet`);
  return null;
}
