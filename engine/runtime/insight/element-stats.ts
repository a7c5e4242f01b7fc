/**
 * The process owner's performance overlay (Optimize-style): per element of one process, over the cases
 * started in a period, how many entered and completed it, the wall-clock time spent in it (mean,
 * nearest-rank median and p90), how many wait in it now and the longest wait, its SLA clocks met and
 * breached, and for gateways how often each outgoing path was taken. Pure: folds history rows.
 */
import type { DurationStats } from '../../store/index.js';

/** One element.entered / element.left history row of an instance, in history order. */
export interface ElementEvent {
  instanceId: string;
  elementId: string | null;
  elementType: string | null;
  event: string;
  at: string;
}

export interface ElementClockCounts {
  elementId: string;
  met: number;
  breached: number;
  open: number;
}

export interface ElementFigures {
  elementId: string;
  elementType: string | null;
  entered: number;
  completed: number;
  /** Tokens in the element now (entered, not left). */
  waiting: number;
  /** The longest current wait (ms), null when nothing waits. */
  longestWaitMs: number | null;
  duration: DurationStats;
  sla: { met: number; breached: number; open: number; breachRate: number | null };
}

export interface ElementPerformance {
  cases: number;
  /** True when the period held more cases than were read (the newest ones are). */
  sampled: boolean;
  elements: ElementFigures[];
  /** Paths taken out of gateways: the gateway, the next element entered, and how often. */
  paths: Array<{ from: string; to: string; n: number }>;
}

/** Folds the history rows (grouped per instance, in order) and SLA counts into the overlay's figures. */
export function elementPerformance(
  events: ElementEvent[],
  clocks: ElementClockCounts[],
  cases: number,
  sampled: boolean,
  now: string,
): ElementPerformance {
  const figures = new Map<
    string,
    { type: string | null; entered: number; completed: number; durations: number[]; open: number[] }
  >();
  const open = new Map<string, number[]>();
  const paths = new Map<string, number>();
  const at = (id: string, type: string | null) => {
    let f = figures.get(id);
    if (!f) figures.set(id, (f = { type, entered: 0, completed: 0, durations: [], open: [] }));
    return f;
  };
  events.forEach((e, i) => {
    if (!e.elementId) return;
    const f = at(e.elementId, e.elementType);
    const key = `${e.instanceId}|${e.elementId}`;
    if (e.event === 'element.entered') {
      f.entered++;
      if (!open.has(key)) open.set(key, []);
      open.get(key)!.push(Date.parse(e.at));
      return;
    }
    if (e.event !== 'element.left') return;
    f.completed++;
    const started = open.get(key)?.shift();
    if (started !== undefined) f.durations.push(Date.parse(e.at) - started);
    // a gateway's path: the element its token entered next in the same step
    const next = events[i + 1];
    if (
      e.elementType?.endsWith('Gateway') &&
      next &&
      next.instanceId === e.instanceId &&
      next.event === 'element.entered' &&
      next.elementId
    ) {
      const path = `${e.elementId}|${next.elementId}`;
      paths.set(path, (paths.get(path) ?? 0) + 1);
    }
  });
  const nowMs = Date.parse(now);
  for (const [key, starts] of open) {
    const elementId = key.slice(key.indexOf('|') + 1);
    for (const started of starts) figures.get(elementId)!.open.push(nowMs - started);
  }
  const slas = new Map(clocks.map((c) => [c.elementId, c]));
  const ids = new Set([...figures.keys(), ...slas.keys()]);
  const elements = [...ids].sort().map((elementId): ElementFigures => {
    const f = figures.get(elementId) ?? { type: null, entered: 0, completed: 0, durations: [], open: [] };
    const c = slas.get(elementId) ?? { met: 0, breached: 0, open: 0 };
    const ended = c.met + c.breached;
    return {
      elementId,
      elementType: f.type,
      entered: f.entered,
      completed: f.completed,
      waiting: f.open.length,
      longestWaitMs: f.open.length > 0 ? Math.max(...f.open) : null,
      duration: statsOf(f.durations),
      sla: {
        met: c.met,
        breached: c.breached,
        open: c.open,
        breachRate: ended > 0 ? Math.round((c.breached / ended) * 1000) / 10 : null,
      },
    };
  });
  return {
    cases,
    sampled,
    elements,
    paths: [...paths.entries()]
      .map(([key, n]) => ({ from: key.split('|')[0], to: key.split('|')[1], n }))
      .sort((a, b) => a.from.localeCompare(b.from) || b.n - a.n),
  };
}

// helpers

function statsOf(values: number[]): DurationStats {
  const n = values.length;
  if (n === 0) return { n: 0, mean: null, median: null, p90: null };
  const sorted = Float64Array.from(values).sort();
  return {
    n,
    mean: Math.round(sorted.reduce((s, v) => s + v, 0) / n),
    median: sorted[Math.ceil(n / 2) - 1],
    p90: sorted[Math.ceil(0.9 * n) - 1],
  };
}
