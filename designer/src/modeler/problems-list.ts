/** The list under the canvas: checker (bpmnlint) and engine problems, each linked to its element. */
import type BpmnModeler from 'bpmn-js/lib/Modeler';
import { t } from '../i18n';
import { h, replace } from '../shared/dom';
import type { BpmnElement } from './bpmn-types';
import type { LintIssue, LintResults } from './lint/lint-types';

export interface ListedProblem {
  source: 'lint' | 'engine';
  severity: 'error' | 'warn';
  elementId: string | null;
  message: string;
  code: string;
}

/** Flattens bpmnlint results (by rule) into listed problems. */
export function fromLint(results: LintResults): ListedProblem[] {
  return Object.entries(results).flatMap(([rule, issues]) =>
    issues.map((issue) => ({
      source: 'lint' as const,
      severity: issue.category === 'warn' || issue.category === 'info' ? ('warn' as const) : ('error' as const),
      elementId: issue.id ?? null,
      message: issue.message,
      code: rule,
    })),
  );
}

/** Flattens the per-element issues of bpmn-js-bpmnlint's `linting.completed` event. */
export function fromLintEvent(
  issues: Record<string, Array<LintIssue & { rule: string; isChildIssue?: boolean }>>,
): ListedProblem[] {
  return Object.values(issues)
    .flat()
    .filter((issue) => !issue.isChildIssue)
    .map((issue) => ({
      source: 'lint' as const,
      severity: issue.category === 'warn' || issue.category === 'info' ? ('warn' as const) : ('error' as const),
      elementId: issue.id ?? null,
      message: issue.message,
      code: issue.rule,
    }));
}

/** Keeps the checker's findings (live, as the diagram changes) and the last deploy's engine problems. */
export class ProblemsList {
  readonly element = h('section', {
    class: 'problems',
    'aria-label': t('designer.problems'),
    'data-testid': 'problems',
  });
  private lint: ListedProblem[] = [];
  private engine: ListedProblem[] = [];

  constructor(private readonly modeler: BpmnModeler) {
    modeler.on('linting.completed', (event: { issues: Parameters<typeof fromLintEvent>[0] }) =>
      this.setLint(fromLintEvent(event.issues)),
    );
    modeler.on('import.done', () => this.setEngine([]));
    this.render();
  }

  setLint(problems: ListedProblem[]): void {
    this.lint = problems;
    this.render();
  }

  setEngine(problems: ListedProblem[]): void {
    this.engine = problems;
    this.render();
  }

  // helpers

  /** Engine problems first, then errors before warnings. */
  private render(): void {
    const problems = [...this.engine, ...this.lint];
    const sorted = [...problems].sort((a, b) => rank(a) - rank(b));
    const errors = problems.filter((p) => p.severity === 'error').length;
    const heading = h(
      'h2',
      { class: 'problems-heading' },
      problems.length === 0
        ? t('designer.noProblems')
        : t('designer.problemCount', { errors, warnings: problems.length - errors }),
    );
    replace(
      this.element,
      heading,
      sorted.length > 0
        ? h(
            'ul',
            { class: 'problem-items' },
            sorted.map((p) => this.item(p)),
          )
        : null,
    );
  }

  private item(problem: ListedProblem): HTMLElement {
    const label = problem.elementId ? this.elementLabel(problem.elementId) : t('designer.wholeModel');
    return h(
      'li',
      {
        class: `problem problem-${problem.severity}`,
        'data-source': problem.source,
        'data-element-id': problem.elementId ?? '',
      },
      h(
        'span',
        { class: 'problem-severity' },
        problem.severity === 'error' ? t('designer.error') : t('designer.warning'),
      ),
      h(
        'span',
        { class: 'problem-source' },
        problem.source === 'engine' ? t('designer.sourceEngine') : t('designer.sourceLint'),
      ),
      problem.elementId
        ? h('button', { type: 'button', class: 'link-button', onclick: () => this.reveal(problem.elementId!) }, label)
        : h('span', {}, label),
      h(
        'span',
        { class: 'problem-message' },
        problem.source === 'lint'
          ? this.modeler.get<(text: string) => string>('translate')(problem.message)
          : problem.message,
      ),
    );
  }

  private elementLabel(id: string): string {
    const element = this.modeler.get<{ get(id: string): BpmnElement | undefined }>('elementRegistry').get(id);
    const name = element?.businessObject.name;
    return name ? `${name} (${id})` : id;
  }

  private reveal(id: string): void {
    const element = this.modeler.get<{ get(id: string): BpmnElement | undefined }>('elementRegistry').get(id);
    if (!element) return;
    this.modeler.get<{ scrollToElement(e: BpmnElement): void }>('canvas').scrollToElement(element);
    this.modeler.get<{ select(e: BpmnElement): void }>('selection').select(element);
  }
}

function rank(problem: ListedProblem): number {
  return (problem.source === 'engine' ? 0 : 2) + (problem.severity === 'error' ? 0 : 1);
}
