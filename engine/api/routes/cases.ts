/**
 * /api/cases: the case page behind a business key (instance, SLA clocks, notes and attachments, links,
 * history), the case search, notes, attachments and linking a duplicate. Visibility is the engine's rule
 * (a task of yours or your groups); a case you may not see answers CASE_NOT_FOUND like one that does not exist.
 */
import type { FastifyRequest } from 'fastify';
import type { Engine, SlaService } from '../../runtime/index.js';
import type { InstanceRow } from '../../store/index.js';
import { actorId } from '../actor.js';
import { parseMultipart } from '../camunda/multipart.js';
import { ApiError, withProblems } from '../problem.js';
import { strictObject, type RoutePlugin } from '../schemas.js';
import { visibilityOf } from '../scopes.js';

const readers = { auth: { roles: ['staff' as const, 'supervisor' as const, 'owner' as const] } };
const open = { type: 'object', additionalProperties: true } as const;
const keyParams = strictObject({ businessKey: { type: 'string', minLength: 1, maxLength: 255 } }, ['businessKey']);
const attachmentParams = strictObject(
  {
    businessKey: { type: 'string', minLength: 1, maxLength: 255 },
    id: { type: 'string', minLength: 1, maxLength: 64 },
  },
  ['businessKey', 'id'],
);
const searchQuery = strictObject(
  {
    q: {
      type: 'string',
      minLength: 1,
      maxLength: 200,
      description: 'business key, customer, phone or words of the description',
    },
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    cursor: { type: 'string', minLength: 1, maxLength: 2000 },
  },
  ['q'],
);
const noteBody = strictObject({ text: { type: 'string', minLength: 1, maxLength: 4000 } }, ['text']);
const duplicateBody = strictObject(
  { of: { type: 'string', minLength: 1, maxLength: 255, description: 'business key of the case this one repeats' } },
  ['of'],
);

/** Case routes; `sla` adds the case's SLA clocks to the page. */
export const caseRoutes: RoutePlugin<{ engine: Engine; sla?: SlaService }> = async (app, { engine, sla }) => {
  const maxBytes = engine.cases.attachmentMaxBytes;
  // The attachment route reads the whole multipart body; a little room above the limit lets the service
  // answer ATTACHMENT_TOO_LARGE with the size, and beyond that the body limit answers PAYLOAD_TOO_LARGE.
  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'buffer', bodyLimit: maxBytes * 2 + 64 * 1024 },
    (_request, body, done) => done(null, body),
  );
  const caseOf = (request: FastifyRequest, businessKey: string): Promise<InstanceRow> =>
    engine.cases.find(businessKey, visibilityOf(request.actor));

  app.get(
    '/cases',
    {
      config: readers,
      schema: {
        tags: ['cases'],
        summary: 'Find cases (open and closed) by business key, customer, phone or text; newest first, keyset pages',
        querystring: searchQuery,
        response: withProblems({ 200: open }),
      },
    },
    async (request) => {
      const { q, limit, cursor } = request.query;
      return engine.cases.search(q, visibilityOf(request.actor), { limit, cursor });
    },
  );

  app.get(
    '/cases/:businessKey',
    {
      config: readers,
      schema: {
        tags: ['cases'],
        summary: 'A case: its instance, SLA clocks with business time left, notes and attachments, links, history',
        params: keyParams,
        response: withProblems({ 200: open }),
      },
    },
    async (request) => {
      const row = await caseOf(request, request.params.businessKey);
      const [instance, notes, links, history, slas] = await Promise.all([
        engine.getInstance(row.id),
        engine.cases.notes(row.id),
        engine.cases.links(row.id),
        engine.history(row.id),
        sla ? sla.queries.list({ instanceId: row.id, limit: 50, withTotal: false }).then((p) => p.items) : [],
      ]);
      return {
        businessKey: row.businessKey,
        instance,
        sla: slas,
        notes,
        links,
        history: history.map(({ id: _id, ...item }) => item),
        attachmentMaxBytes: maxBytes,
      };
    },
  );

  app.post(
    '/cases/:businessKey/notes',
    {
      config: readers,
      schema: {
        tags: ['cases'],
        summary: 'Add a note to a case',
        params: keyParams,
        body: noteBody,
        response: withProblems({ 201: open }),
      },
    },
    async (request, reply) => {
      const row = await caseOf(request, request.params.businessKey);
      return reply.code(201).send(await engine.cases.addNote(row, request.body.text, actorId(request)));
    },
  );

  app.post(
    '/cases/:businessKey/attachments',
    {
      config: { ...readers, binaryBody: true },
      schema: {
        tags: ['cases'],
        summary: 'Attach a file to a case (multipart/form-data, one file part); its content decides its type',
        consumes: ['multipart/form-data'],
        params: keyParams,
        response: withProblems({ 201: open }),
      },
    },
    async (request, reply) => {
      const row = await caseOf(request, request.params.businessKey);
      if (!Buffer.isBuffer(request.body))
        throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'send the file as multipart/form-data');
      const file = parseMultipart(request.body, String(request.headers['content-type'])).find(
        (p) => p.filename !== null,
      );
      if (!file) throw new ApiError('BAD_REQUEST', 'the request holds no file part');
      const stored = await engine.cases.addAttachment(
        row,
        { filename: file.filename!, data: file.data },
        actorId(request),
      );
      return reply.code(201).send(stored);
    },
  );

  app.get(
    '/cases/:businessKey/attachments/:id',
    {
      config: readers,
      schema: { tags: ['cases'], summary: 'Download an attachment of a case', params: attachmentParams },
    },
    async (request, reply) => {
      const row = await caseOf(request, request.params.businessKey);
      const found = await engine.cases.attachment(row, request.params.id);
      return reply
        .header('content-type', found.contentType ?? 'application/octet-stream')
        .header('x-content-type-options', 'nosniff')
        .header(
          'content-disposition',
          `attachment; filename*=UTF-8''${encodeURIComponent(found.filename ?? 'attachment')}`,
        )
        .send(found.data);
    },
  );

  app.post(
    '/cases/:businessKey/duplicate-of',
    {
      config: readers,
      schema: {
        tags: ['cases'],
        summary: 'Link this case as a duplicate of another (both show the link) and close it with that reason',
        params: keyParams,
        body: duplicateBody,
        response: withProblems({ 200: open }),
      },
    },
    async (request) => {
      const duplicate = await caseOf(request, request.params.businessKey);
      const original = await caseOf(request, request.body.of);
      await engine.cases.linkDuplicate(duplicate, original, actorId(request));
      return { businessKey: duplicate.businessKey, links: await engine.cases.links(duplicate.id) };
    },
  );
};
