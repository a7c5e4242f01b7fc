/** Writes small DMN 1.3 documents for tests, the way Camunda Modeler would. */

export interface TableSpec {
  id: string;
  name?: string;
  hitPolicy?: string;
  aggregation?: string;
  inputs: Array<{ expression: string; typeRef?: string; label?: string; inputVariable?: string }>;
  outputs: Array<{ name: string; typeRef?: string; values?: string; defaultEntry?: string }>;
  /** [input entries..., output entries...] per rule. */
  rules: string[][];
  requires?: string[];
}

export interface LiteralSpec {
  id: string;
  name?: string;
  expression: string;
  variable?: string;
  typeRef?: string;
  requires?: string[];
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A DMN document holding the given decisions. */
export function dmn(decisions: Array<TableSpec | LiteralSpec>, id = 'Definitions_1'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" xmlns:camunda="http://camunda.org/schema/1.0/dmn" id="${id}" name="Test" namespace="http://camunda.org/schema/1.0/dmn">
${decisions.map(decision).join('\n')}
</definitions>`;
}

/** One decision table document. */
export function table(spec: TableSpec): string {
  return dmn([spec]);
}

function decision(spec: TableSpec | LiteralSpec): string {
  const requires = (spec.requires ?? [])
    .map(
      (r, i) =>
        `<informationRequirement id="${spec.id}_req${i}"><requiredDecision href="#${r}" /></informationRequirement>`,
    )
    .join('');
  if ('expression' in spec) {
    return `<decision id="${spec.id}" name="${spec.name ?? spec.id}">${requires}<variable name="${spec.variable ?? spec.name ?? spec.id}"${spec.typeRef ? ` typeRef="${spec.typeRef}"` : ''} /><literalExpression id="${spec.id}_lit"><text>${esc(spec.expression)}</text></literalExpression></decision>`;
  }
  const inputs = spec.inputs
    .map(
      (input, i) =>
        `<input id="${spec.id}_in${i}"${input.label ? ` label="${input.label}"` : ''}${input.inputVariable ? ` camunda:inputVariable="${input.inputVariable}"` : ''}><inputExpression id="${spec.id}_ie${i}"${input.typeRef ? ` typeRef="${input.typeRef}"` : ''}><text>${esc(input.expression)}</text></inputExpression></input>`,
    )
    .join('');
  const outputs = spec.outputs
    .map(
      (o, i) =>
        `<output id="${spec.id}_out${i}" name="${o.name}"${o.typeRef ? ` typeRef="${o.typeRef}"` : ''}>${o.values ? `<outputValues><text>${esc(o.values)}</text></outputValues>` : ''}${o.defaultEntry ? `<defaultOutputEntry><text>${esc(o.defaultEntry)}</text></defaultOutputEntry>` : ''}</output>`,
    )
    .join('');
  const rules = spec.rules
    .map((cells, r) => {
      const ins = cells
        .slice(0, spec.inputs.length)
        .map((c, i) => `<inputEntry id="${spec.id}_r${r + 1}_i${i}"><text>${esc(c)}</text></inputEntry>`)
        .join('');
      const outs = cells
        .slice(spec.inputs.length)
        .map((c, i) => `<outputEntry id="${spec.id}_r${r + 1}_o${i}"><text>${esc(c)}</text></outputEntry>`)
        .join('');
      return `<rule id="${spec.id}_r${r + 1}">${ins}${outs}</rule>`;
    })
    .join('');
  const policy = spec.hitPolicy ? ` hitPolicy="${spec.hitPolicy}"` : '';
  const aggregation = spec.aggregation ? ` aggregation="${spec.aggregation}"` : '';
  return `<decision id="${spec.id}" name="${spec.name ?? spec.id}">${requires}<decisionTable id="${spec.id}_table"${policy}${aggregation}>${inputs}${outputs}${rules}</decisionTable></decision>`;
}
