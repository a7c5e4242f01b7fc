/** engine/runtime: the shell around the compiled machines. */
export { Engine, toView, type EngineOptions, type InstanceView } from './engine.js';
export { systemClock, nowIso, type Clock } from './clock.js';
export { BpmnError, DEFAULT_LOCK_MS, type JobHandler, type JobContext } from './jobs.js';
export { checkVariables, VARIABLE_LIMITS } from './variables.js';
export type { EngineNotification, EffectHooks, StepScope } from './effect-executor.js';
export type { DeployedDefinition } from './definitions.js';
export * from './errors.js';
