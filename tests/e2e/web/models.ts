/** BPMN models the browser suites deploy through the API, with diagram interchange so they render. */

/** start → user task (cs-agents) with an SLA → end; `target` e.g. PT2S on the round-the-clock calendar. */
export function slaTaskModel(processId: string, target: string, calendar = '24x7'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:svc="https://svcflow.dev/schema/bpmn/1.0" id="Definitions_${processId}" targetNamespace="https://svcflow.dev/test">
  <bpmn:process id="${processId}" name="Hotline callback" isExecutable="true">
    <bpmn:startEvent id="StartEvent_call" name="Call missed" />
    <bpmn:userTask id="Task_callBack" name="Call back" camunda:candidateGroups="cs-agents">
      <bpmn:extensionElements><svc:sla target="${target}" warnAt="0.5" calendar="${calendar}" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="EndEvent_done" name="Done" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_call" targetRef="Task_callBack" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Task_callBack" targetRef="EndEvent_done" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_${processId}">
    <bpmndi:BPMNPlane id="BPMNPlane_${processId}" bpmnElement="${processId}">
      <bpmndi:BPMNShape id="StartEvent_call_di" bpmnElement="StartEvent_call"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_callBack_di" bpmnElement="Task_callBack"><dc:Bounds x="240" y="80" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="EndEvent_done_di" bpmnElement="EndEvent_done"><dc:Bounds x="392" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1"><di:waypoint x="188" y="120" /><di:waypoint x="240" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_2_di" bpmnElement="Flow_2"><di:waypoint x="340" y="120" /><di:waypoint x="392" y="120" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

/** start → exclusive gateway on `amount` (> 100: supervisors approve; otherwise agents pay) — without `amount` the gateway is an incident. */
export function refundModel(processId = 'refund'): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_${processId}" targetNamespace="https://svcflow.dev/test">
  <bpmn:process id="${processId}" name="Refund" isExecutable="true">
    <bpmn:startEvent id="StartEvent_request" name="Refund asked" />
    <bpmn:exclusiveGateway id="Gateway_amount" name="Amount?" default="Flow_small" />
    <bpmn:userTask id="Task_approve" name="Approve refund" camunda:candidateGroups="cs-supervisors" />
    <bpmn:userTask id="Task_pay" name="Pay refund" camunda:candidateGroups="cs-agents" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_request" targetRef="Gateway_amount" />
    <bpmn:sequenceFlow id="Flow_large" sourceRef="Gateway_amount" targetRef="Task_approve"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=amount &gt; 100</bpmn:conditionExpression></bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="Flow_small" sourceRef="Gateway_amount" targetRef="Task_pay" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_${processId}">
    <bpmndi:BPMNPlane id="BPMNPlane_${processId}" bpmnElement="${processId}">
      <bpmndi:BPMNShape id="StartEvent_request_di" bpmnElement="StartEvent_request"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Gateway_amount_di" bpmnElement="Gateway_amount" isMarkerVisible="true"><dc:Bounds x="245" y="95" width="50" height="50" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_approve_di" bpmnElement="Task_approve"><dc:Bounds x="360" y="40" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Task_pay_di" bpmnElement="Task_pay"><dc:Bounds x="360" y="150" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1"><di:waypoint x="188" y="120" /><di:waypoint x="245" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_large_di" bpmnElement="Flow_large"><di:waypoint x="270" y="95" /><di:waypoint x="270" y="80" /><di:waypoint x="360" y="80" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_small_di" bpmnElement="Flow_small"><di:waypoint x="270" y="145" /><di:waypoint x="270" y="190" /><di:waypoint x="360" y="190" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}

/** start → call activity of `calledId` (Camunda 7, passing no variables down) → end: the caller of a called refund. */
export function callingModel(processId: string, calledId: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:di="http://www.omg.org/spec/DD/20100524/DI" id="Definitions_${processId}" targetNamespace="https://svcflow.dev/test">
  <bpmn:process id="${processId}" name="Complaint" isExecutable="true">
    <bpmn:startEvent id="StartEvent_complaint" name="Complaint in" />
    <bpmn:callActivity id="Call_refund" name="Refund" calledElement="${calledId}" />
    <bpmn:endEvent id="EndEvent_done" name="Done" />
    <bpmn:sequenceFlow id="Flow_1" sourceRef="StartEvent_complaint" targetRef="Call_refund" />
    <bpmn:sequenceFlow id="Flow_2" sourceRef="Call_refund" targetRef="EndEvent_done" />
  </bpmn:process>
  <bpmndi:BPMNDiagram id="BPMNDiagram_${processId}">
    <bpmndi:BPMNPlane id="BPMNPlane_${processId}" bpmnElement="${processId}">
      <bpmndi:BPMNShape id="StartEvent_complaint_di" bpmnElement="StartEvent_complaint"><dc:Bounds x="152" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="Call_refund_di" bpmnElement="Call_refund"><dc:Bounds x="240" y="80" width="100" height="80" /></bpmndi:BPMNShape>
      <bpmndi:BPMNShape id="EndEvent_done_di" bpmnElement="EndEvent_done"><dc:Bounds x="392" y="102" width="36" height="36" /></bpmndi:BPMNShape>
      <bpmndi:BPMNEdge id="Flow_1_di" bpmnElement="Flow_1"><di:waypoint x="188" y="120" /><di:waypoint x="240" y="120" /></bpmndi:BPMNEdge>
      <bpmndi:BPMNEdge id="Flow_2_di" bpmnElement="Flow_2"><di:waypoint x="340" y="120" /><di:waypoint x="392" y="120" /></bpmndi:BPMNEdge>
    </bpmndi:BPMNPlane>
  </bpmndi:BPMNDiagram>
</bpmn:definitions>
`;
}
