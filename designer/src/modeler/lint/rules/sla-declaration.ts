/** bpmnlint rule: an svc:sla needs a target (ISO 8601 duration or FEEL) and warnAt fractions between 0 and 1. */
import type { LintNode, LintReporter } from '../lint-types';

const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;
const HOLDERS = ['bpmn:UserTask', 'bpmn:SubProcess', 'bpmn:Process'];

export default function slaDeclaration() {
  function check(node: LintNode, reporter: LintReporter): void {
    const slas = (node.extensionElements?.values ?? []).filter((value) => value.$instanceOf('svc:Sla'));
    if (slas.length === 0) return;
    if (!HOLDERS.some((type) => node.$instanceOf(type))) {
      reporter.report(node.id, 'SLA only allowed on user tasks, sub-processes and processes');
      return;
    }
    if (slas.length > 1) {
      reporter.report(node.id, 'Element has more than one SLA');
      return;
    }
    const { target, warnAt } = slas[0] as { target?: string; warnAt?: string };
    if (!target) reporter.report(node.id, 'SLA has no target');
    else if (!target.startsWith('=') && !ISO_DURATION.test(target))
      reporter.report(node.id, `SLA target "${target}" is not an ISO 8601 duration`);
    const invalid = (warnAt ?? '')
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '' && !isFraction(part));
    if (invalid.length > 0) reporter.report(node.id, `SLA warnAt "${warnAt}" must list fractions between 0 and 1`);
  }
  return { check };
}

// helpers

function isFraction(part: string): boolean {
  const value = Number(part);
  return Number.isFinite(value) && value > 0 && value < 1;
}
