/** Small, null-safe accessors over moddle elements, shared by the readers. */
import type { ModdleElement } from 'bpmn-moddle';
import { describeElement } from '../describe.js';
import { rawRef, type UnresolvedRefs } from '../parse-warnings.js';
import type { Problem, ProblemCode } from '../problems.js';

/** What the readers share while walking one document: the problems found and the unresolved references. */
export interface ReadContext {
  problems: Problem[];
  refs: UnresolvedRefs;
}

/** The extension elements of a given type ('zeebe:TaskDefinition') inside `bpmn:extensionElements`. */
export function extensionsOf(element: ModdleElement, type: string): ModdleElement[] {
  const values: ModdleElement[] = element.extensionElements?.values ?? [];
  return values.filter((value) => value.$type === type);
}

export function extensionOf(element: ModdleElement, type: string): ModdleElement | null {
  return extensionsOf(element, type)[0] ?? null;
}

/** A string attribute, trimmed; null when absent or blank. Accepts namespaced names ('camunda:assignee'). */
export function attr(element: ModdleElement | null | undefined, name: string): string | null {
  return text(element?.get(name));
}

/** A trimmed string; null when not a string or blank. */
export function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** The id a reference points to, resolved or not: `ref(ctx, flow, 'sourceRef')`. */
export function refId(ctx: ReadContext, element: ModdleElement, property: string): string | null {
  const target = element[property] as ModdleElement | undefined;
  return target?.id ?? rawRef(ctx.refs, element, property);
}

/** True when a reference was written in the XML but names nothing in the document. */
export function isDangling(ctx: ReadContext, element: ModdleElement, property: string): boolean {
  return !element[property] && rawRef(ctx.refs, element, property) !== null;
}

/** Records a problem about an element; the message is appended to the element's description. */
export function report(ctx: ReadContext, code: ProblemCode, element: ModdleElement, message: string): void {
  ctx.problems.push({
    code,
    elementId: element.id ?? null,
    elementType: element.$type,
    message: `${describe(element)} ${message}`,
  });
}

export function describe(element: ModdleElement): string {
  return describeElement({ id: element.id ?? '?', type: element.$type, name: element.name });
}

/** Strips one leading '=' from a FEEL expression. */
export function withoutEquals(expression: string): string {
  return expression.startsWith('=') ? expression.slice(1).trim() : expression;
}

/** Splits a comma-separated list; a FEEL expression ('=…') stays whole. */
export function splitList(value: string | null): string[] {
  if (!value) return [];
  if (value.startsWith('=')) return [value];
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
