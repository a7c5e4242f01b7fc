/** The moddle packages svcflow reads BPMN with: BPMN 2.0, Camunda 7, Camunda 8 (zeebe) and svc. */
import { BpmnModdle } from 'bpmn-moddle';
import camunda from 'camunda-bpmn-moddle/resources/camunda.json' with { type: 'json' };
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json' with { type: 'json' };
import svc from './svc.json' with { type: 'json' };

interface Descriptor {
  types: { name: string; extends?: string[]; properties?: { name: string }[] }[];
}

/** Creates a moddle that understands camunda:, zeebe: and svc: extensions side by side. */
export function createModdle(): BpmnModdle {
  // moddle normalises descriptors in place; copies keep the shared JSON modules (and svcModdleDescriptor) pristine
  return new BpmnModdle({
    camunda: structuredClone(camunda),
    zeebe: withoutClashes(structuredClone(zeebe), camunda),
    svc: structuredClone(svc),
  });
}

// helpers

/**
 * camunda and zeebe both add `modelerTemplate*` attributes to bpmn:Process and friends, which moddle refuses
 * to load side by side. Template metadata is irrelevant for execution, so the zeebe copies are dropped.
 */
function withoutClashes(extension: Descriptor, base: Descriptor): Descriptor {
  const taken = new Set(base.types.filter(extendsBpmn).flatMap((type) => (type.properties ?? []).map((p) => p.name)));
  const types = extension.types.map((type) =>
    extendsBpmn(type) ? { ...type, properties: (type.properties ?? []).filter((p) => !taken.has(p.name)) } : type,
  );
  return { ...extension, types };
}

function extendsBpmn(type: Descriptor['types'][number]): boolean {
  return (type.extends ?? []).some((name) => name.startsWith('bpmn:'));
}
