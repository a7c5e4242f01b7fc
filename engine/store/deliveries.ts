import type { Knex } from 'knex';
import type { DeliveryRepository, DeliveryRow, SurveyLinkRow } from './types.js';
import {
  type Db,
  type Dialect,
  isoIn,
  isoInOrNull,
  isoOut,
  isoOutOrNull,
  jsonIn,
  jsonOut,
  numberOut,
} from './columns.js';
import { counted, newestFirst, readPage } from './paging.js';

const TABLE = 'deliveries';
const LINKS = 'survey_links';

interface DeliveryRecord {
  id: string;
  notification_id: string;
  instance_id: string;
  channel: string;
  recipient: string;
  template: string | null;
  subject: string;
  body: string;
  data: string;
  status: string;
  attempts: unknown;
  last_error: string | null;
  next_attempt_at: unknown;
  sent_at: unknown;
  created_at: unknown;
}

type DeliveryFilter = Parameters<DeliveryRepository['list']>[0];

/** The delivery log on one knex handle (the pool or a transaction); the survey answers live beside it. */
export function deliveryRepository(db: Db, _dialect: Dialect): DeliveryRepository {
  return {
    async insert(row) {
      await db(TABLE).insert(toRow(row)).onConflict('id').ignore();
    },
    async claim(id, dueAt, leaseUntil) {
      const changed = await db(TABLE)
        .where({ id, status: 'pending' })
        .where('next_attempt_at', isoIn(dueAt))
        .update({ next_attempt_at: isoIn(leaseUntil) });
      return Number(changed) === 1;
    },
    async due(now, limit) {
      const records: DeliveryRecord[] = await db(TABLE)
        .where('status', 'pending')
        .where('next_attempt_at', '<=', isoIn(now))
        .orderBy([{ column: 'next_attempt_at' }, { column: 'id' }])
        .limit(limit);
      return records.map(fromRow);
    },
    async update(id, patch) {
      const columns: Record<string, unknown> = {};
      if (patch.status !== undefined) columns.status = patch.status;
      if (patch.attempts !== undefined) columns.attempts = patch.attempts;
      if (patch.lastError !== undefined) columns.last_error = patch.lastError;
      if (patch.nextAttemptAt !== undefined) columns.next_attempt_at = isoInOrNull(patch.nextAttemptAt);
      if (patch.sentAt !== undefined) columns.sent_at = isoInOrNull(patch.sentAt);
      await db(TABLE).where('id', id).update(columns);
    },
    list(filter) {
      return readPage(
        newestFirst(filtered(db, filter), 'created_at', filter),
        counted(filtered(db, filter)),
        filter,
        fromRow,
      );
    },
    async insertSurveyLink(link) {
      await db(LINKS).insert({
        id: link.id,
        instance_id: link.instanceId,
        message_name: link.messageName,
        correlation_key: link.correlationKey,
        expires_at: isoIn(link.expiresAt),
        score: link.score,
        comment: link.comment,
        answered_at: isoInOrNull(link.answeredAt),
      });
    },
    async surveyLink(id) {
      const record: SurveyLinkRecord | undefined = await db(LINKS).where('id', id).first();
      return record ? linkFromRow(record) : null;
    },
    async answerSurvey(id, answer) {
      const changed = await db(LINKS)
        .where('id', id)
        .whereNull('answered_at')
        .update({ score: answer.score, comment: answer.comment, answered_at: isoIn(answer.answeredAt) });
      return Number(changed) === 1;
    },
  };
}

// helpers

interface SurveyLinkRecord {
  id: string;
  instance_id: string;
  message_name: string;
  correlation_key: string;
  expires_at: unknown;
  score: unknown;
  comment: string | null;
  answered_at: unknown;
}

function linkFromRow(record: SurveyLinkRecord): SurveyLinkRow {
  return {
    id: record.id,
    instanceId: record.instance_id,
    messageName: record.message_name,
    correlationKey: record.correlation_key,
    expiresAt: isoOut(record.expires_at),
    score: record.score == null ? null : numberOut(record.score),
    comment: record.comment,
    answeredAt: isoOutOrNull(record.answered_at),
  };
}

function filtered(db: Db, filter: DeliveryFilter): Knex.QueryBuilder {
  const query = db(TABLE);
  if (filter.status !== undefined) query.where('status', filter.status);
  if (filter.instanceId !== undefined) query.where('instance_id', filter.instanceId);
  return query;
}

function toRow(row: DeliveryRow): DeliveryRecord {
  return {
    id: row.id,
    notification_id: row.notificationId,
    instance_id: row.instanceId,
    channel: row.channel,
    recipient: row.recipient,
    template: row.template,
    subject: row.subject,
    body: row.body,
    data: jsonIn(row.data),
    status: row.status,
    attempts: row.attempts,
    last_error: row.lastError,
    next_attempt_at: isoInOrNull(row.nextAttemptAt),
    sent_at: isoInOrNull(row.sentAt),
    created_at: isoIn(row.createdAt),
  };
}

function fromRow(record: DeliveryRecord): DeliveryRow {
  return {
    id: record.id,
    notificationId: record.notification_id,
    instanceId: record.instance_id,
    channel: record.channel,
    recipient: record.recipient,
    template: record.template,
    subject: record.subject,
    body: record.body,
    data: jsonOut(record.data),
    status: record.status as DeliveryRow['status'],
    attempts: numberOut(record.attempts),
    lastError: record.last_error,
    nextAttemptAt: isoOutOrNull(record.next_attempt_at),
    sentAt: isoOutOrNull(record.sent_at),
    createdAt: isoOut(record.created_at),
  };
}
