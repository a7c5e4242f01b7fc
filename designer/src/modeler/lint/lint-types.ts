/** The slice of moddle and bpmnlint that svcflow's own lint rules use. */

export interface LintNode {
  id: string;
  $type: string;
  $instanceOf(type: string): boolean;
  get(name: string): unknown;
  extensionElements?: { values?: LintNode[] };
}

export interface LintReporter {
  report(id: string, message: string): void;
}

export type RuleFactory = (config?: unknown) => { check(node: LintNode, reporter: LintReporter): void };

export interface LintIssue {
  id: string;
  message: string;
  category: 'error' | 'warn' | 'info' | 'rule-error';
}

/** What `linting.lint()` resolves with: issues by rule name. */
export type LintResults = Record<string, LintIssue[]>;
