/**
 * Reads DMN XML with dmn-moddle into a DmnDocument, collecting every problem: unreadable XML, duplicate
 * ids, unknown elements, FEEL that does not parse, unknown hit policies, broken requirements, and what
 * svcflow does not run yet. DMN 1.1, 1.2, 1.4 and 1.5 documents are read as DMN 1.3 (dmn-moddle's
 * version) by namespace: the elements svcflow runs are the same in all of them.
 */
import { DmnModdle, type DmnElement, type DmnWarning } from 'dmn-moddle';
import type { DecisionModel, DmnDocument } from './model.js';
import { type DmnProblem, dmnProblem } from './problems.js';
import { readDecision } from './read-decision.js';
import { checkRequirements } from './requirements.js';

export interface DmnReadResult {
  /** null when the XML could not be read or holds no decision. */
  document: DmnDocument | null;
  problems: DmnProblem[];
}

const MAX_CHARS = 2 * 1024 * 1024;
const DMN13 = 'https://www.omg.org/spec/DMN/20191111/MODEL/';
const DMNDI13 = 'https://www.omg.org/spec/DMN/20191111/DMNDI/';
const OTHER_VERSIONS: Array<[RegExp, string]> = [
  [
    /https?:\/\/www\.omg\.org\/spec\/DMN\/(20151101\/dmn\.xsd|20180521\/MODEL\/|20211108\/MODEL\/|20230324\/MODEL\/)/g,
    DMN13,
  ],
  [/https?:\/\/www\.omg\.org\/spec\/DMN\/(20180521|20211108|20230324)\/DMNDI\//g, DMNDI13],
];

let sharedModdle: DmnModdle | null = null;

/** True when the text looks like a DMN document (a `definitions` root in a DMN namespace). */
export function isDmn(xml: string): boolean {
  return /<(\w+:)?definitions\b[^>]*\bxmlns(:\w+)?="https?:\/\/www\.omg\.org\/spec\/DMN\//.test(xml.slice(0, 4000));
}

/** Reads DMN XML into its decisions; never throws, reports every problem it meets. */
export async function readDmn(xml: string): Promise<DmnReadResult> {
  if (typeof xml !== 'string') return refuse('XML_MALFORMED', 'the document is not text; pass the DMN XML as a string');
  if (xml.length > MAX_CHARS) return refuse('XML_TOO_LARGE', `the document is longer than ${MAX_CHARS} characters`);
  if (/<!DOCTYPE|<!ENTITY/i.test(xml))
    return refuse('XML_MALFORMED', 'the document declares a DOCTYPE or entities, which are not accepted');
  if (!isDmn(xml))
    return refuse(
      'XML_MALFORMED',
      `the document is not DMN: its root must be <definitions> in the DMN 1.3 namespace ${DMN13}`,
    );
  try {
    const text = OTHER_VERSIONS.reduce((t, [from, to]) => t.replace(from, to), xml);
    sharedModdle ??= new DmnModdle();
    const parsed = await sharedModdle.fromXML(text, 'dmn:Definitions');
    const problems = parsed.warnings.flatMap(warningProblem);
    return buildDocument(parsed.rootElement, problems);
  } catch (error) {
    return refuse(
      'XML_MALFORMED',
      `the document could not be read as DMN (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); export it again from the modeler`,
    );
  }
}

// helpers

function buildDocument(definitions: DmnElement, problems: DmnProblem[]): DmnReadResult {
  if (definitions.import?.length)
    problems.push(
      dmnProblem(
        'UNSUPPORTED_ELEMENT',
        definitions.id ?? null,
        'dmn:Definitions',
        'the document imports other models; svcflow does not run DMN imports yet',
      ),
    );
  const items: Record<string, DmnElement> = {};
  for (const item of definitions.itemDefinition ?? []) if (item.name) items[item.name] = item;
  const decisions: Record<string, DecisionModel> = {};
  const order: string[] = [];
  for (const element of definitions.drgElement ?? []) {
    if (element.$type !== 'dmn:Decision') continue;
    const decision = readDecision(element, items, problems);
    if (decision) {
      decisions[decision.id] = decision;
      order.push(decision.id);
    }
  }
  if ((definitions.drgElement ?? []).every((e: DmnElement) => e.$type !== 'dmn:Decision')) {
    problems.push(
      dmnProblem(
        'NO_DECISION',
        definitions.id ?? null,
        'dmn:Definitions',
        'the document contains no decision; add a decision table or literal expression and save again',
      ),
    );
  }
  problems.push(...checkRequirements(decisions));
  if (problems.length > 0) return { document: null, problems };
  return {
    document: {
      id: definitions.id ?? '',
      name: definitions.name ?? null,
      namespace: definitions.namespace ?? null,
      decisions,
      order,
    },
    problems,
  };
}

function warningProblem(warning: DmnWarning): DmnProblem[] {
  const message = warning.message.split('\n');
  const nested = /nested error: (.*)$/.exec(warning.message)?.[1] ?? message[0];
  const duplicate = /duplicate ID <(.*)>/.exec(nested);
  if (duplicate)
    return [
      dmnProblem(
        'ID_INVALID',
        duplicate[1],
        null,
        `the id '${duplicate[1]}' is used by more than one element; ids must be unique in the document`,
      ),
    ];
  const illegal = /illegal ID <(.*)>/.exec(nested);
  if (illegal) return [dmnProblem('ID_INVALID', illegal[1], null, `the id '${illegal[1]}' is not a valid XML name`)];
  const unknown = /unrecognized element <([^>]+)>|unknown type <([^>]+)>/.exec(nested);
  // diagram interchange of a version dmn-moddle does not know carries no semantics
  if (unknown && /DMNDI|dmndi:/.test(unknown[1] ?? unknown[2])) return [];
  const where = /line: (\d+)/.exec(warning.message)?.[1];
  if (unknown)
    return [
      dmnProblem(
        'UNSUPPORTED_ELEMENT',
        warning.element?.id ?? null,
        warning.element?.$type ?? null,
        `the element <${unknown[1] ?? unknown[2]}>${where ? ` (line ${where})` : ''} is not DMN 1.3 that svcflow reads; svcflow does not run it yet`,
      ),
    ];
  if (/unresolved reference/.test(nested))
    return [dmnProblem('REFERENCE_MISSING', warning.element?.id ?? null, warning.element?.$type ?? null, nested)];
  return [
    dmnProblem(
      'XML_MALFORMED',
      warning.element?.id ?? null,
      warning.element?.$type ?? null,
      `${message[0]}${where ? ` (line ${where})` : ''}`,
    ),
  ];
}

function refuse(code: 'XML_MALFORMED' | 'XML_TOO_LARGE', message: string): DmnReadResult {
  return { document: null, problems: [dmnProblem(code, null, null, message)] };
}
