/**
 * The case around an instance (issue 14, "Working a case"): found by its business key for anyone the
 * engine's visibility rule lets see it (others get CASE_NOT_FOUND, so no existence leaks), searched by
 * business key, customer, phone or text through the case_terms index, with notes and attachments stored
 * in the database, and duplicates linked to the case they repeat (the duplicate is closed with the reason).
 */
import type { CaseLinkRow, CaseNoteRow, InstanceRow, Store, StoreTx, Visibility } from '../../store/index.js';
import type { Clock } from '../clock.js';
import { uuidv7 } from '../ids.js';
import { sniffContentType } from './attachment-types.js';
import {
  AttachmentNotFoundError,
  AttachmentTooLargeError,
  AttachmentTypeNotAllowedError,
  CaseNotFoundError,
  DuplicateLinkInvalidError,
  NoteInvalidError,
} from './case-errors.js';
import { caseTerms, queryTerms, type SearchFields } from './case-terms.js';

/** Default attachment limit: 5 MB (SVCFLOW_ATTACHMENT_MAX_BYTES). */
export const DEFAULT_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;
const MAX_NOTE = 4000;
const MAX_FILENAME = 200;

export interface CaseServiceOptions {
  attachmentMaxBytes?: number;
  /** The variables a case is searched by (config caseSearch); none without. */
  search?: SearchFields;
}

const NO_SEARCH_FIELDS: SearchFields = { customer: [], phone: [], email: [], text: [] };

/** A case as the search lists it. */
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

/** A link as the case page shows it: the other case's business key. */
export interface CaseLink {
  kind: CaseLinkRow['kind'];
  businessKey: string | null;
  instanceId: string;
  createdAt: string;
  createdBy: string | null;
}

/** What the engine needs of a case's caller: who they are, for the visibility rule. */
export interface CaseCaller {
  id: string | null;
  visibility: Visibility | undefined;
}

export class CaseService {
  readonly attachmentMaxBytes: number;
  private readonly searchFields: SearchFields;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly cancel: (instanceId: string, by: string | null) => Promise<unknown>,
    options: CaseServiceOptions = {},
  ) {
    this.attachmentMaxBytes = options.attachmentMaxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES;
    this.searchFields = options.search ?? NO_SEARCH_FIELDS;
  }

  /** Keeps a case's search words up to date; runs in every step's transaction (the engine's settled hook). */
  async index(tx: StoreTx, instance: InstanceRow): Promise<void> {
    const { terms, digest } = caseTerms(instance.businessKey, instance.variables ?? {}, this.searchFields);
    await tx.cases.index(instance.id, instance.startedAt, terms, digest);
  }

  /** The newest instance with this business key the caller may see; CASE_NOT_FOUND otherwise. */
  async find(businessKey: string, visibility: Visibility | undefined): Promise<InstanceRow> {
    const found = await this.store.instances.list({ businessKey, visibleTo: visibility, limit: 1, offset: 0 });
    const instance = found.items[0];
    if (!instance) throw new CaseNotFoundError(businessKey);
    return instance;
  }

  /** Cases holding every word of `query` the caller may see, newest first (keyset pages). */
  async search(
    query: string,
    visibility: Visibility | undefined,
    paging: { limit: number; cursor?: string },
  ): Promise<{ items: CaseSummary[]; nextCursor: string | null }> {
    const terms = queryTerms(query);
    if (terms.length === 0) return { items: [], nextCursor: null };
    const page = await this.store.cases.search({ terms, visibleTo: visibility, ...paging });
    const items: CaseSummary[] = [];
    for (const id of page.items) {
      const instance = await this.store.instances.get(id);
      if (instance) items.push(summaryOf(instance, this.searchFields));
    }
    return { items, nextCursor: page.nextCursor ?? null };
  }

  async notes(instanceId: string): Promise<CaseNoteRow[]> {
    return this.store.cases.notes(instanceId);
  }

  async addNote(instance: InstanceRow, text: string, by: string | null): Promise<CaseNoteRow> {
    const trimmed = text.trim();
    if (!trimmed) throw new NoteInvalidError('a note needs some text');
    if (trimmed.length > MAX_NOTE) throw new NoteInvalidError(`a note has at most ${MAX_NOTE} characters`);
    return this.insertNote(instance, { kind: 'note', text: trimmed }, null, by);
  }

  /** Stores an attachment after checking its size and what its bytes are (the declared type is ignored). */
  async addAttachment(
    instance: InstanceRow,
    file: { filename: string; data: Buffer },
    by: string | null,
  ): Promise<CaseNoteRow> {
    if (file.data.length > this.attachmentMaxBytes)
      throw new AttachmentTooLargeError(file.data.length, this.attachmentMaxBytes);
    const filename = safeFilename(file.filename);
    const contentType = sniffContentType(file.data);
    if (!contentType) throw new AttachmentTypeNotAllowedError(filename);
    return this.insertNote(
      instance,
      { kind: 'attachment', filename, contentType, size: file.data.length },
      file.data,
      by,
    );
  }

  async attachment(instance: InstanceRow, id: string): Promise<CaseNoteRow & { data: Buffer }> {
    const found = await this.store.cases.attachment(instance.id, id);
    if (!found) throw new AttachmentNotFoundError(id);
    return found;
  }

  async links(instanceId: string): Promise<CaseLink[]> {
    const out: CaseLink[] = [];
    for (const link of await this.store.cases.links(instanceId)) {
      const other = await this.store.instances.get(link.otherId);
      out.push({
        kind: link.kind,
        businessKey: other?.businessKey ?? null,
        instanceId: link.otherId,
        createdAt: link.createdAt,
        createdBy: link.createdBy,
      });
    }
    return out;
  }

  /**
   * Records `duplicate` as a repeat of `original` (both pages show the link) and closes the duplicate with
   * the reason "duplicate of <businessKey>". The caller must see both cases; the original must be another
   * case of the same process, and the duplicate still open.
   */
  async linkDuplicate(duplicate: InstanceRow, original: InstanceRow, by: string | null): Promise<void> {
    if (duplicate.id === original.id) throw new DuplicateLinkInvalidError('a case cannot be a duplicate of itself');
    if (duplicate.definitionKey !== original.definitionKey)
      throw new DuplicateLinkInvalidError(
        `case '${original.businessKey}' is a ${original.definitionKey} case; a ${duplicate.definitionKey} case can only duplicate a case of its own process`,
      );
    if (duplicate.status !== 'active' && duplicate.status !== 'incident')
      throw new DuplicateLinkInvalidError(
        `case '${duplicate.businessKey}' is ${duplicate.status}; only an open case can be closed as a duplicate`,
      );
    const at = this.clock.now().toISOString();
    const reason = `duplicate of ${original.businessKey ?? original.id}`;
    await this.store.transaction(async (tx) => {
      await tx.cases.addLink({
        instanceId: duplicate.id,
        otherId: original.id,
        kind: 'duplicate-of',
        createdAt: at,
        createdBy: by,
      });
      await tx.cases.addLink({
        instanceId: original.id,
        otherId: duplicate.id,
        kind: 'duplicated-by',
        createdAt: at,
        createdBy: by,
      });
      await tx.history.append([
        {
          instanceId: duplicate.id,
          elementId: null,
          elementType: null,
          event: 'case.duplicate',
          at,
          by,
          details: { reason, of: original.businessKey, ofInstanceId: original.id },
        },
        {
          instanceId: original.id,
          elementId: null,
          elementType: null,
          event: 'case.duplicated',
          at,
          by,
          details: { duplicate: duplicate.businessKey, duplicateInstanceId: duplicate.id },
        },
      ]);
    });
    await this.cancel(duplicate.id, by);
  }

  // helpers

  private async insertNote(
    instance: InstanceRow,
    fields: Partial<CaseNoteRow> & { kind: CaseNoteRow['kind'] },
    data: Buffer | null,
    by: string | null,
  ): Promise<CaseNoteRow> {
    const row: CaseNoteRow = {
      id: uuidv7(),
      instanceId: instance.id,
      kind: fields.kind,
      text: fields.text ?? null,
      filename: fields.filename ?? null,
      contentType: fields.contentType ?? null,
      size: fields.size ?? null,
      createdAt: this.clock.now().toISOString(),
      createdBy: by,
    };
    await this.store.cases.addNote({ ...row, data });
    return row;
  }
}

/**
 * The case fields a list shows, from the instance's variables where the processes keep them: the customer is
 * the values of the customer fields joined, the description the first text field's (config caseSearch).
 */
export function summaryOf(instance: InstanceRow, fields: SearchFields = NO_SEARCH_FIELDS): CaseSummary {
  const vars = instance.variables ?? {};
  const str = (name: string) => (typeof vars[name] === 'string' ? (vars[name] as string) : null);
  return {
    instanceId: instance.id,
    businessKey: instance.businessKey,
    definitionKey: instance.definitionKey,
    status: instance.status,
    startedAt: instance.startedAt,
    endedAt: instance.endedAt,
    customer: fields.customer.map(str).filter(Boolean).join(' · ') || null,
    description: (fields.text[0] === undefined ? null : str(fields.text[0]))?.slice(0, 200) ?? null,
  };
}

function safeFilename(name: string): string {
  const base = [...name.replace(/^.*[\\/]/, '')]
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f || '"<>|:*?'.includes(c) ? '_' : c))
    .join('')
    .trim();
  return (base || 'attachment').slice(0, MAX_FILENAME);
}
