/** The per-definition heat map: the latest diagram with active, at-risk and breached counts on each element. */
import { api, query } from '../app/api';
import { t } from '../i18n';
import { DiagramViewer } from '../shared/diagram-viewer';
import { h, replace } from '../shared/dom';
import type { Page } from '../shared/resources';
import { fetchHeat } from './sla-data';

interface Definition {
  id: string;
  key: string;
  version: number;
  name: string | null;
}

/** Renders the heat map of `definitionKey` into `host`; a click on an element's badges drills into its cases. Returns the viewer's cleanup. */
export async function renderHeatMap(
  host: HTMLElement,
  definitionKey: string,
  onDrill: (elementId: string, instanceIds: string[]) => void,
): Promise<() => void> {
  const { items } = await api<Page<Definition>>(
    'GET',
    `/api/definitions${query({ key: definitionKey, latestOnly: 'true' })}`,
  );
  const definition = items[0];
  if (!definition) {
    replace(host, h('p', { class: 'muted' }, t('sla.noDefinition')));
    return () => undefined;
  }
  const canvas = h('div', { class: 'heat-diagram', 'data-testid': 'heat-map' });
  replace(host, canvas, legend());
  const viewer = new DiagramViewer(canvas);
  await viewer.show(definition.id);
  const heat = await fetchHeat(definitionKey);
  canvas.addEventListener('click', (event) => {
    const badges = (event.target as HTMLElement).closest<HTMLElement>('.svc-badges');
    const elementId = badges?.dataset.elementId;
    if (elementId && heat.has(elementId)) onDrill(elementId, heat.get(elementId)!.instanceIds);
  });
  for (const [elementId, counts] of heat) {
    viewer.badges(
      elementId,
      [
        counts.active
          ? { text: String(counts.active), className: 'badge-active', title: t('sla.heatActive', { n: counts.active }) }
          : null,
        counts.atRisk
          ? {
              text: String(counts.atRisk),
              className: 'badge-at-risk',
              title: t('sla.heatAtRisk', { n: counts.atRisk }),
            }
          : null,
        counts.breached
          ? {
              text: String(counts.breached),
              className: 'badge-breached',
              title: t('sla.heatBreached', { n: counts.breached }),
            }
          : null,
      ].filter((badge) => badge !== null),
    );
    viewer.highlight(
      [elementId],
      counts.breached ? 'svc-heat-hot' : counts.atRisk ? 'svc-heat-warm' : 'svc-heat-active',
    );
  }
  return () => viewer.destroy();
}

// helpers

function legend(): HTMLElement {
  return h(
    'p',
    { class: 'legend' },
    h('span', { class: 'svc-badge badge-active' }, t('sla.legendActive')),
    h('span', { class: 'svc-badge badge-at-risk' }, t('sla.atRisk')),
    h('span', { class: 'svc-badge badge-breached' }, t('sla.breached')),
  );
}
