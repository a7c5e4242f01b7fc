/** The slice of bpmn-js's element and moddle types the designer's extensions use. */

export interface ModdleElement {
  $type: string;
  $parent?: ModdleElement;
  id?: string;
  name?: string;
  $instanceOf(type: string): boolean;
  get(name: string): unknown;
  set(name: string, value: unknown): void;
}

/** A shape or connection on the canvas. */
export interface BpmnElement {
  id: string;
  type: string;
  businessObject: ModdleElement;
  waypoints?: unknown[];
  labelTarget?: BpmnElement;
}

/** diagram-js's injector as extensions see it. */
export interface Injector {
  get<T = unknown>(name: string): T;
}
