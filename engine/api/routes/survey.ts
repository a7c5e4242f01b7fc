/**
 * The customer's survey page, `/survey/:token`: public (the signed, expiring link is the credential),
 * rate-limited, one answer per link. Plain HTML with a form POST, so it works on any phone without
 * the web app. The answer is published as the survey message of the case (idempotent by the link's id).
 */
import type { FastifyReply } from 'fastify';
import { verifySurvey, type Engine } from '../../runtime/index.js';
import type { SurveyLinkRow } from '../../store/index.js';
import type { RoutePlugin } from '../schemas.js';

const params = {
  type: 'object',
  properties: { token: { type: 'string', minLength: 10, maxLength: 2000 } },
  required: ['token'],
  additionalProperties: false,
} as const;
const answerBody = {
  type: 'object',
  properties: {
    score: { type: 'string', pattern: '^[1-5]$' },
    comment: { type: 'string', maxLength: 1000 },
    lang: { type: 'string', enum: ['zh-CN', 'en'] },
  },
  required: ['score'],
  additionalProperties: false,
} as const;
const surveyConfig = { auth: 'public' as const, rateLimit: { max: 20, timeWindow: '1 minute' } };
const ANSWER_TTL_MS = 24 * 3_600_000;

type Lang = 'zh-CN' | 'en';

const TEXT = {
  'zh-CN': {
    title: '满意度调查',
    question: '您对本次处理结果满意吗？（1 = 很不满意，5 = 非常满意）',
    comment: '意见或建议（选填）',
    submit: '提交',
    thanks: '感谢您的评价！',
    invalid: '此链接无效或已过期。',
    answered: '此链接已提交过评价，感谢！',
    other: 'English',
  },
  en: {
    title: 'Satisfaction survey',
    question: 'How satisfied are you with how we handled your case? (1 = very unsatisfied, 5 = very satisfied)',
    comment: 'Comments (optional)',
    submit: 'Submit',
    thanks: 'Thank you for your answer!',
    invalid: 'This link is not valid or has expired.',
    answered: 'This link has been answered already. Thank you!',
    other: '中文',
  },
};

/** The survey page; `secret` signs the links. */
export const surveyRoutes: RoutePlugin<{ engine: Engine; secret: string }> = async (app, { engine, secret }) => {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: 8192 },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  // a forged or unknown link is not found (404); a genuine one whose time has passed is gone (410)
  const linkOf = async (token: string): Promise<SurveyLinkRow | 'expired' | null> => {
    const valid = verifySurvey(token, secret, engine.clock.now());
    if (!valid) return null;
    return valid.expired ? 'expired' : engine.store.deliveries.surveyLink(valid.id);
  };

  app.get(
    '/survey/:token',
    {
      config: surveyConfig,
      schema: {
        tags: ['surveys'],
        summary: 'The customer survey page of a signed link (HTML)',
        params,
        querystring: {
          type: 'object',
          properties: { lang: { type: 'string', enum: ['zh-CN', 'en'] } },
          additionalProperties: false,
        },
        produces: ['text/html'],
      },
    },
    async (request, reply) => {
      const lang = request.query.lang ?? langOf(request.headers['accept-language']);
      const claim = await linkOf(request.params.token);
      if (!claim || claim === 'expired') return page(reply, claim ? 410 : 404, lang, TEXT[lang].invalid);
      if (claim.answeredAt) return page(reply, 409, lang, TEXT[lang].answered);
      return page(reply, 200, lang, form(lang, request.params.token, claim.correlationKey));
    },
  );

  app.post(
    '/survey/:token',
    {
      config: surveyConfig,
      schema: {
        tags: ['surveys'],
        summary: 'Answer the survey of a signed link: score 1–5 and a comment, once',
        params,
        body: answerBody,
        consumes: ['application/x-www-form-urlencoded'],
        produces: ['text/html'],
      },
    },
    async (request, reply) => {
      const lang = request.body.lang ?? langOf(request.headers['accept-language']);
      const claim = await linkOf(request.params.token);
      if (!claim || claim === 'expired') return page(reply, claim ? 410 : 404, lang, TEXT[lang].invalid);
      if (claim.answeredAt) return page(reply, 409, lang, TEXT[lang].answered);
      const comment = request.body.comment?.trim() || null;
      const score = Number(request.body.score);
      // the score goes into the installation's satisfaction variable (config caseFields.satisfaction)
      const scoreVariable = engine.config.caseFields.satisfaction ?? DEFAULT_SCORE_VARIABLE;
      const variables = { [scoreVariable]: score, surveyComment: comment ?? '' };
      // the link's id makes the answer idempotent: a double submit publishes once
      await engine.correlateMessage({
        name: claim.messageName,
        correlationKey: claim.correlationKey,
        variables,
        timeToLiveMs: ANSWER_TTL_MS,
        messageId: `survey:${claim.id}`,
        by: 'customer',
      });
      await engine.store.deliveries.answerSurvey(claim.id, {
        score,
        comment,
        answeredAt: engine.clock.now().toISOString(),
      });
      return page(reply, 200, lang, `<p class="thanks" data-testid="survey-thanks">${TEXT[lang].thanks}</p>`);
    },
  );
};

// helpers

/** Where the score goes when the installation names no satisfaction variable. */
const DEFAULT_SCORE_VARIABLE = 'surveyScore';

function langOf(header: string | undefined): Lang {
  return header && /^en\b/i.test(header.trim()) ? 'en' : 'zh-CN';
}

function form(lang: Lang, token: string, caseKey: string): string {
  const text = TEXT[lang];
  const other: Lang = lang === 'en' ? 'zh-CN' : 'en';
  const scores = [1, 2, 3, 4, 5]
    .map((n) => `<label class="score"><input type="radio" name="score" value="${n}" required> ${n}</label>`)
    .join('');
  return `<p class="case">${escapeHtml(caseKey)}</p>
<form method="post" action="/survey/${escapeHtml(token)}">
  <fieldset><legend>${text.question}</legend>${scores}</fieldset>
  <label for="comment">${text.comment}</label>
  <textarea id="comment" name="comment" maxlength="1000" rows="4"></textarea>
  <input type="hidden" name="lang" value="${lang}">
  <button type="submit">${text.submit}</button>
</form>
<p><a href="/survey/${escapeHtml(token)}?lang=${other}">${text.other}</a></p>`;
}

function page(reply: FastifyReply, status: number, lang: Lang, content: string): FastifyReply {
  const html = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${TEXT[lang].title}</title><style>
body{font-family:system-ui,"PingFang SC","Microsoft YaHei",sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1f2937}
h1{font-size:1.4rem}fieldset{border:1px solid #d1d5db;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.score{display:inline-block;margin:.25rem .75rem .25rem 0;font-size:1.2rem}textarea{width:100%;box-sizing:border-box;margin:.25rem 0 1rem}
button{background:#2563eb;color:#fff;border:0;border-radius:.4rem;padding:.6rem 1.4rem;font-size:1rem}.case{color:#6b7280}
</style></head><body><h1>${TEXT[lang].title}</h1>${content}</body></html>`;
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
