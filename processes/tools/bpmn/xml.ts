/**
 * Writes a ProcessSpec as BPMN 2.0 XML in the Camunda 8 (zeebe) flavour with svc:sla extensions:
 * a collaboration with one pool, lanes, the process, and full diagram interchange.
 */
import { layout, type Bounds, type Geometry } from './layout.js';
import type { FlowSpec, NodeSpec, ProcessSpec } from './spec.js';

const NAMESPACES = [
  'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"',
  'xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI"',
  'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"',
  'xmlns:di="http://www.omg.org/spec/DD/20100524/DI"',
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
  'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"',
  'xmlns:modeler="http://camunda.org/schema/modeler/1.0"',
  'xmlns:svc="https://svcflow.dev/schema/bpmn/1.0"',
].join(' ');

export const ESCALATIONS = { warning: 'Escalation_slaWarning', breach: 'Escalation_slaBreach' } as const;

/** The whole document: definitions, collaboration, process, messages, escalations, diagram. */
export function toXml(spec: ProcessSpec): string {
  const geometry = layout(spec);
  const key = camel(spec.id);
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>');
  out.push(
    `<bpmn:definitions ${NAMESPACES} id="Definitions_${key}" targetNamespace="https://svcflow.dev/processes" exporter="svcflow processes/tools" exporterVersion="1.0" modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.6.0">`,
  );
  out.push(`  <bpmn:collaboration id="Collaboration_${key}">`);
  out.push(`    <bpmn:participant id="Participant_${key}" name="${attr(spec.name)}" processRef="${spec.id}" />`);
  out.push('  </bpmn:collaboration>');
  out.push(`  <bpmn:process id="${spec.id}" name="${attr(spec.name)}" isExecutable="true">`);
  out.push(...documentation(spec.doc, 4));
  const businessKey = spec.businessKey
    ? `<svc:businessKey variable="${spec.businessKey.variable}" prefix="${spec.businessKey.prefix}" period="${spec.businessKey.period}" />`
    : null;
  const starters = spec.starterGroups ? `<svc:candidateStarters groups="${spec.starterGroups.join(',')}" />` : null;
  const processExtensions = [spec.sla ? sla(spec.sla) : null, businessKey, starters].filter(
    (e): e is string => e !== null,
  );
  if (processExtensions.length > 0)
    out.push(
      '    <bpmn:extensionElements>',
      ...processExtensions.map((e) => `      ${e}`),
      '    </bpmn:extensionElements>',
    );
  out.push(...laneSet(spec, geometry, key));
  out.push(...scope(spec, null, 4));
  out.push('  </bpmn:process>');
  for (const m of spec.messages) {
    out.push(`  <bpmn:message id="${m.id}" name="${attr(m.name)}">`);
    out.push(
      `    <bpmn:extensionElements><zeebe:subscription correlationKey="${attr(m.correlationKey)}" /></bpmn:extensionElements>`,
    );
    out.push('  </bpmn:message>');
  }
  for (const sig of spec.signals ?? []) out.push(`  <bpmn:signal id="${sig.id}" name="${attr(sig.name)}" />`);
  out.push(`  <bpmn:escalation id="${ESCALATIONS.warning}" name="SLA warning" escalationCode="sla-warning" />`);
  out.push(`  <bpmn:escalation id="${ESCALATIONS.breach}" name="SLA breach" escalationCode="sla-breach" />`);
  out.push(...diagram(spec, geometry, key));
  out.push('</bpmn:definitions>', '');
  return out.join('\n');
}

// helpers

function laneSet(spec: ProcessSpec, g: Geometry, key: string): string[] {
  const lines = [`    <bpmn:laneSet id="LaneSet_${key}">`];
  const top: Array<{ id: string; name: string; doc: string }> = [
    ...spec.laneGroups,
    ...spec.lanes.filter((l) => !l.parent),
  ];
  const ordered = spec.lanes.map((l) => l.parent ?? l.id).filter((id, i, all) => all.indexOf(id) === i);
  for (const id of ordered) {
    const lane = top.find((l) => l.id === id)!;
    lines.push(`      <bpmn:lane id="${lane.id}" name="${attr(lane.name)}">`);
    lines.push(...documentation(lane.doc, 8));
    for (const ref of g.laneRefs.get(lane.id)!) lines.push(`        <bpmn:flowNodeRef>${ref}</bpmn:flowNodeRef>`);
    const children = spec.lanes.filter((l) => l.parent === lane.id);
    if (children.length > 0) {
      lines.push(`        <bpmn:childLaneSet id="LaneSet_${lane.id}">`);
      for (const child of children) {
        lines.push(`          <bpmn:lane id="${child.id}" name="${attr(child.name)}">`);
        lines.push(...documentation(child.doc, 12));
        for (const ref of g.laneRefs.get(child.id)!)
          lines.push(`            <bpmn:flowNodeRef>${ref}</bpmn:flowNodeRef>`);
        lines.push('          </bpmn:lane>');
      }
      lines.push('        </bpmn:childLaneSet>');
    }
    lines.push('      </bpmn:lane>');
  }
  lines.push('    </bpmn:laneSet>');
  return lines;
}

/** The flow elements of one scope: its nodes (sub-processes with their own content), then its flows. */
function scope(spec: ProcessSpec, parent: string | null, indent: number): string[] {
  const nodes = spec.nodes.filter((n) => n.parent === parent);
  const ids = new Set(nodes.map((n) => n.id));
  const flows = spec.flows.filter((f) => ids.has(f.from));
  return [...nodes.flatMap((n) => node(spec, n, indent)), ...flows.flatMap((f) => flow(f, indent))];
}

function node(spec: ProcessSpec, n: NodeSpec, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const attrs = [`id="${n.id}"`, n.name ? `name="${attr(n.name)}"` : ''];
  if (n.kind === 'boundaryEvent')
    attrs.push(...(n.interrupting === false ? ['cancelActivity="false"'] : []), `attachedToRef="${n.attachedTo}"`);
  if (n.kind === 'receiveTask') attrs.push(`messageRef="${n.messageRef}"`);
  if (n.kind === 'startEvent' && n.interrupting === false) attrs.push('isInterrupting="false"');
  if (n.triggeredByEvent) attrs.push('triggeredByEvent="true"');
  const defaultFlow = spec.flows.find((f) => f.from === n.id && f.isDefault);
  if (defaultFlow) attrs.push(`default="${defaultFlow.id}"`);
  const body = [
    ...documentation(n.doc, indent + 2),
    ...extensions(n, indent + 2),
    ...spec.flows.filter((f) => f.to === n.id).map((f) => `${pad}  <bpmn:incoming>${f.id}</bpmn:incoming>`),
    ...spec.flows.filter((f) => f.from === n.id).map((f) => `${pad}  <bpmn:outgoing>${f.id}</bpmn:outgoing>`),
    ...eventDefinition(n, indent + 2),
    ...(n.kind === 'subProcess' ? scope(spec, n.id, indent + 2) : []),
  ];
  return [`${pad}<bpmn:${n.kind} ${attrs.filter(Boolean).join(' ')}>`, ...body, `${pad}</bpmn:${n.kind}>`];
}

function extensions(n: NodeSpec, indent: number): string[] {
  const pad = ' '.repeat(indent + 2);
  const inner: string[] = [];
  if (n.jobType) inner.push(`${pad}<zeebe:taskDefinition type="${attr(n.jobType)}" retries="3" />`);
  if (n.form) inner.push(`${pad}<zeebe:formDefinition formKey="${attr(n.form)}" />`);
  if (n.assignee || n.groups) {
    const parts = [
      n.assignee ? `assignee="${attr(n.assignee)}"` : '',
      n.groups ? `candidateGroups="${attr(n.groups)}"` : '',
    ].filter(Boolean);
    inner.push(`${pad}<zeebe:assignmentDefinition ${parts.join(' ')} />`);
  }
  if (n.dueDate) inner.push(`${pad}<zeebe:taskSchedule dueDate="${attr(n.dueDate)}" />`);
  if (n.priority) inner.push(`${pad}<zeebe:priorityDefinition priority="${attr(n.priority)}" />`);
  if (n.script)
    inner.push(
      `${pad}<zeebe:script expression="${attr(n.script.expression)}" resultVariable="${n.script.resultVariable}" />`,
    );
  if (n.decision)
    inner.push(
      `${pad}<zeebe:calledDecision decisionId="${attr(n.decision.id)}" resultVariable="${n.decision.resultVariable}" />`,
    );
  if ((n.inputs?.length ?? 0) + (n.outputs?.length ?? 0) > 0) {
    inner.push(`${pad}<zeebe:ioMapping>`);
    for (const m of n.inputs ?? [])
      inner.push(`${pad}  <zeebe:input source="${attr(m.source)}" target="${m.target}" />`);
    for (const m of n.outputs ?? [])
      inner.push(`${pad}  <zeebe:output source="${attr(m.source)}" target="${m.target}" />`);
    inner.push(`${pad}</zeebe:ioMapping>`);
  }
  if (n.properties && Object.keys(n.properties).length > 0) {
    inner.push(`${pad}<zeebe:properties>`);
    for (const [name, value] of Object.entries(n.properties))
      inner.push(`${pad}  <zeebe:property name="${attr(name)}" value="${attr(value)}" />`);
    inner.push(`${pad}</zeebe:properties>`);
  }
  if (n.sla) inner.push(`${pad}${sla(n.sla)}`);
  if (inner.length === 0) return [];
  const outer = ' '.repeat(indent);
  return [`${outer}<bpmn:extensionElements>`, ...inner, `${outer}</bpmn:extensionElements>`];
}

function sla(s: NonNullable<NodeSpec['sla']>): string {
  const parts = [
    `target="${attr(s.target)}"`,
    s.warnAt ? `warnAt="${s.warnAt}"` : '',
    `calendar="${s.calendar}"`,
    s.pauseWhile?.length ? `pauseWhile="${s.pauseWhile.join(',')}"` : '',
  ];
  return `<svc:sla ${parts.filter(Boolean).join(' ')} />`;
}

function eventDefinition(n: NodeSpec, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (n.timer) {
    return [
      `${pad}<bpmn:timerEventDefinition id="${n.id}_timer">`,
      `${pad}  <bpmn:${n.timer.type} xsi:type="bpmn:tFormalExpression">${text(n.timer.value)}</bpmn:${n.timer.type}>`,
      `${pad}</bpmn:timerEventDefinition>`,
    ];
  }
  if (n.escalationRef)
    return [`${pad}<bpmn:escalationEventDefinition id="${n.id}_escalation" escalationRef="${n.escalationRef}" />`];
  if (n.signalRef) return [`${pad}<bpmn:signalEventDefinition id="${n.id}_signal" signalRef="${n.signalRef}" />`];
  if (n.messageRef && n.kind !== 'receiveTask')
    return [`${pad}<bpmn:messageEventDefinition id="${n.id}_message" messageRef="${n.messageRef}" />`];
  return [];
}

function flow(f: FlowSpec, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const head = `${pad}<bpmn:sequenceFlow id="${f.id}"${f.name ? ` name="${attr(f.name)}"` : ''} sourceRef="${f.from}" targetRef="${f.to}"`;
  if (!f.condition) return [`${head} />`];
  return [
    `${head}>`,
    `${pad}  <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${text(f.condition)}</bpmn:conditionExpression>`,
    `${pad}</bpmn:sequenceFlow>`,
  ];
}

function documentation(doc: string, indent: number): string[] {
  return doc ? [`${' '.repeat(indent)}<bpmn:documentation>${text(doc)}</bpmn:documentation>`] : [];
}

function diagram(spec: ProcessSpec, g: Geometry, key: string): string[] {
  const lines = [
    `  <bpmndi:BPMNDiagram id="BPMNDiagram_${key}">`,
    `    <bpmndi:BPMNPlane id="BPMNPlane_${key}" bpmnElement="Collaboration_${key}">`,
  ];
  lines.push(shape(`Participant_${key}`, g.pool, ' isHorizontal="true"'));
  for (const group of spec.laneGroups) lines.push(shape(group.id, g.lanes.get(group.id)!, ' isHorizontal="true"'));
  for (const lane of spec.lanes) lines.push(shape(lane.id, g.lanes.get(lane.id)!, ' isHorizontal="true"'));
  for (const n of spec.nodes) {
    const extra =
      n.kind === 'subProcess' ? ' isExpanded="true"' : n.kind === 'exclusiveGateway' ? ' isMarkerVisible="true"' : '';
    lines.push(shape(n.id, g.shapes.get(n.id)!, extra, g.labels.get(n.id)));
  }
  for (const f of spec.flows) {
    const edge = g.edges.get(f.id)!;
    lines.push(`      <bpmndi:BPMNEdge id="${f.id}_di" bpmnElement="${f.id}">`);
    for (const p of edge.points) lines.push(`        <di:waypoint x="${p.x}" y="${p.y}" />`);
    if (edge.label) lines.push(`        <bpmndi:BPMNLabel>${bounds(edge.label)}</bpmndi:BPMNLabel>`);
    lines.push('      </bpmndi:BPMNEdge>');
  }
  lines.push('    </bpmndi:BPMNPlane>', '  </bpmndi:BPMNDiagram>');
  return lines;
}

function shape(id: string, b: Bounds, extra: string, label?: Bounds): string {
  const labelXml = label ? `<bpmndi:BPMNLabel>${bounds(label)}</bpmndi:BPMNLabel>` : '';
  return `      <bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}"${extra}>${bounds(b)}${labelXml}</bpmndi:BPMNShape>`;
}

function bounds(b: Bounds): string {
  return `<dc:Bounds x="${Math.round(b.x)}" y="${Math.round(b.y)}" width="${Math.round(b.width)}" height="${Math.round(b.height)}" />`;
}

function text(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function attr(value: string): string {
  return text(value).replace(/"/g, '&quot;').replace(/\n/g, '&#10;');
}

function camel(id: string): string {
  return id.replace(/-(.)/g, (_, c: string) => c.toUpperCase());
}
