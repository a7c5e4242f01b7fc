/**
 * The decision IR: what engine/dmn reads out of a DMN document and evaluates. Plain JSON, so a
 * deployed decision can be cached and handed to a process machine like a compiled process.
 */

export type HitPolicy = 'UNIQUE' | 'FIRST' | 'PRIORITY' | 'ANY' | 'COLLECT' | 'RULE ORDER' | 'OUTPUT ORDER';
export type Aggregation = 'SUM' | 'MIN' | 'MAX' | 'COUNT';

/** One DMN document: its decisions (each evaluable by id) and input data. */
export interface DmnDocument {
  id: string;
  name: string | null;
  namespace: string | null;
  decisions: Record<string, DecisionModel>;
  /** Decision ids in document order. */
  order: string[];
}

/** A type a value must have: a FEEL or Camunda 7 base type, possibly narrowed by allowed values. */
export interface TypeSpec {
  /** As written (`number`, `integer`, `tApprovalStatus`), for messages. */
  name: string;
  /** The base type it resolves to; null when anything goes (`Any`, a structure, an unknown name). */
  base: BaseType | null;
  /** FEEL unary tests the value must satisfy (an item definition's allowedValues), or null. */
  allowedValues: string | null;
  isCollection: boolean;
}

export type BaseType =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'date'
  | 'time'
  | 'dateTime'
  | 'dayTimeDuration'
  | 'yearMonthDuration'
  | 'context';

export interface DecisionModel {
  id: string;
  name: string;
  /** The name the decision's result is bound to in decisions that require it (its variable, else its name). */
  variable: string;
  typeRef: TypeSpec | null;
  /** Camunda 7 `camunda:versionTag`. */
  versionTag: string | null;
  /** Ids of the decisions this one requires, in document order. */
  requiredDecisions: string[];
  logic: DecisionTableModel | LiteralExpressionModel;
}

export interface LiteralExpressionModel {
  kind: 'literal';
  id: string;
  expression: string;
}

export interface DecisionTableModel {
  kind: 'table';
  id: string;
  hitPolicy: HitPolicy;
  aggregation: Aggregation | null;
  inputs: TableInput[];
  outputs: TableOutput[];
  rules: TableRule[];
}

export interface TableInput {
  id: string;
  label: string | null;
  expression: string;
  typeRef: TypeSpec | null;
  /** Camunda 7 `camunda:inputVariable` (default `cellInput`): the input value's name in input entries. */
  inputVariable: string;
  /** FEEL unary tests on the input value (`inputValues`), or null. */
  inputValues: string | null;
}

export interface TableOutput {
  id: string;
  /** The key of this output in a rule's result: the output name, else the decision's variable for a single output. */
  name: string;
  typeRef: TypeSpec | null;
  /** The output values in priority order (`outputValues`, FEEL literals), or null. */
  priorities: unknown[] | null;
  /** FEEL of `defaultOutputEntry`, or null. */
  defaultEntry: string | null;
}

export interface TableRule {
  id: string;
  /** FEEL unary tests, one per input (`-` matches anything). */
  inputEntries: string[];
  /** FEEL expressions, one per output ('' yields null). */
  outputEntries: string[];
}
