/** Download buttons for the KPI reports (GET /api/reports/...), fetched with the session's token and saved as files. */
import { authHeaders } from '../app/api';
import { getLanguage, t } from '../i18n';
import { h } from '../shared/dom';
import { toastError } from '../shared/toast';

const KINDS = ['service-quality', 'feedback', 'risk'] as const;

/** A report picker (kind, week or month) with XLSX and PDF buttons, for the chosen process (all when empty). */
export function reportLinks(process: () => string | undefined): HTMLElement {
  const kind = h(
    'select',
    { 'aria-label': t('report.kind'), 'data-testid': 'report-kind' },
    KINDS.map((k) => h('option', { value: k }, t(`report.${k}` as 'report.risk'))),
  );
  const period = h(
    'select',
    { 'aria-label': t('report.period'), 'data-testid': 'report-period' },
    h('option', { value: 'week' }, t('report.lastWeek')),
    h('option', { value: 'month' }, t('report.lastMonth')),
  );
  const download = (format: 'xlsx' | 'pdf') => async () => {
    const params = new URLSearchParams({ period: period.value, format, lang: getLanguage() });
    const key = process();
    if (key && kind.value !== 'risk') params.set('process', key);
    const response = await fetch(`/api/reports/${kind.value}?${params}`, { headers: authHeaders() });
    if (!response.ok)
      throw new Error(
        ((await response.json().catch(() => ({}))) as { detail?: string }).detail ?? `HTTP ${response.status}`,
      );
    const name =
      /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `report.${format}`;
    const link = h('a', { href: URL.createObjectURL(await response.blob()), download: name });
    document.body.appendChild(link);
    link.click();
    link.remove();
  };
  const button = (format: 'xlsx' | 'pdf') =>
    h(
      'button',
      { type: 'button', 'data-testid': `report-${format}`, onclick: () => void download(format)().catch(toastError) },
      format.toUpperCase(),
    );
  return h(
    'span',
    { class: 'report-links' },
    h('span', { class: 'inline-label' }, t('report.title')),
    kind,
    period,
    button('xlsx'),
    button('pdf'),
  );
}
