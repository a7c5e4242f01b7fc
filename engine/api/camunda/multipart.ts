/**
 * A small multipart/form-data reader (RFC 7578) for the one route that needs it: Camunda Modeler's
 * deployment upload. Whole body in memory, already bounded by the route's body limit.
 */
import { ApiError } from '../problem.js';

/** One field or file of a multipart body. */
export interface Part {
  name: string;
  filename: string | null;
  contentType: string | null;
  data: Buffer;
}

const MAX_PARTS = 50;
const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/** Splits a multipart body into its parts; throws ApiError MALFORMED_MULTIPART when it cannot. */
export function parseMultipart(raw: unknown, contentType: string): Part[] {
  const boundary = boundaryOf(contentType);
  // the multipart content-type parser hands over the raw bytes; any other content type is not a deployment
  if (!Buffer.isBuffer(raw)) throw malformed('the body is not multipart/form-data');
  const body = raw;
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let at = body.indexOf(delimiter);
  if (at < 0) throw malformed('the body does not contain its boundary');
  while (true) {
    const afterDelimiter = at + delimiter.length;
    if (body.subarray(afterDelimiter, afterDelimiter + 2).toString() === '--') return parts;
    const headerStart = afterDelimiter + CRLF.length;
    const headerEnd = body.indexOf(HEADER_END, headerStart);
    if (headerEnd < 0) throw malformed('a part has no header end');
    const next = body.indexOf(Buffer.concat([CRLF, delimiter]), headerEnd);
    if (next < 0) throw malformed('the body has no closing boundary');
    parts.push(
      toPart(
        body.subarray(headerStart, headerEnd).toString('utf8'),
        body.subarray(headerEnd + HEADER_END.length, next),
      ),
    );
    if (parts.length > MAX_PARTS) throw malformed(`more than ${MAX_PARTS} parts`);
    at = next + CRLF.length;
  }
}

/** The text of a named field, or null. */
export function fieldText(parts: Part[], name: string): string | null {
  const part = parts.find((p) => p.name === name && p.filename === null);
  return part ? part.data.toString('utf8') : null;
}

// helpers

function boundaryOf(contentType: string): string {
  const match = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary || boundary.length > 200) throw malformed('the content type names no boundary');
  return boundary;
}

function toPart(headerText: string, data: Buffer): Part {
  const headers = new Map<string, string>();
  for (const line of headerText.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get('content-disposition') ?? '';
  const name = paramOf(disposition, 'name');
  if (!/^form-data/i.test(disposition) || name === null) throw malformed('a part has no form-data name');
  return { name, filename: paramOf(disposition, 'filename'), contentType: headers.get('content-type') ?? null, data };
}

function paramOf(header: string, param: string): string | null {
  const match =
    new RegExp(`(?:^|;)\\s*${param}="([^"]*)"`, 'i').exec(header) ??
    new RegExp(`(?:^|;)\\s*${param}=([^;\\s]+)`, 'i').exec(header);
  return match ? match[1] : null;
}

function malformed(reason: string): ApiError {
  return new ApiError('MALFORMED_MULTIPART', `multipart/form-data body cannot be read: ${reason}`);
}
