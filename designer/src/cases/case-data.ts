/** The case API as the case page and the tasklist read it. */
import { api, ApiProblem, authHeaders, query } from '../app/api';
import type { HistoryItem, Instance } from '../shared/resources';

export interface CaseNote {
  id: string;
  kind: 'note' | 'attachment';
  text: string | null;
  filename: string | null;
  contentType: string | null;
  size: number | null;
  createdAt: string;
  createdBy: string | null;
}

export interface CaseLink {
  kind: 'duplicate-of' | 'duplicated-by';
  businessKey: string | null;
  instanceId: string;
}

export interface CaseSla {
  elementId: string;
  elementName: string | null;
  status: string;
  dueAt: string;
  remaining: string;
  businessRemainingMs: number;
  atRisk: boolean;
}

export interface CaseView {
  businessKey: string;
  instance: Instance;
  sla: CaseSla[];
  notes: CaseNote[];
  links: CaseLink[];
  history: HistoryItem[];
  attachmentMaxBytes: number;
}

export interface CaseSummary {
  instanceId: string;
  businessKey: string | null;
  definitionKey: string;
  status: string;
  startedAt: string;
  endedAt: string | null;
  customer: string | null;
  description: string | null;
}

export function caseUrl(businessKey: string): string {
  return `/api/cases/${encodeURIComponent(businessKey)}`;
}

export function readCase(businessKey: string): Promise<CaseView> {
  return api<CaseView>('GET', caseUrl(businessKey));
}

export function searchCases(q: string, cursor?: string): Promise<{ items: CaseSummary[]; nextCursor: string | null }> {
  return api('GET', `/api/cases${query({ q, cursor, limit: 20 })}`);
}

export function addNote(businessKey: string, text: string): Promise<CaseNote> {
  return api<CaseNote>('POST', `${caseUrl(businessKey)}/notes`, { body: { text } });
}

/** Uploads one file as multipart/form-data; the server decides its type from its content. */
export async function addAttachment(businessKey: string, file: File): Promise<CaseNote> {
  const body = new FormData();
  body.append('file', file, file.name);
  const response = await fetch(`${caseUrl(businessKey)}/attachments`, { method: 'POST', headers: authHeaders(), body });
  const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (!response.ok)
    throw new ApiProblem(
      response.status,
      String(answer.code ?? 'ERROR'),
      String(answer.detail ?? response.statusText),
      answer,
    );
  return answer as unknown as CaseNote;
}

/** Opens an attachment in a new tab (the download needs the bearer token, so it goes through fetch). */
export async function openAttachment(businessKey: string, note: CaseNote): Promise<void> {
  const response = await fetch(`${caseUrl(businessKey)}/attachments/${encodeURIComponent(note.id)}`, {
    headers: authHeaders(),
  });
  if (!response.ok) throw new ApiProblem(response.status, 'ATTACHMENT_NOT_FOUND', response.statusText);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = note.filename ?? 'attachment';
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function linkDuplicate(businessKey: string, of: string): Promise<unknown> {
  return api('POST', `${caseUrl(businessKey)}/duplicate-of`, { body: { of } });
}
