/** A read-only, navigable diagram of a deployed definition, with highlighted elements and count badges. */
import 'bpmn-js/dist/assets/diagram-js.css';
import 'bpmn-js/dist/assets/bpmn-js.css';
import NavigatedViewer from 'bpmn-js/lib/NavigatedViewer';
import { api } from '../app/api';
import { moddleExtensions } from './moddle-extensions';
import { h } from './dom';

const xmlCache = new Map<string, Promise<string>>();

interface Overlays {
  add(id: string, type: string, overlay: { position: Record<string, number>; html: HTMLElement }): void;
  clear(): void;
}
interface Canvas {
  addMarker(id: string, marker: string): void;
  zoom(level: string | number, center?: string): number;
}
interface ElementRegistry {
  get(id: string): unknown;
  filter(fn: (element: DiagramElement) => boolean): DiagramElement[];
}
interface DiagramElement {
  id: string;
  type: string;
  source?: { id: string };
  target?: { id: string };
  businessObject?: { name?: string };
  waypoints?: Array<{ x: number; y: number }>;
}

export interface Badge {
  text: string;
  className: string;
  title: string;
}

export class DiagramViewer {
  private readonly viewer: NavigatedViewer;

  constructor(container: HTMLElement) {
    this.viewer = new NavigatedViewer({ container, moddleExtensions: moddleExtensions() });
  }

  /** Shows a definition version's diagram, fitted to the container. */
  async show(definitionId: string): Promise<void> {
    await this.viewer.importXML(await definitionXml(definitionId));
    const canvas = this.viewer.get<Canvas>('canvas');
    if (canvas.zoom('fit-viewport', 'auto') > 1.2) canvas.zoom(1.2, 'auto');
  }

  /** Adds a CSS marker (e.g. `svc-active`) to each element that exists in the diagram. */
  highlight(elementIds: string[], marker: string): void {
    const canvas = this.viewer.get<Canvas>('canvas');
    const registry = this.viewer.get<ElementRegistry>('elementRegistry');
    for (const id of elementIds) if (registry.get(id)) canvas.addMarker(id, marker);
  }

  /** Places small badges at an element's top right corner (heat map counts). */
  badges(elementId: string, badges: Badge[]): void {
    if (!this.viewer.get<ElementRegistry>('elementRegistry').get(elementId) || badges.length === 0) return;
    const html = h(
      'div',
      { class: 'svc-badges', 'data-element-id': elementId },
      badges.map((badge) => h('span', { class: `svc-badge ${badge.className}`, title: badge.title }, badge.text)),
    );
    this.viewer.get<Overlays>('overlays').add(elementId, 'svc-badges', { position: { top: -12, right: 12 }, html });
  }

  /** The element's name in the diagram, or its id. */
  nameOf(elementId: string): string {
    const element = this.viewer.get<ElementRegistry>('elementRegistry').get(elementId) as DiagramElement | undefined;
    return element?.businessObject?.name || elementId;
  }

  /** The id of the sequence flow from one element to another, if the diagram has one. */
  flowBetween(sourceId: string, targetId: string): string | null {
    const flows = this.viewer
      .get<ElementRegistry>('elementRegistry')
      .filter((e) => e.type === 'bpmn:SequenceFlow' && e.source?.id === sourceId && e.target?.id === targetId);
    return flows[0]?.id ?? null;
  }

  /** Places a small label on an element or flow (the performance overlay's figures and path shares). */
  label(elementId: string, html: HTMLElement, position: Record<string, number> = { bottom: -4, left: 0 }): void {
    if (!this.viewer.get<ElementRegistry>('elementRegistry').get(elementId)) return;
    this.viewer.get<Overlays>('overlays').add(elementId, 'svc-perf', { position, html });
  }

  /** Places a label at the middle of a flow's middle segment. */
  flowLabel(flowId: string, html: HTMLElement): void {
    const flow = this.viewer.get<ElementRegistry>('elementRegistry').get(flowId) as DiagramElement | undefined;
    const points = flow?.waypoints;
    if (!points || points.length < 2) return;
    const a = points[Math.floor((points.length - 1) / 2)];
    const b = points[Math.floor((points.length - 1) / 2) + 1];
    const left = Math.min(...points.map((p) => p.x));
    const top = Math.min(...points.map((p) => p.y));
    this.viewer.get<Overlays>('overlays').add(flowId, 'svc-perf', {
      position: { left: (a.x + b.x) / 2 - left + 4, top: (a.y + b.y) / 2 - top - 9 },
      html,
    });
  }

  destroy(): void {
    this.viewer.destroy();
  }
}

// helpers

/** Definition versions are immutable, so their XML is cached for the page's lifetime. */
function definitionXml(definitionId: string): Promise<string> {
  let xml = xmlCache.get(definitionId);
  if (!xml) {
    xml = api<string>('GET', `/api/definitions/${encodeURIComponent(definitionId)}/xml`, { text: true });
    xml.catch(() => xmlCache.delete(definitionId));
    xmlCache.set(definitionId, xml);
  }
  return xml;
}
