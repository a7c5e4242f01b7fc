/**
 * Shows the engine's deploy problems on the diagram: a marker and a badge on each named element,
 * with the message. An element's badge goes away once the element is edited.
 */
import type { BpmnElement } from '../bpmn-types';

export interface ElementProblem {
  code: string;
  elementId: string | null;
  elementType: string | null;
  message: string;
}

interface Overlays {
  add(element: string, type: string, overlay: { position: Record<string, number>; html: HTMLElement }): string;
  remove(filter: { type: string; element?: string }): void;
}
interface Canvas {
  addMarker(element: string, marker: string): void;
  removeMarker(element: string, marker: string): void;
}
interface ElementRegistry {
  get(id: string): BpmnElement | undefined;
}
interface EventBus {
  on(event: string, callback: (event: { elements: BpmnElement[] }) => void): void;
  fire(event: string, data?: unknown): void;
}

const MARKER = 'svc-engine-problem';
const OVERLAY = 'svc-engine-problem';

export default class EngineProblems {
  static $inject = ['overlays', 'canvas', 'elementRegistry', 'eventBus', 'translate'];

  private shown = new Set<string>();

  constructor(
    private readonly overlays: Overlays,
    private readonly canvas: Canvas,
    private readonly elementRegistry: ElementRegistry,
    private readonly eventBus: EventBus,
    private readonly translate: (s: string) => string,
  ) {
    eventBus.on('elements.changed', ({ elements }) => {
      for (const element of elements) if (this.shown.has(element.id)) this.clearElement(element.id);
    });
    // A new diagram replaces the old one with its markers: forget what was shown, since its elements may
    // not exist any more and diagram-js throws "reading 'markers'" for a marker on a missing element.
    eventBus.on('import.done', () => {
      this.shown.clear();
      this.overlays.remove({ type: OVERLAY });
    });
  }

  /** Replaces the shown problems; returns those that could not be placed on an element of the diagram. */
  show(problems: ElementProblem[]): ElementProblem[] {
    this.clear();
    const unplaced: ElementProblem[] = [];
    for (const problem of problems) {
      const element = problem.elementId ? this.elementRegistry.get(problem.elementId) : undefined;
      if (!element || element.type === 'bpmn:Process' || !problem.elementId) unplaced.push(problem);
      else this.place(problem.elementId, problem);
    }
    this.eventBus.fire('svc.engineProblems.changed', { problems });
    return unplaced;
  }

  clear(): void {
    for (const id of [...this.shown]) this.clearElement(id);
  }

  // helpers

  private place(elementId: string, problem: ElementProblem): void {
    const badge = document.createElement('div');
    badge.className = 'svc-problem-badge';
    badge.setAttribute('role', 'img');
    badge.setAttribute('aria-label', `${this.translate('Engine problem')}: ${problem.message}`);
    badge.dataset.elementId = elementId;
    badge.dataset.code = problem.code;
    badge.title = problem.message;
    badge.textContent = '!';
    this.canvas.addMarker(elementId, MARKER);
    this.overlays.add(elementId, OVERLAY, { position: { top: -10, right: 12 }, html: badge });
    this.shown.add(elementId);
  }

  private clearElement(id: string): void {
    if (this.elementRegistry.get(id)) this.canvas.removeMarker(id, MARKER);
    this.overlays.remove({ type: OVERLAY, element: id });
    this.shown.delete(id);
  }
}
