/**
 * The SLA service: owns the sla.* effects of every step (rows, pauses, outcomes, task due dates),
 * closes the SLAs of ended instances, and fires due warnings and breaches from the scheduler.
 */
import type { CompiledProcess, Effect, EffectOf, ProcessMachine } from '../../compile/index.js';
import { bpmnTypeOf, describeElement, problem, type Problem } from '../../bpmn/index.js';
import { isExpression, resolveValue } from '../../expr/index.js';
import type { HistoryRow, InstanceRow, SlaRow, StoreTx } from '../../store/index.js';
import { businessDurationMs } from '../calendar/business-calendar.js';
import { CalendarBook } from '../calendar/calendar-book.js';
import { processGaps } from '../calendar/calendar-coverage.js';
import { newId } from '../definitions.js';
import type { EffectHandlers, StepRun, StepScope } from '../step/effect-executor.js';
import type { Engine } from '../engine.js';
import { SlaChecks, type SlaLogger } from './sla-checks.js';
import { closeRow, pauseRow, resumeRow, retargetRow, scheduleOf, slaNote, type SlaPatch } from './sla-clock.js';
import { SlaQueries } from './sla-queries.js';
import { CalendarNotFoundError, SlaTargetError } from './sla-errors.js';

/** Where the service logs missing holiday data and failed checks. */
export interface SlaServiceOptions {
  logger?: SlaLogger;
}

/** What one step did to SLA rows: history to append once the step's own history is written, rows it started. */
interface StepWork {
  history: HistoryRow[];
  started: SlaRow[];
}

/** SLA clocks of one engine: its hooks, checks, queries and calendars. */
export class SlaService {
  readonly calendars: CalendarBook;
  readonly checks: SlaChecks;
  readonly queries: SlaQueries;

  constructor(
    readonly engine: Engine,
    private readonly options: SlaServiceOptions = {},
  ) {
    this.calendars = new CalendarBook(engine.store, engine.clock, engine.config.zone);
    this.checks = new SlaChecks(engine, this.calendars, options.logger);
    this.queries = new SlaQueries(engine.store, engine.clock, this.calendars);
  }

  /** Seeds missing calendars and hooks the service into the engine's steps and scheduler. */
  async attach(): Promise<this> {
    await this.calendars.ensureSeeds();
    const apply = (run: StepRun, effect: Effect) => this.apply(run, effect);
    const effects: Partial<EffectHandlers> = {
      'sla.start': apply,
      'sla.stop': apply,
      'sla.pause': apply,
      'sla.resume': apply,
      'sla.cancel': apply,
    };
    this.engine.extend({
      effects,
      settled: (run, instance) => this.settle(run, instance),
      due: () => this.checks.fireDue(),
      deployCheck: (compiled, tx) => this.checkDeployment(compiled, tx),
    });
    return this;
  }

  /** Applies one sla.* effect of a step inside its transaction. */
  async apply(run: StepRun, effect: Effect): Promise<void> {
    const { tx, scope } = run;
    if (effect.type === 'sla.start') return this.start(run, effect).catch((err) => this.skip(run, effect, err));
    if (
      effect.type !== 'sla.stop' &&
      effect.type !== 'sla.cancel' &&
      effect.type !== 'sla.pause' &&
      effect.type !== 'sla.resume'
    )
      return;
    const row = await tx.sla.openByElement(scope.instanceId, effect.elementId);
    if (!row) return;
    if (effect.type === 'sla.pause') return this.update(run, row, pauseRow(row, scope.now));
    const calendar = await this.calendars.get(row.calendarId, tx);
    if (effect.type === 'sla.resume') return this.update(run, row, resumeRow(calendar, row, scope.now));
    await this.close(run, row, effect.type === 'sla.stop');
  }

  /** After a step: the priority its started rows report under, re-targeting on new variables, the SLAs of an ended instance, its SLA history. */
  async settle(run: StepRun, instance: InstanceRow): Promise<void> {
    const { tx, scope } = run;
    const work = this.stepWork(run);
    const priority = this.priorityOf(instance.variables);
    for (const row of work.started) if (row.priority !== priority) await tx.sla.update(row.id, { priority });
    if (carriesVariables(scope) && instance.status !== 'completed' && instance.status !== 'terminated')
      await this.refresh(run, instance);
    if (instance.status === 'completed' || instance.status === 'terminated') {
      for (const row of await tx.sla.openByInstance(instance.id)) {
        await this.close(run, row, row.kind === 'process' && instance.status === 'completed');
      }
    }
    if (work.history.length > 0) await tx.history.append(work.history);
  }

  /** Every SLA of a process to deploy names an existing calendar and, when literal, a target measurable in business time. */
  async checkDeployment(compiled: CompiledProcess, tx: Pick<StoreTx, 'calendars'>): Promise<Problem[]> {
    const problems: Problem[] = [];
    // not a refusal: holiday data for next year is published late in the year, but the owner should know
    for (const gap of await processGaps(
      compiled.slas.map((s) => s.sla.calendar ?? 'default'),
      this,
      this.engine.clock.now(),
      tx,
    )) {
      this.options.logger?.warn(
        { processId: compiled.processId, calendarId: gap.calendarId, years: gap.missingYears },
        `calendar '${gap.calendarId}' used by process '${compiled.processId}' has no holiday data for ${gap.missingYears.join(', ')}: holidays there would count as working days; update it with PUT /api/calendars/${gap.calendarId}`,
      );
    }
    for (const { elementId, elementType, sla } of compiled.slas) {
      const where = `the SLA of ${elementType === 'process' ? `process '${elementId}'` : describeElement({ id: elementId, type: elementType })}`;
      const type = elementType === 'process' ? 'bpmn:Process' : bpmnTypeOf(elementType);
      try {
        const calendar = await this.calendars.get(sla.calendar ?? 'default', tx);
        if (!isExpression(sla.target)) businessDurationMs(calendar, sla.target);
      } catch (err) {
        if (!(err instanceof SlaTargetError) && !(err instanceof CalendarNotFoundError)) throw err;
        problems.push(problem('SLA_INVALID', elementId, type, `${where}: ${err.message}`));
      }
    }
    return problems;
  }

  // helpers

  /** The value of the installation's priority variable (config caseFields.priority) as text; null without one. */
  private priorityOf(variables: Record<string, unknown>): string | null {
    const name = this.engine.config.caseFields.priority;
    const value = name === null ? undefined : variables[name];
    return value === undefined || value === null ? null : String(value);
  }

  private async start(run: StepRun, effect: EffectOf<'sla.start'>): Promise<void> {
    const { tx, scope } = run;
    const calendar = await this.calendars.get(effect.sla.calendar ?? 'default', tx);
    const instance = (await tx.instances.get(scope.instanceId))!;
    const { compiled } = run.definition;
    const kind =
      effect.elementId === compiled.processId
        ? 'process'
        : compiled.elementTypes[effect.elementId] === 'userTask'
          ? 'task'
          : 'subprocess';
    const task = kind === 'task' ? await tx.tasks.openByElement(scope.instanceId, effect.elementId) : null;
    const base: SlaRow = {
      id: newId(),
      instanceId: scope.instanceId,
      definitionKey: scope.definitionKey,
      elementId: effect.elementId,
      elementName: kind === 'process' ? compiled.name : (task?.name ?? compiled.elementNames[effect.elementId] ?? null),
      kind,
      taskId: task?.id ?? null,
      priority: this.priorityOf(instance.variables),
      calendarId: calendar.id,
      target: effect.target,
      targetMs: businessDurationMs(calendar, effect.target),
      targetExpression: effect.sla.target.startsWith('=') ? effect.sla.target : null,
      warnAt: effect.sla.warnAt,
      warningsDue: [],
      nextWarning: 0,
      warningCode: effect.sla.warningCode,
      breachCode: effect.sla.breachCode,
      status: 'running',
      startedAt: scope.now,
      dueAt: scope.now,
      pausedMs: 0,
      pauseCount: 0,
      pauseDepth: 0,
      pausedSince: null,
      warnedAt: null,
      breachedAt: null,
      completedAt: null,
      businessMs: null,
      holidayDataMissing: false,
      nextCheckAt: null,
      lockedBy: null,
      lockedUntil: null,
    };
    const row = { ...base, ...scheduleOf(calendar, base) };
    await tx.sla.insert(row);
    if (task) await tx.tasks.update(task.id, { due: row.dueAt });
    if (row.holidayDataMissing)
      this.options.logger?.warn(
        { slaId: row.id, calendarId: calendar.id, dueAt: row.dueAt },
        `calendar '${calendar.id}' has no holiday data for the year of an SLA due date; update it with PUT /api/calendars/${calendar.id}`,
      );
    this.stepWork(run).started.push(row);
    this.record(run, row, 'sla.started', {
      dueAt: row.dueAt,
      target: row.target,
      calendarId: row.calendarId,
      holidayDataMissing: row.holidayDataMissing,
    });
  }

  /** New variables: open rows take the current priority, and FEEL targets are evaluated again (rule 6). */
  private async refresh(run: StepRun, instance: InstanceRow): Promise<void> {
    const { tx } = run;
    const priority = this.priorityOf(instance.variables);
    for (const row of await tx.sla.openByInstance(instance.id)) {
      if (row.priority !== priority) await tx.sla.update(row.id, { priority });
      if (row.targetExpression && (row.status === 'running' || row.status === 'paused'))
        await this.retarget(run, row, instance);
    }
  }

  // A changed target moves due and warnings; the change goes into the history.
  private async retarget(run: StepRun, row: SlaRow, instance: InstanceRow): Promise<void> {
    const { tx } = run;
    const { machine } = run.definition;
    const target = evaluateTarget(row, instance, machine);
    if (target === null || target === row.target) return;
    const calendar = await this.calendars.get(row.calendarId, tx);
    let patch: SlaPatch;
    try {
      patch = retargetRow(calendar, row, target);
    } catch (err) {
      this.options.logger?.warn(
        { err, slaId: row.id, target },
        `SLA target of '${row.elementId}' changed to "${target}", which cannot be measured; the old target stays`,
      );
      return;
    }
    await tx.sla.update(row.id, patch);
    const next = { ...row, ...patch };
    if (next.taskId && next.status === 'running') await tx.tasks.update(next.taskId, { due: next.dueAt });
    this.record(run, next, 'sla.retargeted', { from: row.target, to: target, dueAt: next.dueAt });
  }

  private async update(run: StepRun, row: SlaRow, patch: SlaPatch): Promise<void> {
    const { tx } = run;
    await tx.sla.update(row.id, patch);
    const next = { ...row, ...patch };
    if (next.status === row.status) return;
    if (next.taskId && next.status === 'running') await tx.tasks.update(next.taskId, { due: next.dueAt });
    const event = next.status === 'paused' ? 'sla.paused' : 'sla.resumed';
    this.record(run, next, event, { dueAt: next.dueAt, pausedMs: next.pausedMs, pauseCount: next.pauseCount });
  }

  private async close(run: StepRun, row: SlaRow, completed: boolean): Promise<void> {
    const { tx, scope } = run;
    const calendar = await this.calendars.get(row.calendarId, tx);
    const outcome = closeRow(calendar, row, scope.now, completed);
    await tx.sla.update(row.id, outcome.patch);
    const closed = { ...row, ...outcome.patch };
    const event = outcome.newlyBreached
      ? 'sla.breached'
      : row.status === 'breached'
        ? 'sla.closed'
        : `sla.${outcome.status}`;
    this.record(run, closed, event, {
      status: closed.status,
      dueAt: closed.dueAt,
      businessMs: closed.businessMs,
      completed,
    });
  }

  /**
   * An SLA that cannot be measured (a FEEL target in months, a calendar deleted since deploy) must not
   * hold up the work: the clock is not started, and the history, the log and the event stream say why.
   */
  private skip(run: StepRun, effect: EffectOf<'sla.start'>, err: unknown): void {
    const { scope, notes } = run;
    if (!(err instanceof SlaTargetError) && !(err instanceof CalendarNotFoundError)) throw err;
    const details = { code: err.code, message: err.message, target: effect.target };
    this.stepWork(run).history.push({
      instanceId: scope.instanceId,
      elementId: effect.elementId,
      elementType: null,
      event: 'sla.failed',
      at: scope.now,
      by: scope.by,
      details,
    });
    notes.push({
      type: 'sla.failed',
      instanceId: scope.instanceId,
      definitionKey: scope.definitionKey,
      elementId: effect.elementId,
      at: scope.now,
      data: details,
    });
    this.options.logger?.warn(
      { instanceId: scope.instanceId, elementId: effect.elementId, err },
      `SLA of '${effect.elementId}' not started: ${err.message}`,
    );
  }

  private record(run: StepRun, row: SlaRow, event: string, details: Record<string, unknown>): void {
    const { scope, notes } = run;
    const data = { slaId: row.id, ...details };
    this.stepWork(run).history.push({
      instanceId: row.instanceId,
      elementId: row.elementId,
      elementType: null,
      event,
      at: scope.now,
      by: scope.by,
      details: data,
    });
    notes.push(slaNote(event, row, scope.now, details));
  }

  /** What this step did to SLA rows so far (per-step state, gone with the step). */
  private stepWork(run: StepRun): StepWork {
    return run.state<StepWork>(this, () => ({ history: [], started: [] }));
  }
}

/** Creates the SLA service for an engine and attaches it (seeding calendars). */
export function attachSla(engine: Engine, options: SlaServiceOptions = {}): Promise<SlaService> {
  return new SlaService(engine, options).attach();
}

// helpers

/** Steps that may change what a FEEL target reads: the start (its scripts run in the same step) and events that bring variables. */
function carriesVariables(scope: StepScope): boolean {
  if (scope.event === null) return true;
  const event = scope.event as { variables?: Record<string, unknown> };
  return !!event.variables && Object.keys(event.variables).length > 0;
}

/** The target expression's value with the instance's variables and the element's locals, or null when it gives no string. */
function evaluateTarget(row: SlaRow, instance: InstanceRow, machine: ProcessMachine): string | null {
  const result = resolveValue(row.targetExpression, machine.scopeAt(instance.snapshot, row.elementId));
  return !result.error && typeof result.value === 'string' ? result.value : null;
}
