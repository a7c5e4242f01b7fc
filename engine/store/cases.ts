/**
 * The case tables: search words per case (index-backed search with keyset paging), notes and attachments,
 * and links between cases. See migrations/101_cases.ts.
 */
import type { Knex } from 'knex';
import type { Page } from './types.js';
import type { Visibility } from './user-types.js';
import { type Db, type Dialect, isoIn, isoOut, numberOut } from './columns.js';
import { decodeCursor, encodeCursor } from './paging.js';
import { whereInstanceVisible } from './visibility.js';

/** A note or an attachment on a case; `data` only when read one by one. */
export interface CaseNoteRow {
  id: string;
  instanceId: string;
  kind: 'note' | 'attachment';
  text: string | null;
  filename: string | null;
  contentType: string | null;
  size: number | null;
  createdAt: string;
  createdBy: string | null;
}

export interface CaseLinkRow {
  instanceId: string;
  otherId: string;
  /** `duplicate-of`: this case repeats the other; `duplicated-by`: the other repeats this one. */
  kind: 'duplicate-of' | 'duplicated-by';
  createdAt: string;
  createdBy: string | null;
}

export interface CaseSearch {
  /** Every term must be a word of the case. */
  terms: string[];
  visibleTo?: Visibility;
  limit: number;
  cursor?: string;
}

export interface CaseRepository {
  /** Replaces the search words of a case unless they are the ones last written (same digest). */
  index(instanceId: string, startedAt: string, terms: string[], digest: string): Promise<void>;
  /** Ids of the cases holding every term, newest first, one keyset page. */
  search(filter: CaseSearch): Promise<Page<string>>;
  addNote(row: CaseNoteRow & { data: Buffer | null }): Promise<void>;
  /** Notes and attachments of a case, oldest first (without the bytes). */
  notes(instanceId: string): Promise<CaseNoteRow[]>;
  /** One attachment with its bytes. */
  attachment(instanceId: string, id: string): Promise<(CaseNoteRow & { data: Buffer }) | null>;
  addLink(row: CaseLinkRow): Promise<void>;
  links(instanceId: string): Promise<CaseLinkRow[]>;
}

const CURSOR_KEY = /^[^|]+\|[^|]+$/;
const NOTE_COLUMNS = [
  'id',
  'instance_id',
  'kind',
  'text',
  'filename',
  'content_type',
  'size',
  'created_at',
  'created_by',
];

export function caseRepository(db: Db, dialect: Dialect): CaseRepository {
  return {
    async index(instanceId, startedAt, terms, digest) {
      // one statement when the words are the ones last written (most steps): the digest is swapped only
      // when it differs, and the rows it returns say whether the terms must be rewritten
      const postgres = dialect === 'postgres';
      const result: { rows?: Array<{ inserted: unknown }> } | Array<{ inserted: unknown }> = await db.raw(
        `insert into "case_index" ("instance_id", "digest") values (?, ?) on conflict ("instance_id")
        do update set "digest" = excluded."digest" where "case_index"."digest" <> excluded."digest"
        returning ${postgres ? '(xmax = 0)' : 'false'} as "inserted"`,
        [instanceId, digest],
      );
      const [changed] = Array.isArray(result) ? result : (result.rows ?? []);
      if (!changed) return;
      // a case indexed for the first time (PostgreSQL says so) has no terms to clear
      if (changed.inserted !== true) await db('case_terms').where({ instance_id: instanceId }).delete();
      const rows = [...new Set(terms)].map((term) => ({ term, instance_id: instanceId, started_at: isoIn(startedAt) }));
      for (let i = 0; i < rows.length; i += 100) await db('case_terms').insert(rows.slice(i, i + 100));
    },
    async search(filter) {
      const [driver, ...others] = [...new Set(filter.terms)].sort((a, b) => b.length - a.length);
      if (!driver) return { items: [], nextCursor: null };
      const query = db({ d: 'case_terms' })
        .select('d.instance_id', 'd.started_at')
        .where('d.term', driver)
        .orderBy([
          { column: 'd.started_at', order: 'desc' },
          { column: 'd.instance_id', order: 'desc' },
        ])
        .limit(filter.limit + 1);
      for (const term of others) query.whereExists(sameCase(db, term));
      if (filter.cursor !== undefined) {
        const key = decodeCursor(filter.cursor, (k) => CURSOR_KEY.test(k));
        const bar = key.indexOf('|');
        query.whereRaw('(??, ??) < (?, ?)', ['d.started_at', 'd.instance_id', key.slice(0, bar), key.slice(bar + 1)]);
      }
      if (filter.visibleTo) whereInstanceVisible(db, query, filter.visibleTo, 'd.instance_id');
      const records = (await query) as Array<{ instance_id: string; started_at: unknown }>;
      const page = records.slice(0, filter.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((r) => r.instance_id),
        nextCursor:
          records.length > filter.limit ? encodeCursor(`${rawTime(last.started_at)}|${last.instance_id}`) : null,
      };
    },
    async addNote(row) {
      await db('case_notes').insert({
        id: row.id,
        instance_id: row.instanceId,
        kind: row.kind,
        text: row.text,
        filename: row.filename,
        content_type: row.contentType,
        size: row.size,
        data: row.data,
        created_at: isoIn(row.createdAt),
        created_by: row.createdBy,
      });
    },
    async notes(instanceId) {
      const rows = await db('case_notes')
        .select(NOTE_COLUMNS)
        .where({ instance_id: instanceId })
        .orderBy([{ column: 'created_at' }, { column: 'id' }])
        .limit(1000);
      return rows.map(noteOf);
    },
    async attachment(instanceId, id) {
      const row = await db('case_notes').where({ instance_id: instanceId, id, kind: 'attachment' }).first();
      return row ? { ...noteOf(row), data: Buffer.from(row.data) } : null;
    },
    async addLink(row) {
      await db('case_links')
        .insert({
          instance_id: row.instanceId,
          other_id: row.otherId,
          kind: row.kind,
          created_at: isoIn(row.createdAt),
          created_by: row.createdBy,
        })
        .onConflict(['instance_id', 'other_id', 'kind'])
        .ignore();
    },
    async links(instanceId) {
      const rows = await db('case_links').where({ instance_id: instanceId }).orderBy('created_at').limit(1000);
      return rows.map((r: Record<string, unknown>) => ({
        instanceId: String(r.instance_id),
        otherId: String(r.other_id),
        kind: r.kind as CaseLinkRow['kind'],
        createdAt: isoOut(r.created_at),
        createdBy: (r.created_by as string | null) ?? null,
      }));
    },
  };
}

// helpers

function sameCase(db: Db, term: string): Knex.QueryBuilder {
  return db({ o: 'case_terms' })
    .select(db.raw('1'))
    .where('o.term', term)
    .whereRaw('?? = ??', ['o.instance_id', 'd.instance_id']);
}

// the cursor carries the column as stored, so the comparison is the database's own
function rawTime(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

function noteOf(r: Record<string, unknown>): CaseNoteRow {
  return {
    id: String(r.id),
    instanceId: String(r.instance_id),
    kind: r.kind as CaseNoteRow['kind'],
    text: (r.text as string | null) ?? null,
    filename: (r.filename as string | null) ?? null,
    contentType: (r.content_type as string | null) ?? null,
    size: r.size === null || r.size === undefined ? null : numberOut(r.size),
    createdAt: isoOut(r.created_at),
    createdBy: (r.created_by as string | null) ?? null,
  };
}
