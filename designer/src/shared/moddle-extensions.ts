/** The moddle descriptors the designer and the read-only viewers load: svcflow's own `svc` (shared with the engine) and extras. */
import svcDescriptor from '../../../engine/bpmn/moddle/svc.json';

/** Fresh copies of the descriptors: moddle normalises them in place, and each diagram gets its own moddle. */
// biome-ignore lint/suspicious/noExplicitAny: the moddle descriptors and the page's BpmnJS global are untyped JSON/JS
export function moddleExtensions(extra: Record<string, unknown> = {}): Record<string, any> {
  return structuredClone({ ...extra, svc: svcDescriptor });
}
