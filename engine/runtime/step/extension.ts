/**
 * The one seam through which a service adds to the engine (`Engine.extend`): handlers for the effect kinds
 * it owns, work inside every step once its instance row is settled, due work for the scheduler, and checks
 * of every process deployed. The SLA clock, the KPI facts, notification delivery and reports attach here.
 */
import type { CompiledProcess } from '../../compile/index.js';
import type { Problem } from '../../bpmn/index.js';
import type { InstanceRow, StoreTx } from '../../store/index.js';
import type { EffectHandlers } from './effects/registry.js';
import type { StepRun } from './effects/run.js';

export interface StepExtension {
  /** Handlers for the effect kinds the service owns; they replace the default ones. */
  effects?: Partial<EffectHandlers>;
  /**
   * Runs once per step after the instance row is settled (final variables and status), before commit, in
   * the order the extensions were attached; may throw to undo the step.
   */
  settled?(run: StepRun, instance: InstanceRow): Promise<void>;
  /** Due work the scheduler runs on each tick; returns how many items it fired. */
  due?(): Promise<number>;
  /** A check of every process about to be deployed; returns problems, never throws for a user's model. */
  deployCheck?(compiled: CompiledProcess, tx: StoreTx): Promise<Problem[]>;
}

export type SettledHandler = NonNullable<StepExtension['settled']>;
