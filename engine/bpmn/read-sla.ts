/** Reads `svc:sla` declarations from extension elements into SlaDeclarations. */
import type { ModdleElement } from 'bpmn-moddle';
import { attr, extensionsOf, report, type ReadContext } from './moddle/access.js';
import type { BusinessKeyDeclaration, SlaDeclaration } from './model.js';

const SLA_HOLDERS = new Set(['bpmn:UserTask', 'bpmn:SubProcess', 'bpmn:Process']);

/** ISO 8601 duration, e.g. P2D, PT4H30M, P1W; at least one component. */
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

/** The SLA declared on a user task, sub-process or process; null when none or when it is invalid (then reported). */
export function readSla(element: ModdleElement, ctx: ReadContext): SlaDeclaration | null {
  const declarations = extensionsOf(element, 'svc:Sla');
  if (declarations.length === 0) return null;
  if (!SLA_HOLDERS.has(element.$type)) {
    report(
      ctx,
      'SLA_INVALID',
      element,
      'has an svc:sla, but SLAs can only be declared on user tasks, sub-processes and processes; move it there',
    );
    return null;
  }
  if (declarations.length > 1) {
    report(ctx, 'SLA_INVALID', element, `has ${declarations.length} svc:sla declarations; keep exactly one`);
    return null;
  }
  return toDeclaration(declarations[0], element, ctx);
}

// helpers

function toDeclaration(sla: ModdleElement, holder: ModdleElement, ctx: ReadContext): SlaDeclaration | null {
  const target = readTarget(sla, holder, ctx);
  const warnAt = readWarnAt(sla, holder, ctx);
  if (target === null || warnAt === null) return null;
  return {
    target,
    warnAt,
    calendar: attr(sla, 'calendar'),
    pauseWhile: (attr(sla, 'pauseWhile') ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
    warningCode: attr(sla, 'warningCode') ?? 'sla-warning',
    breachCode: attr(sla, 'breachCode') ?? 'sla-breach',
  };
}

function readTarget(sla: ModdleElement, holder: ModdleElement, ctx: ReadContext): string | null {
  const target = attr(sla, 'target');
  if (target === null) {
    report(
      ctx,
      'SLA_INVALID',
      holder,
      'has an svc:sla without a target; set target to an ISO 8601 duration (e.g. P2D) or a FEEL expression',
    );
    return null;
  }
  if (!target.startsWith('=') && !ISO_DURATION.test(target)) {
    report(
      ctx,
      'SLA_INVALID',
      holder,
      `has an svc:sla target "${target}" that is not an ISO 8601 duration; use e.g. PT4H or P2D, or a FEEL expression starting with '='`,
    );
    return null;
  }
  return target;
}

/** Warning thresholds: fractions strictly between 0 and 1, returned ascending without duplicates. */
function readWarnAt(sla: ModdleElement, holder: ModdleElement, ctx: ReadContext): number[] | null {
  const raw = attr(sla, 'warnAt');
  const parts = raw === null ? [] : raw.split(',').map((part) => part.trim());
  const invalid = parts.filter((part) => !isFraction(part));
  if (invalid.length > 0) {
    report(
      ctx,
      'SLA_INVALID',
      holder,
      `has an svc:sla warnAt "${raw}" with ${invalid.map((p) => `"${p}"`).join(', ')} not a fraction between 0 and 1; use e.g. "0.5,0.75"`,
    );
    return null;
  }
  return [...new Set(parts.map(Number))].sort((a, b) => a - b);
}

function isFraction(part: string): boolean {
  const value = Number(part);
  return part !== '' && Number.isFinite(value) && value > 0 && value < 1;
}

/** The business-key declaration of a process: `<svc:businessKey variable="complaintId" prefix="CMP" />`. */
export function readBusinessKey(process: ModdleElement, ctx: ReadContext): BusinessKeyDeclaration | null {
  const [declaration] = extensionsOf(process, 'svc:BusinessKey');
  if (!declaration) return null;
  const variable = attr(declaration, 'variable');
  const prefix = attr(declaration, 'prefix');
  const period = attr(declaration, 'period') ?? 'day';
  if (
    !variable ||
    !/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable) ||
    !prefix ||
    !/^[A-Z][A-Z0-9]{0,9}$/.test(prefix) ||
    (period !== 'day' && period !== 'year')
  ) {
    report(
      ctx,
      'UNSUPPORTED_ELEMENT',
      process,
      'has an svc:businessKey without a valid variable name, prefix (upper-case letters and digits, e.g. CMP) and period (day or year)',
    );
    return null;
  }
  return { variable, prefix, period };
}
