/** Drill-down from the dashboard: one instance with its diagram (active and breached steps), SLAs and history. */
import { api } from '../app/api';
import { t } from '../i18n';
import { DiagramViewer } from '../shared/diagram-viewer';
import { h, replace } from '../shared/dom';
import { formatDateTime, formatDuration } from '../shared/format';
import type { Instance } from '../shared/resources';
import { renderHistory } from '../tasklist/history-view';
import { fetchSla, type SlaItem } from './sla-data';

/** Renders the instance into `host` (inside the drill-down dialog); returns the viewer's cleanup. */
export async function renderDrilldown(host: HTMLElement, instanceId: string): Promise<() => void> {
  const [instance, slas] = await Promise.all([
    api<Instance>('GET', `/api/instances/${encodeURIComponent(instanceId)}`),
    fetchSla({ instanceId }).then(
      (page) => page.items,
      () => [] as SlaItem[],
    ),
  ]);
  const canvas = h('div', { class: 'instance-diagram', 'data-testid': 'drilldown-diagram' });
  const history = h('div', { class: 'drilldown-history' });
  replace(
    host,
    h(
      'section',
      { class: 'drilldown', 'aria-labelledby': 'drilldown-title', 'data-testid': 'drilldown' },
      h(
        'h3',
        { id: 'drilldown-title' },
        t('sla.instanceTitle', {
          key: instance.businessKey ?? instance.id.slice(0, 8),
          definition: instance.definitionKey,
        }),
      ),
      h(
        'dl',
        { class: 'facts' },
        h('dt', {}, t('sla.instanceStatus')),
        h('dd', {}, t(`instance.status.${instance.status}`)),
        h('dt', {}, t('sla.instanceStarted')),
        h('dd', {}, formatDateTime(instance.startedAt)),
        h('dt', {}, t('sla.instanceActive')),
        h('dd', {}, instance.activeElements.join(', ') || '—'),
      ),
      slas.length > 0 ? h('ul', { class: 'drilldown-slas' }, slas.map(slaLine)) : null,
      canvas,
      h('h3', {}, t('tasks.tabHistory')),
      history,
    ),
  );
  const viewer = new DiagramViewer(canvas);
  await viewer.show(instance.definitionId);
  viewer.highlight(instance.activeElements, 'svc-active');
  viewer.highlight(
    slas.filter((sla) => sla.status === 'breached' && !sla.completedAt).map((sla) => sla.elementId),
    'svc-heat-hot',
  );
  await renderHistory(history, instanceId, instance.definitionId);
  return () => viewer.destroy();
}

// helpers

function slaLine(sla: SlaItem): HTMLElement {
  const open = sla.completedAt === null;
  const label =
    sla.status === 'breached' ? t('sla.breached') : sla.atRisk ? t('sla.atRisk') : t(`sla.status.${sla.status}`);
  const tone =
    sla.status === 'breached' ? 'breached' : sla.atRisk ? 'at-risk' : sla.status === 'met' ? 'met' : 'neutral';
  const time = open
    ? sla.businessRemainingMs < 0
      ? t('sla.overdueBy', { d: formatDuration(sla.businessRemainingMs) })
      : t('sla.left', { d: formatDuration(sla.businessRemainingMs) })
    : formatDateTime(sla.completedAt);
  return h(
    'li',
    { 'data-sla-status': sla.status },
    h('span', { class: `status status-${tone}` }, label),
    ` ${sla.elementName ?? sla.elementId} · ${sla.target} · ${time}`,
  );
}
