/**
 * Parses BPMN XML with bounded effort. moddle's lax mode locates every recoverable error by rescanning the
 * document from its start, so a few thousand broken attributes or unknown elements cost seconds. Instead a
 * saxen pass stops at the first well-formedness error, and moddle runs strictly: an element it refuses is
 * recorded, blanked out (as lax mode would skip it) and the parse repeated, within a budget.
 */
import type { BpmnModdle, ModdleParseResult, ModdleWarning } from 'bpmn-moddle';
import { Parser, type ParseContext } from 'saxen';
import type { ParseFailure } from './parse-warnings.js';
import type { Problem } from './problems.js';
import { lineStartsOf, scanTags } from './xml-scan.js';

/** Bytes moddle may parse in total while recovering; at least one recovery is always allowed. */
const RECOVERY_BYTES = 4 * 1024 * 1024;
const MAX_RECOVERIES = 100;

/** saxen's complaint about the predefined `xml:` prefix (xml:lang, xml:space), which is not a malformation. */
const XML_PREFIX = /missing namespace for prefix <xml>/;

/** Element-level errors moddle's lax mode would skip; anything else ends the parse. */
const RECOVERABLE =
  /nested error: (unknown type <|unrecognized element <|duplicate ID <|illegal ID <|expected no sub nodes)/;

export type ParseOutcome =
  | { kind: 'parsed'; result: ModdleParseResult }
  | ({ kind: 'failed' } & ParseFailure)
  | { kind: 'malformed'; problem: Problem };

/** Parses as moddle's lax mode would, but fails fast on malformed XML and stops after a budget of refused elements. */
export async function parseDefinitions(moddle: BpmnModdle, xml: string): Promise<ParseOutcome> {
  const malformation = findMalformation(xml);
  if (malformation) return { kind: 'malformed', problem: malformation };
  const lineStarts = lineStartsOf(xml);
  const refused: ModdleWarning[] = [];
  const budget = Math.min(MAX_RECOVERIES, Math.max(1, Math.floor(RECOVERY_BYTES / Math.max(xml.length, 1))));
  for (let text = xml; ; ) {
    try {
      const result = await moddle.fromXML(text, 'bpmn:Definitions', { lax: false });
      return { kind: 'parsed', result: { ...result, warnings: [...refused, ...result.warnings] } };
    } catch (error) {
      const offset = recoverableOffset(error, lineStarts);
      if (offset === null || refused.length >= budget)
        return { kind: 'failed', error, refused, exhausted: offset !== null };
      refused.push({ message: (error as Error).message });
      text = blankElement(text, offset);
    }
  }
}

// helpers

/** The first well-formedness error or warning (broken attribute, unbound prefix, …), located; null when there is none. */
function findMalformation(xml: string): Problem | null {
  let problem: Problem | null = null;
  const stop = (error: Error, getContext: () => ParseContext): void => {
    // the `xml` prefix is bound by definition (Namespaces in XML 1.0 §3); saxen does not know it
    if (XML_PREFIX.test(error.message)) return;
    problem ??= malformedAt(error.message, getContext());
  };
  const parser = new Parser({ proxy: true })
    .ns()
    .on('openTag', (element) => void element.attrs)
    .on('warn', stop)
    .on('error', stop);
  parser.parse(xml);
  return problem;
}

function malformedAt(reason: string, context: ParseContext): Problem {
  const line = context.line + 1;
  const column = context.column + 1;
  const near = context.data ? ` near ${context.data.split(/\s/)[0].slice(0, 60)}` : '';
  return {
    code: 'XML_MALFORMED',
    elementId: null,
    elementType: null,
    position: { line, column },
    message: `the XML is not well-formed at line ${line}, column ${column}${near}: ${reason}; fix the XML or export it again from the modeler`,
  };
}

/** The offset of the element a strict parse refused, when lax mode would have skipped it. */
function recoverableOffset(error: unknown, lineStarts: number[]): number | null {
  const message = error instanceof Error ? error.message : '';
  const position = /line: (\d+)\s+column: (\d+)/.exec(message);
  if (!RECOVERABLE.test(message) || !position) return null;
  const lineStart = lineStarts[Number(position[1])];
  return lineStart === undefined ? null : lineStart + Number(position[2]);
}

/** Replaces an element and its content with spaces, keeping line breaks so later positions stay true. */
function blankElement(xml: string, start: number): string {
  let depth = 0;
  let end = xml.length - 1;
  scanTags(
    xml,
    (tag) => {
      depth += tag.closing ? -1 : tag.selfClosing ? 0 : 1;
      if (depth > 0) return true;
      end = tag.end;
      return false;
    },
    start,
  );
  return xml.slice(0, start) + xml.slice(start, end + 1).replace(/[^\r\n]/g, ' ') + xml.slice(end + 1);
}
