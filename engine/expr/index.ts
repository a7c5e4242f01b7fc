/**
 * engine/expr: FEEL expressions (feelin), ISO 8601 durations and dates, timer due dates.
 * Pure: no I/O and no clock; time always comes in as an argument.
 */
export {
  checkFeel,
  evaluateCondition,
  evaluateFeel,
  FeelBudgetExceeded,
  normalizeExpression,
  setFeelBudget,
  type ConditionResult,
  type FeelBudget,
  type FeelOptions,
  type FeelResult,
} from './feel.js';
export { evaluateMappings, isExpression, resolveValue, type Mapping, type MappingResult } from './mappings.js';
export { addDuration, durationToMillis, parseIsoDuration, type ParsedDuration } from './iso-duration.js';
export { formatInstant, parseIsoDateTime, toInstant, type ParsedDateTime } from './iso-date.js';
export {
  computeTimer,
  DEFAULT_CRON_ZONE,
  nextCycleDue,
  type TimerDefinition,
  type TimerRepeat,
  type TimerSchedule,
} from './timers.js';
export { safeRegExp, unsafePatternReason, MAX_PATTERN_LENGTH } from './safe-regex.js';
export { checkUnaryTests, evaluateUnaryTests, type UnaryTestResult } from './unary-tests.js';
