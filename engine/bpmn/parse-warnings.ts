/** Turns bpmn-moddle's errors and warnings into problems that name the element and the place. */
import type { ModdleElement, ModdleWarning } from 'bpmn-moddle';
import { describeElement } from './describe.js';
import type { Problem } from './problems.js';
import { lineStartsOf, scanTags } from './xml-scan.js';

/** References moddle could not resolve, by element and property ('sourceRef'), keeping the raw id. */
export type UnresolvedRefs = Map<ModdleElement, Map<string, string>>;

interface Located {
  tag: string;
  detail: string;
  line: number;
  column: number;
}

/** Extension prefixes whose unknown or misplaced elements change what runs, so they must not vanish silently. */
const EXECUTION_PREFIXES = new Set(['bpmn', 'camunda', 'zeebe', 'svc']);

/** A parse that ended in an error, after `refused` elements were skipped; `exhausted` when the skip budget ran out. */
export interface ParseFailure {
  error: unknown;
  refused: ModdleWarning[];
  exhausted: boolean;
}

/** Maps a failed parse to problems: the elements skipped on the way, then why reading stopped. */
export function mapParseFailure(failure: ParseFailure, xml: string): Problem[] {
  const message = failure.error instanceof Error ? failure.error.message : String(failure.error);
  if (message.startsWith('failed to parse document') || /nested error: unexpected element </.test(message)) {
    return [
      documentProblem(
        'XML_MALFORMED',
        'the document is not BPMN 2.0: its root element must be <bpmn:definitions> in the namespace http://www.omg.org/spec/BPMN/20100524/MODEL',
      ),
    ];
  }
  if (!failure.exhausted) {
    const { problems } = mapParseWarnings(failure.refused, xml);
    return [...problems, malformed(locate(message) ?? { tag: '', detail: message, line: 1, column: 1 })];
  }
  const { problems } = mapParseWarnings([...failure.refused, { message }], xml);
  const stop = `reading stopped after ${failure.refused.length + 1} unknown or invalid elements; fix the ones reported and read the document again`;
  return [...problems, documentProblem('XML_TOO_LARGE', stop)];
}

/** Sorts warnings of a successful parse into problems and unresolved references. */
export function mapParseWarnings(
  warnings: ModdleWarning[],
  xml: string,
): { problems: Problem[]; refs: UnresolvedRefs } {
  const problems: Problem[] = [];
  const refs: UnresolvedRefs = new Map();
  const source = new SourceText(xml);
  for (const warning of warnings) {
    if (warning.message.startsWith('unresolved reference') && warning.element) {
      recordRef(refs, warning);
      continue;
    }
    const problem = mapWarning(warning, source);
    if (problem) problems.push(problem);
  }
  return { problems, refs };
}

/** The raw id of an unresolved reference, e.g. rawRef(refs, flow, 'sourceRef'). */
export function rawRef(refs: UnresolvedRefs, element: ModdleElement, property: string): string | null {
  return refs.get(element)?.get(property) ?? null;
}

// helpers

function mapWarning(warning: ModdleWarning, source: SourceText): Problem | null {
  if (warning.message.startsWith('unknown attribute')) return mapUnknownAttribute(warning);
  const located = locate(warning.message);
  if (!located) return null;
  const known = /^(unknown type|unrecognized element) <(([\w-]+):[^>]+)>$/.exec(located.detail);
  if (known) return EXECUTION_PREFIXES.has(known[3]) ? unknownElement(known[2], located, source) : null;
  const id = /^(duplicate|illegal) ID <(.*)>$/.exec(located.detail);
  if (id) return invalidId(id[1] === 'duplicate', id[2], located);
  if (/^(expected no sub nodes|unexpected body text)/.test(located.detail)) return null;
  return malformed(located);
}

/** Only svc: attributes are checked: camunda and zeebe carry modeler metadata this engine need not know. */
function mapUnknownAttribute(warning: ModdleWarning): Problem | null {
  const element = warning.element;
  if (!element || !element.$type.startsWith('svc:')) return null;
  const owner = ownerOf(element);
  const subject = owner?.id ? describeElement({ id: owner.id, type: owner.$type, name: owner.name }) : 'an element';
  const attribute = (warning.property ?? '').replace(/^svc:/, '');
  return {
    code: 'SLA_INVALID',
    elementId: owner?.id ?? null,
    elementType: owner?.$type ?? null,
    message: `${subject} has an svc:sla with the unknown attribute '${attribute}'; use target, warnAt, calendar, pauseWhile, warningCode or breachCode`,
  };
}

function unknownElement(tagName: string, located: Located, source: SourceText): Problem {
  const ownId = source.idAt(located.line, located.column);
  const ownerId = ownId ? null : source.enclosingIdAt(located.line, located.column);
  const id = ownId ?? ownerId;
  const subject = ownId
    ? `element <${tagName} id="${ownId}">`
    : ownerId
      ? `element <${tagName}> in '${ownerId}'`
      : `element <${tagName}>`;
  return {
    code: 'UNSUPPORTED_ELEMENT',
    elementId: id,
    elementType: qualify(tagName),
    message: `${subject} at line ${located.line}, column ${located.column} is unknown or misplaced and would be ignored; remove it or move it to where it belongs`,
  };
}

function invalidId(duplicate: boolean, id: string, located: Located): Problem {
  const tagName = located.tag.replace(/^<\/?|>$/g, '') || 'element';
  const what = duplicate ? 'uses an id that another element already has' : 'has an id that is not a valid XML name';
  return {
    code: 'ID_INVALID',
    elementId: id,
    elementType: tagName.includes(':') ? qualify(tagName) : null,
    message: `${describeElement({ id, type: tagName })} at line ${located.line}, column ${located.column} ${what}; give every element a unique id that starts with a letter or '_'`,
  };
}

function malformed(located: Located): Problem {
  const near = located.tag ? ` near ${located.tag}` : '';
  return {
    ...documentProblem(
      'XML_MALFORMED',
      `the XML is not well-formed at line ${located.line}, column ${located.column}${near}: ${located.detail}; fix the XML or export it again from the modeler`,
    ),
    position: at(located),
  };
}

/** Reads moddle-xml's "unparsable content <tag> detected / line / column / nested error" text; its lines and columns are 0-based. */
function locate(message: string): Located | null {
  const match = /^unparsable content (.*?) ?detected\s+line: (\d+)\s+column: (\d+)\s+nested error: ([\s\S]*)$/.exec(
    message,
  );
  if (!match) return null;
  return { tag: match[1], line: Number(match[2]) + 1, column: Number(match[3]) + 1, detail: match[4].trim() };
}

/** The XML with line starts and enclosing elements indexed on first use, to look up the tag at a parser position. */
class SourceText {
  private lineStarts: number[] | null = null;
  private owners: Map<number, string | null> | null = null;

  constructor(private readonly xml: string) {}

  /** The id attribute of the start tag at a 1-based line and column. */
  idAt(line: number, column: number): string | null {
    return this.idOfTagAt(this.offsetOf(line, column));
  }

  /** The id of the nearest element enclosing the start tag at a 1-based line and column. */
  enclosingIdAt(line: number, column: number): string | null {
    return this.enclosing().get(this.offsetOf(line, column)) ?? null;
  }

  private offsetOf(line: number, column: number): number {
    return (this.starts()[line - 1] ?? this.xml.length) + column - 1;
  }

  private idOfTagAt(offset: number): string | null {
    const end = this.xml.indexOf('>', offset);
    const tag = this.xml.slice(offset, end === -1 ? undefined : end + 1);
    return /\sid\s*=\s*["']([^"']*)["']/.exec(tag)?.[1] ?? null;
  }

  private starts(): number[] {
    this.lineStarts ??= lineStartsOf(this.xml);
    return this.lineStarts;
  }

  /** For every start tag, the id of the nearest enclosing element that has one; one pass, bounded by the guard. */
  private enclosing(): Map<number, string | null> {
    if (this.owners) return this.owners;
    const owners = new Map<number, string | null>();
    const stack: (string | null)[] = [];
    scanTags(this.xml, (tag) => {
      if (tag.closing) {
        stack.pop();
        return true;
      }
      owners.set(tag.start, nearestId(stack));
      if (!tag.selfClosing) stack.push(this.idOfTagAt(tag.start));
      return true;
    });
    this.owners = owners;
    return owners;
  }
}

function nearestId(stack: (string | null)[]): string | null {
  for (let i = stack.length - 1; i >= 0; i -= 1) if (stack[i] !== null) return stack[i];
  return null;
}

/** 'bpmn:userTask' → 'bpmn:UserTask', the moddle type name of a tag. */
function qualify(tagName: string): string {
  const [prefix, local] = tagName.split(':');
  return local ? `${prefix}:${local.charAt(0).toUpperCase()}${local.slice(1)}` : tagName;
}

function recordRef(refs: UnresolvedRefs, warning: ModdleWarning): void {
  const element = warning.element!;
  const byProperty = refs.get(element) ?? new Map<string, string>();
  byProperty.set((warning.property ?? '').replace(/^bpmn:/, ''), warning.value ?? '');
  refs.set(element, byProperty);
}

function ownerOf(element: ModdleElement): ModdleElement | null {
  let current = element.$parent;
  while (current && !current.id) current = current.$parent;
  return current ?? null;
}

function at(located: Located): { line: number; column: number } {
  return { line: located.line, column: located.column };
}

function documentProblem(code: Problem['code'], message: string): Problem {
  return { code, elementId: null, elementType: null, message };
}
