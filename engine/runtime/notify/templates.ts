/**
 * Notification texts by template name, in Simplified Chinese and English, with `{{variable}}`
 * placeholders filled from the notification's data. Pure.
 */

export type Locale = 'zh-CN' | 'en';
export const LOCALES: Locale[] = ['zh-CN', 'en'];

interface Text {
  subject: string;
  body: string;
}

/** A template: its texts, and for a survey the message the answer is published as. */
export interface Template {
  texts: Record<Locale, Text>;
  surveyMessage?: string;
}

const t = (zhSubject: string, zhBody: string, enSubject: string, enBody: string, surveyMessage?: string): Template => ({
  texts: { 'zh-CN': { subject: zhSubject, body: zhBody }, en: { subject: enSubject, body: enBody } },
  ...(surveyMessage ? { surveyMessage } : {}),
});

/** The templates the reference processes name. */
export const TEMPLATES: Record<string, Template> = {
  'complaint-ack': t(
    '您的投诉 {{subject}} 已受理',
    '{{customerName}}，您好：\n我们已收到您的投诉（编号 {{subject}}），将于 {{promisedBy}} 前与您联系。',
    'Your complaint {{subject}} has been received',
    'Dear {{customerName}},\nwe have received your complaint ({{subject}}) and will contact you by {{promisedBy}}.',
  ),
  'complaint-info-request': t(
    '投诉 {{subject}}：需要补充信息',
    '{{customerName}}，您好：\n为处理您的投诉 {{subject}}，请补充以下信息：{{infoRequest}}',
    'Complaint {{subject}}: we need more information',
    'Dear {{customerName}},\nto handle your complaint {{subject}} we need: {{infoRequest}}',
  ),
  'complaint-info-reminder': t(
    '提醒：投诉 {{subject}} 仍待补充信息',
    '{{customerName}}，您好：\n我们仍在等待您补充投诉 {{subject}} 的信息。',
    'Reminder: complaint {{subject}} still needs information',
    'Dear {{customerName}},\nwe are still waiting for the information on complaint {{subject}}.',
  ),
  'complaint-closed-no-response': t(
    '投诉 {{subject}} 已关闭',
    '{{customerName}}，您好：\n由于未收到回复，投诉 {{subject}} 已关闭。如需继续处理，请与我们联系。',
    'Complaint {{subject}} closed',
    'Dear {{customerName}},\nas we did not hear back, complaint {{subject}} has been closed. Contact us to take it up again.',
  ),
  'csat-complaint': t(
    '投诉 {{subject}} 已处理完毕，请评价',
    '{{customerName}}，您好：\n您的投诉 {{subject}} 已处理完毕。请花一分钟告诉我们您是否满意：\n{{surveyUrl}}\n（链接 {{surveyExpires}} 前有效）',
    'Complaint {{subject}} resolved: how did we do?',
    'Dear {{customerName}},\nyour complaint {{subject}} has been resolved. Please tell us how satisfied you are:\n{{surveyUrl}}\n(the link works until {{surveyExpires}})',
    'complaint-survey-response',
  ),
  'csat-journey': t(
    '服务 {{subject}} 已完成，请评价',
    '{{customerName}}，您好：\n服务 {{subject}} 已完成。请告诉我们您是否满意：\n{{surveyUrl}}',
    'Service {{subject}} completed: how did we do?',
    'Dear {{customerName}},\nservice {{subject}} is complete. Please tell us how satisfied you are:\n{{surveyUrl}}',
    'journey-survey-response',
  ),
  'sla-warning': t(
    'SLA 预警：{{subject}}',
    '{{subject}} 的 {{about}} 即将超时。',
    'SLA warning: {{subject}}',
    '{{about}} of {{subject}} is about to miss its SLA.',
  ),
  'sla-breach': t(
    'SLA 超时：{{subject}}',
    '{{subject}} 的 {{about}} 已超时。',
    'SLA breached: {{subject}}',
    '{{about}} of {{subject}} has missed its SLA.',
  ),
};

/** Fills a template for a locale; a template svcflow has no text for gets a plain text naming it and listing the data. */
export function renderTemplate(name: string | null, locale: Locale, data: Record<string, unknown>): Text {
  const template = name ? TEMPLATES[name] : undefined;
  if (!template)
    return {
      subject: fill('{{subject}}', data) || (name ?? 'svcflow'),
      body: `${name ?? 'notification'}\n${summary(data)}`,
    };
  const text = template.texts[locale];
  return { subject: fill(text.subject, data), body: fill(text.body, data) };
}

/** The locale a notification is written in: its data's `locale` when svcflow has it, else the default. */
export function localeOf(data: Record<string, unknown>, fallback: Locale): Locale {
  return LOCALES.find((locale) => locale === data.locale) ?? fallback;
}

// helpers

function fill(text: string, data: Record<string, unknown>): string {
  return text.replace(/\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g, (_all, key: string) => show(data[key]));
}

function show(value: unknown): string {
  if (value === undefined || value === null) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function summary(data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(([key, value]) => `${key}: ${show(value)}`)
    .join('\n');
}
