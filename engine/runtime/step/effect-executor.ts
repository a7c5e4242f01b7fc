/**
 * Applies a step's effects inside its transaction through the effect handlers of `effects/` (one module
 * per kind: task, timer, subscription, job and incident rows, and the history). Notifications for live
 * listeners are collected and published after commit.
 */
export type { EngineNotification, StepRun, StepScope } from './effects/run.js';
export { EffectRegistry, type EffectHandler, type EffectHandlers } from './effects/registry.js';
