/** bpmnlint rule: a user task names who works on it (assignee, candidate users or candidate groups). */
import type { LintNode, LintReporter } from '../lint-types';

const ATTRIBUTES = ['camunda:assignee', 'camunda:candidateUsers', 'camunda:candidateGroups'];

export default function userTaskAssignment() {
  function check(node: LintNode, reporter: LintReporter): void {
    if (!node.$instanceOf('bpmn:UserTask')) return;
    const camunda = ATTRIBUTES.some((name) => !!node.get(name));
    const zeebe = (node.extensionElements?.values ?? []).some((value) =>
      value.$instanceOf('zeebe:AssignmentDefinition'),
    );
    if (!camunda && !zeebe)
      reporter.report(node.id, 'User task has no assignee or candidate groups; nobody will see it in the tasklist');
  }
  return { check };
}
