/** The reference models as documents: they compile, carry full diagram interchange, documentation, forms and the SLAs of domain.md §2. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModdleElement } from 'bpmn-moddle';
import { describe, expect, it } from 'vitest';
import { readBpmn, type FlowNode, type ProcessModel } from '../../engine/bpmn/index.js';
import { createModdle } from '../../engine/bpmn/moddle/packages.js';
import { compileBpmn } from '../../engine/compile/index.js';
import { PROCESS_IDS, PROCESSES_DIR, processXml } from '../helpers/reference-processes.js';

const FORMS_DIR = join(PROCESSES_DIR, 'forms');

async function modelOf(id: string): Promise<ProcessModel> {
  const { document, problems } = await readBpmn(processXml(id));
  expect(problems).toEqual([]);
  return document!.processes[0];
}

async function definitionsOf(id: string): Promise<ModdleElement> {
  const { rootElement, warnings } = await createModdle().fromXML(processXml(id));
  expect(warnings).toEqual([]);
  return rootElement;
}

const nodesOf = (model: ProcessModel) => Object.values(model.nodes);
const hasBothLanguages = (text: string | null) =>
  !!text && /[A-Za-z]{3}/.test(text) && /[\u4e00-\u9fff]/.test(text) && text.includes(' / ');

describe('reference models', () => {
  it.each(PROCESS_IDS)('%s compiles without problems', async (id) => {
    const { processes, problems } = await compileBpmn(processXml(id));

    expect(problems).toEqual([]);
    expect(processes.map((p) => p.processId)).toEqual([id]);
  });

  it.each(PROCESS_IDS)('%s documents the process, every lane and every element in English and Chinese', async (id) => {
    const model = await modelOf(id);
    const definitions = await definitionsOf(id);
    const process = definitions.rootElements.find((e: ModdleElement) => e.$type === 'bpmn:Process');
    const lanes: ModdleElement[] = process.laneSets[0].lanes.flatMap((l: ModdleElement) => [
      l,
      ...(l.childLaneSet?.lanes ?? []),
    ]);

    expect(hasBothLanguages(model.documentation)).toBe(true);
    expect(lanes.filter((lane) => !hasBothLanguages(lane.documentation?.[0]?.text)).map((l) => l.id)).toEqual([]);
    expect(
      nodesOf(model)
        .filter((n) => !hasBothLanguages(n.documentation))
        .map((n) => n.id),
    ).toEqual([]);
    expect(
      nodesOf(model)
        .filter((n) => n.type === 'userTask' && !/\n.*[\u4e00-\u9fff]/.test(n.name ?? ''))
        .map((n) => n.id),
    ).toEqual([]);
  });

  it.each(PROCESS_IDS)(
    '%s has a shape for every element and lane, inside its lane, and an edge for every flow',
    async (id) => {
      const definitions = await definitionsOf(id);
      const process = definitions.rootElements.find((e: ModdleElement) => e.$type === 'bpmn:Process');
      const plane = definitions.diagrams[0].plane;
      const shapes = new Map<string | undefined, ModdleElement>(
        plane.planeElement
          .filter((e: ModdleElement) => e.$type === 'bpmndi:BPMNShape')
          .map((e: ModdleElement) => [e.bpmnElement.id, e]),
      );
      const edges = new Map<string | undefined, ModdleElement>(
        plane.planeElement
          .filter((e: ModdleElement) => e.$type === 'bpmndi:BPMNEdge')
          .map((e: ModdleElement) => [e.bpmnElement.id, e]),
      );
      const flowNodes: ModdleElement[] = [];
      const flows: ModdleElement[] = [];
      const walk = (container: ModdleElement) => {
        for (const element of container.flowElements ?? []) {
          (element.$type === 'bpmn:SequenceFlow' ? flows : flowNodes).push(element);
          if (element.$type === 'bpmn:SubProcess') walk(element);
        }
      };
      walk(process);
      const leafLanes: ModdleElement[] = process.laneSets[0].lanes.flatMap(
        (l: ModdleElement) => l.childLaneSet?.lanes ?? [l],
      );
      const centre = (id: string | undefined) => {
        const b = shapes.get(id)!.bounds;
        return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
      };
      const inside = (p: { x: number; y: number }, id: string | undefined) => {
        const b = shapes.get(id)!.bounds;
        return p.x >= b.x && p.x <= b.x + b.width && p.y >= b.y && p.y <= b.y + b.height;
      };

      expect(
        shapes.has(
          definitions.rootElements.find((e: ModdleElement) => e.$type === 'bpmn:Collaboration').participants[0].id,
        ),
      ).toBe(true);
      expect(leafLanes.filter((lane) => !shapes.has(lane.id)).map((l) => l.id)).toEqual([]);
      expect(flowNodes.filter((n) => !shapes.get(n.id)?.bounds).map((n) => n.id)).toEqual([]);
      expect(flows.filter((f) => (edges.get(f.id)?.waypoint?.length ?? 0) < 2).map((f) => f.id)).toEqual([]);
      expect(
        leafLanes.flatMap((lane) =>
          (lane.flowNodeRef ?? [])
            .filter((n: ModdleElement) => !inside(centre(n.id), lane.id))
            .map((n: ModdleElement) => `${n.id} ∉ ${lane.id}`),
        ),
      ).toEqual([]);
      expect(
        flowNodes.filter((n) => !leafLanes.some((lane) => (lane.flowNodeRef ?? []).includes(n))).map((n) => n.id),
      ).toEqual([]);
      const nested = flowNodes.filter(
        (n) => n.$parent?.$type === 'bpmn:SubProcess' && n.$type !== 'bpmn:BoundaryEvent',
      );
      expect(nested.filter((n) => !inside(centre(n.id), n.$parent?.id)).map((n) => n.id)).toEqual([]);
      const edgesLeaveNoShape = flows.filter((f) => {
        const [first, last] = [edges.get(f.id)!.waypoint[0], edges.get(f.id)!.waypoint.at(-1)];
        return (
          !onBorder(first, shapes.get(f.sourceRef.id)!.bounds) || !onBorder(last, shapes.get(f.targetRef.id)!.bounds)
        );
      });
      expect(edgesLeaveNoShape.map((f) => f.id)).toEqual([]);
    },
  );

  it.each(PROCESS_IDS)(
    '%s names escalations sla-warning and sla-breach, and every message has a correlation key',
    async (id) => {
      const definitions = await definitionsOf(id);
      const escalations = definitions.rootElements
        .filter((e: ModdleElement) => e.$type === 'bpmn:Escalation')
        .map((e: ModdleElement) => e.escalationCode);
      const model = await modelOf(id);
      const messages = nodesOf(model).filter((n) => n.event?.kind === 'message');

      expect(escalations).toEqual(['sla-warning', 'sla-breach']);
      expect(
        messages
          .filter((n) => n.event?.kind === 'message' && !n.event.correlationKey?.startsWith('='))
          .map((n) => n.id),
      ).toEqual([]);
    },
  );
});

describe('reference forms', () => {
  const files = readdirSync(FORMS_DIR).filter((f) => f.endsWith('.form'));
  const forms = files.map((file) => ({ file, schema: JSON.parse(readFileSync(join(FORMS_DIR, file), 'utf8')) }));

  it('gives every form key a model uses a form file, and leaves no form unused', async () => {
    const used = new Set<string>();
    for (const id of PROCESS_IDS) {
      for (const match of processXml(id).matchAll(/<zeebe:formDefinition formKey="([^"]+)"/g)) used.add(match[1]);
    }

    expect([...used].filter((key) => !files.includes(`${key}.form`))).toEqual([]);
    expect(files.filter((file) => !used.has(file.replace(/\.form$/, '')))).toEqual([]);
    expect(used.size).toBe(30);
  });

  it.each(files)('%s parses as a form-js schema with components', (file) => {
    const { schema } = forms.find((f) => f.file === file)!;
    const keys = schema.components.filter((c: { key?: string }) => c.key).map((c: { key: string }) => c.key);

    expect(schema).toMatchObject({ id: file.replace(/\.form$/, ''), type: 'default', schemaVersion: 19 });
    expect(Array.isArray(schema.components)).toBe(true);
    expect(schema.components.length).toBeGreaterThan(0);
    expect(new Set(keys).size).toBe(keys.length);
    for (const component of schema.components.filter((c: { key?: string }) => c.key)) {
      expect(hasBothLanguages(component.label ?? component.dateLabel), `${file}: ${component.key}`).toBe(true);
      if (component.conditional) expect(component.conditional.hide).toMatch(/^=not\(.+\)$/);
    }
  });

  it('hides conditionally required fields unless their condition holds', () => {
    const field = (form: string, key: string) =>
      forms.find((f) => f.file === `${form}.form`)!.schema.components.find((c: { key?: string }) => c.key === key);

    expect(field('complaint-investigate', 'transferTo')).toMatchObject({
      validate: { required: true },
      conditional: { hide: '=not(outcome = "transfer")' },
    });
    expect(field('complaint-investigate', 'compensationAmount')).toMatchObject({
      decimalDigits: 2,
      validate: { required: true, min: 0, max: 100000 },
    });
    expect(field('complaint-intake', 'complaintId').validate.pattern).toBe('^CMP-\\d{8}-\\d{4}$');
    expect(field('complaint-intake', 'contactEmail').validate.validationType).toBe('email');
    expect(field('sla-overdue-review', 'agreedDate')).toMatchObject({
      subtype: 'datetime',
      timeSerializingFormat: 'utc_offset',
      conditional: { hide: '=not(action = "extend_agreed")' },
    });
    expect(field('risk-assess', 'riskOwner')).toMatchObject({
      valuesKey: 'members_risk_owners',
      properties: { 'svc.memberOf': 'risk-owners' },
    });
    expect(field('journey-request', 'preferredDate')).toMatchObject({ subtype: 'date', disallowPassedDates: true });
  });
});

describe('reference SLAs (domain.md §2 SLA tables)', () => {
  const P = (u: string, g: string, n: string) =>
    `=if priority = "urgent" then "${u}" else if priority = "general" then "${g}" else "${n}"`;
  const L = (c: string, h: string, m: string, l: string) =>
    `=if riskLevel = "critical" then "${c}" else if riskLevel = "high" then "${h}" else if riskLevel = "medium" then "${m}" else "${l}"`;
  const S = (c: string, h: string, m: string) =>
    `=if incidentSeverity = "critical" then "${c}" else if incidentSeverity = "high" then "${h}" else "${m}"`;
  const W = [0.75];
  const EXPECTED: Record<string, Record<string, [string, number[], string, string[]]>> = {
    'complaint-handling': {
      'complaint-handling': [P('P2D', 'P5D', 'P7D'), W, 'default', ['awaitInfo', 'survey']],
      firstResponse: [P('PT2H', 'P1D', 'P2D'), W, 'default', []],
      firstResponseEsc: ['PT1H', [], 'default', []],
      resolve: [P('P1D', 'P3D', 'P5D'), W, 'default', ['awaitInfo']],
      approveResolution: ['PT4H', W, 'default', []],
      callback: ['P1D', W, 'default', []],
      followUpCall: ['P2D', [], 'default', []],
      finalReview: ['P2D', [], 'default', []],
      overdueReview: ['PT4H', [], 'default', []],
    },
    'service-journey': {
      'service-journey': [P('P2D', 'P5D', 'P10D'), W, 'default', ['awaitDetails', 'awaitCustomerDate', 'aftercare']],
      confirmRequest: [P('PT2H', 'PT4H', 'P1D'), W, 'default', []],
      schedule: [P('PT1H', 'PT4H', 'P1D'), W, 'default', []],
      prepareParts: ['=if priority = "urgent" then "PT4H" else "P2D"', W, 'default', []],
      fulfil: [P('P1D', 'P3D', 'P5D'), W, 'default', ['awaitCustomerDate']],
      supervisorReview: ['P1D', [], 'default', []],
      recovery: ['P1D', W, 'default', []],
      careCall: ['P2D', W, 'default', []],
    },
    'risk-response': {
      activate: [S('PT15M', 'PT30M', 'PT2H'), W, '24x7', []],
      emergency: [S('PT4H', 'PT8H', 'PT24H'), W, '24x7', []],
      customerComms: [S('PT1H', 'PT2H', 'PT4H'), W, '24x7', []],
      pir: ['P5D', W, 'default', []],
      assess: ['=if source = "incident" or source = "kri" then "PT4H" else "P2D"', W, 'default', []],
      plan: [L('P1D', 'P3D', 'P5D', 'P10D'), W, 'default', []],
      approvePlan: ['=if riskLevel = "critical" then "PT4H" else "P2D"', W, 'default', []],
      implement: [L('P5D', 'P10D', 'P20D', 'P30D'), W, 'default', []],
      verify: ['P5D', W, 'default', []],
      treat: [L('P10D', 'P20D', 'P40D', 'P60D'), W, 'default', []],
      periodicReview: ['P5D', [], 'default', []],
      persistentRisk: ['P5D', [], 'default', []],
    },
    'risk-portfolio-review': {
      reviewRegister: ['P5D', [], 'default', []],
    },
  };
  // domain.md: W = warning path, BN = breach notification, BR = overdue review, BI = interrupting hand-over; the group that hears of it
  const PATTERNS: Record<string, Record<string, string[]>> = {
    'complaint-handling': {
      firstResponse: ['W cs-supervisors', 'BI firstResponseEsc cs-supervisors'],
      firstResponseEsc: ['BN service-managers'],
      resolve: ['W cs-supervisors', 'BR cs-supervisors'],
      approveResolution: ['BN service-managers'],
      callback: ['BN cs-supervisors'],
      finalReview: ['BN service-managers'],
    },
    'service-journey': {
      confirmRequest: ['W cs-supervisors', 'BN cs-supervisors'],
      schedule: ['BN cs-supervisors'],
      prepareParts: ['BN cs-supervisors'],
      fulfil: ['W cs-supervisors', 'BR cs-supervisors'],
      supervisorReview: ['BN service-managers'],
      recovery: ['BN cs-supervisors'],
    },
    'risk-response': {
      activate: ['W emergency-team', 'BI activateEsc service-managers'],
      emergency: ['W service-managers', 'BN service-managers'],
      customerComms: ['BN service-managers'],
      pir: ['BN service-managers'],
      assess: ['BN service-managers'],
      plan: ['W risk-managers', 'BN risk-managers'],
      approvePlan: ['BN service-managers'],
      implement: ['W risk-managers', 'BR risk-managers'],
      verify: ['BN service-managers'],
      treat: ['BN service-managers'],
      periodicReview: ['BN risk-managers'],
    },
    'risk-portfolio-review': {
      reviewRegister: ['BN service-managers'],
    },
  };

  it.each(PROCESS_IDS)('%s declares exactly the SLAs of its table', async (id) => {
    const model = await modelOf(id);
    const declared = Object.fromEntries(
      [
        ...(model.sla ? [[model.id, model.sla] as const] : []),
        ...nodesOf(model)
          .filter((n) => n.sla)
          .map((n) => [n.id, n.sla!] as const),
      ].map(([owner, sla]) => [owner, [sla.target, sla.warnAt, sla.calendar, sla.pauseWhile]]),
    );

    expect(declared).toEqual(EXPECTED[id]);
  });

  it.each(PROCESS_IDS)('%s wires the escalation pattern of each SLA', async (id) => {
    const model = await modelOf(id);
    const found: Record<string, string[]> = {};
    for (const boundary of nodesOf(model).filter((n) => n.type === 'boundaryEvent' && n.event?.kind === 'escalation')) {
      (found[boundary.attachedTo!] ??= []).push(patternOf(boundary, model));
    }
    for (const list of Object.values(found)) list.sort();

    expect(found).toEqual(Object.fromEntries(Object.entries(PATTERNS[id]).map(([k, v]) => [k, [...v].sort()])));
  });

  it.each(PROCESS_IDS)('%s uses only the job types of domain.md', async (id) => {
    const model = await modelOf(id);
    const types = new Set(
      nodesOf(model)
        .map((n) => n.jobType)
        .filter(Boolean),
    );

    expect(
      [...types].filter(
        (t) =>
          ![
            'notify.customer',
            'notify.staff',
            'survey.send',
            'crm.update',
            'schedule.propose',
            'billing.invoice',
            'process.start',
          ].includes(t!),
      ),
    ).toEqual([]);
  });

  it.each([
    ['complaint-handling', ['endClosed', 'endClosedBySupervisor', 'endClosedDissatisfied', 'endNoResponse']],
    [
      'service-journey',
      [
        'endAbandoned',
        'endCancelled',
        'endCompleted',
        'endCompletedDissatisfied',
        'endConvertedToComplaint',
        'endRejected',
      ],
    ],
    ['risk-response', ['endClosed', 'endDismissed', 'endDuplicate']],
    ['risk-portfolio-review', ['reviewed']],
  ] as const)('%s ends in the end states of domain.md', async (id, ends) => {
    const model = await modelOf(id);
    const mainEnds = nodesOf(model)
      .filter((n) => n.type === 'endEvent' && n.scopeId === id && !isOnBoundaryPath(n, model))
      .map((n) => n.id)
      .sort();

    expect(mainEnds).toEqual([...ends]);
  });
});

// helpers

/** The pattern a boundary escalation starts: W/BN/BR with the notified or reviewing group, BI with its hand-over task. */
function patternOf(boundary: FlowNode, model: ProcessModel): string {
  const next = model.nodes[model.flows[boundary.outgoing[0]].targetId];
  const code = boundary.event?.kind === 'escalation' ? boundary.event.escalationCode : null;
  if (boundary.cancelActivity) return `BI ${next.id} ${next.assignment?.candidateGroups.join(',')}`;
  if (next.type === 'userTask') return `BR ${next.assignment?.candidateGroups.join(',')}`;
  const group = next.inputs.find((m) => m.target === 'toGroup')?.source.replace(/"/g, '');
  return `${code === 'sla-warning' ? 'W' : 'BN'} ${group}`;
}

function isOnBoundaryPath(end: FlowNode, model: ProcessModel): boolean {
  const seen = new Set<string>();
  const queue = [end.id];
  while (queue.length > 0) {
    const node = model.nodes[queue.shift()!];
    if (seen.has(node.id)) continue;
    seen.add(node.id);
    if (node.type === 'boundaryEvent' && !node.cancelActivity) return true;
    if (node.type === 'startEvent') return false;
    queue.push(...node.incoming.map((f) => model.flows[f].sourceId));
  }
  return false;
}

function onBorder(p: { x: number; y: number }, b: { x: number; y: number; width: number; height: number }): boolean {
  const onX = p.x >= b.x - 1 && p.x <= b.x + b.width + 1;
  const onY = p.y >= b.y - 1 && p.y <= b.y + b.height + 1;
  const edge =
    Math.abs(p.x - b.x) <= 1 ||
    Math.abs(p.x - b.x - b.width) <= 1 ||
    Math.abs(p.y - b.y) <= 1 ||
    Math.abs(p.y - b.y - b.height) <= 1;
  return onX && onY && edge;
}
