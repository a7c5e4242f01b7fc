/** `camunda:properties` of a deployed element, read once per definition version for external task fetches. */
import { readBpmn } from '../../bpmn/index.js';
import type { Engine } from '../../runtime/index.js';

const cache = new Map<string, Map<string, Record<string, string>>>();

/** The extension properties of one element of a deployed version (empty when it has none). */
export async function extensionPropertiesOf(
  engine: Engine,
  definitionId: string,
  elementId: string,
): Promise<Record<string, string>> {
  let byElement = cache.get(definitionId);
  if (!byElement) {
    const { document } = await readBpmn((await engine.getDefinition(definitionId)).xml);
    byElement = new Map();
    for (const process of document?.processes ?? []) {
      for (const node of Object.values(process.nodes)) byElement.set(node.id, node.properties ?? {});
    }
    cache.set(definitionId, byElement);
  }
  return byElement.get(elementId) ?? {};
}
