/** The one door to the engine's HTTP API: bearer token, JSON or XML bodies, problem+json errors. */
import { clearSession, getSession } from './session';

/** A problem+json answer (RFC 9457) or a network failure (code NETWORK, status 0). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly body: Record<string, unknown> = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }

  /** Element-level problems of a rejected BPMN model. */
  get problems(): EngineProblem[] {
    return Array.isArray(this.body.problems) ? (this.body.problems as EngineProblem[]) : [];
  }
}

export interface EngineProblem {
  code: string;
  elementId: string | null;
  elementType: string | null;
  message: string;
}

interface RequestOptions {
  body?: unknown;
  /** Sends the body as text with this content type instead of JSON. */
  contentType?: string;
  /** Answer as text (XML downloads) instead of JSON. */
  text?: boolean;
  signal?: AbortSignal;
}

/** Calls the API; resolves with the parsed answer, rejects with an ApiProblem. */
export async function api<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(method, path, options);
  if (!response.ok) throw await toProblem(response);
  if (response.status === 204) return undefined as T;
  return (options.text ? await response.text() : await response.json()) as T;
}

/** Builds a query string from defined values; arrays repeat the parameter. */
export function query(params: Record<string, string | number | string[] | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    for (const item of Array.isArray(value) ? value : [value]) search.append(name, String(item));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Authorization headers for the current session (also used by the event stream). */
export function authHeaders(): Record<string, string> {
  const token = getSession()?.token;
  return token ? { Authorization: `Bearer ${token}` } : {};
}

// helpers

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json', ...authHeaders() };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
    body = options.contentType ? String(options.body) : JSON.stringify(options.body);
  }
  try {
    const response = await fetch(path, { method, headers, body, signal: options.signal });
    if (response.status === 401 && getSession() && !path.startsWith('/api/auth/')) onUnauthorised();
    return response;
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiProblem(0, 'NETWORK', `the engine cannot be reached (${(error as Error).message})`);
  }
}

async function toProblem(response: Response): Promise<ApiProblem> {
  let body: Record<string, unknown> = {};
  try {
    body = await response.json();
  } catch {
    body = {};
  }
  const code = typeof body.code === 'string' ? body.code : `HTTP_${response.status}`;
  const detail = typeof body.detail === 'string' ? body.detail : response.statusText || code;
  return new ApiProblem(response.status, code, detail, body);
}

// An expired or revoked token: sign in again, then come back here.
function onUnauthorised(): void {
  clearSession();
  const next = encodeURIComponent(location.pathname + location.search);
  location.assign(`/login?next=${next}`);
}
