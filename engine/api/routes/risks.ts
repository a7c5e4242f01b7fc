/** /api/risks: the risk register (every risk case with score, level, owner, strategy, treatment, review), its 5 × 5 heat map and CSV export. */
import { riskCsv, type InsightService } from '../../runtime/index.js';
import { withProblems } from '../problem.js';
import { strictObject, type RoutePlugin } from '../schemas.js';

const scale = { type: 'integer', minimum: 1, maximum: 5 } as const;
const short = { type: 'string', minLength: 1, maxLength: 100 } as const;

const riskQuery = strictObject({
  level: { type: 'string', enum: ['low', 'medium', 'high', 'critical'] },
  category: { type: 'string', enum: ['technical', 'process', 'personnel', 'external', 'customer'] },
  strategy: { type: 'string', enum: ['avoid', 'transfer', 'mitigate', 'accept'] },
  owner: short,
  stage: {
    type: 'string',
    enum: ['assess', 'emergency', 'review', 'plan', 'approve', 'implement', 'verify', 'act', 'monitor', 'closed'],
  },
  open: { type: 'boolean' },
  probability: { ...scale, description: 'heat-map drill: the probability cell' },
  impact: { ...scale, description: 'heat-map drill: the impact cell' },
  residual: { type: 'boolean', description: 'drill into the residual rather than the inherent cell' },
});

const registerSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    items: { type: 'array', items: { type: 'object', additionalProperties: true } },
    total: { type: 'integer' },
    heatMap: {
      type: 'object',
      additionalProperties: false,
      properties: {
        inherent: { type: 'array', items: { type: 'array', items: { type: 'integer' } } },
        residual: { type: 'array', items: { type: 'array', items: { type: 'integer' } } },
      },
      description: 'cells[probability - 1][impact - 1]: counts of the risks passing the other filters',
    },
  },
  required: ['items', 'total', 'heatMap'],
} as const;

/** Risk register routes, for supervisors (risk managers, service managers) and owners. */
export const riskRoutes: RoutePlugin<{ insight: InsightService }> = async (app, { insight }) => {
  app.get(
    '/risks',
    {
      config: { auth: { roles: ['supervisor', 'owner'] } },
      schema: {
        tags: ['risks'],
        summary:
          'The risk register with its probability × impact heat map; with Accept: text/csv, the filtered register as CSV',
        querystring: riskQuery,
        produces: ['application/json', 'text/csv'],
        response: withProblems({ 200: registerSchema }),
      },
    },
    async (request, reply) => {
      const { items, heatMap } = await insight.risks(request.query);
      if (!wantsCsv(request.headers.accept)) return { items, total: items.length, heatMap };
      // a BOM, so spreadsheet programs read the Chinese text as UTF-8
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="risk-register.csv"')
        .send(`\ufeff${riskCsv(items)}`);
    },
  );
};

// helpers

function wantsCsv(accept: string | undefined): boolean {
  return typeof accept === 'string' && accept.split(',').some((part) => part.trim().startsWith('text/csv'));
}
