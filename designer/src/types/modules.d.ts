/** Types for the bpmn-io packages that ship none; only what the app uses. */

declare module 'bpmn-js-properties-panel' {
  export const BpmnPropertiesPanelModule: any;
  export const BpmnPropertiesProviderModule: any;
  export const CamundaPlatformPropertiesProviderModule: any;
  export const ZeebePropertiesProviderModule: any;
  export function useService<T = any>(name: string, strict?: boolean): T;
}

declare module '@bpmn-io/properties-panel' {
  export const Group: any;
  export const TextFieldEntry: any;
  export const SelectEntry: any;
  export const isTextFieldEntryEdited: any;
  export const isSelectEntryEdited: any;
}

declare module '@bpmn-io/properties-panel/preact' {
  export function h(type: unknown, props?: Record<string, unknown> | null, ...children: unknown[]): any;
}

declare module 'bpmn-js-bpmnlint' {
  const module: any;
  export default module;
}

declare module 'diagram-js-minimap' {
  const module: any;
  export default module;
}

declare module 'camunda-bpmn-js-behaviors/lib/camunda-platform' {
  const module: any;
  export default module;
}

declare module 'camunda-bpmn-js-behaviors/lib/camunda-cloud' {
  const module: any;
  export default module;
}

declare module 'bpmnlint/rules/*' {
  import type { RuleFactory } from '../modeler/lint/lint-types';
  const rule: RuleFactory;
  export default rule;
}

declare module 'dmn-js/lib/Modeler' {
  /** One editor of a DMN document: the requirements diagram, or a decision's table or literal expression. */
  export interface DmnView {
    type: 'drd' | 'decisionTable' | 'literalExpression' | 'boxedExpression';
    element: { id: string; name?: string; $type: string };
  }
  export default class DmnModeler {
    constructor(options: {
      container: HTMLElement;
      keyboard?: { bindTo: unknown };
      [view: string]: unknown;
    });
    importXML(xml: string): Promise<{ warnings: unknown[] }>;
    saveXML(options?: { format?: boolean }): Promise<{ xml?: string }>;
    getViews(): DmnView[];
    getActiveView(): DmnView | undefined;
    open(view: DmnView): Promise<unknown>;
    on(event: string, callback: (event: unknown) => void): void;
    destroy(): void;
  }
}
