/**
 * Timers fired per second by engine.tick() alone (no polling, fake clock moved past every due time),
 * for profiling the group-commit path: `node --cpu-prof --import tsx bench/timer-tick.ts [N] [batch]`.
 */
import { Engine } from '../engine/runtime/index.js';
import { tempStore } from './sqlite.js';

const TIMER_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Defs_tick" targetNamespace="http://svcflow.dev/bench">
  <bpmn:process id="tick" isExecutable="true">
    <bpmn:startEvent id="Start" />
    <bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Wait" />
    <bpmn:sequenceFlow id="F2" sourceRef="Wait" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;

const n = Number(process.argv[2] ?? 5000);
const batch = Number(process.argv[3] ?? 200);
const bench = await tempStore('tick');
let now = Date.parse('2026-12-01T09:00:00.000Z');
const engine = new Engine({ store: bench.store, clock: { now: () => new Date(now) }, timerBatch: batch });
await engine.deploy(TIMER_XML);
for (let i = 0; i < n; i++) await engine.startInstance({ definitionKey: 'tick' });
now += 120_000;
const started = performance.now();
const cpu = process.cpuUsage();
let fired = 0;
for (;;) {
  const { timers } = await engine.tick();
  if (timers === 0) break;
  fired += timers;
}
const ms = performance.now() - started;
const used = process.cpuUsage(cpu);
console.log(
  `batch ${batch}: ${fired} timers in ${Math.round(ms)} ms: ${Math.round(fired / (ms / 1000))}/s, CPU ${((used.user + used.system) / 1000 / fired).toFixed(3)} ms per timer`,
);
await bench.close();
