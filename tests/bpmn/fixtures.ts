/** Fixture access for the engine/bpmn tests: BPMN files next to the tests, read as text. */
import { readFileSync } from 'node:fs';
import { loadBpmn, readBpmn, type FlowNode, type ProcessModel } from '../../engine/bpmn/index.js';

export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

/** Reads a fixture that must be free of problems and returns its only process. */
export async function readProcess(name: string): Promise<ProcessModel> {
  const { document, problems } = await loadBpmn(fixture(name));
  if (problems.length > 0 || !document) throw new Error(`${name}: ${problems.map((p) => p.message).join('\n')}`);
  return document.processes[0];
}

export function node(process: ProcessModel, id: string): FlowNode {
  const found = process.nodes[id];
  if (!found) throw new Error(`no node '${id}' in process '${process.id}'`);
  return found;
}

export async function problemsOf(name: string, options: Parameters<typeof loadBpmn>[1] = {}) {
  return (await loadBpmn(fixture(name), options)).problems;
}

export { readBpmn };
