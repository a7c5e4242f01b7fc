/**
 * Grid layout for a ProcessSpec: lanes stacked top to bottom, columns left to right, sub-processes
 * sized around their children, boundary events on their host's border, orthogonal flow routes.
 */
import type { FlowSpec, NodeSpec, ProcessSpec, Route, Side } from './spec.js';

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface Point {
  x: number;
  y: number;
}

export interface Geometry {
  pool: Bounds;
  lanes: Map<string, Bounds>;
  shapes: Map<string, Bounds>;
  labels: Map<string, Bounds>;
  edges: Map<string, { points: Point[]; label: Bounds | null }>;
  /** Leaf lane (and its parent lane, if any) of every flow node, by where its centre sits. */
  laneRefs: Map<string, string[]>;
}

const POOL = { x: 150, y: 80, label: 30 };
const LANE_LABEL = 30;
const COL = 170;
const ROW = 120;
const SIZE: Record<string, { width: number; height: number }> = {
  event: { width: 36, height: 36 },
  gateway: { width: 50, height: 50 },
  task: { width: 120, height: 80 },
};
const SUB_PAD = { left: 30, right: 30, top: 40, bottom: 25 };

/** Lays out every lane, shape, label and edge of the process. */
export function layout(spec: ProcessSpec): Geometry {
  const grid = laneGrid(spec);
  const shapes = new Map<string, Bounds>();
  for (const node of spec.nodes)
    if (node.kind !== 'subProcess' && node.kind !== 'boundaryEvent') shapes.set(node.id, placed(node, grid));
  for (const node of subProcessesInnermostFirst(spec)) shapes.set(node.id, around(node, spec, shapes));
  for (const node of spec.nodes) if (node.kind === 'boundaryEvent') shapes.set(node.id, onBorder(node, shapes));
  const edges = new Map(spec.flows.map((flow) => [flow.id, route(flow, spec, shapes)]));
  const right = Math.max(
    ...[...shapes.values()].map((b) => b.x + b.width + 60),
    ...[...edges.values()].flatMap((e) => e.points.map((p) => p.x + 30)),
  );
  const pool = { x: POOL.x, y: POOL.y, width: right - POOL.x, height: grid.bottom - POOL.y };
  const lanes = laneBounds(spec, grid, pool);
  const labels = new Map<string, Bounds>();
  for (const node of spec.nodes) {
    const label = nodeLabel(node, shapes.get(node.id)!);
    if (label) labels.set(node.id, label);
  }
  return { pool, lanes, shapes, labels, edges, laneRefs: laneRefsOf(spec, shapes, lanes) };
}

/** The y centre of a row of a lane: for routing channels in process descriptions. */
export function rowY(spec: ProcessSpec, lane: string, row: number): number {
  const grid = laneGrid(spec);
  return grid.top.get(lane)! + (row + 0.5) * ROW;
}

/** The x centre of a column. */
export function colX(spec: ProcessSpec, col: number): number {
  return laneGrid(spec).x0 + col * COL;
}

/** Text width in px at the diagram font: CJK glyphs are about twice as wide as Latin ones. */
export function textWidth(text: string): number {
  let width = 0;
  for (const ch of text) width += /[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 12 : 6.3;
  return width;
}

// helpers

interface Grid {
  top: Map<string, number>;
  bottom: number;
  x0: number;
}

function laneGrid(spec: ProcessSpec): Grid {
  const top = new Map<string, number>();
  let y = POOL.y;
  for (const lane of spec.lanes) {
    top.set(lane.id, y);
    y += lane.rows * ROW;
  }
  const nested = spec.laneGroups.length > 0 ? LANE_LABEL : 0;
  return { top, bottom: y, x0: POOL.x + POOL.label + nested + LANE_LABEL + 90 };
}

function sizeOf(node: NodeSpec): { width: number; height: number } {
  if (node.kind.endsWith('Event')) return SIZE.event;
  if (node.kind.endsWith('Gateway')) return SIZE.gateway;
  return SIZE.task;
}

function placed(node: NodeSpec, grid: Grid): Bounds {
  if (!node.place) throw new Error(`node '${node.id}' has no place`);
  const top = grid.top.get(node.place.lane);
  if (top === undefined) throw new Error(`node '${node.id}' is placed in unknown lane '${node.place.lane}'`);
  const cx = grid.x0 + node.place.col * COL;
  const cy = top + ((node.place.row ?? 0) + 0.5) * ROW;
  const { width, height } = sizeOf(node);
  return { x: Math.round(cx - width / 2), y: Math.round(cy - height / 2), width, height };
}

function subProcessesInnermostFirst(spec: ProcessSpec): NodeSpec[] {
  const depth = (node: NodeSpec): number =>
    node.parent ? 1 + depth(spec.nodes.find((n) => n.id === node.parent)!) : 0;
  return spec.nodes.filter((n) => n.kind === 'subProcess').sort((a, b) => depth(b) - depth(a));
}

/** A sub-process's bounds: its children (and their boundary events) plus padding. */
function around(sub: NodeSpec, spec: ProcessSpec, shapes: Map<string, Bounds>): Bounds {
  const children = spec.nodes
    .filter((n) => n.parent === sub.id && n.kind !== 'boundaryEvent')
    .map((n) => shapes.get(n.id)!);
  if (children.length === 0) throw new Error(`sub-process '${sub.id}' has no children`);
  const pad = { ...SUB_PAD, ...sub.pad };
  const x = Math.min(...children.map((b) => b.x)) - pad.left;
  const y = Math.min(...children.map((b) => b.y)) - pad.top;
  const right = Math.max(...children.map((b) => b.x + b.width)) + pad.right;
  const bottom = Math.max(...children.map((b) => b.y + b.height)) + pad.bottom;
  return { x, y, width: right - x, height: bottom - y };
}

function onBorder(node: NodeSpec, shapes: Map<string, Bounds>): Bounds {
  const host = shapes.get(node.attachedTo!);
  if (!host) throw new Error(`boundary '${node.id}' is attached to unknown '${node.attachedTo}'`);
  const at = node.at ?? 0.5;
  const side = node.side ?? 'bottom';
  const cx = side === 'left' ? host.x : side === 'right' ? host.x + host.width : host.x + at * host.width;
  const cy = side === 'top' ? host.y : side === 'bottom' ? host.y + host.height : host.y + at * host.height;
  return { x: Math.round(cx - 18), y: Math.round(cy - 18), width: 36, height: 36 };
}

function laneBounds(spec: ProcessSpec, grid: Grid, pool: Bounds): Map<string, Bounds> {
  const lanes = new Map<string, Bounds>();
  const laneX = pool.x + POOL.label;
  for (const lane of spec.lanes) {
    const x = lane.parent ? laneX + LANE_LABEL : laneX;
    lanes.set(lane.id, { x, y: grid.top.get(lane.id)!, width: pool.x + pool.width - x, height: lane.rows * ROW });
  }
  for (const group of spec.laneGroups) {
    const children = spec.lanes.filter((l) => l.parent === group.id).map((l) => lanes.get(l.id)!);
    const y = Math.min(...children.map((b) => b.y));
    const bottom = Math.max(...children.map((b) => b.y + b.height));
    lanes.set(group.id, { x: laneX, y, width: pool.x + pool.width - laneX, height: bottom - y });
  }
  return lanes;
}

function laneRefsOf(spec: ProcessSpec, shapes: Map<string, Bounds>, lanes: Map<string, Bounds>): Map<string, string[]> {
  const refs = new Map<string, string[]>(spec.lanes.map((l) => [l.id, []]));
  for (const group of spec.laneGroups) refs.set(group.id, []);
  for (const node of spec.nodes) {
    const b = shapes.get(node.id)!;
    const cy = b.y + b.height / 2;
    const lane = spec.lanes.find((l) => {
      const lb = lanes.get(l.id)!;
      return cy >= lb.y && cy < lb.y + lb.height;
    });
    if (!lane) throw new Error(`node '${node.id}' lies outside every lane`);
    refs.get(lane.id)!.push(node.id);
    if (lane.parent) refs.get(lane.parent)!.push(node.id);
  }
  return refs;
}

/** External labels of events and gateways; tasks and sub-processes carry their names inside. */
function nodeLabel(node: NodeSpec, b: Bounds): Bounds | null {
  const external = node.kind.endsWith('Event') || node.kind.endsWith('Gateway');
  if (!external || !node.name) return null;
  const width = 110;
  const height = linesOf(node.name, width) * 14;
  const cx = b.x + b.width / 2;
  if (node.kind === 'boundaryEvent' && !node.labelSide) {
    const w = Math.min(width, Math.ceil(Math.max(...node.name.split('\n').map(textWidth))) + 6);
    const h = linesOf(node.name, w + 6) * 14;
    const before = (node.at ?? 0.5) < 0.5;
    if (node.side === 'right')
      return { x: b.x + b.width + 2, y: before ? b.y - h : b.y + b.height, width: w, height: h };
    return { x: before ? b.x - w : b.x + b.width, y: b.y + b.height - 8, width: w, height: h };
  }
  const side = node.labelSide ?? (node.kind.endsWith('Gateway') ? 'top' : 'bottom');
  switch (side) {
    case 'top':
      return { x: Math.round(cx - width / 2), y: b.y - 6 - height, width, height };
    case 'topLeft':
      return { x: b.x - width + 10, y: b.y - height, width, height };
    case 'topRight':
      return { x: b.x + b.width - 10, y: b.y - height, width, height };
    case 'bottomLeft':
      return { x: b.x - width + 10, y: b.y + b.height, width, height };
    case 'left':
      return { x: b.x - 6 - width, y: Math.round(b.y + b.height / 2 - height / 2), width, height };
    case 'right':
      return { x: b.x + b.width + 6, y: Math.round(b.y + b.height / 2 - height / 2), width, height };
    default:
      return { x: Math.round(cx - width / 2), y: b.y + b.height + 5, width, height };
  }
}

function linesOf(text: string, width: number): number {
  return text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil(textWidth(line) / (width - 6))), 0);
}

function route(
  flow: FlowSpec,
  spec: ProcessSpec,
  shapes: Map<string, Bounds>,
): { points: Point[]; label: Bounds | null } {
  const source = spec.nodes.find((n) => n.id === flow.from);
  const target = spec.nodes.find((n) => n.id === flow.to);
  if (!source || !target) throw new Error(`flow '${flow.id}' connects unknown elements`);
  const s = shapes.get(source.id)!;
  const t = shapes.get(target.id)!;
  const sides = chooseSides(flow, source, target, spec, s, t);
  const points = orthogonal(s, t, sides.out, sides.in, flow.route ?? {}).map((p) => ({
    x: Math.round(p.x),
    y: Math.round(p.y),
  }));
  return { points: simplify(points), label: flow.name ? edgeLabel(flow.name, points, flow.route) : null };
}

function chooseSides(
  flow: FlowSpec,
  source: NodeSpec,
  target: NodeSpec,
  spec: ProcessSpec,
  s: Bounds,
  t: Bounds,
): { out: Side; in: Side } {
  const hint = flow.route ?? {};
  const dx = centre(t).x - centre(s).x;
  const dy = centre(t).y - centre(s).y;
  const level = Math.abs(dy) < 3;
  const down: Side = dy > 0 ? 'bottom' : 'top';
  const up: Side = dy > 0 ? 'top' : 'bottom';
  const outgoing = spec.flows.filter((f) => f.from === source.id).length;
  const incoming = spec.flows.filter((f) => f.to === target.id).length;
  let out: Side;
  let into: Side;
  if (source.kind === 'boundaryEvent') {
    out = source.side ?? 'bottom';
    into = level || out === 'right' ? 'left' : dx > 0 ? 'left' : up;
  } else if (dx <= 0 && !level) {
    out = down;
    into = up;
  } else if (dx <= 0) {
    out = 'bottom';
    into = 'bottom';
  } else if (level) {
    out = 'right';
    into = 'left';
  } else if (source.kind.endsWith('Gateway') && outgoing > 1) {
    out = down;
    into = 'left';
  } else if (target.kind.endsWith('Gateway') && incoming > 1) {
    out = 'right';
    into = up;
  } else {
    out = 'right';
    into = 'left';
  }
  return { out: hint.out ?? out, in: hint.in ?? into };
}

function centre(b: Bounds): Point {
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

function port(b: Bounds, side: Side, pos?: number): Point {
  const c = centre(b);
  switch (side) {
    case 'left':
      return { x: b.x, y: pos ?? c.y };
    case 'right':
      return { x: b.x + b.width, y: pos ?? c.y };
    case 'top':
      return { x: pos ?? c.x, y: b.y };
    default:
      return { x: pos ?? c.x, y: b.y + b.height };
  }
}

const horizontal = (side: Side) => side === 'left' || side === 'right';

function orthogonal(s: Bounds, t: Bounds, out: Side, into: Side, hint: Route): Point[] {
  const a = port(s, out, hint.outPos);
  const b = port(t, into, hint.inPos);
  if (hint.via) return [a, ...hint.via, b];
  if (horizontal(out) && horizontal(into)) {
    if (Math.abs(a.y - b.y) < 1 && hint.viaY === undefined) return [a, b];
    const forward = (out === 'right') === b.x > a.x;
    if (forward && hint.viaY === undefined) {
      const x = hint.viaX ?? (a.x + b.x) / 2;
      return [a, { x, y: a.y }, { x, y: b.y }, b];
    }
    const ax = a.x + (out === 'right' ? 20 : -20);
    const bx = b.x + (into === 'left' ? -20 : 20);
    const y = hint.viaY ?? Math.max(s.y + s.height, t.y + t.height) + 30;
    return [a, { x: ax, y: a.y }, { x: ax, y }, { x: bx, y }, { x: bx, y: b.y }, b];
  }
  if (!horizontal(out) && horizontal(into)) {
    if (hint.viaY !== undefined) {
      const bx = b.x + (into === 'left' ? -20 : 20);
      return [a, { x: a.x, y: hint.viaY }, { x: bx, y: hint.viaY }, { x: bx, y: b.y }, b];
    }
    return [a, { x: a.x, y: b.y }, b];
  }
  if (horizontal(out) && !horizontal(into)) {
    if (hint.viaX !== undefined)
      return [a, { x: hint.viaX, y: a.y }, { x: hint.viaX, y: (a.y + b.y) / 2 }, { x: b.x, y: (a.y + b.y) / 2 }, b];
    return [a, { x: b.x, y: a.y }, b];
  }
  if (Math.abs(a.x - b.x) < 1 && hint.viaY === undefined) return [a, b];
  const y =
    hint.viaY ??
    (out === 'bottom' && into === 'bottom'
      ? Math.max(a.y, b.y) + 30
      : out === 'top' && into === 'top'
        ? Math.min(a.y, b.y) - 30
        : (a.y + b.y) / 2);
  return [a, { x: a.x, y }, { x: b.x, y }, b];
}

/** Drops repeated points and middle points of straight runs. */
function simplify(points: Point[]): Point[] {
  const unique = points.filter((p, i) => i === 0 || p.x !== points[i - 1].x || p.y !== points[i - 1].y);
  return unique.filter((p, i) => {
    if (i === 0 || i === unique.length - 1) return true;
    const prev = unique[i - 1];
    const next = unique[i + 1];
    return !((prev.x === p.x && p.x === next.x) || (prev.y === p.y && p.y === next.y));
  });
}

/** A flow label just past the first bend (or near the start of a straight flow). */
function edgeLabel(name: string, points: Point[], hint: Route | undefined): Bounds {
  const width = Math.min(140, Math.max(40, Math.ceil(Math.max(...name.split('\n').map(textWidth))) + 8));
  const height = linesOf(name, width + 6) * 14;
  const [a, b] = points;
  const verticalFirst = Math.abs(a.x - b.x) < 1;
  const anchor = verticalFirst
    ? {
        x: a.x + 6,
        y: Math.abs(b.y - a.y) > 2 * height + 10 ? (a.y + b.y) / 2 - height / 2 : Math.min(a.y, b.y) - height - 3,
      }
    : { x: a.x + 8, y: a.y - height - 3 };
  return {
    x: Math.round(anchor.x + (hint?.label?.dx ?? 0)),
    y: Math.round(anchor.y + (hint?.label?.dy ?? 0)),
    width,
    height,
  };
}
