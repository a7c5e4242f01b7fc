/**
 * Camunda 7 message correlation: which waiting subscriptions a message reaches, selected by the
 * instance (id, business key, process variables) and by the waiting element's local variables.
 */
import { elementLocals } from '../../compile/index.js';
import { isDeepStrictEqual } from 'node:util';
import type { InstanceRow, Store, SubscriptionRow } from '../../store/index.js';

/** What a message must match; every given field must hold. */
export interface MessageSelection {
  name: string;
  instanceId?: string;
  businessKey?: string;
  /** Process variables that must equal these values (Camunda `correlationKeys`). */
  variablesEqual?: Record<string, unknown>;
  /** Local variables of the waiting element that must equal these values (Camunda `localCorrelationKeys`). */
  localVariablesEqual?: Record<string, unknown>;
}

/** The subscriptions to the message name that the selection matches, oldest first. */
export async function selectSubscriptions(store: Store, selection: MessageSelection): Promise<SubscriptionRow[]> {
  const instances = new Map<string, InstanceRow | null>();
  const matching: SubscriptionRow[] = [];
  for (const sub of await store.subscriptions.findByName(selection.name)) {
    if (selection.instanceId !== undefined && sub.instanceId !== selection.instanceId) continue;
    if (!instances.has(sub.instanceId)) instances.set(sub.instanceId, await store.instances.get(sub.instanceId));
    const instance = instances.get(sub.instanceId);
    // a suspended instance is not waiting (Camunda 7 correlates to active executions only)
    if (instance && !instance.suspended && matches(instance, sub, selection)) matching.push(sub);
  }
  return matching;
}

/** Camunda's description of a selection, as its exceptions print it. */
export function describeSelection(s: MessageSelection): string {
  const map = (m?: Record<string, unknown>) =>
    m
      ? `{${Object.entries(m)
          .map(([k, v]) => `${k}=${String(v)}`)
          .join(', ')}}`
      : 'null';
  return `businessKey=${s.businessKey ?? 'null'}, processInstanceId=${s.instanceId ?? 'null'}, processDefinitionId=null, correlationKeys=${map(s.variablesEqual)}, localCorrelationKeys=${map(s.localVariablesEqual)}, tenantId=null, isTenantIdSet=false, isExecutionsOnly=false`;
}

// helpers

function matches(instance: InstanceRow, sub: SubscriptionRow, s: MessageSelection): boolean {
  if (s.businessKey !== undefined && instance.businessKey !== s.businessKey) return false;
  if (s.variablesEqual && !allEqual(instance.variables, s.variablesEqual)) return false;
  return !s.localVariablesEqual || allEqual(localsOf(instance, sub.elementId), s.localVariablesEqual);
}

function allEqual(values: Record<string, unknown>, expected: Record<string, unknown>): boolean {
  return Object.entries(expected).every(([name, value]) => isDeepStrictEqual(values[name], value));
}

function localsOf(instance: InstanceRow, elementId: string): Record<string, unknown> {
  return elementLocals(instance.snapshot, elementId);
}
