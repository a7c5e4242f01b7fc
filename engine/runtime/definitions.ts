/** Deployed definitions: versioned by process key, immutable, compiled once per version and cached. */
import { createHash, randomUUID } from 'node:crypto';
import type { AnyStateMachine } from 'xstate';
import { ModelError, type Problem } from '../bpmn/index.js';
import { compileBpmn, createProcessMachine, type CompiledProcess } from '../compile/index.js';
import type { DefinitionRow, Store, StoreTx } from '../store/index.js';
import { DefinitionNotFoundError } from './errors.js';
import type { Clock } from './clock.js';

export interface LoadedDefinition {
  row: Omit<DefinitionRow, 'xml'>;
  compiled: CompiledProcess;
  machine: AnyStateMachine;
}

export interface DeployedDefinition {
  id: string;
  key: string;
  version: number;
  name: string | null;
  /** false when the same XML was already the latest version of this key. */
  created: boolean;
  /** The deployment file that held the process. */
  resource: string;
}

const LATEST_TTL_MS = 1000;

/** A deploy-time check a service adds (the SLA clock checks calendars and targets); returns problems, never throws for a user's model. */
export type DeployCheck = (compiled: CompiledProcess, tx: StoreTx) => Promise<Problem[]>;

export class DefinitionRegistry {
  private readonly cache = new Map<string, LoadedDefinition>();
  private readonly latestIds = new Map<string, { id: string; at: number }>();
  readonly checks: DeployCheck[] = [];

  constructor(private readonly store: Store, private readonly clock: Clock) {}

  /**
   * Deploys a set of BPMN files as one unit: each is read, validated and compiled once, every deploy check
   * runs, and one transaction stores one new version per changed process — or, when any file has a
   * problem, nothing at all (DeploymentInvalidError naming the first such file, with every problem).
   */
  async deploy(files: DeploymentFile[], by: string | null = null): Promise<DeployedDefinition[]> {
    const compiled = await Promise.all(files.map(compileFile));
    const invalid = compiled.find((c) => c.problems.length > 0);
    if (invalid) throw new DeploymentInvalidError(invalid.file.name, invalid.problems);
    const fresh: LoadedDefinition[] = [];
    const deployed = await this.store.transaction(async (tx) => {
      for (const c of compiled) await this.check(c, tx);
      const out: DeployedDefinition[] = [];
      for (const c of compiled) out.push(...await this.storeFile(tx, c, by, fresh));
      return out;
    });
    // only after the commit: a rolled-back deployment leaves no version in the cache
    for (const loaded of fresh) {
      this.latestIds.delete(loaded.row.key);
      this.cache.set(loaded.row.id, loaded);
    }
    return deployed;
  }

  private async check(c: CompiledFile, tx: StoreTx): Promise<void> {
    const problems = (await Promise.all(c.processes.flatMap((p) => this.checks.map((check) => check(p, tx))))).flat();
    if (problems.length > 0) throw new DeploymentInvalidError(c.file.name, problems);
  }

  // Stores one new version per process of the file whose XML changed; an unchanged one keeps its version.
  private async storeFile(tx: StoreTx, c: CompiledFile, by: string | null, fresh: LoadedDefinition[]): Promise<DeployedDefinition[]> {
    const deployed: DeployedDefinition[] = [];
    for (const compiled of c.processes) {
      const latest = await tx.definitions.latestByKey(compiled.processId);
      if (latest && latest.hash === c.hash) {
        deployed.push({ id: latest.id, key: latest.key, version: latest.version, name: latest.name, created: false, resource: c.file.name });
        continue;
      }
      const version = (latest?.version ?? 0) + 1;
      const row: DefinitionRow = { id: `${compiled.processId}:${version}`, key: compiled.processId, version, name: compiled.name, hash: c.hash, xml: c.file.xml, deployedAt: this.clock.now().toISOString(), deployedBy: by };
      await tx.definitions.insert(row);
      fresh.push({ row, compiled, machine: createProcessMachine(compiled) });
      deployed.push({ id: row.id, key: row.key, version, name: row.name, created: true, resource: c.file.name });
    }
    return deployed;
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
    const loaded = { row, compiled, machine: createProcessMachine(compiled) };
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

/** One BPMN file of a deployment. */
export interface DeploymentFile {
  /** The file name (a Camunda resource name), named in problems. */
  name: string;
  xml: string;
}

/** A deployment refused because one of its files is invalid or cannot run; nothing was deployed. */
export class DeploymentInvalidError extends ModelError {
  constructor(readonly resource: string, problems: Problem[]) {
    super(problems);
    this.name = 'DeploymentInvalidError';
  }
}

interface CompiledFile {
  file: DeploymentFile;
  hash: string;
  processes: CompiledProcess[];
  problems: Problem[];
}

async function compileFile(file: DeploymentFile): Promise<CompiledFile> {
  const { processes, problems } = await compileBpmn(file.xml);
  return { file, hash: createHash('sha256').update(file.xml).digest('hex'), processes, problems };
}

export const newId = (): string => randomUUID();
