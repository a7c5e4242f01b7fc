/**
 * The benchmark models: the simple user-task process the throughput figures use, and a generated
 * large process (sequences, loops, nested parallel blocks, sub-processes, boundary timers).
 */

const NS =
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

export const SIMPLE_KEY = 'Bench_simpleUserTask';
export const SIMPLE_TASK = 'Task_review';

/** start → user task → end, in plain BPMN so bpmn-engine runs the very same XML. */
export const simpleUserTaskXml = document(SIMPLE_KEY, [
  '<bpmn:startEvent id="StartEvent_1" />',
  `<bpmn:userTask id="${SIMPLE_TASK}" name="Review request" />`,
  '<bpmn:endEvent id="EndEvent_1" />',
  flow('StartEvent_1', SIMPLE_TASK),
  flow(SIMPLE_TASK, 'EndEvent_1'),
]);

export const PARALLEL_KEY = 'Bench_parallelThree';
export const PARALLEL_TASKS = ['Task_billing', 'Task_shipping', 'Task_notes'];

/** start → parallel split → three user tasks → parallel join → end, plain BPMN for both engines. */
export const parallelThreeXml = document(PARALLEL_KEY, [
  '<bpmn:startEvent id="StartEvent_1" />',
  '<bpmn:parallelGateway id="Gateway_split" />',
  ...PARALLEL_TASKS.map((id) => `<bpmn:userTask id="${id}" />`),
  '<bpmn:parallelGateway id="Gateway_join" />',
  '<bpmn:endEvent id="EndEvent_1" />',
  flow('StartEvent_1', 'Gateway_split'),
  ...PARALLEL_TASKS.flatMap((id) => [flow('Gateway_split', id), flow(id, 'Gateway_join')]),
  flow('Gateway_join', 'EndEvent_1'),
]);

export const MI_KEY = 'Bench_multiInstanceReview';
export const MI_TASK = 'Task_review';
export const MI_ITEMS = 50;

/** start → parallel multi-instance user task (loop cardinality 50) → end, plain BPMN for both engines. */
export const multiInstanceXml = document(MI_KEY, [
  '<bpmn:startEvent id="StartEvent_1" />',
  `<bpmn:userTask id="${MI_TASK}"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality xsi:type="bpmn:tFormalExpression">${MI_ITEMS}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>`,
  '<bpmn:endEvent id="EndEvent_1" />',
  flow('StartEvent_1', MI_TASK),
  flow(MI_TASK, 'EndEvent_1'),
]);

export const CALL_KEY = 'Bench_callActivity';
export const CALLED_KEY = 'Bench_calledNotify';
export const CALLED_TASK = 'Task_notify';

const callerBody = [
  '<bpmn:startEvent id="StartEvent_1" />',
  `<bpmn:callActivity id="Call_notify" calledElement="${CALLED_KEY}" />`,
  '<bpmn:endEvent id="EndEvent_1" />',
  flow('StartEvent_1', 'Call_notify'),
  flow('Call_notify', 'EndEvent_1'),
];
const calledBody = [
  '<bpmn:startEvent id="StartEvent_c" />',
  `<bpmn:userTask id="${CALLED_TASK}" />`,
  '<bpmn:endEvent id="EndEvent_c" />',
  flow('StartEvent_c', CALLED_TASK),
  flow(CALLED_TASK, 'EndEvent_c'),
];

/** start → call activity → end, calling start → user task → end; svcflow deploys the two processes as two files. */
export const callerXml = document(CALL_KEY, callerBody);
export const calledXml = document(CALLED_KEY, calledBody);

/** The same two processes in one document for bpmn-engine, which calls processes of its own definitions (the called one not executable, so only the caller starts). */
export const callPairXml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Definitions_${CALL_KEY}" targetNamespace="https://svcflow.dev/bench">
  <bpmn:process id="${CALL_KEY}" isExecutable="true">
    ${callerBody.join('\n    ')}
  </bpmn:process>
  <bpmn:process id="${CALLED_KEY}" isExecutable="false">
    ${calledBody.join('\n    ')}
  </bpmn:process>
</bpmn:definitions>`;

export const LARGE_KEY = 'Bench_largeProcess';
const LARGEST_SEGMENT = 16;

/** A generated process of `nodes` flow nodes (sub-process children included); returns the XML and the count. */
export function largeProcessXml(
  nodes = 1000,
  segments: Segment[] = SEGMENTS,
  key = LARGE_KEY,
): { xml: string; nodes: number } {
  const b = new Builder();
  let tail = b.node(event('start', 'StartEvent_1'));
  const subProcessAt = new Set([Math.floor(nodes / 3), Math.floor((2 * nodes) / 3)]);
  let i = 0;
  for (; b.count < nodes - LARGEST_SEGMENT; i++) {
    const dueSub = [...subProcessAt].find((at) => b.count >= at);
    subProcessAt.delete(dueSub ?? -1);
    tail = (dueSub === undefined ? segments[i % segments.length] : subProcess)(b, tail, i);
  }
  for (; b.count < nodes - 1; i++) tail = b.chain(tail, userTask(`Task_extra_${i}`));
  b.link(tail, b.node(event('end', 'EndEvent_1')));
  return { xml: document(key, b.parts), nodes: b.count };
}

export const UNSTRUCTURED_KEY = 'Bench_unstructuredProcess';

/**
 * The same generator with unstructured segments mixed in (multi-merge, implicit splits, a loop out of
 * a parallel region): the process scope compiles as one token region.
 */
export function largeUnstructuredXml(nodes = 1000): { xml: string; nodes: number } {
  return largeProcessXml(
    nodes,
    [sequence, multiMerge, loop, implicitSplit, choice, guardedTask, loopOutOfParallel],
    UNSTRUCTURED_KEY,
  );
}

/** How many elements of each BPMN type a document holds (sequence flows included), for the report. */
export function elementMix(xml: string): Record<string, number> {
  const mix: Record<string, number> = {};
  for (const [, type] of xml.matchAll(/<bpmn:(\w+) id=/g)) mix[type] = (mix[type] ?? 0) + 1;
  delete mix.process;
  delete mix.definitions;
  return mix;
}

// helpers

type Segment = (b: Builder, from: string, i: number) => string;
type Spec = [id: string, xml: string];

class Builder {
  readonly parts: string[] = [];
  count = 0;

  node([id, xml]: Spec): string {
    this.parts.push(xml);
    this.count++;
    return id;
  }

  link(from: string, to: string, condition?: string, id = `Flow_${from}_${to}`): string {
    this.parts.push(flow(from, to, condition, id));
    return id;
  }

  /** Appends a chain of nodes after `from`; returns the last id. */
  chain(from: string, ...nodes: Spec[]): string {
    let prev = from;
    for (const spec of nodes) {
      this.link(prev, this.node(spec));
      prev = spec[0];
    }
    return prev;
  }
}

const event = (kind: 'start' | 'end', id: string): Spec => [id, `<bpmn:${kind}Event id="${id}" />`];
const userTask = (id: string): Spec => [id, `<bpmn:userTask id="${id}" name="${id}" />`];
const serviceTask = (id: string): Spec => [
  id,
  `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="crm.update" /></bpmn:extensionElements></bpmn:serviceTask>`,
];
const gateway = (kind: string, id: string, defaultFlow?: string): Spec => [
  id,
  `<bpmn:${kind}Gateway id="${id}"${defaultFlow ? ` default="${defaultFlow}"` : ''} />`,
];

const sequence: Segment = (b, from, i) =>
  b.chain(from, userTask(`Task_triage_${i}`), serviceTask(`Task_enrich_${i}`), userTask(`Task_answer_${i}`));

// Merge → work → check; the check loops back unless `done` is true.
const loop: Segment = (b, from, i) => {
  const [merge, check, close] = [`Gateway_merge_${i}`, `Gateway_check_${i}`, `Task_close_${i}`];
  const back = `Flow_again_${i}`;
  b.chain(
    from,
    gateway('exclusive', merge),
    userTask(`Task_work_${i}`),
    serviceTask(`Task_verify_${i}`),
    gateway('exclusive', check, back),
  );
  b.link(check, merge, undefined, back);
  b.link(check, b.node(serviceTask(close)), 'done = true');
  return close;
};

// Split → (A1 → A2 | InnerSplit → (B1 | B2) → InnerJoin) → Join.
const nestedParallel: Segment = (b, from, i) => {
  const [split, join, inner, innerJoin] = [
    `Gateway_split_${i}`,
    `Gateway_join_${i}`,
    `Gateway_innerSplit_${i}`,
    `Gateway_innerJoin_${i}`,
  ];
  b.chain(from, gateway('parallel', split));
  b.link(b.chain(split, userTask(`Task_a1_${i}`), serviceTask(`Task_a2_${i}`)), b.node(gateway('parallel', join)));
  b.chain(split, gateway('parallel', inner));
  b.node(gateway('parallel', innerJoin));
  b.link(b.chain(inner, userTask(`Task_b1_${i}`)), innerJoin);
  b.link(b.chain(inner, serviceTask(`Task_b2_${i}`)), innerJoin);
  b.link(innerJoin, join);
  return join;
};

// An exclusive choice on a FEEL condition with a default flow, merged again.
const choice: Segment = (b, from, i) => {
  const [choose, merge, dflt] = [`Gateway_choose_${i}`, `Gateway_chosen_${i}`, `Flow_standard_${i}`];
  b.chain(from, gateway('exclusive', choose, dflt));
  b.node(gateway('exclusive', merge));
  b.link(choose, b.node(userTask(`Task_urgent_${i}`)), 'priority > 3', `Flow_urgent_${i}`);
  b.link(`Task_urgent_${i}`, merge);
  b.link(choose, b.node(serviceTask(`Task_standard_${i}`)), undefined, dflt);
  b.link(`Task_standard_${i}`, merge);
  return merge;
};

// A user task with an interrupting SLA timer that escalates, and a non-interrupting reminder.
const guardedTask: Segment = (b, from, i) => {
  const [task, merge] = [`Task_resolve_${i}`, `Gateway_resolved_${i}`];
  b.chain(from, userTask(task));
  b.node(gateway('exclusive', merge));
  b.link(task, merge);
  b.link(b.chain(b.node(boundaryTimer(`Timer_sla_${i}`, task, 'PT4H', true)), userTask(`Task_escalated_${i}`)), merge);
  b.chain(
    b.node(boundaryTimer(`Timer_remind_${i}`, task, 'PT1H', false)),
    serviceTask(`Task_remind_${i}`),
    event('end', `End_reminded_${i}`),
  );
  return merge;
};

const SEGMENTS: Segment[] = [sequence, loop, nestedParallel, choice, guardedTask];

// Parallel split → exclusive merge: the task after the merge runs once per branch.
const multiMerge: Segment = (b, from, i) => {
  const [split, merge] = [`Gateway_fork_${i}`, `Gateway_anyOf_${i}`];
  b.chain(from, gateway('parallel', split));
  b.node(gateway('exclusive', merge));
  b.link(b.chain(split, userTask(`Task_mm_a_${i}`)), merge);
  b.link(b.chain(split, serviceTask(`Task_mm_b_${i}`)), merge);
  return b.chain(merge, userTask(`Task_mm_after_${i}`));
};

// A task with two unconditional outgoing flows (implicit parallel split), joined by a parallel gateway.
const implicitSplit: Segment = (b, from, i) => {
  const [task, join] = [`Task_fanOut_${i}`, `Gateway_fanIn_${i}`];
  b.chain(from, userTask(task));
  b.node(gateway('parallel', join));
  b.link(b.chain(task, serviceTask(`Task_fan_a_${i}`)), join);
  b.link(b.chain(task, userTask(`Task_fan_b_${i}`)), join);
  return join;
};

// Merge → split → (A → check: back to the merge, or on to the join | B → join).
const loopOutOfParallel: Segment = (b, from, i) => {
  const [merge, split, check, join] = [
    `Gateway_reenter_${i}`,
    `Gateway_par_${i}`,
    `Gateway_retry_${i}`,
    `Gateway_parJoin_${i}`,
  ];
  const on = `Flow_on_${i}`;
  b.chain(from, gateway('exclusive', merge), gateway('parallel', split));
  b.node(gateway('parallel', join));
  b.chain(split, userTask(`Task_lp_a_${i}`), gateway('exclusive', check, on));
  b.link(check, merge, 'retry = true', `Flow_retry_${i}`);
  b.link(check, join, undefined, on);
  b.link(b.chain(split, serviceTask(`Task_lp_b_${i}`)), join);
  return join;
};

// A sub-process with its own start and end, a loop inside, and an SLA timer on the whole.
function subProcess(b: Builder, from: string, i: number): string {
  const id = `SubProcess_case_${i}`;
  const inner = new Builder();
  const last = loop(inner, inner.node(event('start', `Start_case_${i}`)), 1000 + i);
  inner.chain(sequence(inner, last, 2000 + i), event('end', `End_case_${i}`));
  b.count += inner.count;
  b.chain(from, [id, `<bpmn:subProcess id="${id}">${inner.parts.join('')}</bpmn:subProcess>`]);
  b.chain(
    b.node(boundaryTimer(`Timer_case_${i}`, id, 'P2D', true)),
    userTask(`Task_caseOverdue_${i}`),
    event('end', `End_overdue_${i}`),
  );
  return id;
}

function boundaryTimer(id: string, attachedTo: string, duration: string, interrupting: boolean): Spec {
  return [
    id,
    `<bpmn:boundaryEvent id="${id}" attachedToRef="${attachedTo}" cancelActivity="${interrupting}"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">${duration}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>`,
  ];
}

function flow(from: string, to: string, condition?: string, id = `Flow_${from}_${to}`): string {
  const cond =
    condition === undefined
      ? ''
      : `<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=${condition.replace(/>/g, '&gt;')}</bpmn:conditionExpression>`;
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}">${cond}</bpmn:sequenceFlow>`;
}

function document(processId: string, body: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="Definitions_${processId}" targetNamespace="https://svcflow.dev/bench">
  <bpmn:process id="${processId}" isExecutable="true">
    ${body.join('\n    ')}
  </bpmn:process>
</bpmn:definitions>`;
}
