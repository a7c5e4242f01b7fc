/**
 * Graph analysis of one scope: successors, reachability and immediate post-dominators,
 * used to find the split/join blocks that become parallel states.
 */
import type { FlowNode, ProcessModel } from '../bpmn/model.js';

export const EXIT = '__exit__';

/** Flow successors of a node plus its interrupting boundary events (tokens may leave through them). */
export function successorsOf(model: ProcessModel, node: FlowNode): string[] {
  const next = node.outgoing
    .map((flowId) => model.flows[flowId]?.targetId)
    .filter((id): id is string => !!id && !!model.nodes[id]);
  for (const boundaryId of node.boundaryEvents) {
    const boundary = model.nodes[boundaryId];
    // a compensation boundary event leads to its handler by an association, never by a token
    if (boundary?.cancelActivity && boundary.event?.kind !== 'compensation') next.push(boundaryId);
  }
  return next;
}

/** Nodes reachable from `entries`, not passing through `stop` nor leaving `within` (when given), in breadth-first order. */
export function reach(
  model: ProcessModel,
  entries: string[],
  stop: string | null = null,
  within?: Set<string>,
): string[] {
  const allowed = (id: string) => id !== stop && (!within || within.has(id));
  const seen = new Set<string>();
  const queue = entries.filter(allowed);
  for (const id of queue) seen.add(id);
  for (let head = 0; head < queue.length; head++) {
    for (const next of successorsOf(model, model.nodes[queue[head]])) {
      if (!seen.has(next) && allowed(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return queue;
}

/**
 * Immediate post-dominators of the nodes of one scope (Cooper, Harvey & Kennedy on the reversed graph).
 * A node whose every path ends without meeting another node maps to EXIT; nodes that never end are absent.
 */
export function postDominators(model: ProcessModel, scopeNodes: string[]): Map<string, string> {
  const inScope = new Set(scopeNodes);
  const succ = new Map<string, string[]>();
  const pred = new Map<string, string[]>([[EXIT, []]]);
  for (const id of scopeNodes) pred.set(id, []);
  for (const id of scopeNodes) {
    const next = successorsOf(model, model.nodes[id]).filter((n) => inScope.has(n));
    const targets = next.length > 0 ? next : [EXIT];
    succ.set(id, targets);
    for (const t of targets) pred.get(t)!.push(id);
  }
  // reverse graph: walk from EXIT along predecessors; its post-order numbers the nodes
  const order = reversePostOrder(EXIT, (n) => pred.get(n) ?? []);
  const index = new Map(order.map((n, i) => [n, i]));
  const idom = new Map<string, string>([[EXIT, EXIT]]);
  let changed = true;
  while (changed) {
    changed = false;
    for (const n of order) {
      if (n === EXIT) continue;
      const processed = (succ.get(n) ?? []).filter((s) => idom.has(s));
      if (processed.length === 0) continue;
      let candidate = processed[0];
      for (const s of processed.slice(1)) candidate = intersect(s, candidate, idom, index);
      if (idom.get(n) !== candidate) {
        idom.set(n, candidate);
        changed = true;
      }
    }
  }
  idom.delete(EXIT);
  return idom;
}

// helpers

function reversePostOrder(root: string, next: (n: string) => string[]): string[] {
  const seen = new Set<string>([root]);
  const post: string[] = [];
  const stack: Array<{ node: string; children: string[]; i: number }> = [{ node: root, children: next(root), i: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top.i < top.children.length) {
      const child = top.children[top.i++];
      if (!seen.has(child)) {
        seen.add(child);
        stack.push({ node: child, children: next(child), i: 0 });
      }
    } else {
      post.push(top.node);
      stack.pop();
    }
  }
  return post.reverse();
}

function intersect(a: string, b: string, idom: Map<string, string>, index: Map<string, number>): string {
  let x = a;
  let y = b;
  while (x !== y) {
    while (index.get(x)! > index.get(y)!) x = idom.get(x)!;
    while (index.get(y)! > index.get(x)!) y = idom.get(y)!;
  }
  return x;
}
