/** Types for the untyped entry points engine/bpmn uses: bpmn-moddle's main module and saxen. */

/** The slice of bpmn-moddle's main entry that engine/bpmn uses. */
declare module 'bpmn-moddle' {
  /** A moddle element: typed properties by name, plus `get` for namespaced extension attributes. */
  export interface ModdleElement {
    readonly $type: string;
    $parent?: ModdleElement;
    $attrs?: Record<string, string>;
    id?: string;
    name?: string;
    get(name: string): any;
    [property: string]: any;
  }

  /** A non-fatal reading problem; unresolved references carry element, property and value. */
  export interface ModdleWarning {
    message: string;
    error?: Error;
    element?: ModdleElement;
    property?: string;
    value?: string;
  }

  export interface ModdleParseResult {
    rootElement: ModdleElement;
    elementsById: Record<string, ModdleElement>;
    warnings: ModdleWarning[];
  }

  export class BpmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(xml: string, typeName?: string, options?: { lax?: boolean }): Promise<ModdleParseResult>;
    create(type: string, attrs?: Record<string, unknown>): ModdleElement;
    toXML(element: ModdleElement, options?: { format?: boolean }): Promise<{ xml: string }>;
  }
}

/** The slice of saxen (bpmn-moddle's XML tokenizer) used for the well-formedness pre-pass. */
declare module 'saxen' {
  export interface ParseContext {
    line: number;
    column: number;
    data: string;
  }

  export class Parser {
    constructor(options?: { proxy?: boolean });
    ns(map?: Record<string, string>): this;
    on(event: 'openTag', handler: (element: { attrs: Record<string, string> }) => void): this;
    on(event: 'warn' | 'error', handler: (error: Error, getContext: () => ParseContext) => void): this;
    parse(xml: string): Error | undefined;
  }
}
