/**
 * A compact, typed description of one reference process: lanes on a grid, flow nodes placed by
 * (lane, row, column), flows with optional routing hints. `layout.ts` turns it into diagram
 * geometry and `xml.ts` into BPMN 2.0 XML with full diagram interchange.
 */

export type Side = 'left' | 'right' | 'top' | 'bottom';

export type Kind =
  | 'startEvent'
  | 'endEvent'
  | 'intermediateCatchEvent'
  | 'boundaryEvent'
  | 'userTask'
  | 'serviceTask'
  | 'sendTask'
  | 'receiveTask'
  | 'scriptTask'
  | 'businessRuleTask'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'inclusiveGateway'
  | 'eventBasedGateway'
  | 'subProcess';

/** A grid position: column (fractions allowed) and row within a lane. */
export interface Place {
  lane: string;
  col: number;
  row?: number;
}

/** A zeebe mapping as written in the XML: `source` is FEEL when it starts with '=', else a literal. */
export interface Mapping {
  source: string;
  target: string;
}

export interface SlaSpec {
  /** ISO 8601 duration or FEEL (`=…`) returning one. */
  target: string;
  warnAt?: string;
  calendar: string;
  pauseWhile?: string[];
}

export interface TimerSpec {
  type: 'timeDuration' | 'timeDate' | 'timeCycle';
  value: string;
}

export interface NodeSpec {
  id: string;
  kind: Kind;
  /** Shown in the diagram: "English\n中文". */
  name: string;
  /** bpmn:documentation: "English / 中文". */
  doc: string;
  /** The sub-process this node sits in, or null for the process itself. */
  parent: string | null;
  place?: Place;
  form?: string;
  assignee?: string;
  groups?: string;
  priority?: string;
  dueDate?: string;
  jobType?: string;
  inputs?: Mapping[];
  outputs?: Mapping[];
  script?: { expression: string; resultVariable: string };
  /** A business rule task's DMN decision (Camunda 8 `zeebe:calledDecision`). */
  decision?: { id: string; resultVariable: string };
  messageRef?: string;
  timer?: TimerSpec;
  escalationRef?: string;
  signalRef?: string;
  /** Sub-processes: an event sub-process, started by its start event's trigger. */
  triggeredByEvent?: boolean;
  attachedTo?: string;
  interrupting?: boolean;
  /** Boundary events: the side of the host they sit on and where along it (0–1). */
  side?: Side;
  at?: number;
  sla?: SlaSpec;
  properties?: Record<string, string>;
  labelSide?: 'top' | 'bottom' | 'left' | 'right' | 'topLeft' | 'bottomLeft' | 'topRight';
  /** Sub-processes: extra padding (px) around their children. */
  pad?: { left?: number; right?: number; top?: number; bottom?: number };
}

/** Routing hints for one flow; anything left out is chosen by the layout. */
export interface Route {
  out?: Side;
  in?: Side;
  /** y of the horizontal channel a vertical-vertical or backward route runs along. */
  viaY?: number;
  /** x of the vertical channel a horizontal-horizontal route runs along. */
  viaX?: number;
  /** Explicit bend points between the two ports; overrides viaX/viaY. */
  via?: Array<{ x: number; y: number }>;
  /** Where along the side the flow leaves or enters (y for left/right, x for top/bottom); default the middle. */
  outPos?: number;
  inPos?: number;
  /** Moves the label from where the layout puts it. */
  label?: { dx: number; dy: number };
}

export interface FlowSpec {
  id: string;
  from: string;
  to: string;
  /** FEEL with its leading '='. */
  condition?: string;
  name?: string;
  isDefault?: boolean;
  route?: Route;
}

export interface LaneSpec {
  id: string;
  name: string;
  doc: string;
  rows: number;
  /** A parent lane (e.g. "Front stage") holding this one. */
  parent?: string;
}

export interface MessageSpec {
  id: string;
  name: string;
  correlationKey: string;
}

export interface ProcessSpec {
  id: string;
  name: string;
  doc: string;
  sla?: SlaSpec;
  /** `svc:businessKey`: the variable holding the business key and how a missing one is generated. */
  businessKey?: { variable: string; prefix: string; period: 'day' | 'year' };
  /** `svc:candidateStarters`: the groups whose members may start instances (the tasklist's "New case"). */
  starterGroups?: string[];
  lanes: LaneSpec[];
  /** Parent lanes: id, name and documentation; their children name them in `parent`. */
  laneGroups: Array<{ id: string; name: string; doc: string }>;
  nodes: NodeSpec[];
  flows: FlowSpec[];
  messages: MessageSpec[];
  signals?: Array<{ id: string; name: string }>;
}

/** Builds a ProcessSpec step by step; every helper returns the id it created so chains read naturally. */
export class ProcessBuilder {
  readonly spec: ProcessSpec;
  private scope: string | null = null;

  constructor(id: string, name: string, doc: string) {
    this.spec = { id, name, doc, lanes: [], laneGroups: [], nodes: [], flows: [], messages: [] };
  }

  signal(id: string, name: string): string {
    (this.spec.signals ??= []).push({ id, name });
    return id;
  }

  lane(id: string, name: string, doc: string, rows = 1, parent?: string): void {
    this.spec.lanes.push({ id, name, doc, rows, parent });
  }

  laneGroup(id: string, name: string, doc: string): void {
    this.spec.laneGroups.push({ id, name, doc });
  }

  message(id: string, name: string, correlationKey: string): string {
    this.spec.messages.push({ id, name, correlationKey });
    return id;
  }

  /** Adds a node in the current scope (the process, or the sub-process opened with `inside`). */
  node(spec: Omit<NodeSpec, 'parent'> & { parent?: string | null }): string {
    if (this.spec.nodes.some((n) => n.id === spec.id)) throw new Error(`duplicate node id '${spec.id}'`);
    this.spec.nodes.push({ ...spec, parent: spec.parent === undefined ? this.scope : spec.parent });
    return spec.id;
  }

  /** Runs `body` with new nodes placed inside sub-process `id`. */
  inside(id: string, body: () => void): void {
    const outer = this.scope;
    this.scope = id;
    try {
      body();
    } finally {
      this.scope = outer;
    }
  }

  flow(from: string, to: string, options: Partial<Omit<FlowSpec, 'from' | 'to'>> = {}): string {
    const id = options.id ?? `Flow_${from}_${to}`;
    if (this.spec.flows.some((f) => f.id === id)) throw new Error(`duplicate flow id '${id}'`);
    this.spec.flows.push({ ...options, id, from, to });
    return id;
  }

  /** Unconditional flows along a chain of ids. */
  chain(...ids: string[]): void {
    for (const [i, to] of ids.slice(1).entries()) this.flow(ids[i], to);
  }

  /** A conditional flow; `condition` is FEEL without the leading '='. */
  when(from: string, to: string, condition: string, name: string, route?: Route): string {
    return this.flow(from, to, { condition: `=${condition}`, name, route });
  }

  /** The default flow of a gateway. */
  otherwise(from: string, to: string, name: string, route?: Route): string {
    return this.flow(from, to, { isDefault: true, name, route });
  }

  get(id: string): NodeSpec {
    const node = this.spec.nodes.find((n) => n.id === id);
    if (!node) throw new Error(`unknown node '${id}'`);
    return node;
  }
}
