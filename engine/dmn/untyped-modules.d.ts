/** Types for dmn-moddle's untyped entry point: the slice engine/dmn uses. */
declare module 'dmn-moddle' {
  /** A moddle element: typed properties by name, namespaced extension attributes in `$attrs`. */
  export interface DmnElement {
    readonly $type: string;
    $parent?: DmnElement;
    $attrs?: Record<string, string>;
    id?: string;
    name?: string;
    [property: string]: any;
  }

  export interface DmnWarning {
    message: string;
    element?: DmnElement;
    property?: string;
    value?: string;
  }

  export class DmnModdle {
    constructor(packages?: Record<string, unknown>, options?: Record<string, unknown>);
    fromXML(
      xml: string,
      typeName?: string,
      options?: { lax?: boolean },
    ): Promise<{ rootElement: DmnElement; elementsById: Record<string, DmnElement>; warnings: DmnWarning[] }>;
  }
}
