/** /api/instances/duplicates: the earlier cases a case about to start may duplicate (same customer, similar text). */
import { findDuplicates, StartForbiddenError, type Engine } from '../../runtime/index.js';
import { withProblems } from '../problem.js';
import { strictObject, variablesSchema, type RoutePlugin } from '../schemas.js';
import { starterOf, visibilityOf } from '../scopes.js';

const body = strictObject(
  {
    definitionKey: { type: 'string', minLength: 1, maxLength: 255, description: 'The process about to be started' },
    variables: variablesSchema,
  },
  ['definitionKey', 'variables'],
);

const match = {
  type: 'object',
  properties: {
    instanceId: { type: 'string' },
    businessKey: { type: ['string', 'null'] },
    status: { type: 'string' },
    startedAt: { type: 'string' },
    similarity: { type: 'number', description: '0–1, how alike the descriptions read' },
    text: { type: 'string' },
  },
  required: ['instanceId', 'businessKey', 'status', 'startedAt', 'similarity', 'text'],
} as const;

const answer = {
  type: 'object',
  properties: { window: { type: 'string' }, items: { type: 'array', items: match } },
  required: ['window', 'items'],
} as const;

/** Suggests duplicates before a start; the window is `window` (ISO 8601, default P7D). */
export const duplicateRoutes: RoutePlugin<{ engine: Engine; window?: string }> = async (
  app,
  { engine, window = 'P7D' },
) => {
  app.post(
    '/instances/duplicates',
    {
      config: { auth: { roles: ['staff', 'supervisor', 'owner'] } },
      schema: {
        tags: ['instances'],
        summary:
          'Possible duplicates of a case about to start: cases of the same process and customer, opened within the window, with a similar description',
        body,
        response: withProblems({ 200: answer }),
      },
    },
    async (request) => {
      const { definitionKey, variables } = request.body;
      // Only someone who may start the process asks; the rule is the engine's (candidate starters).
      const starter = starterOf(request.actor);
      if (
        starter &&
        !(await engine.startableProcesses(starter)).some((process) => process.definitionKey === definitionKey)
      ) {
        throw new StartForbiddenError(definitionKey, starter.id);
      }
      return {
        window,
        items: await findDuplicates(
          engine,
          { definitionKey, variables, visibleTo: visibilityOf(request.actor) },
          { window },
        ),
      };
    },
  );
};
