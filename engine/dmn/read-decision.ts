/**
 * One `<decision>` → DecisionModel: its logic (a decision table or a literal expression), its required
 * decisions and its types, with a problem for everything that does not parse or that svcflow does not
 * run yet (other boxed expressions, business knowledge models, non-FEEL expression languages).
 */
import type { DmnElement } from 'dmn-moddle';
import { checkFeel, checkUnaryTests, evaluateFeel } from '../expr/index.js';
import type {
  Aggregation,
  DecisionModel,
  DecisionTableModel,
  HitPolicy,
  TableInput,
  TableOutput,
  TableRule,
} from './model.js';
import { type DmnProblem, describeDmn, dmnProblem } from './problems.js';
import { resolveType } from './types.js';

const HIT_POLICIES: HitPolicy[] = ['UNIQUE', 'FIRST', 'PRIORITY', 'ANY', 'COLLECT', 'RULE ORDER', 'OUTPUT ORDER'];
const AGGREGATIONS: Aggregation[] = ['SUM', 'MIN', 'MAX', 'COUNT'];
const FEEL_LANGUAGES =
  /^(feel|juel|https?:\/\/www\.omg\.org\/spec\/FEEL\/\d+|https:\/\/www\.omg\.org\/spec\/DMN\/\d+\/FEEL\/)$/i;

type Items = Record<string, DmnElement>;

/** Reads one decision, appending its problems; null when its logic cannot be run. */
export function readDecision(element: DmnElement, items: Items, problems: DmnProblem[]): DecisionModel | null {
  const id = element.id ?? '';
  const name = element.name ?? id;
  if (element.knowledgeRequirement?.length) {
    problems.push(
      dmnProblem(
        'UNSUPPORTED_ELEMENT',
        id,
        'dmn:Decision',
        `${describeDmn('dmn:Decision', id)} invokes a business knowledge model; svcflow does not run business knowledge models yet`,
      ),
    );
  }
  const logic = element.decisionLogic as DmnElement | undefined;
  const before = problems.length;
  const model =
    logic?.$type === 'dmn:DecisionTable'
      ? readTable(logic, name, element, items, problems)
      : logic?.$type === 'dmn:LiteralExpression'
        ? readLiteral(logic, id, problems)
        : null;
  if (!logic)
    problems.push(
      dmnProblem(
        'DECISION_INVALID',
        id,
        'dmn:Decision',
        `${describeDmn('dmn:Decision', id)} has no decision logic; add a decision table or a literal expression`,
      ),
    );
  else if (!model && problems.length === before) {
    problems.push(
      dmnProblem(
        'UNSUPPORTED_ELEMENT',
        logic.id ?? id,
        logic.$type,
        `${describeDmn('dmn:Decision', id)} is a ${describeDmn(logic.$type, null)}; svcflow does not run ${describeDmn(logic.$type, null)} decisions yet (use a decision table or a literal expression)`,
      ),
    );
  }
  if (!model) return null;
  const variable = element.variable?.name ?? name;
  return {
    id,
    name,
    variable,
    typeRef: resolveType(
      element.variable?.typeRef ?? (logic?.$type === 'dmn:LiteralExpression' ? logic.typeRef : null),
      items,
    ),
    versionTag: extensionAttr(element, 'versionTag'),
    requiredDecisions: (element.informationRequirement ?? []).flatMap((r: DmnElement) =>
      r.requiredDecision?.href ? [String(r.requiredDecision.href).replace(/^.*#/, '')] : [],
    ),
    logic: model,
  };
}

// helpers

function readLiteral(logic: DmnElement, decisionId: string, problems: DmnProblem[]): DecisionModel['logic'] | null {
  const id = logic.id ?? decisionId;
  if (logic.importedValues) {
    problems.push(
      dmnProblem(
        'UNSUPPORTED_ELEMENT',
        id,
        'dmn:LiteralExpression',
        `${describeDmn('dmn:LiteralExpression', id)} uses imported values; svcflow does not run them yet`,
      ),
    );
    return null;
  }
  const expression = expressionOf(logic, id, 'dmn:LiteralExpression', 'the literal expression', problems, false);
  return expression === null ? null : { kind: 'literal', id, expression };
}

function readTable(
  table: DmnElement,
  decisionName: string,
  decision: DmnElement,
  items: Items,
  problems: DmnProblem[],
): DecisionTableModel | null {
  const id = table.id ?? decision.id ?? '';
  const before = problems.length;
  const hitPolicy = (table.hitPolicy ?? 'UNIQUE') as HitPolicy;
  const aggregation = (table.aggregation ?? null) as Aggregation | null;
  if (!HIT_POLICIES.includes(hitPolicy)) {
    problems.push(
      dmnProblem(
        'DECISION_INVALID',
        id,
        'dmn:DecisionTable',
        `${describeDmn('dmn:DecisionTable', id)} has the hit policy '${table.hitPolicy}', which svcflow does not run; use one of ${HIT_POLICIES.join(', ')}`,
      ),
    );
  }
  if (aggregation !== null && !AGGREGATIONS.includes(aggregation)) {
    problems.push(
      dmnProblem(
        'DECISION_INVALID',
        id,
        'dmn:DecisionTable',
        `${describeDmn('dmn:DecisionTable', id)} has the aggregation '${aggregation}'; use SUM, MIN, MAX or COUNT`,
      ),
    );
  } else if (aggregation !== null && hitPolicy !== 'COLLECT') {
    problems.push(
      dmnProblem(
        'DECISION_INVALID',
        id,
        'dmn:DecisionTable',
        `${describeDmn('dmn:DecisionTable', id)} aggregates with ${aggregation} but its hit policy is ${hitPolicy}; aggregation needs COLLECT`,
      ),
    );
  }
  const inputs = (table.input ?? []).map((input: DmnElement) => readInput(input, items, problems));
  const outputs = (table.output ?? []).map((output: DmnElement, _i: number, all: DmnElement[]) =>
    readOutput(output, all.length, decision, decisionName, items, problems),
  );
  if (outputs.length === 0)
    problems.push(
      dmnProblem(
        'DECISION_INVALID',
        id,
        'dmn:DecisionTable',
        `${describeDmn('dmn:DecisionTable', id)} has no output column; add one`,
      ),
    );
  if (aggregation && outputs.length > 1) {
    problems.push(
      dmnProblem(
        'DECISION_INVALID',
        id,
        'dmn:DecisionTable',
        `${describeDmn('dmn:DecisionTable', id)} aggregates with ${aggregation} over ${outputs.length} outputs; an aggregation needs exactly one output`,
      ),
    );
  }
  if ((hitPolicy === 'PRIORITY' || hitPolicy === 'OUTPUT ORDER') && outputs.every((o: TableOutput) => !o.priorities)) {
    problems.push(
      dmnProblem(
        'DECISION_INVALID',
        id,
        'dmn:DecisionTable',
        `${describeDmn('dmn:DecisionTable', id)} has the hit policy ${hitPolicy}, which orders by output values, but no output lists its output values; list them in priority order`,
      ),
    );
  }
  const rules = (table.rule ?? []).map((rule: DmnElement) => readRule(rule, inputs.length, outputs.length, problems));
  if (problems.length > before) return null;
  return { kind: 'table', id, hitPolicy, aggregation, inputs, outputs, rules };
}

function readInput(input: DmnElement, items: Items, problems: DmnProblem[]): TableInput {
  const id = input.id ?? '';
  const expr = input.inputExpression as DmnElement | undefined;
  const expression = expr ? expressionOf(expr, id, 'dmn:InputClause', 'the input expression', problems, false) : null;
  if (!expr)
    problems.push(
      dmnProblem(
        'DECISION_INVALID',
        id,
        'dmn:InputClause',
        `${describeDmn('dmn:InputClause', id)} has no input expression; name the variable or write the FEEL expression the column tests`,
      ),
    );
  const inputValues = unaryTestsOf(input.inputValues, id, 'dmn:InputClause', 'its input values', problems);
  return {
    id,
    label: input.label ?? null,
    expression: expression ?? 'null',
    typeRef: resolveType(expr?.typeRef, items),
    inputVariable: extensionAttr(input, 'inputVariable') ?? 'cellInput',
    inputValues,
  };
}

function readOutput(
  output: DmnElement,
  count: number,
  decision: DmnElement,
  decisionName: string,
  items: Items,
  problems: DmnProblem[],
): TableOutput {
  const id = output.id ?? '';
  if (!output.name && count > 1) {
    problems.push(
      dmnProblem(
        'DECISION_INVALID',
        id,
        'dmn:OutputClause',
        `${describeDmn('dmn:OutputClause', id)} has no name; a table with several outputs needs a name for each`,
      ),
    );
  }
  const typeRef = resolveType(output.typeRef, items);
  const listed = output.outputValues?.text ?? (output.typeRef ? items[output.typeRef]?.allowedValues?.text : undefined);
  const defaultEntry = output.defaultOutputEntry
    ? expressionOf(output.defaultOutputEntry, id, 'dmn:OutputClause', 'the default output entry', problems, true)
    : null;
  return {
    id,
    name: output.name ?? decision.variable?.name ?? decisionName,
    typeRef,
    priorities: listed ? priorityList(listed, id, problems) : null,
    defaultEntry: defaultEntry || null,
  };
}

function readRule(rule: DmnElement, inputCount: number, outputCount: number, problems: DmnProblem[]): TableRule {
  const id = rule.id ?? '';
  const inputEntries = (rule.inputEntry ?? []).map((entry: DmnElement) => {
    checkLanguage(entry, id, 'dmn:DecisionRule', problems);
    const text = String(entry.text ?? '').trim();
    if (text === '' || text === '-') return '-';
    const error = checkUnaryTests(text);
    if (error)
      problems.push(
        dmnProblem(
          'FEEL_SYNTAX',
          entry.id ?? id,
          'dmn:UnaryTests',
          `input entry of ${describeDmn('dmn:DecisionRule', id)} is not valid FEEL unary tests: "${text}" (${error})`,
        ),
      );
    return text;
  });
  const outputEntries = (rule.outputEntry ?? []).map(
    (entry: DmnElement) =>
      expressionOf(
        entry,
        entry.id ?? id,
        'dmn:LiteralExpression',
        `output entry of ${describeDmn('dmn:DecisionRule', id)}`,
        problems,
        true,
      ) ?? 'null',
  );
  if (inputEntries.length !== inputCount || outputEntries.length !== outputCount) {
    problems.push(
      dmnProblem(
        'DECISION_INVALID',
        id,
        'dmn:DecisionRule',
        `${describeDmn('dmn:DecisionRule', id)} has ${inputEntries.length} input and ${outputEntries.length} output entries, but the table has ${inputCount} inputs and ${outputCount} outputs`,
      ),
    );
  }
  return { id, inputEntries, outputEntries };
}

/** The FEEL text of an expression element, checked; '' when empty and allowed. */
function expressionOf(
  element: DmnElement,
  id: string,
  type: string,
  what: string,
  problems: DmnProblem[],
  emptyAllowed: boolean,
): string | null {
  if (!checkLanguage(element, id, type, problems)) return null;
  const text = String(element.text ?? '').trim();
  if (text === '') {
    if (emptyAllowed) return '';
    problems.push(
      dmnProblem('DECISION_INVALID', id, type, `${what} of ${describeDmn(type, id)} is empty; write a FEEL expression`),
    );
    return null;
  }
  const error = checkFeel(text);
  if (error) {
    problems.push(
      dmnProblem(
        'FEEL_SYNTAX',
        id,
        type,
        `${what} of ${describeDmn(type, id)} is not valid FEEL: "${text}" (${error})`,
      ),
    );
    return null;
  }
  return text;
}

function unaryTestsOf(
  element: DmnElement | undefined,
  id: string,
  type: string,
  what: string,
  problems: DmnProblem[],
): string | null {
  const text = String(element?.text ?? '').trim();
  if (text === '') return null;
  const error = checkUnaryTests(text);
  if (error)
    problems.push(
      dmnProblem(
        'FEEL_SYNTAX',
        id,
        type,
        `${what} of ${describeDmn(type, id)} are not valid FEEL unary tests: "${text}" (${error})`,
      ),
    );
  return error ? null : text;
}

function checkLanguage(element: DmnElement, id: string, type: string, problems: DmnProblem[]): boolean {
  const language = element.expressionLanguage as string | undefined;
  if (!language || FEEL_LANGUAGES.test(language)) return true;
  problems.push(
    dmnProblem(
      'UNSUPPORTED_ELEMENT',
      element.id ?? id,
      type,
      `${describeDmn(type, element.id ?? id)} is written in '${language}'; svcflow does not run ${language} expressions yet (write FEEL)`,
    ),
  );
  return false;
}

/** `"high", "medium", "low"` → ['high', 'medium', 'low']: output values as literals, highest priority first. */
function priorityList(text: string, id: string, problems: DmnProblem[]): unknown[] | null {
  const { value, error } = evaluateFeel(`[${text}]`, {});
  if (error || !Array.isArray(value) || value.some((v) => v === null)) {
    if (!checkUnaryTests(text)) return null; // ranges or tests: a constraint, not a priority list
    problems.push(
      dmnProblem(
        'FEEL_SYNTAX',
        id,
        'dmn:OutputClause',
        `output values of ${describeDmn('dmn:OutputClause', id)} are not a list of FEEL values: "${text}"`,
      ),
    );
    return null;
  }
  return value;
}

/** A Camunda or other vendor attribute by local name (`camunda:versionTag`), or null. */
function extensionAttr(element: DmnElement, name: string): string | null {
  for (const [key, value] of Object.entries(element.$attrs ?? {})) if (key.replace(/^.*:/, '') === name) return value;
  return null;
}
