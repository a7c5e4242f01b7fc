/** Linear scans over raw XML text: tags, line starts, positions. Not a parser; the parser has the last word. */

/** A start or end tag found by scanTags: offsets of its '<' and '>'. */
export interface TagSpan {
  start: number;
  end: number;
  closing: boolean;
  selfClosing: boolean;
}

/**
 * Visits start and end tags in one linear pass, skipping comments, CDATA and declarations and honouring quoted
 * attribute values; stops when the visitor returns false. Not a parser: it tolerates what the parser will reject.
 */
export function scanTags(xml: string, visit: (tag: TagSpan) => boolean, from = 0): void {
  for (let at = xml.indexOf('<', from); at !== -1; at = xml.indexOf('<', at + 1)) {
    const next = xml.charAt(at + 1);
    if (next === '!' || next === '?') {
      at = skipMarkup(xml, at);
      if (at === -1) return;
      continue;
    }
    const end = endOfTag(xml, at);
    if (!visit({ start: at, end, closing: next === '/', selfClosing: next !== '/' && xml.charAt(end - 1) === '/' }))
      return;
    at = end;
  }
}

/** The offset at which each line starts; line breaks are \r\n, \r or \n, as the parser counts them. */
export function lineStartsOf(xml: string): number[] {
  const starts = [0];
  for (const match of xml.matchAll(/\r\n|\r|\n/g)) starts.push(match.index + match[0].length);
  return starts;
}

/** The 1-based line and column of a character offset. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  const starts = lineStartsOf(text.slice(0, offset));
  return { line: starts.length, column: offset - starts[starts.length - 1] + 1 };
}

// helpers

function skipMarkup(xml: string, at: number): number {
  if (xml.startsWith('<!--', at)) return xml.indexOf('-->', at + 4);
  if (xml.startsWith('<![CDATA[', at)) return xml.indexOf(']]>', at + 9);
  return xml.indexOf('>', at);
}

/** The offset of the tag's closing '>', honouring quoted attribute values; the text length when unclosed. */
function endOfTag(xml: string, at: number): number {
  let quote = '';
  for (let i = at + 1; i < xml.length; i += 1) {
    const c = xml.charAt(i);
    if (quote) quote = c === quote ? '' : quote;
    else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return i;
  }
  return xml.length;
}
