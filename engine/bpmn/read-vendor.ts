/**
 * Vendor extensions svcflow does not run must not vanish without a word. Flowable's and Activiti's
 * namespaces are read as Camunda 7's (their attributes share names and meaning: assignee, candidateGroups,
 * formKey, dueDate, priority, …), and every attribute in a vendor namespace that the moddle packages do not
 * know, and every extension element that changes what runs but is not read yet (Camunda 8 listeners, connectors,
 * retry cycles, generated forms), is refused at deploy naming the element.
 */
import type { ModdleElement } from 'bpmn-moddle';
import { report, type ReadContext } from './moddle/access.js';

const CAMUNDA = 'http://camunda.org/schema/1.0/bpmn';
const ZEEBE = 'http://camunda.org/schema/zeebe/1.0';
/** Namespaces read as Camunda 7's: Flowable's and Activiti's. */
const CAMUNDA_ALIASES = ['http://flowable.org/bpmn', 'http://activiti.org/bpmn'];
const VENDORS = new Set([CAMUNDA, ZEEBE]);

/** Extension elements that would change what runs, with why svcflow refuses them. */
const NOT_RUN: Record<string, string> = {
  'zeebe:TaskListeners': 'has zeebe:taskListeners; svcflow does not run task listeners yet',
  'zeebe:ExecutionListeners': 'has zeebe:executionListeners; svcflow does not run execution listeners yet',
  'camunda:Connector': 'uses a camunda:connector; svcflow does not run connectors yet, use an external task',
  'camunda:FailedJobRetryTimeCycle':
    'has a camunda:failedJobRetryTimeCycle; svcflow does not run retry cycles yet (a failing job is retried by its worker with the retries it reports)',
  'camunda:FormData':
    'has generated form fields (camunda:formData); svcflow does not run generated forms yet, link a form with camunda:formRef or formKey',
  'zeebe:LinkedResources': 'has zeebe:linkedResources; svcflow does not run linked resources yet',
  'zeebe:JobPriorityDefinition': 'has a zeebe:jobPriorityDefinition; svcflow does not run job priorities yet',
};

/** The XML with Flowable's and Activiti's namespace URIs read as Camunda 7's (declarations only). */
export function aliasVendorNamespaces(xml: string): string {
  let out = xml;
  for (const uri of CAMUNDA_ALIASES)
    out = out.replaceAll(`"${uri}"`, `"${CAMUNDA}"`).replaceAll(`'${uri}'`, `'${CAMUNDA}'`);
  return out;
}

/** Reports vendor attributes moddle did not know and extension elements svcflow does not run. */
export function checkVendorExtensions(definitions: ModdleElement, ctx: ReadContext): void {
  const prefixes = vendorPrefixes(definitions);
  const written = writtenPrefixes(definitions);
  const seen = new Set<ModdleElement>();
  const visit = (element: ModdleElement, owner: ModdleElement): void => {
    if (seen.has(element)) return;
    seen.add(element);
    const why = NOT_RUN[element.$type];
    if (why) report(ctx, 'UNSUPPORTED_ELEMENT', owner, why);
    for (const name of Object.keys(element.$attrs ?? {})) {
      const prefix = name.includes(':') ? name.slice(0, name.indexOf(':')) : null;
      if (prefix && prefix !== 'xmlns' && prefixes.has(prefix))
        report(
          ctx,
          'UNSUPPORTED_ELEMENT',
          element.id ? element : owner,
          `has the attribute ${written.get(prefix) ?? prefix}${name.slice(prefix.length)}, which svcflow does not read; remove it, or it would be ignored`,
        );
    }
    for (const child of children(element)) visit(child, child.id ? child : owner);
  };
  visit(definitions, definitions);
}

// helpers

/**
 * Prefixes attribute names carry for a vendor namespace: those the root element binds to one, and moddle's
 * own `camunda`/`zeebe`, by which it names attributes of a namespace it knows under whatever prefix.
 */
function vendorPrefixes(definitions: ModdleElement): Set<string> {
  const prefixes = new Set<string>();
  for (const [name, value] of Object.entries(definitions.$attrs ?? {})) {
    if (!name.startsWith('xmlns:') || !VENDORS.has(String(value))) continue;
    prefixes.add(name.slice('xmlns:'.length));
    prefixes.add(value === CAMUNDA ? 'camunda' : 'zeebe');
  }
  return prefixes;
}

/**
 * moddle names a known namespace's attributes by its own prefix (`camunda:`); the prefix the document
 * wrote for that namespace, when it did not use moddle's (`flowable:`), names them in problems.
 */
function writtenPrefixes(definitions: ModdleElement): Map<string, string> {
  const attrs = Object.entries(definitions.$attrs ?? {});
  const written = new Map<string, string>();
  for (const [prefix, uri] of [
    ['camunda', CAMUNDA],
    ['zeebe', ZEEBE],
  ]) {
    const bound = attrs.filter(([name, value]) => name.startsWith('xmlns:') && value === uri);
    if (bound.length > 0 && !bound.some(([name]) => name === `xmlns:${prefix}`))
      written.set(prefix, bound[0][0].slice('xmlns:'.length));
  }
  return written;
}

/** Contained elements (not references): the properties moddle parsed as children. */
function children(element: ModdleElement): ModdleElement[] {
  const out: ModdleElement[] = [];
  const descriptor = element.$descriptor as { properties?: Array<{ name: string; isReference?: boolean }> } | undefined;
  const names = descriptor?.properties?.filter((p) => !p.isReference).map((p) => p.name) ?? [];
  for (const name of [...names, ...(element.$children ? ['$children'] : [])]) {
    const value = (element as Record<string, unknown>)[name];
    for (const item of Array.isArray(value) ? value : [value])
      if (item && typeof item === 'object' && typeof (item as ModdleElement).$type === 'string')
        out.push(item as ModdleElement);
  }
  return out;
}
