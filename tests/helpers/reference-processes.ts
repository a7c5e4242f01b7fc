/** The reference processes of processes/*.bpmn for scenario tests with the pure simulator. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompiledProcess, EngineEvent, Simulation } from '../../engine/compile/index.js';
import { readDmn, type DmnDocument } from '../../engine/dmn/index.js';
import { compileXml, effectsOf, useDecisions } from './compile.js';

export const PROCESSES_DIR = join(import.meta.dirname, '..', '..', 'processes');
export const PROCESS_IDS = ['complaint-handling', 'service-journey', 'risk-response', 'risk-portfolio-review'] as const;

const compiled = new Map<string, Promise<CompiledProcess>>();

/** The BPMN text of a reference process. */
export function processXml(id: string): string {
  return readFileSync(join(PROCESSES_DIR, `${id}.bpmn`), 'utf8');
}

/** Compiles a reference process once per test file; `run` decides its rule tasks with the shipped processes/*.dmn. */
export function loadProcess(id: (typeof PROCESS_IDS)[number]): Promise<CompiledProcess> {
  if (!compiled.has(id))
    compiled.set(
      id,
      Promise.all([compileXml(processXml(id)), shippedDecisions()]).then(([c, d]) => useDecisions(c, d)),
    );
  return compiled.get(id)!;
}

/** The decisions of processes/*.dmn, by decision id. */
export async function shippedDecisions(): Promise<Record<string, DmnDocument>> {
  const byId: Record<string, DmnDocument> = {};
  for (const file of readdirSync(PROCESSES_DIR).filter((f) => f.endsWith('.dmn'))) {
    const { document, problems } = await readDmn(readFileSync(join(PROCESSES_DIR, file), 'utf8'));
    if (!document || problems.length > 0) throw new Error(`${file}: ${JSON.stringify(problems)}`);
    for (const decision of Object.keys(document.decisions)) byId[decision] = document;
  }
  return byId;
}

/** What the SLA clock throws at an element on warning or breach. */
export const escalate = (elementId: string, escalationCode: 'sla-warning' | 'sla-breach'): EngineEvent => ({
  type: 'escalation.thrown',
  elementId,
  escalationCode,
  source: 'sla',
});

/** The user tasks a run created, in order: element, candidate groups, assignee, form and priority. */
export function tasksOf(sim: Simulation) {
  return effectsOf(sim, 'task.create').map(({ task }) => ({
    elementId: task.elementId,
    candidateGroups: task.candidateGroups,
    assignee: task.assignee,
    formKey: task.formKey,
    priority: task.priority,
  }));
}

/** The jobs a run created, in order. */
export function jobsOf(sim: Simulation) {
  return effectsOf(sim, 'job.create').map(({ elementId, jobType, inputs }) => ({ elementId, jobType, inputs }));
}

/** The SLA targets a run started, per element, in order. */
export function slaTargetsOf(sim: Simulation): Array<[string, string]> {
  return effectsOf(sim, 'sla.start').map((e) => [e.elementId, e.target]);
}

/** Incidents raised during the run: an empty list means every condition and expression decided. */
export function incidentsOf(sim: Simulation) {
  return effectsOf(sim, 'incident.raise').map((e) => `${e.elementId}: ${e.code} ${e.message}`);
}

/** How often an element was entered. */
export function timesVisited(sim: Simulation, elementId: string): number {
  return sim.visited.filter((id) => id === elementId).length;
}
