/**
 * The bpmnlint configuration, packed for the browser the way bpmnlint-pack-config would: the
 * rules imported up front and a resolver that hands them out. bpmn-js-bpmnlint takes it as
 * `linting: { bpmnlint: packedConfig }`.
 */
import conditionalFlows from 'bpmnlint/rules/conditional-flows';
import endEventRequired from 'bpmnlint/rules/end-event-required';
import eventBasedGateway from 'bpmnlint/rules/event-based-gateway';
import fakeJoin from 'bpmnlint/rules/fake-join';
import labelRequired from 'bpmnlint/rules/label-required';
import noComplexGateway from 'bpmnlint/rules/no-complex-gateway';
import noDisconnected from 'bpmnlint/rules/no-disconnected';
import noDuplicateSequenceFlows from 'bpmnlint/rules/no-duplicate-sequence-flows';
import noImplicitEnd from 'bpmnlint/rules/no-implicit-end';
import noImplicitSplit from 'bpmnlint/rules/no-implicit-split';
import noImplicitStart from 'bpmnlint/rules/no-implicit-start';
import noOverlappingElements from 'bpmnlint/rules/no-overlapping-elements';
import singleBlankStartEvent from 'bpmnlint/rules/single-blank-start-event';
import singleEventDefinition from 'bpmnlint/rules/single-event-definition';
import startEventRequired from 'bpmnlint/rules/start-event-required';
import subProcessBlankStartEvent from 'bpmnlint/rules/sub-process-blank-start-event';
import superfluousGateway from 'bpmnlint/rules/superfluous-gateway';
import type { RuleFactory } from './lint-types';
import slaDeclaration from './rules/sla-declaration';
import userTaskAssignment from './rules/user-task-assignment';

type Category = 'error' | 'warn' | 'info' | 'off';

// bpmnlint's recommended set, less rules for shapes the engine runs (inclusive gateways), plus svcflow's own.
const RULES: Record<string, [RuleFactory, Category]> = {
  'bpmnlint/conditional-flows': [conditionalFlows, 'error'],
  'bpmnlint/end-event-required': [endEventRequired, 'error'],
  'bpmnlint/event-based-gateway': [eventBasedGateway, 'error'],
  'bpmnlint/fake-join': [fakeJoin, 'warn'],
  'bpmnlint/label-required': [labelRequired, 'warn'],
  'bpmnlint/no-complex-gateway': [noComplexGateway, 'error'],
  'bpmnlint/no-disconnected': [noDisconnected, 'error'],
  'bpmnlint/no-duplicate-sequence-flows': [noDuplicateSequenceFlows, 'error'],
  'bpmnlint/no-implicit-end': [noImplicitEnd, 'error'],
  'bpmnlint/no-implicit-split': [noImplicitSplit, 'warn'],
  'bpmnlint/no-implicit-start': [noImplicitStart, 'error'],
  'bpmnlint/no-overlapping-elements': [noOverlappingElements, 'warn'],
  'bpmnlint/single-blank-start-event': [singleBlankStartEvent, 'error'],
  'bpmnlint/single-event-definition': [singleEventDefinition, 'error'],
  'bpmnlint/start-event-required': [startEventRequired, 'error'],
  'bpmnlint/sub-process-blank-start-event': [subProcessBlankStartEvent, 'error'],
  'bpmnlint/superfluous-gateway': [superfluousGateway, 'warn'],
  'bpmnlint-plugin-svcflow/sla-declaration': [slaDeclaration, 'error'],
  'bpmnlint-plugin-svcflow/user-task-assignment': [userTaskAssignment, 'warn'],
};

const resolver = {
  resolveRule(pkg: string, ruleName: string): RuleFactory {
    const entry = RULES[`${pkg}/${ruleName}`];
    if (!entry) throw new Error(`cannot resolve rule <${pkg}/${ruleName}>`);
    return entry[0];
  },
  resolveConfig(pkg: string, configName: string): never {
    throw new Error(`cannot resolve config <${configName}> in <${pkg}>`);
  },
};

const config = {
  rules: Object.fromEntries(Object.entries(RULES).map(([name, [, category]]) => [ruleId(name), category])),
};

/** `{ config, resolver }` as bpmn-js-bpmnlint expects it. */
export const packedLintConfig = { config, resolver };

// helpers

// Rule ids as configs spell them: `label-required` for bpmnlint's own, `svcflow/sla-declaration` for plugins.
function ruleId(name: string): string {
  return name.replace(/^bpmnlint\//, '').replace(/^bpmnlint-plugin-/, '');
}
