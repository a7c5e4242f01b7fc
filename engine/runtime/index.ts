/** engine/runtime: the shell around the compiled machines. */
export {
  Engine,
  toView,
  type WithinStep,
  type EngineOptions,
  type InstanceView,
  type StartableProcess,
} from './engine.js';
export type { SignalOutcome } from './signals/signal-fanout.js';
export { mayStart, StartForbiddenError, type Starter } from './identity/starters.js';
export { systemClock, nowIso, type Clock } from './clock.js';
export {
  BpmnError,
  DEFAULT_LOCK_MS,
  MAX_LONG_POLL_MS,
  type JobHandler,
  type JobContext,
  type JobFetchFilter,
} from './step/jobs.js';
export { checkVariables, VARIABLE_LIMITS } from './variables.js';
export { activationOf } from './step/activation.js';
export { DEFAULT_FEEL_BUDGET_MS, installFeelBudget } from './step/feel-budget.js';
export type { EngineNotification, EffectHandler, EffectHandlers, StepRun, StepScope } from './step/effect-executor.js';
export type { StepExtension } from './step/extension.js';
export {
  DeploymentInvalidError,
  type DeployedDefinition,
  type DeploymentFile,
  type DeploymentMeta,
  type DeploymentOutcome,
} from './definitions.js';
export { DeploymentService, type DeploymentView } from './deployments.js';
export { TaskComments, type TaskComment } from './task-comments.js';
export * from './errors.js';
export * from './decision-errors.js';
export { isDecisionFile, type DecisionRef, type DeployedDecision, type LoadedDecision } from './decisions.js';
export { SlaService, attachSla, type SlaServiceOptions } from './sla/sla-service.js';
export { formatBusinessMs, type SlaView, type SlaReport, type SlaReportGroup } from './sla/sla-queries.js';
export type { StoredCalendar } from './calendar/calendar-book.js';
export {
  addBusinessTime,
  addBusinessMs,
  businessTimeBetween,
  businessDurationMs,
  workingDayMs,
  holidayDataMissing,
  WEEKDAYS,
  type BusinessCalendar,
  type Weekday,
} from './calendar/business-calendar.js';
export { validateCalendar } from './calendar/calendar-validation.js';
export * from './sla/sla-errors.js';
export {
  UserService,
  sessionVersion,
  ROLES,
  type Role,
  type UserView,
  type NewUser,
  type UserChange,
} from './identity/users.js';
export { TokenService, sessionSecret, API_TOKEN_PREFIX, type TokenView } from './identity/api-tokens.js';
export { seedUsers, DEMO_PASSWORD, type SeedOptions } from './identity/user-seed.js';
export {
  inAllSeeingGroup,
  NEUTRAL_IDENTITY,
  type DemoUser,
  type GroupSeed,
  type IdentityConfig,
} from './identity/identity-config.js';
export { ConfigError, NEUTRAL_CONFIG, readEngineConfig, type EngineConfig } from './engine-config.js';
export { CONFIG_ENV, DEFAULT_CONFIG_PATH, configPathOf, loadEngineConfig } from './config-file.js';
export { hashPassword, verifyPassword } from './identity/passwords.js';
export {
  caseReferences,
  memberOfGroups,
  validateFormData,
  type FormSchema,
  type FormComponent,
  type FormValidationOptions,
} from './forms/form-validation.js';
export * from './identity/user-errors.js';
export {
  findDuplicates,
  textSimilarity,
  normaliseText,
  type DuplicateMatch,
  type DuplicateOptions,
} from './duplicates.js';
export { inboxOf, markInboxRead, INBOX_SIZE, type InboxItem, type InboxOwner } from './notify/inbox.js';
export { registerBuiltinHandlers, BUILTIN_JOB_TYPES } from './step/builtin-handlers.js';
export * from './notify/index.js';
export {
  canSeeInstance,
  checkInstanceVisible,
  notificationFilter,
  canSeeTask,
  checkAssignee,
  checkTaskAction,
  holdsRole,
  visibilityOf,
  type Principal,
  type TaskAction,
} from './identity/access.js';
export {
  runIdempotent,
  IdempotencyKeyReusedError,
  IdempotencyInProgressError,
  IDEMPOTENCY_LEASE_MS,
  IDEMPOTENCY_TTL_MS,
  type IdempotentFinish,
  type IdempotentRequest,
  type IdempotentAnswer,
} from './step/idempotency.js';
export { isDatabaseUnavailable } from '../store/index.js';
export {
  checkFormData,
  FORM_KEY,
  isFormFile,
  noForms,
  storedForms,
  type DeployedForm,
  type FormsPort,
  type FormOwner,
} from './forms/index.js';
export {
  ReportService,
  nextRunAfter,
  type NewReportSchedule,
  type ReportServiceOptions,
} from './insight/report-service.js';
export {
  REPORT_KINDS,
  REPORT_PERIODS,
  buildReport,
  reportPeriodOf,
  type ReportKind,
  type ReportLang,
  type ReportModel,
  type ReportPeriod,
} from './insight/reports.js';
export { REPORT_FORMATS, renderReport, type ReportFormat } from './insight/report-render.js';
export {
  calendarGaps,
  missingYears,
  yearsNeeded,
  COVERAGE_LEAD_DAYS,
  type CalendarGap,
} from './calendar/calendar-coverage.js';
export { EmergencyService, RISK_CATEGORIES } from './insight/emergency-service.js';
export {
  InsightService,
  attachInsight,
  DEFAULT_VOLUME_SERIES,
  type InsightOptions,
  type KpiQuery,
  type KpiReport,
  type KpiGroupBy,
} from './insight/insight-service.js';
export type { KpiSet, Rate } from './insight/kpi-report.js';
export { thisWeek, bucketsOf } from './insight/periods.js';
export { KriService, KRI_ALERT_MESSAGE, type NewKri, type ReadingResult } from './insight/kri-service.js';
export { levelOf, actionOf } from './insight/kri.js';
export * from './insight/insight-errors.js';
export {
  ImprovementService,
  mayMove,
  type NewImprovement,
  type ImprovementMove,
} from './insight/improvement-service.js';
export { riskCsv, type RiskEntry, type RiskFilter, type RiskStage } from './insight/risk-register.js';
export * from './cases/index.js';
