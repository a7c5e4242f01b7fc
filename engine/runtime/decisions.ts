/**
 * Deployed DMN decisions: versioned by decision id like processes, immutable, read once per version and
 * cached. Decisions are deployed by DefinitionRegistry in the same transaction as the BPMN files beside
 * them; evaluating one (the API's evaluate, a business rule task) is the pure engine/dmn evaluation of
 * the version a reference resolves to.
 */
import { createHash } from 'node:crypto';
import {
  describeDmn,
  evaluateDecision,
  isDmn,
  readDmn,
  type DecisionEvaluation,
  type DmnDocument,
  type DmnProblem,
} from '../dmn/index.js';
import { decisionKey, type CompiledProcess, type DecisionEnv } from '../compile/index.js';
import type { DecisionRow, Store, StoreTx } from '../store/index.js';
import type { Clock } from './clock.js';
import { DecisionFailedError, DecisionNotFoundError } from './decision-errors.js';

/** A decision version, read. */
export interface LoadedDecision {
  row: Omit<DecisionRow, 'xml'>;
  document: DmnDocument;
}

/** What a deployment did with one decision. */
export interface DeployedDecision {
  id: string;
  key: string;
  version: number;
  name: string | null;
  /** false when the same document was already the latest version of this decision. */
  created: boolean;
  resource: string;
}

/** How a business rule task or an API call names the version it means (Camunda 7's decisionRefBinding). */
export interface DecisionRef {
  key: string;
  binding?: 'latest' | 'version' | 'versionTag' | 'deployment';
  version?: number;
  versionTag?: string;
}

/** A DMN file read for deployment: its decisions, or its problems. */
export interface PreparedDecisionFile {
  name: string;
  xml: string;
  hash: string;
  document: DmnDocument | null;
  problems: DmnProblem[];
}

/** An evaluation with the version it ran. */
export interface EvaluatedDecision extends DecisionEvaluation {
  decision: Omit<DecisionRow, 'xml'>;
}

const LATEST_TTL_MS = 1000;

/** `risk`, `risk version 2`, `risk with version tag 'v1'`: a reference in messages. */
export function describeRef(ref: DecisionRef): string {
  if (ref.binding === 'version') return `${ref.key}' version '${ref.version}`;
  if (ref.binding === 'versionTag') return `${ref.key}' with version tag '${ref.versionTag}`;
  return ref.key;
}

/** True when a deployment file is DMN: by its name (`.dmn`) or, without one, by its root element. */
export function isDecisionFile(file: { name: string; xml: string }): boolean {
  if (/\.dmn(11|13)?(\.xml)?$/i.test(file.name)) return true;
  return !/\.bpmn(20)?(\.xml)?$/i.test(file.name) && isDmn(file.xml);
}

export class DecisionRegistry {
  private readonly cache = new Map<string, LoadedDecision>();
  private readonly latestIds = new Map<string, { id: string; at: number }>();

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Reads every DMN file of a deployment; a decision id in two files is a problem of the second. */
  async prepare(files: Array<{ name: string; xml: string }>): Promise<PreparedDecisionFile[]> {
    const prepared = await Promise.all(
      files.map(async (file) => ({
        ...file,
        hash: createHash('sha256').update(file.xml).digest('hex'),
        ...(await readDmn(file.xml)),
      })),
    );
    const seen = new Map<string, string>();
    for (const file of prepared) {
      for (const id of file.document?.order ?? []) {
        const other = seen.get(id);
        if (other)
          file.problems.push({
            code: 'ID_INVALID',
            elementId: id,
            elementType: 'dmn:Decision',
            message: `${describeDmn('dmn:Decision', id)} is also in '${other}' of this deployment; a decision id names one decision`,
          });
        seen.set(id, file.name);
      }
    }
    return prepared;
  }

  /** Stores a new version of each decision whose document changed, inside the deployment's transaction. */
  async storeAll(
    tx: StoreTx,
    files: PreparedDecisionFile[],
    by: string | null,
    fresh: LoadedDecision[],
  ): Promise<DeployedDecision[]> {
    const deployed: DeployedDecision[] = [];
    for (const file of files) {
      const document = file.document!;
      for (const key of document.order) {
        const decision = document.decisions[key];
        const latest = await tx.decisions.latestByKey(key);
        if (latest && latest.hash === file.hash) {
          deployed.push({
            id: latest.id,
            key,
            version: latest.version,
            name: latest.name,
            created: false,
            resource: file.name,
          });
          continue;
        }
        const version = (latest?.version ?? 0) + 1;
        const row: DecisionRow = {
          id: `${key}:${version}`,
          key,
          version,
          name: decision.name,
          versionTag: decision.versionTag,
          hash: file.hash,
          resource: file.name,
          xml: file.xml,
          deployedAt: this.clock.now().toISOString(),
          deployedBy: by,
        };
        await tx.decisions.insert(row);
        fresh.push({ row, document });
        deployed.push({ id: row.id, key, version, name: row.name, created: true, resource: file.name });
      }
    }
    return deployed;
  }

  /** After the deployment committed: its versions are known at once. */
  remember(fresh: LoadedDecision[]): void {
    for (const loaded of fresh) {
      this.latestIds.delete(loaded.row.key);
      this.cache.set(loaded.row.id, loaded);
    }
  }

  /** A decision version by id (`key:version`), read from its stored document on first use. */
  async load(id: string, tx: Pick<StoreTx, 'decisions'> = this.store): Promise<LoadedDecision> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const row = await tx.decisions.get(id);
    if (!row) throw new DecisionNotFoundError(id);
    const { document, problems } = await readDmn(row.xml);
    if (!document) throw new Error(`the stored decision '${id}' cannot be read: ${problems[0]?.message}`);
    const { xml: _xml, ...summary } = row;
    const loaded = { row: summary, document };
    this.cache.set(id, loaded);
    return loaded;
  }

  /** The version a reference means (latest by default), or null when there is none. */
  async resolve(ref: DecisionRef, tx: Pick<StoreTx, 'decisions'> = this.store): Promise<LoadedDecision | null> {
    if (ref.binding === 'version' && ref.version !== undefined)
      return this.loadRow(await tx.decisions.byKeyAndVersion(ref.key, ref.version), tx);
    if (ref.binding === 'versionTag' && ref.versionTag !== undefined)
      return this.loadRow(await tx.decisions.latestByVersionTag(ref.key, ref.versionTag), tx);
    const known = this.latestIds.get(ref.key);
    if (known && performance.now() - known.at < LATEST_TTL_MS) return this.load(known.id, tx);
    const row = await tx.decisions.latestByKey(ref.key);
    if (!row) return null;
    this.latestIds.set(ref.key, { id: row.id, at: performance.now() });
    return this.load(row.id, tx);
  }

  /** Evaluates the version a reference means on the variables; DecisionNotFoundError or DecisionFailedError otherwise. */
  async evaluate(ref: DecisionRef, variables: Record<string, unknown>, now: string): Promise<EvaluatedDecision> {
    const loaded = await this.resolve(ref);
    if (!loaded) throw new DecisionNotFoundError(describeRef(ref));
    const outcome = evaluateDecision(loaded.document, ref.key, variables, { now });
    if (!outcome.ok) throw new DecisionFailedError(outcome.decisionId, outcome.elementId, outcome.error);
    return { ...outcome.evaluation, decision: loaded.row };
  }

  /** The decisions a process's business rule tasks evaluate, as deployed now (null: not deployed); undefined when it has none. */
  async envFor(
    compiled: CompiledProcess,
    tx: Pick<StoreTx, 'decisions'> = this.store,
  ): Promise<DecisionEnv | undefined> {
    if (!compiled.decisions?.length) return undefined;
    const decisions: DecisionEnv['decisions'] = {};
    for (const call of compiled.decisions) {
      const ref: DecisionRef = {
        key: call.decisionId,
        binding: call.binding,
        version: call.version ?? undefined,
        versionTag: call.versionTag ?? undefined,
      };
      decisions[decisionKey(call)] = (await this.resolve(ref, tx))?.document ?? null;
    }
    return { decisions };
  }

  private async loadRow(row: DecisionRow | null, tx: Pick<StoreTx, 'decisions'>): Promise<LoadedDecision | null> {
    return row ? this.load(row.id, tx) : null;
  }
}
