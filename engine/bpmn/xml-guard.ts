/** Cheap checks on raw XML before it reaches the parser: no DTDs, bounded size, element count and depth. */
import type { Problem } from './problems.js';
import { positionAt, scanTags } from './xml-scan.js';

export interface XmlLimits {
  maxBytes: number;
  maxElements: number;
  maxDepth: number;
}

export const DEFAULT_LIMITS: XmlLimits = { maxBytes: 5 * 1024 * 1024, maxElements: 20_000, maxDepth: 100 };

/** Returns the first reason to refuse the XML unparsed, or null when it may be parsed. */
export function guardXml(xml: string, limits: XmlLimits): Problem | null {
  return rejectDtd(xml) ?? rejectOversized(xml, limits.maxBytes) ?? rejectTooManyElements(xml, limits);
}

// helpers

/** DOCTYPE and ENTITY declarations enable XXE and entity-expansion ("billion laughs") attacks. */
function rejectDtd(xml: string): Problem | null {
  const match = /<!(DOCTYPE|ENTITY)/i.exec(xml);
  if (!match) return null;
  return {
    ...documentProblem(
      'XML_MALFORMED',
      'DTDs and entity declarations are not allowed; remove the <!DOCTYPE> and <!ENTITY> declarations',
    ),
    position: positionAt(xml, match.index),
  };
}

function rejectOversized(xml: string, maxBytes: number): Problem | null {
  const fitsSurely = xml.length * 3 <= maxBytes;
  if (fitsSurely || new TextEncoder().encode(xml).length <= maxBytes) return null;
  return documentProblem(
    'XML_TOO_LARGE',
    `the document is larger than ${maxBytes} bytes; split the model into smaller processes`,
  );
}

function rejectTooManyElements(xml: string, limits: XmlLimits): Problem | null {
  let elements = 0;
  let depth = 0;
  let problem: Problem | null = null;
  scanTags(xml, (tag) => {
    elements += tag.closing ? 0 : 1;
    depth += tag.closing ? -1 : tag.selfClosing ? 0 : 1;
    if (elements > limits.maxElements)
      problem = documentProblem(
        'XML_TOO_LARGE',
        `the document has more than ${limits.maxElements} elements; split the model into smaller processes`,
      );
    else if (depth > limits.maxDepth)
      problem = documentProblem(
        'XML_TOO_LARGE',
        `the document nests elements deeper than ${limits.maxDepth} levels; flatten the model`,
      );
    return problem === null;
  });
  return problem;
}

function documentProblem(code: Problem['code'], message: string): Problem {
  return { code, elementId: null, elementType: null, message };
}
