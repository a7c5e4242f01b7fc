/** Deployed definitions: versioned by process key, immutable, compiled once per version and cached. */
import { createHash } from 'node:crypto';
import { bpmnTypeOf, describeElement, ModelError, problem, type Problem } from '../bpmn/index.js';
import { compileBpmn, processMachine, type CompiledProcess, type ProcessMachine } from '../compile/index.js';
import { DEFAULT_CRON_ZONE, unsafePatternReason } from '../expr/index.js';
import type { DefinitionRow, FormRow, Store, StoreTx } from '../store/index.js';
import { DefinitionNotFoundError } from './errors.js';
import { uuidv7 } from './ids.js';
import type { Clock } from './clock.js';
import { DecisionRegistry, isDecisionFile, type DeployedDecision, type LoadedDecision } from './decisions.js';
import { registerStartEvents, timerStartProblems } from './signals/start-events.js';
import {
  formBindingsOf,
  isFormFile,
  prepareForm,
  storeForms,
  versionHash,
  type DeployedForm,
  type PreparedForm,
} from './forms/deployed-forms.js';

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
  /** The deployment file that held the process. */
  resource: string;
  /** The deployment the version belongs to (for an unchanged process, the one that first brought it). */
  deploymentId: string | null;
}

/** What a deployment is called and where it came from (Camunda's `deployment-name`, `deployment-source`). */
export interface DeploymentMeta {
  name?: string | null;
  source?: string | null;
}

const LATEST_TTL_MS = 1000;

/** A deploy-time check a service adds (the SLA clock checks calendars and targets); returns problems, never throws for a user's model. */
export type DeployCheck = (compiled: CompiledProcess, tx: StoreTx) => Promise<Problem[]>;

export class DefinitionRegistry {
  private readonly cache = new Map<string, LoadedDefinition>();
  private readonly latestIds = new Map<string, { id: string; at: number }>();
  readonly checks: DeployCheck[] = [];
  /** The DMN decisions deployed beside the processes. */
  readonly decisions: DecisionRegistry;

  /**
   * `zone`: the installation's zone (EngineConfig.zone), in which cron timer cycles are read; default UTC.
   */
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly zone: string = DEFAULT_CRON_ZONE,
  ) {
    this.decisions = new DecisionRegistry(store, clock);
  }

  /**
   * Deploys a set of BPMN files as one unit: each is read, validated and compiled once, every deploy check
   * runs, and one transaction stores one new version per changed process — or, when any file has a
   * problem, nothing at all (DeploymentInvalidError naming the first such file, with every problem).
   */
  async deploy(
    files: DeploymentFile[],
    by: string | null = null,
    meta: DeploymentMeta = {},
  ): Promise<DeployedDefinition[]> {
    return (await this.deployResources(files, by, meta)).processes;
  }

  /**
   * Like deploy, with DMN files too (by name `.dmn` or by root element): their decisions are stored in the same
   * transaction; and with `.form` files, stored as form versions of the deployment (see forms/deployed-forms.ts).
   * A deployment of forms alone carries the latest version of each process that names one of them, so new
   * cases get the new form.
   */
  async deployResources(
    files: DeploymentFile[],
    by: string | null = null,
    meta: DeploymentMeta = {},
  ): Promise<DeploymentOutcome> {
    const forms = prepareForms(files.filter(isFormFile));
    const dmnFiles = files.filter((f) => !isFormFile(f) && isDecisionFile(f));
    let bpmnFiles = files.filter((f) => !isFormFile(f) && !dmnFiles.includes(f));
    if (bpmnFiles.length === 0 && dmnFiles.length === 0) bpmnFiles = await this.processesNaming(forms);
    const [compiled, prepared] = await Promise.all([
      Promise.all(bpmnFiles.map(compileFile)),
      this.decisions.prepare(dmnFiles),
    ]);
    const invalid = compiled.find((c) => c.problems.length > 0);
    if (invalid) throw new DeploymentInvalidError(invalid.file.name, invalid.problems);
    const invalidDmn = prepared.find((p) => p.problems.length > 0);
    if (invalidDmn) throw new DeploymentInvalidError(invalidDmn.name, invalidDmn.problems);
    const fresh: LoadedDefinition[] = [];
    const deploymentId = newId();
    const freshDecisions: LoadedDecision[] = [];
    const deployed = await this.store.transaction(async (tx) => {
      const decisions = await this.decisions.storeAll(tx, prepared, by, freshDecisions);
      const at = this.clock.now().toISOString();
      const storedForms = await storeForms(tx, forms, { id: deploymentId, at, by });
      await this.checkMessages(compiled, tx);
      for (const c of compiled) await this.check(c, tx);
      const processes: DeployedDefinition[] = [];
      for (const c of compiled)
        processes.push(...(await this.storeFile(tx, c, { by, fresh, deploymentId, forms: storedForms })));
      const formsOut = [...storedForms.values()].map(({ row, created }) => deployedForm(row, created));
      // a deployment row only when something new was deployed: an unchanged file keeps its version and deployment
      if (fresh.length > 0 || formsOut.some((f) => f.created)) {
        await tx.deployments.insert({
          id: deploymentId,
          name: meta.name ?? null,
          source: meta.source ?? null,
          deployedAt: at,
          deployedBy: by,
          deletedAt: null,
        });
      }
      return { processes, decisions, forms: formsOut };
    });
    // only after the commit: a rolled-back deployment leaves no version in the cache
    for (const loaded of fresh) {
      this.latestIds.delete(loaded.row.key);
      this.cache.set(loaded.row.id, loaded);
    }
    this.decisions.remember(freshDecisions);
    return deployed;
  }

  /** The XML of the latest version of every process that names one of the forms (a forms-only deployment). */
  private async processesNaming(forms: PreparedForm[]): Promise<DeploymentFile[]> {
    const keys = new Set(forms.map((f) => f.key));
    if (keys.size === 0) return [];
    const files = new Map<string, DeploymentFile>();
    for (let offset = 0; ; offset += 500) {
      const page = await this.store.definitions.list({ latestOnly: true, offset, limit: 500 });
      for (const row of page.items) {
        const { compiled } = await this.load(row.id);
        if (!(compiled.formKeys ?? []).some((k) => keys.has(k))) continue;
        const full = await this.store.definitions.get(row.id);
        if (full && ![...files.values()].some((f) => f.xml === full.xml))
          files.set(row.id, { name: `${row.key}.bpmn`, xml: full.xml });
      }
      if (page.items.length < 500) return [...files.values()];
    }
  }

  private async check(c: CompiledFile, tx: StoreTx): Promise<void> {
    const problems = (await Promise.all(c.processes.flatMap((p) => this.checks.map((check) => check(p, tx))))).flat();
    if (problems.length > 0) throw new DeploymentInvalidError(c.file.name, problems);
  }

  // Stores one new version per process of the file whose XML changed; an unchanged one keeps its version.
  private async storeFile(tx: StoreTx, c: CompiledFile, into: FileTarget): Promise<DeployedDefinition[]> {
    const { by, fresh, deploymentId } = into;
    const deployed: DeployedDefinition[] = [];
    for (const compiled of c.processes) {
      const bindings = await formBindingsOf(tx, compiled, into.forms);
      const hash = versionHash(c.hash, bindings);
      const latest = await tx.definitions.latestByKey(compiled.processId);
      if (latest && latest.hash === hash) {
        deployed.push({
          id: latest.id,
          key: latest.key,
          version: latest.version,
          name: latest.name,
          created: false,
          resource: c.file.name,
          deploymentId: latest.deploymentId ?? null,
        });
        continue;
      }
      const timerProblems = timerStartProblems(compiled, this.clock.now().toISOString(), this.zone);
      if (timerProblems.length > 0) throw new DeploymentInvalidError(c.file.name, timerProblems);
      // versions of a deleted deployment keep their numbers (and ids): the next version counts past them
      const version = (await tx.definitions.maxVersion(compiled.processId)) + 1;
      const row: DefinitionRow = {
        id: `${compiled.processId}:${version}`,
        key: compiled.processId,
        version,
        name: compiled.name,
        hash,
        xml: c.file.xml,
        deployedAt: this.clock.now().toISOString(),
        deployedBy: by,
        deploymentId,
        deletedAt: null,
      };
      await tx.definitions.insert(row);
      await tx.forms.bind(row.id, bindings);
      await registerStartEvents(tx, row, compiled, row.deployedAt, this.zone);
      fresh.push({ row, compiled, machine: processMachine(compiled, { zone: this.zone }) });
      deployed.push({
        id: row.id,
        key: row.key,
        version,
        name: row.name,
        created: true,
        resource: c.file.name,
        deploymentId,
      });
    }
    return deployed;
  }

  /** After a deployment's versions were marked deleted: this node's cache knows at once (other nodes' "latest" within a second). */
  forgetDeleted(rows: Array<Omit<DefinitionRow, 'xml'>>, at: string): void {
    for (const row of rows) {
      this.latestIds.delete(row.key);
      const cached = this.cache.get(row.id);
      if (cached) cached.row = { ...cached.row, deletedAt: at };
    }
  }

  /**
   * A message sent inside the engine (a send element without a job type) must be one that a process
   * of this document or a deployed one waits for; otherwise the send could never be delivered.
   */
  private async checkMessages(files: CompiledFile[], tx: StoreTx): Promise<void> {
    const all = files.flatMap((f) => f.processes);
    for (const file of files) {
      const problems = await this.unreceivedMessages(file.processes, all, tx);
      if (problems.length > 0) throw new DeploymentInvalidError(file.file.name, problems);
    }
  }

  private async unreceivedMessages(
    processes: CompiledProcess[],
    all: CompiledProcess[],
    tx: StoreTx,
  ): Promise<Problem[]> {
    const sent = processes.flatMap((p) => p.messages.sent);
    if (sent.length === 0) return [];
    const received = new Set(all.flatMap((p) => p.messages.received));
    if (sent.some((s) => !received.has(s.messageName)))
      for (const name of await this.deployedReceivers(tx)) received.add(name);
    return sent
      .filter((s) => !received.has(s.messageName))
      .map((s) =>
        problem(
          'MESSAGE_NO_RECEIVER',
          s.elementId,
          bpmnTypeOf(s.elementType),
          `${describeElement({ id: s.elementId, type: s.elementType })} sends message '${s.messageName}' inside the engine (it has no job type), but no deployed process waits for '${s.messageName}'; deploy the receiving process first or with it, or give the element a job type`,
        ),
      );
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
    const loaded = { row, compiled, machine: processMachine(compiled, { zone: this.zone }) };
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

/** What a deployment stored: the processes, the decisions and the forms, each new or unchanged. */
export interface DeploymentOutcome {
  processes: DeployedDefinition[];
  decisions: DeployedDecision[];
  forms: DeployedForm[];
}

/** One file of a deployment: BPMN, DMN (`.dmn` or a DMN root element) or a form-js form (`.form`, JSON). */
export interface DeploymentFile {
  /** The file name (a Camunda resource name), named in problems. */
  name: string;
  /** The file's text (XML, or the form's JSON). */
  xml: string;
}

/** Where storeFile puts new versions: who deploys, the deployment, the forms it stored. */
interface FileTarget {
  by: string | null;
  fresh: LoadedDefinition[];
  deploymentId: string;
  forms: Map<string, { row: FormRow }>;
}

/** A deployment refused because one of its files is invalid or cannot run; nothing was deployed. */
export class DeploymentInvalidError extends ModelError {
  constructor(
    readonly resource: string,
    problems: Problem[],
  ) {
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

/** Reads every form file; the first one with a problem refuses the deployment. */
function prepareForms(files: DeploymentFile[]): PreparedForm[] {
  const forms: PreparedForm[] = [];
  for (const file of files) {
    const { form, problems } = prepareForm(file);
    if (!form) throw new DeploymentInvalidError(file.name, problems);
    forms.push(form);
  }
  return forms;
}

function deployedForm(row: FormRow, created: boolean): DeployedForm {
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    created,
    resource: row.resource,
    deploymentId: row.deploymentId,
  };
}

async function compileFile(file: DeploymentFile): Promise<CompiledFile> {
  const compiled = await compileBpmn(file.xml);
  const { processes } = compiled;
  const problems = compiled.problems.length > 0 ? compiled.problems : unsafePatterns(file.xml);
  return { file, hash: createHash('sha256').update(file.xml).digest('hex'), processes, problems };
}

/**
 * Literal patterns of FEEL matches/replace/split in the document that could backtrack exponentially
 * (`matches(x, "^(a+)+$")`), as PATTERN_UNSAFE naming the element that holds them.
 */
function unsafePatterns(xml: string): Problem[] {
  const text = xml
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
  const problems: Problem[] = [];
  for (const call of text.matchAll(/\b(matches|replace|split)\s*\([^,()]*,\s*"((?:[^"\\]|\\.)*)"/g)) {
    const reason = unsafePatternReason(call[2].replace(/\\(.)/g, '$1'));
    if (!reason) continue;
    const owner = [...text.slice(0, call.index).matchAll(/<([\w:]+)[^<>]*\sid="([^"]+)"/g)].pop();
    problems.push({
      code: 'PATTERN_UNSAFE',
      elementId: owner?.[2] ?? null,
      elementType: owner?.[1] ?? null,
      message: `${call[1]}(): ${reason}`,
    });
  }
  return problems;
}

/** A new row id for instances, tasks and the rest: time-ordered (UUIDv7), so inserts append to their indexes. */
export const newId = (): string => uuidv7();
