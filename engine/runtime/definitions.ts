/** Deployed definitions: versioned by process key, immutable, compiled once per version and cached. */
import { createHash, randomUUID } from 'node:crypto';
import { bpmnTypeOf, describeElement, ModelError, problem, type Problem } from '../bpmn/index.js';
import { compileBpmn, processMachine, type CompiledProcess, type ProcessMachine } from '../compile/index.js';
import type { DefinitionRow, Store, StoreTx } from '../store/index.js';
import { DefinitionNotFoundError } from './errors.js';
import type { Clock } from './clock.js';

export interface LoadedDefinition {
  row: Omit<DefinitionRow, 'xml'>;
  compiled: CompiledProcess;
  machine: ProcessMachine;
}

export interface DeployedDefinition {
  id: string;
  key: string;
  version: number;
  name: string | null;
  /** false when the same XML was already the latest version of this key. */
  created: boolean;
}

const LATEST_TTL_MS = 1000;

/** A deploy-time check a service adds (the SLA clock checks calendars and targets); returns problems, never throws for a user's model. */
export type DeployCheck = (compiled: CompiledProcess, tx: StoreTx) => Promise<Problem[]>;

export class DefinitionRegistry {
  private readonly cache = new Map<string, LoadedDefinition>();
  private readonly latestIds = new Map<string, { id: string; at: number }>();
  readonly checks: DeployCheck[] = [];

  constructor(private readonly store: Store, private readonly clock: Clock) {}

  /** Validates and compiles the document, then stores one new version per changed process; throws ModelError with every problem. */
  async deploy(xml: string, by: string | null = null): Promise<DeployedDefinition[]> {
    const { processes, problems } = await compileBpmn(xml);
    if (problems.length > 0) throw new ModelError(problems);
    const hash = createHash('sha256').update(xml).digest('hex');
    return this.store.transaction(async (tx) => {
      const checked = [
        ...(await this.unreceivedMessages(processes, tx)),
        ...(await Promise.all(processes.flatMap((p) => this.checks.map((check) => check(p, tx))))).flat(),
      ];
      if (checked.length > 0) throw new ModelError(checked);
      const deployed: DeployedDefinition[] = [];
      for (const compiled of processes) {
        const latest = await tx.definitions.latestByKey(compiled.processId);
        if (latest && latest.hash === hash) {
          deployed.push({ id: latest.id, key: latest.key, version: latest.version, name: latest.name, created: false });
          continue;
        }
        const version = (latest?.version ?? 0) + 1;
        const row: DefinitionRow = { id: `${compiled.processId}:${version}`, key: compiled.processId, version, name: compiled.name, hash, xml, deployedAt: this.clock.now().toISOString(), deployedBy: by };
        await tx.definitions.insert(row);
        this.latestIds.delete(row.key);
        this.cache.set(row.id, { row, compiled, machine: processMachine(compiled) });
        deployed.push({ id: row.id, key: row.key, version, name: row.name, created: true });
      }
      return deployed;
    });
  }

  /**
   * A message sent inside the engine (a send element without a job type) must be one that a process
   * of this document or a deployed one waits for; otherwise the send could never be delivered.
   */
  private async unreceivedMessages(processes: CompiledProcess[], tx: StoreTx): Promise<Problem[]> {
    const sent = processes.flatMap((p) => p.messages.sent);
    if (sent.length === 0) return [];
    const received = new Set(processes.flatMap((p) => p.messages.received));
    if (sent.some((s) => !received.has(s.messageName))) for (const name of await this.deployedReceivers(tx)) received.add(name);
    return sent.filter((s) => !received.has(s.messageName)).map((s) => problem('MESSAGE_NO_RECEIVER', s.elementId, bpmnTypeOf(s.elementType),
      `${describeElement({ id: s.elementId, type: s.elementType })} sends message '${s.messageName}' inside the engine (it has no job type), but no deployed process waits for '${s.messageName}'; deploy the receiving process first or with it, or give the element a job type`));
  }

  /** Names of the messages the latest version of every deployed process waits for. */
  private async deployedReceivers(tx: StoreTx): Promise<string[]> {
    const names: string[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await tx.definitions.list({ latestOnly: true, offset, limit: 500 });
      for (const row of page.items) names.push(...(await this.load(row.id, tx)).compiled.messages.received);
      if (page.items.length < 500) return names;
    }
  }

  /** The compiled definition of a version, compiled from its stored XML on first use. */
  async load(definitionId: string, tx: Pick<StoreTx, 'definitions'> = this.store): Promise<LoadedDefinition> {
    const cached = this.cache.get(definitionId);
    if (cached) return cached;
    const row = await tx.definitions.get(definitionId);
    if (!row) throw new DefinitionNotFoundError(definitionId);
    const { processes, problems } = await compileBpmn(row.xml);
    const compiled = processes.find((p) => p.processId === row.key);
    if (!compiled) throw new ModelError(problems);
    const loaded = { row, compiled, machine: processMachine(compiled) };
    this.cache.set(definitionId, loaded);
    return loaded;
  }

  /**
   * The latest version of a key. The answer is reused for a second: starting instances then costs no
   * query, and a version another node deployed is picked up within that second (this node's own
   * deployments at once).
   */
  async latest(key: string): Promise<LoadedDefinition> {
    const known = this.latestIds.get(key);
    if (known && performance.now() - known.at < LATEST_TTL_MS) return this.load(known.id);
    const row = await this.store.definitions.latestByKey(key);
    if (!row) throw new DefinitionNotFoundError(key);
    this.latestIds.set(key, { id: row.id, at: performance.now() });
    return this.load(row.id);
  }
}

export const newId = (): string => randomUUID();
