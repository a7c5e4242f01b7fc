/**
 * Timer burst: N instances wait at a timer catch event whose due times fall within a window, then the
 * scheduler (as the server runs it, polling) fires them. Group commit (TIMER_BATCH timers per
 * transaction) and one transaction per timer (batch 1) run on the same kind of database in one run.
 * The clock is injected: while filling, it stands at the start of the window minus the timer's delay
 * spread over the window; when the burst starts it runs at real speed from the window's start, so
 * every timer's lateness is its step's time minus its due time.
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Engine } from '../engine/runtime/index.js';
import { PG_TIMER_WORKERS, TIMER_BATCH } from '../engine/runtime/step/scheduler.js';
import type { BenchResult, Table } from './report.js';
import { tempStore, tempPgStore, type BenchStore } from './sqlite.js';
import { bounded, percentile, round } from './stats.js';

export interface TimerBurstOptions {
  /** Timers in the burst (due spread over windowMs). */
  timers: number;
  windowMs: number;
  /** A second, denser burst: this many timers due in the same second (p99 lateness target < 2 s). */
  sameSecond: number;
  /** Also on PostgreSQL at this url (fewer timers: pgTimers). */
  pgUrl?: string;
  pgTimers: number;
  pollMs: number;
}

export interface BurstFigures {
  label: string;
  timers: number;
  /** Timers fired per second from the window's start until the last one fired. */
  perSecond: number;
  p50LateMs: number;
  p99LateMs: number;
  maxLateMs: number;
  load: number;
  fillPerSecond: number;
}

const KEY = 'Bench_timerBurst';
const DELAY_S = 60;
const TIMER_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Defs_${KEY}" targetNamespace="http://svcflow.dev/bench">
  <bpmn:process id="${KEY}" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT${DELAY_S}S</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Wait" />
    <bpmn:sequenceFlow id="F2" sourceRef="Wait" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;
const TIME_LIMIT_MS = 10 * 60_000;

/** The bursts: SQLite group commit and batch 1, the same-second burst, and PostgreSQL when a url is given. */
export async function benchTimers(options: TimerBurstOptions): Promise<BenchResult> {
  const runs: BurstFigures[] = [];
  const sqlite = () => tempStore('timers');
  runs.push(
    await burst(
      `SQLite, ${TIMER_BATCH} timers per transaction`,
      sqlite,
      options.timers,
      options.windowMs,
      TIMER_BATCH,
      options.pollMs,
    ),
  );
  runs.push(
    await burst('SQLite, one transaction per timer', sqlite, options.timers, options.windowMs, 1, options.pollMs),
  );
  runs.push(
    await burst(
      `SQLite, ${options.sameSecond} due in the same second`,
      sqlite,
      options.sameSecond,
      1000,
      TIMER_BATCH,
      options.pollMs,
    ),
  );
  if (options.pgUrl) {
    const pg = () => tempPgStore(options.pgUrl as string);
    runs.push(
      await burst(
        `PostgreSQL, ${TIMER_BATCH} timers per transaction, ${PG_TIMER_WORKERS} workers`,
        pg,
        options.pgTimers,
        options.windowMs,
        TIMER_BATCH,
        options.pollMs,
      ),
    );
    runs.push(
      await burst(
        `PostgreSQL, ${TIMER_BATCH} timers per transaction, one worker`,
        pg,
        options.pgTimers,
        options.windowMs,
        TIMER_BATCH,
        options.pollMs,
        1,
      ),
    );
    runs.push(
      await burst('PostgreSQL, one transaction per timer', pg, options.pgTimers, options.windowMs, 1, options.pollMs),
    );
  }
  return report(runs);
}

// helpers

async function burst(
  label: string,
  open: () => Promise<BenchStore>,
  timers: number,
  windowMs: number,
  batch: number,
  pollMs: number,
  workers?: number,
): Promise<BurstFigures> {
  const bench = await open();
  try {
    let offset = 0;
    let fixed: number | null = Date.parse('2026-12-01T09:00:00.000Z');
    const clock = { now: () => new Date(fixed ?? Date.now() + offset) };
    const engine = new Engine({ store: bench.store, clock, timerBatch: batch, timerWorkers: workers, nodeId: 'bench' });
    await engine.deploy(TIMER_XML);
    const windowStart = (fixed as number) + DELAY_S * 1000;
    // fill: the i-th instance starts windowMs * i / timers into the window, minus the delay
    const dueOf = new Map<string, number>();
    const onNote = (note: { type: string; at: string; instanceId: string }) => {
      if (note.type === 'instance.started') dueOf.set(note.instanceId, Date.parse(note.at) + DELAY_S * 1000);
    };
    engine.events.on('notification', onNote);
    const fillStarted = performance.now();
    const concurrency = bench.store.dialect === 'postgres' ? 8 : 1;
    await bounded(timers, concurrency, async (i) => {
      fixed = windowStart - DELAY_S * 1000 + Math.floor((windowMs * i) / timers);
      await engine.startInstance({ definitionKey: KEY });
    });
    const fillPerSecond = timers / ((performance.now() - fillStarted) / 1000);
    engine.events.off('notification', onNote);
    const late: number[] = [];
    let lastAt = windowStart;
    engine.events.on('notification', (note: { type: string; at: string; instanceId: string }) => {
      if (note.type !== 'instance.completed') return;
      const at = Date.parse(note.at);
      lastAt = Math.max(lastAt, at);
      late.push(at - dueOf.get(note.instanceId)!);
    });
    const load = round(loadavg()[0]);
    // the burst: time runs from the window's start
    offset = windowStart - Date.now();
    fixed = null;
    const deadline = Date.now() + TIME_LIMIT_MS;
    engine.start(pollMs);
    while (late.length < timers && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await engine.stop();
    const sorted = late.sort((a, b) => a - b);
    return {
      label,
      timers,
      perSecond: round(late.length / Math.max(0.001, (lastAt - windowStart) / 1000), 0),
      p50LateMs: round(percentile(sorted, 50), 0),
      p99LateMs: round(percentile(sorted, 99), 0),
      maxLateMs: round(sorted[sorted.length - 1] ?? 0, 0),
      load,
      fillPerSecond: round(fillPerSecond, 0),
    };
  } finally {
    await bench.close();
  }
}

function report(runs: BurstFigures[]): BenchResult {
  const table: Table = {
    title: "Timers fired by the polling scheduler, one process (rate from the window's start to the last fire)",
    head: ['burst', 'timers', 'fired/s', 'p50 late ms', 'p99 late ms', 'max late ms', 'fill starts/s', 'load at start'],
    rows: runs.map((r) => [
      r.label,
      r.timers,
      r.perSecond,
      r.p50LateMs,
      r.p99LateMs,
      r.maxLateMs,
      r.fillPerSecond,
      r.load,
    ]),
  };
  const [grouped, single] = runs;
  const pgGrouped = runs.find((r) => r.label.startsWith('PostgreSQL') && r.label.includes('workers'));
  const pgSingle = runs.find((r) => r.label.startsWith('PostgreSQL, one'));
  const ratios: Table = {
    title: 'Group commit over one transaction per timer (same run)',
    head: ['database', 'fired/s ratio'],
    rows: [
      ['SQLite', `${round(grouped.perSecond / single.perSecond, 2)}×`],
      ...(pgGrouped && pgSingle ? [['PostgreSQL', `${round(pgGrouped.perSecond / pgSingle.perSecond, 2)}×`]] : []),
    ],
  };
  const same = runs[2];
  return {
    name: 'timer burst (scheduler, group commit)',
    tables: [table, ratios],
    notes: [
      'a burst whose window is shorter than the time its timers take to fire measures the firing rate; p99 lateness then grows with the burst',
      'PostgreSQL fills with 8 concurrent starts; SQLite with one',
    ],
    checks: [
      {
        name: 'SQLite ≥ 10,000 fired/s (100,000 due within 10 s)',
        ok: grouped.perSecond >= 10_000,
        figure: `${grouped.perSecond}/s`,
      },
      {
        name: `p99 lateness < 2 s for ${same.timers} due in the same second`,
        ok: same.p99LateMs < 2000,
        figure: `${same.p99LateMs} ms`,
      },
      ...(pgGrouped
        ? [
            {
              name: 'PostgreSQL one node ≥ 3,000 fired/s',
              ok: pgGrouped.perSecond >= 3000,
              figure: `${pgGrouped.perSecond}/s`,
            },
          ]
        : []),
    ],
    json: { runs },
  };
}
