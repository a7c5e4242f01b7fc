/** Risk response (domain.md §2.3): `risk-response`, business key `riskId`. */
import { colX, rowY } from './bpmn/layout.js';
import {
  breachInterrupt,
  breachNotifyPath,
  breachReviewPath,
  entriesOf,
  feel,
  lit,
  notifyStaff,
  PRIORITY,
  warnPath,
} from './bpmn/patterns.js';
import { type Place, ProcessBuilder, type Side } from './bpmn/spec.js';

const BY_SEVERITY = (critical: string, high: string, medium: string) =>
  `=if incidentSeverity = "critical" then "${critical}" else if incidentSeverity = "high" then "${high}" else "${medium}"`;
const BY_LEVEL = (critical: string, high: string, medium: string, low: string) =>
  `=if riskLevel = "critical" then "${critical}" else if riskLevel = "high" then "${high}" else if riskLevel = "medium" then "${medium}" else "${low}"`;

/** The decision of processes/risk-matrix.dmn: riskScore, riskLevel and reviewPeriod from probability and impact (domain.md §2.3). */
const RISK_MATRIX = 'riskMatrix';

export function riskResponse(): ProcessBuilder {
  const b = new ProcessBuilder(
    'risk-response',
    'Risk response',
    'S4 §6 risk management: identify, assess probability × impact, register, plan the treatment (avoid, transfer, mitigate, accept) in a PDCA loop, monitor KRIs and review periodically, respond to incidents and learn from them. Business key: riskId. / S4 §6 风险管理：识别、按可能性 × 影响评估、登记、以 PDCA 循环制定并实施应对（规避、转移、减轻、接受）、监控关键风险指标并定期复核、应急响应并复盘。业务键：riskId。',
  );

  b.spec.businessKey = { variable: 'riskId', prefix: 'RSK', period: 'year' };
  b.spec.starterGroups = ['risk-owners', 'risk-managers', 'emergency-team', 'cs-supervisors'];
  b.lane(
    'laneReporter',
    'Reporter\n报告人',
    'Any staff member or system that reports a risk: tasklist, complaint process, KRI monitor, incident tooling. / 报告风险的任何员工或系统：任务列表、投诉流程、KRI 监控、事件工具。',
    2,
  );
  b.lane(
    'laneRiskOwner',
    'Risk owner (=riskOwner)\n风险责任人',
    'The manager who owns the risk: plans the treatment and reviews it (risk-owners). / 风险的责任经理：制定应对计划并定期复核（risk-owners）。',
    2,
  );
  b.lane(
    'laneActionOwner',
    'Action owner (=actionOwner)\n措施责任人',
    'The manager who carries out the treatment (risk-owners). / 执行应对措施的经理（risk-owners）。',
    2,
  );
  b.lane(
    'laneRiskManager',
    'Risk manager (risk-managers)\n风险管理',
    'Risk and quality management: assessment, approval, verification, post-incident review. / 风险与质量管理：评估、审批、验证、事后复盘。',
    2.4,
  );
  b.lane(
    'laneManagement',
    'Management (service-managers)\n服务经理',
    'Service managers and the duty manager: critical risks, escalations, persistent risks. / 服务经理与值班经理：重大风险、上报、持续性风险。',
    2,
  );
  b.lane(
    'laneEmergency',
    'Emergency team\n应急小组',
    'On-call incident responders (emergency-team). / 值班应急响应人员（emergency-team）。',
    2,
  );
  b.lane(
    'laneSupervisor',
    'CS Supervisor\n客服主管',
    'Customer communication during incidents (cs-supervisors). / 事件期间的客户沟通（cs-supervisors）。',
    1,
  );
  b.lane('laneSystem', 'System\n系统', 'Rules, notifications and KRI monitoring. / 规则、通知与 KRI 监控。', 3);

  const kri = b.message('Message_kriAlert', 'risk-kri-alert', '=riskId');

  b.node({
    id: 'start',
    kind: 'startEvent',
    name: 'Risk reported\n报告风险',
    place: { lane: 'laneReporter', col: 0 },
    form: 'risk-report',
    doc: 'A risk is reported from the tasklist ("Report a risk"), the complaint process, a KRI monitor or incident tooling. / 风险经任务列表"报告风险"、投诉流程、KRI 监控或事件工具报告。',
  });
  b.node({
    id: 'init',
    kind: 'scriptTask',
    name: 'Open register entry\n登记风险',
    place: { lane: 'laneSystem', col: 1 },
    script: { expression: '=0', resultVariable: 'pdcaCycle' },
    doc: 'pdcaCycle := 0. / PDCA 轮次置 0。',
  });
  b.node({
    id: 'incidentGw',
    kind: 'exclusiveGateway',
    name: 'Incident occurred?\n已发生事件？',
    place: { lane: 'laneSystem', col: 2 },
    labelSide: 'bottom',
    doc: 'An incident that already happened goes to emergency response first. / 已发生的事件先进入应急响应。',
  });
  b.node({
    id: 'emergencyMerge',
    kind: 'exclusiveGateway',
    name: '',
    place: { lane: 'laneSystem', col: 2.9 },
    doc: 'Entry into emergency response: reported incident or critical KRI alert. / 进入应急响应：报告的事件或 KRI 严重告警。',
  });
  b.chain('start', 'init', 'incidentGw');
  b.when('incidentGw', 'emergencyMerge', 'incidentOccurred = true', 'incident\n事件');
  b.otherwise('incidentGw', 'assessMerge', 'otherwise\n其他', { out: 'top', in: 'left' });
  b.flow('emergencyMerge', 'emergency', { route: { inPos: rowY(b.spec, 'laneEmergency', 0) } });

  emergency(b);
  assessment(b);
  treat(b);
  monitoring(b, kri);
  majorIncident(b);
  return b;
}

function emergency(b: ProcessBuilder): void {
  b.node({
    id: 'emergency',
    kind: 'subProcess',
    name: 'Emergency response\n应急响应',
    sla: { target: BY_SEVERITY('PT4H', 'PT8H', 'PT24H'), warnAt: '0.75', calendar: '24x7' },
    doc: 'S4 §6.5: declare the incident, activate the plan and backup resources, tell management and affected customers, restore service (SLA R-RESTORE, 24x7, from the declaration). / S4 §6.5：宣布事件、启动预案与备用资源、通报管理层与受影响客户、恢复服务（SLA R-RESTORE，全天候，自宣布起计）。',
  });
  b.inside('emergency', () => {
    b.node({
      id: 'eStart',
      kind: 'startEvent',
      name: 'Incident\n事件',
      place: { lane: 'laneEmergency', col: 3.6 },
      doc: 'Emergency response starts. / 开始应急响应。',
    });
    b.node({
      id: 'activate',
      kind: 'userTask',
      name: 'Activate emergency plan\n启动应急预案',
      place: { lane: 'laneEmergency', col: 4.5 },
      form: 'risk-activate',
      groups: 'emergency-team',
      priority: PRIORITY,
      sla: { target: BY_SEVERITY('PT15M', 'PT30M', 'PT2H'), warnAt: '0.75', calendar: '24x7' },
      doc: 'Declare the incident, name the commander, activate the plan and backup resources (system, staff, supplier) (SLA R-ACK, 24x7). / 宣布事件、指定指挥人、启动预案与备用资源（系统、人员、供应商）（SLA R-ACK，全天候）。',
    });
    warnPath(b, {
      prefix: 'activate',
      host: 'activate',
      what: 'the activation / 应急启动',
      subject: '=riskId',
      group: 'emergency-team',
      notify: { lane: 'laneEmergency', row: 1, col: 5.4, endGap: 0.6 },
    });
    b.node({
      id: 'activateEsc',
      kind: 'userTask',
      name: 'Activate plan (duty manager)\n启动预案（值班经理）',
      place: { lane: 'laneManagement', row: 1, col: 5.4 },
      form: 'risk-activate',
      groups: 'service-managers',
      priority: PRIORITY,
      doc: 'Reached only when the activation breached R-ACK: the duty manager declares the incident. / 仅在应急启动超出 R-ACK 时到达：由值班经理宣布事件。',
    });
    breachInterrupt(b, {
      prefix: 'activate',
      host: 'activate',
      what: 'the activation / 应急启动',
      subject: '=riskId',
      target: 'activateEsc',
      group: 'service-managers',
      boundary: { side: 'top', at: 0.25 },
    });
    b.node({
      id: 'eMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneEmergency', col: 6.5 },
      doc: "Merges the team's and the duty manager's activation. / 合并应急小组与值班经理的启动。",
    });
    b.node({
      id: 'eFork',
      kind: 'inclusiveGateway',
      name: 'Respond\n响应',
      labelSide: 'topLeft',
      place: { lane: 'laneEmergency', col: 7.3 },
      doc: 'Always notify management and restore; communicate with customers when needed. / 总是通报管理层并恢复服务；需要时与客户沟通。',
    });
    b.node({
      id: 'notifyMgmt',
      kind: 'sendTask',
      name: 'Notify management\n通报管理层',
      place: { lane: 'laneManagement', row: 1, col: 8.2 },
      jobType: 'notify.staff',
      inputs: [
        lit('template', 'incident-declared'),
        lit('toGroup', 'service-managers'),
        feel('subject', 'riskId'),
        feel('incidentSeverity', 'incidentSeverity'),
        feel('incidentCommander', 'incidentCommander'),
      ],
      doc: 'Tells service managers that an incident was declared. / 通知服务经理：已宣布事件。',
    });
    b.node({
      id: 'customerComms',
      kind: 'userTask',
      name: 'Inform customers\n通知受影响客户',
      place: { lane: 'laneSupervisor', col: 8.2 },
      form: 'risk-customer-comms',
      groups: 'cs-supervisors',
      priority: PRIORITY,
      sla: { target: BY_SEVERITY('PT1H', 'PT2H', 'PT4H'), warnAt: '0.75', calendar: '24x7' },
      doc: 'Tell the affected customers what happened and what to expect (S4 §6.4; SLA R-COMMS, 24x7). / 告知受影响客户发生了什么及后续安排（S4 §6.4；SLA R-COMMS，全天候）。',
    });
    breachNotifyPath(b, {
      prefix: 'customerComms',
      host: 'customerComms',
      what: 'the customer communication / 客户沟通',
      subject: '=riskId',
      group: 'service-managers',
      notify: { lane: 'laneSystem', row: 1, col: 9.1, endGap: 0.6 },
    });
    b.node({
      id: 'restore',
      kind: 'userTask',
      name: 'Contain and restore\n控制并恢复服务',
      place: { lane: 'laneEmergency', col: 8.2 },
      form: 'risk-restore',
      assignee: '=incidentCommander',
      groups: 'emergency-team',
      priority: PRIORITY,
      doc: 'The commander contains the incident and restores the service; records interruption minutes and customers affected. / 指挥人控制事件并恢复服务；记录中断时长与受影响客户数。',
    });
    b.node({
      id: 'statusTick',
      kind: 'boundaryEvent',
      name: 'Hourly / 4-hourly\n每 1 或 4 小时',
      attachedTo: 'restore',
      interrupting: false,
      side: 'bottom',
      at: 0.75,
      timer: { type: 'timeCycle', value: '=if incidentSeverity = "critical" then "R/PT1H" else "R/PT4H"' },
      doc: 'Status update every hour (critical) or four hours while restoring. / 恢复期间每小时（严重）或每四小时发送状态更新。',
    });
    b.node({
      id: 'sendStatus',
      kind: 'sendTask',
      name: 'Send status update\n发送状态更新',
      place: { lane: 'laneEmergency', row: 1, col: 9.1 },
      jobType: 'notify.staff',
      inputs: [
        lit('template', 'incident-status'),
        lit('toGroup', 'service-managers'),
        feel('subject', 'riskId'),
        feel('incidentSeverity', 'incidentSeverity'),
      ],
      doc: 'Sends the incident status to service managers. / 向服务经理发送事件状态。',
    });
    b.node({
      id: 'statusEnd',
      kind: 'endEvent',
      name: 'Sent\n已发送',
      place: { lane: 'laneEmergency', row: 1, col: 9.7 },
      doc: 'Status sent. / 状态已发送。',
    });
    b.node({
      id: 'eJoin',
      kind: 'inclusiveGateway',
      name: '',
      place: { lane: 'laneEmergency', col: 10.3 },
      doc: 'Waits for the started branches. / 等待已启动的分支完成。',
    });
    b.node({
      id: 'eEnd',
      kind: 'endEvent',
      name: 'Service restored\n服务已恢复',
      place: { lane: 'laneEmergency', col: 11 },
      doc: 'Emergency response ends. / 应急响应结束。',
    });

    b.chain('eStart', 'activate', 'eMerge', 'eFork');
    b.flow('activateEsc', 'eMerge');
    b.when('eFork', 'restore', 'true', 'always\n总是');
    b.when('eFork', 'notifyMgmt', 'true', 'always\n总是', { out: 'top', in: 'left' });
    b.when('eFork', 'customerComms', 'customerCommsNeeded = true', 'customers affected\n涉及客户', {
      out: 'bottom',
      in: 'left',
    });
    b.flow('restore', 'eJoin');
    b.flow('notifyMgmt', 'eJoin', { route: { out: 'right', in: 'top' } });
    b.flow('customerComms', 'eJoin', { route: { out: 'right', in: 'bottom' } });
    b.chain('statusTick', 'sendStatus', 'statusEnd');
    b.flow('eJoin', 'eEnd');
  });
  warnPath(b, {
    prefix: 'emergency',
    host: 'emergency',
    what: 'the emergency response / 应急响应',
    subject: '=riskId',
    group: 'service-managers',
    boundary: { side: 'right', at: 0.12 },
    notify: { lane: 'laneManagement', row: 1, col: 12.5, endGap: 0.6 },
  });
  breachNotifyPath(b, {
    prefix: 'emergency',
    host: 'emergency',
    what: 'the emergency response / 应急响应',
    subject: '=riskId',
    group: 'service-managers',
    boundary: { side: 'right', at: 0.88 },
    notify: { lane: 'laneSupervisor', col: 12.5, endGap: 0.6 },
  });
  b.node({
    id: 'pir',
    kind: 'userTask',
    name: 'Post-incident review\n事后复盘',
    place: { lane: 'laneRiskManager', row: 1, col: 12.5 },
    form: 'risk-pir',
    groups: 'risk-managers',
    priority: PRIORITY,
    sla: { target: 'P5D', warnAt: '0.75', calendar: 'default' },
    doc: 'Cause analysis and lessons learnt; update the plan and the drills (S4 §6.5; SLA R-PIR). / 原因分析与经验总结；更新预案与演练（S4 §6.5；SLA R-PIR）。',
  });
  breachNotifyPath(b, {
    prefix: 'pir',
    host: 'pir',
    what: 'the post-incident review / 事后复盘',
    subject: '=riskId',
    group: 'service-managers',
    boundary: { side: 'right', at: 0.7 },
    notify: { lane: 'laneManagement', col: 13.4, endGap: 0.6 },
  });
  b.flow('emergency', 'pir', { route: { out: 'top', in: 'left', outPos: colX(b.spec, 11.2) } });
}

function assessment(b: ProcessBuilder): void {
  b.node({
    id: 'assessMerge',
    kind: 'exclusiveGateway',
    name: '',
    place: { lane: 'laneRiskManager', col: 14 },
    doc: 'Entry into assessment: new risk, after an incident, a warning KRI alert or a reassessment at review. / 进入评估：新风险、事件之后、KRI 预警或复核时重新评估。',
  });
  b.node({
    id: 'assess',
    kind: 'userTask',
    name: 'Assess risk\n风险评估',
    place: { lane: 'laneRiskManager', col: 14.9 },
    form: 'risk-assess',
    groups: 'risk-managers',
    priority: PRIORITY,
    sla: {
      target: '=if source = "incident" or source = "kri" then "PT4H" else "P2D"',
      warnAt: '0.75',
      calendar: 'default',
    },
    doc: 'Identify and assess: valid, duplicate or not a risk; probability and impact 1–5; name the risk owner (S4 §6.1; SLA R-ASSESS). / 识别与评估：有效、重复或不构成风险；可能性与影响 1–5 分；指定风险责任人（S4 §6.1；SLA R-ASSESS）。',
  });
  breachNotifyPath(b, {
    prefix: 'assess',
    host: 'assess',
    what: 'the assessment / 风险评估',
    subject: '=riskId',
    group: 'service-managers',
    notify: { lane: 'laneManagement', col: 15.8, endGap: 0.6 },
  });
  b.node({
    id: 'assessGw',
    kind: 'exclusiveGateway',
    name: 'Assessment?\n评估结论？',
    place: { lane: 'laneRiskManager', col: 15.8 },
    labelSide: 'topLeft',
    doc: 'Duplicate and not-a-risk end here; a valid risk is levelled. / 重复及不构成风险者在此结束；有效风险进入定级。',
  });
  b.node({
    id: 'endDuplicate',
    kind: 'endEvent',
    name: 'Duplicate\n重复',
    place: { lane: 'laneActionOwner', row: 1, col: 16.7 },
    doc: 'End state: a duplicate of an existing risk. / 结束状态：与已登记风险重复。',
  });
  b.node({
    id: 'endDismissed',
    kind: 'endEvent',
    name: 'Not a risk\n不构成风险',
    place: { lane: 'laneRiskManager', row: 1, col: 16.7 },
    doc: 'End state: dismissed, not a risk. / 结束状态：不构成风险，予以驳回。',
  });
  b.node({
    id: 'level',
    kind: 'businessRuleTask',
    name: 'Compute risk level\n计算风险等级',
    place: { lane: 'laneRiskManager', col: 16.7 },
    decision: { id: RISK_MATRIX, resultVariable: 'levelling' },
    outputs: entriesOf('levelling', ['riskScore', 'riskLevel', 'reviewPeriod']),
    doc: 'The risk matrix (risk-matrix.dmn): riskScore := P × I; level low {1–4}, medium {5–9}, high {10–16 or impact 5}, critical {20, 25}; review every 30, 90 or 180 days. / 风险矩阵（risk-matrix.dmn）：风险分值 := 可能性 × 影响；低 {1–4}、中 {5–9}、高 {10–16 或影响为 5}、重大 {20、25}；复核周期 30、90 或 180 天。',
  });
  b.node({
    id: 'criticalGw',
    kind: 'exclusiveGateway',
    name: 'Critical?\n重大风险？',
    place: { lane: 'laneRiskManager', col: 17.6 },
    doc: 'Critical risks are reported to management at once. / 重大风险立即上报管理层。',
  });
  notifyStaff(
    b,
    'notifyCritical',
    'Notify management\n通报管理层',
    { lane: 'laneManagement', col: 18.5 },
    [
      lit('template', 'risk-critical'),
      lit('toGroup', 'service-managers'),
      feel('subject', 'riskId'),
      feel('title', 'title'),
      feel('riskScore', 'riskScore'),
    ],
    'Tells service managers about a critical risk. / 向服务经理通报重大风险。',
  );
  b.node({
    id: 'treatMerge',
    kind: 'exclusiveGateway',
    name: '',
    place: { lane: 'laneRiskManager', col: 19.4 },
    doc: 'Merges critical and other risks. / 合并重大与其他风险。',
  });

  b.chain('assessMerge', 'assess', 'assessGw');
  b.when('assessGw', 'endDuplicate', 'assessmentOutcome = "duplicate"', 'duplicate\n重复');
  b.when('assessGw', 'endDismissed', 'assessmentOutcome = "not_a_risk"', 'not a risk\n不构成风险');
  b.otherwise('assessGw', 'level', 'valid\n有效', { out: 'right', in: 'left' });
  b.flow('level', 'criticalGw');
  b.when('criticalGw', 'notifyCritical', 'riskLevel = "critical"', 'critical\n重大');
  b.otherwise('criticalGw', 'treatMerge', 'otherwise\n其他');
  b.flow('notifyCritical', 'treatMerge', { route: { out: 'right', in: 'bottom' } });
  b.flow('pir', 'assessMerge', { route: { out: 'right', in: 'bottom' } });
  b.flow('treatMerge', 'treat', { route: { inPos: rowY(b.spec, 'laneRiskOwner', 0) } });
}

function treat(b: ProcessBuilder): void {
  b.node({
    id: 'treat',
    kind: 'subProcess',
    name: 'Treat the risk (PDCA)\n风险应对（PDCA）',
    sla: { target: BY_LEVEL('P10D', 'P20D', 'P40D', 'P60D'), warnAt: '0.75', calendar: 'default' },
    doc: 'Plan → Do → Check → Act: strategy and treatment plan, approval, implementation, verification of the residual risk, and another cycle or a persistent-risk decision (SLA R-TREAT, the headline figure). / 计划 → 执行 → 检查 → 处理：应对策略与计划、审批、实施、验证剩余风险，进入下一轮或作出持续性风险决定（SLA R-TREAT，核心指标）。',
  });
  const loopY = rowY(b.spec, 'laneRiskManager', 1.75);
  const toPlan = (extra: Array<{ x: number; y: number }>) => [...extra, { x: colX(b.spec, 21.3), y: loopY }];
  b.inside('treat', () => {
    b.node({
      id: 'tStart',
      kind: 'startEvent',
      name: 'Levelled\n已定级',
      place: { lane: 'laneRiskOwner', col: 20.6 },
      doc: 'Treatment starts. / 开始风险应对。',
    });
    b.node({
      id: 'planMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneRiskOwner', col: 21.3 },
      doc: 'PLAN entry: first plan, rejected plan, replanning, a new PDCA cycle. / 计划入口：首次计划、计划被驳回、重新计划、新一轮 PDCA。',
    });
    b.node({
      id: 'plan',
      kind: 'userTask',
      name: 'Plan treatment\n制定应对计划',
      place: { lane: 'laneRiskOwner', col: 22.2 },
      form: 'risk-plan',
      assignee: '=riskOwner',
      groups: 'risk-owners',
      priority: PRIORITY,
      sla: { target: BY_LEVEL('P1D', 'P3D', 'P5D', 'P10D'), warnAt: '0.75', calendar: 'default' },
      doc: 'PLAN: strategy (avoid, transfer, mitigate, accept), measures, action owner, deadline and KRI with thresholds (S4 §6.2, §6.4; SLA R-PLAN). / 计划：应对策略（规避、转移、减轻、接受）、措施、措施责任人、期限及带阈值的 KRI（S4 §6.2、§6.4；SLA R-PLAN）。',
    });
    warnPath(b, {
      prefix: 'plan',
      host: 'plan',
      what: 'the treatment plan / 应对计划',
      subject: '=riskId',
      group: 'risk-managers',
      notify: { lane: 'laneRiskOwner', row: 1, col: 23.1, endGap: 0.6 },
    });
    breachNotifyPath(b, {
      prefix: 'plan',
      host: 'plan',
      what: 'the treatment plan / 应对计划',
      subject: '=riskId',
      group: 'risk-managers',
      notify: { lane: 'laneActionOwner', row: 1, col: 23.1, endGap: 0.6 },
    });
    b.node({
      id: 'approvalGw',
      kind: 'exclusiveGateway',
      name: 'Approval needed?\n需要审批？',
      place: { lane: 'laneRiskOwner', col: 24 },
      doc: 'A low-level plan needs no approval. / 低等级风险的计划无需审批。',
    });
    b.node({
      id: 'approvePlan',
      kind: 'userTask',
      name: 'Approve plan\n审批应对计划',
      place: { lane: 'laneRiskManager', col: 24.9 },
      form: 'risk-approve',
      groups: '=if riskLevel = "critical" or strategy = "accept" then "service-managers" else "risk-managers"',
      priority: PRIORITY,
      sla: { target: '=if riskLevel = "critical" then "PT4H" else "P2D"', warnAt: '0.75', calendar: 'default' },
      doc: 'Risk managers approve; critical risks and any non-low acceptance go to service managers (SLA R-APPROVE). / 由风险管理审批；重大风险及非低等级的"接受"策略由服务经理审批（SLA R-APPROVE）。',
    });
    breachNotifyPath(b, {
      prefix: 'approvePlan',
      host: 'approvePlan',
      what: 'the plan approval / 计划审批',
      subject: '=riskId',
      group: 'service-managers',
      notify: { lane: 'laneManagement', col: 25.8, endGap: 0.6 },
    });
    b.node({
      id: 'approvedGw',
      kind: 'exclusiveGateway',
      name: 'Approved?\n已批准？',
      place: { lane: 'laneRiskManager', col: 25.8 },
      labelSide: 'topRight',
      doc: 'Approved plans are carried out; rejected ones are replanned. / 批准则实施；驳回则重新计划。',
    });
    b.node({
      id: 'strategyMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneRiskOwner', col: 25.8 },
      doc: 'Merges plans that need no approval and approved plans. / 合并无需审批与已批准的计划。',
    });
    b.node({
      id: 'strategyGw',
      kind: 'exclusiveGateway',
      name: 'Strategy?\n应对策略？',
      place: { lane: 'laneRiskOwner', col: 26.7 },
      doc: 'Accepting means monitoring only; the other strategies are implemented. / 接受即仅作监控；其他策略需实施。',
    });
    b.node({
      id: 'acceptResidual',
      kind: 'scriptTask',
      name: 'Accept residual risk\n接受剩余风险',
      place: { lane: 'laneRiskOwner', col: 27.6 },
      script: {
        expression:
          '={\n  residualProbability: probability, residualImpact: impact,\n  residualScore: riskScore, residualLevel: riskLevel\n}',
        resultVariable: 'accepted',
      },
      outputs: entriesOf('accepted', ['residualProbability', 'residualImpact', 'residualScore', 'residualLevel']),
      doc: 'The residual risk is the inherent risk: residual P, I, score and level := inherent ones. / 剩余风险即固有风险：剩余可能性、影响、分值、等级 := 固有值。',
    });
    b.node({
      id: 'implement',
      kind: 'userTask',
      name: 'Implement treatment\n实施应对措施',
      place: { lane: 'laneActionOwner', col: 27.6 },
      form: 'risk-implement',
      assignee: '=actionOwner',
      groups: 'risk-owners',
      priority: PRIORITY,
      sla: { target: BY_LEVEL('P5D', 'P10D', 'P20D', 'P30D'), warnAt: '0.75', calendar: 'default' },
      doc: 'DO: carry out the measures and record the evidence, or ask to replan (SLA R-IMPL). / 执行：落实措施并记录证据，或申请重新计划（SLA R-IMPL）。',
    });
    warnPath(b, {
      prefix: 'implement',
      host: 'implement',
      what: 'the implementation / 措施实施',
      subject: '=riskId',
      group: 'risk-managers',
      notify: { lane: 'laneActionOwner', row: 1, col: 28.5, endGap: 0.6 },
    });
    breachReviewPath(b, {
      prefix: 'implement',
      host: 'implement',
      what: 'the implementation / 措施实施',
      subject: '=riskId',
      group: 'risk-managers',
      escalateWhen: 'action = "escalate"',
      review: { lane: 'laneRiskManager', row: 1, col: 28.5 },
      gateway: { lane: 'laneRiskManager', row: 1, col: 29.4 },
      escalate: { lane: 'laneManagement', row: 1, col: 30.3, endGap: 0.6 },
      done: { lane: 'laneRiskManager', row: 1, col: 30.05 },
    });
    b.node({
      id: 'implGw',
      kind: 'exclusiveGateway',
      name: 'Done?\n已完成？',
      place: { lane: 'laneActionOwner', col: 29.5 },
      labelSide: 'topLeft',
      doc: 'Done goes to verification; replan goes back to planning. / 完成则验证；重新计划则返回计划。',
    });
    b.node({
      id: 'verify',
      kind: 'userTask',
      name: 'Verify effectiveness\n验证有效性',
      place: { lane: 'laneRiskManager', col: 30.7 },
      form: 'risk-verify',
      groups: 'risk-managers',
      priority: PRIORITY,
      sla: { target: 'P5D', warnAt: '0.75', calendar: 'default' },
      doc: 'CHECK: is the treatment effective; rate the residual probability and impact (SLA R-VERIFY). / 检查：措施是否有效；评定剩余可能性与影响（SLA R-VERIFY）。',
    });
    breachNotifyPath(b, {
      prefix: 'verify',
      host: 'verify',
      what: 'the verification / 有效性验证',
      subject: '=riskId',
      group: 'service-managers',
      notify: { lane: 'laneManagement', col: 31.6, endGap: 0.6 },
    });
    b.node({
      id: 'residual',
      kind: 'businessRuleTask',
      name: 'Compute residual risk\n计算剩余风险',
      place: { lane: 'laneRiskManager', col: 31.6 },
      decision: { id: RISK_MATRIX, resultVariable: 'residualResult' },
      inputs: [
        { source: '=residualProbability', target: 'probability' },
        { source: '=residualImpact', target: 'impact' },
      ],
      outputs: [
        { source: '=residualResult.riskScore', target: 'residualScore' },
        { source: '=residualResult.riskLevel', target: 'residualLevel' },
        { source: '=residualResult.reviewPeriod', target: 'reviewPeriod' },
        { source: '=pdcaCycle + 1', target: 'pdcaCycle' },
      ],
      doc: 'Residual score and level by the same risk matrix (risk-matrix.dmn) as the inherent level; review period from the residual level; pdcaCycle + 1. / 按与固有等级相同的风险矩阵（risk-matrix.dmn）计算剩余分值与等级；按剩余等级确定复核周期；PDCA 轮次加一。',
    });
    b.node({
      id: 'actGw',
      kind: 'exclusiveGateway',
      name: 'Residual acceptable?\n剩余风险可接受？',
      place: { lane: 'laneRiskManager', col: 32.5 },
      labelSide: 'topRight',
      doc: 'ACT: low or medium and effective ends the treatment; otherwise another cycle, and after three cycles a persistent-risk decision. / 处理：剩余为低或中且有效则结束；否则再来一轮，三轮后作持续性风险决定。',
    });
    b.node({
      id: 'persistentRisk',
      kind: 'userTask',
      name: 'Decide on persistent risk\n持续性风险决定',
      place: { lane: 'laneManagement', col: 33.4 },
      form: 'risk-persistent',
      groups: 'service-managers',
      priority: PRIORITY,
      sla: { target: 'P5D', calendar: 'default' },
      doc: 'After three PDCA cycles: accept the residual risk or start a new cycle (SLA R-PERSIST). / 三轮 PDCA 之后：接受剩余风险或开始新一轮（SLA R-PERSIST）。',
    });
    b.node({
      id: 'persistentGw',
      kind: 'exclusiveGateway',
      name: 'Decision?\n决定？',
      place: { lane: 'laneManagement', col: 34.3 },
      labelSide: 'bottom',
      doc: 'New cycle or accept the residual risk. / 新一轮或接受剩余风险。',
    });
    b.node({
      id: 'tEndMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneRiskOwner', col: 35.2 },
      doc: 'Merges the ways out of treatment. / 合并结束应对的各条路径。',
    });
    b.node({
      id: 'tEnd',
      kind: 'endEvent',
      name: 'Treated\n已应对',
      place: { lane: 'laneRiskOwner', col: 35.9 },
      doc: 'Treatment ends; the risk goes to monitoring. / 应对结束，风险进入监控。',
    });

    b.chain('tStart', 'planMerge', 'plan', 'approvalGw');
    b.when('approvalGw', 'strategyMerge', 'riskLevel = "low"', 'low\n低');
    b.otherwise('approvalGw', 'approvePlan', 'otherwise\n其他', { out: 'bottom', in: 'left' });
    b.flow('approvePlan', 'approvedGw');
    b.when('approvedGw', 'strategyMerge', 'planDecision = "approve"', 'approved\n批准', { out: 'top', in: 'bottom' });
    b.flow('strategyMerge', 'strategyGw');
    b.otherwise('approvedGw', 'planMerge', 'rejected\n驳回', {
      out: 'bottom',
      in: 'bottom',
      via: toPlan([{ x: colX(b.spec, 25.8), y: loopY }]),
    });
    b.when('strategyGw', 'acceptResidual', 'strategy = "accept"', 'accept\n接受');
    b.otherwise('strategyGw', 'implement', 'avoid, transfer, mitigate\n规避/转移/减轻', { out: 'bottom', in: 'left' });
    b.flow('implement', 'implGw');
    b.when('implGw', 'planMerge', 'implementationStatus = "replan"', 'replan\n重新计划', {
      out: 'bottom',
      in: 'bottom',
      via: toPlan([{ x: colX(b.spec, 29.5), y: loopY }]),
    });
    b.otherwise('implGw', 'verify', 'done\n完成', { out: 'right', in: 'left' });
    b.flow('verify', 'residual');
    b.flow('residual', 'actGw');
    b.when(
      'actGw',
      'tEndMerge',
      '(residualLevel = "low" or residualLevel = "medium") and treatmentEffective = true',
      'acceptable\n可接受',
      {
        out: 'top',
        in: 'bottom',
        via: [
          { x: colX(b.spec, 32.5), y: rowY(b.spec, 'laneActionOwner', 0) },
          { x: colX(b.spec, 35.2), y: rowY(b.spec, 'laneActionOwner', 0) },
        ],
      },
    );
    b.when(
      'actGw',
      'planMerge',
      'not((residualLevel = "low" or residualLevel = "medium") and treatmentEffective = true) and pdcaCycle < 3',
      'next cycle\n下一轮',
      { out: 'bottom', in: 'bottom', via: toPlan([{ x: colX(b.spec, 32.5), y: loopY }]) },
    );
    b.otherwise('actGw', 'persistentRisk', 'third cycle done\n三轮已满', { out: 'right', in: 'top' });
    b.flow('persistentRisk', 'persistentGw');
    b.when('persistentGw', 'planMerge', 'decision = "new_cycle"', 'new cycle\n新一轮', {
      out: 'top',
      in: 'bottom',
      via: toPlan([{ x: colX(b.spec, 34.3), y: loopY }]),
    });
    b.otherwise('persistentGw', 'tEndMerge', 'accept residual\n接受剩余风险', { out: 'right', in: 'bottom' });
    b.flow('acceptResidual', 'tEndMerge');
    b.flow('tEndMerge', 'tEnd');
  });
  breachNotifyPath(b, {
    prefix: 'treat',
    host: 'treat',
    what: 'the risk treatment / 风险应对',
    subject: '=riskId',
    group: 'service-managers',
    boundary: { side: 'right', at: 0.7 },
    notify: { lane: 'laneManagement', row: 1, col: 37.1, endGap: 0.6 },
  });
}

function monitoring(b: ProcessBuilder, kri: string): void {
  b.node({
    id: 'monitorMerge',
    kind: 'exclusiveGateway',
    name: '',
    place: { lane: 'laneSystem', col: 37.9 },
    doc: 'Entry into monitoring, also after a periodic review that continues it. / 进入监控；复核决定继续监控时再次进入。',
  });
  b.node({
    id: 'watch',
    kind: 'receiveTask',
    name: 'Monitor KRI\n监控关键风险指标',
    place: { lane: 'laneSystem', col: 38.8 },
    messageRef: kri,
    doc: 'Waits for message risk-kri-alert (payload alertLevel, kriValue, observedAt) from the KRI evaluator or an external monitor; the periodic review falls due meanwhile. / 等待来自 KRI 评估器或外部监控的消息 risk-kri-alert（内容 alertLevel、kriValue、observedAt）；期间按周期复核。',
  });
  b.node({
    id: 'reviewDue',
    kind: 'boundaryEvent',
    name: 'Review due\n到期复核',
    attachedTo: 'watch',
    interrupting: true,
    side: 'top',
    at: 0.5,
    timer: { type: 'timeDuration', value: '=reviewPeriod' },
    doc: 'After the review period (30, 90 or 180 days, wall clock). / 复核周期（30、90 或 180 天，自然日）届满。',
  });
  b.node({
    id: 'periodicReview',
    kind: 'userTask',
    name: 'Periodic review\n定期复核',
    place: { lane: 'laneRiskOwner', col: 38.8 },
    form: 'risk-review',
    assignee: '=riskOwner',
    priority: PRIORITY,
    sla: { target: 'P5D', calendar: 'default' },
    doc: 'The risk owner reviews the risk: continue monitoring, reassess, or close it (S4 §6.2 periodic review; SLA R-REVIEW). / 风险责任人复核：继续监控、重新评估或关闭（S4 §6.2 定期复核；SLA R-REVIEW）。',
  });
  breachNotifyPath(b, {
    prefix: 'periodicReview',
    host: 'periodicReview',
    what: 'the periodic review / 定期复核',
    subject: '=riskId',
    group: 'risk-managers',
    notify: { lane: 'laneRiskOwner', row: 1, col: 39.7, endGap: 0.6 },
  });
  b.node({
    id: 'reviewGw',
    kind: 'exclusiveGateway',
    name: 'Review decision?\n复核决定？',
    place: { lane: 'laneRiskOwner', col: 40.6 },
    labelSide: 'topLeft',
    doc: 'Close, reassess, or continue monitoring. / 关闭、重新评估或继续监控。',
  });
  b.node({
    id: 'endClosed',
    kind: 'endEvent',
    name: 'Closed\n已关闭',
    place: { lane: 'laneRiskOwner', col: 41.35 },
    doc: 'End state: the owner closed the risk at a periodic review. / 结束状态：风险责任人在定期复核时关闭风险。',
  });
  b.node({
    id: 'kriGw',
    kind: 'exclusiveGateway',
    name: 'Alert level?\n告警级别？',
    place: { lane: 'laneSystem', col: 41.8 },
    labelSide: 'topRight',
    doc: 'A critical alert means the risk has materialised: emergency response; a warning leads to reassessment. / 严重告警表示风险已发生：进入应急响应；预警则重新评估。',
  });
  b.node({
    id: 'kriToIncident',
    kind: 'scriptTask',
    name: 'Declare incident from KRI\n由 KRI 转为事件',
    place: { lane: 'laneSystem', row: 1, col: 42.7 },
    script: {
      expression:
        '={\n  incidentOccurred: true,\n  incidentSeverity: if riskLevel = "critical" then "critical" else "high",\n  incidentStartedAt: observedAt\n}',
      resultVariable: 'incident',
    },
    outputs: entriesOf('incident', ['incidentOccurred', 'incidentSeverity', 'incidentStartedAt']),
    doc: 'incidentOccurred := true; severity critical for a critical risk, else high; started at the observation time. / 标记已发生事件；重大风险为严重级，否则为高级；以观测时间为开始时间。',
  });

  const channelY = rowY(b.spec, 'laneReporter', 1);
  b.flow('treat', 'monitorMerge', { route: { out: 'right', in: 'top' } });
  b.flow('monitorMerge', 'watch');
  b.flow('reviewDue', 'periodicReview', { route: { out: 'top', in: 'bottom' } });
  b.flow('periodicReview', 'reviewGw');
  b.when('reviewGw', 'endClosed', 'reviewDecision = "close"', 'close\n关闭');
  b.when('reviewGw', 'assessMerge', 'reviewDecision = "reassess"', 'reassess\n重新评估', {
    out: 'top',
    in: 'top',
    viaY: channelY,
  });
  b.otherwise('reviewGw', 'monitorMerge', 'continue\n继续监控', {
    out: 'bottom',
    in: 'bottom',
    via: [
      { x: colX(b.spec, 40.6), y: rowY(b.spec, 'laneSystem', 1.75) },
      { x: colX(b.spec, 37.9), y: rowY(b.spec, 'laneSystem', 1.75) },
    ],
  });
  b.flow('watch', 'kriGw');
  b.when('kriGw', 'kriToIncident', 'alertLevel = "critical"', 'critical\n严重');
  b.otherwise('kriGw', 'assessMerge', 'warning\n预警', { out: 'top', in: 'top', viaY: channelY });
  b.flow('kriToIncident', 'emergencyMerge', {
    route: { out: 'bottom', in: 'bottom', viaY: rowY(b.spec, 'laneSystem', 2.3) },
  });
}

/** Where a major-incident catch sits on its host, and where the end of its path goes. */
interface IncidentCatch {
  host: string;
  /** "English / 中文" name of the host for documentation. */
  what: string;
  side: Side;
  at: number;
  labelSide?: 'left';
  end: Place;
}

/**
 * The states an open risk waits in: the two sub-processes and the tasks and receive task between them.
 * A risk is in exactly one of them at a time, so a declared incident reaches it once.
 */
const INCIDENT_CATCHES: IncidentCatch[] = [
  {
    host: 'emergency',
    what: 'emergency response / 应急响应',
    side: 'top',
    at: 0.35,
    end: { lane: 'laneRiskManager', row: 1, col: 7.3 },
  },
  {
    host: 'pir',
    what: 'post-incident review / 事后复盘',
    side: 'bottom',
    at: 0.25,
    labelSide: 'left',
    end: { lane: 'laneManagement', row: 0, col: 12.32 },
  },
  {
    host: 'assess',
    what: 'assessment / 风险评估',
    side: 'top',
    at: 0.5,
    labelSide: 'left',
    end: { lane: 'laneActionOwner', row: 1, col: 14.9 },
  },
  {
    host: 'treat',
    what: 'treatment / 风险应对',
    side: 'bottom',
    at: 0.1,
    end: { lane: 'laneEmergency', row: 1, col: 21.9 },
  },
  { host: 'watch', what: 'monitoring / 监控', side: 'bottom', at: 0.5, end: { lane: 'laneSystem', row: 1, col: 38.8 } },
  {
    host: 'periodicReview',
    what: 'periodic review / 定期复核',
    side: 'top',
    at: 0.8,
    labelSide: 'left',
    end: { lane: 'laneReporter', row: 0, col: 39.01 },
  },
];

/**
 * issue 12: a declared major incident (signal major-incident-declared, as in the service journey) raises the
 * priority of every open risk, wherever it waits, through a non-interrupting boundary; the risk goes on.
 * Risks carry no service type, so every open risk is affected.
 */
function majorIncident(b: ProcessBuilder): void {
  const signal = b.signal('Signal_majorIncident', 'major-incident-declared');
  for (const c of INCIDENT_CATCHES) {
    const [en, zh] = c.what.split(' / ');
    b.node({
      id: `${c.host}Incident`,
      kind: 'boundaryEvent',
      name: 'Major incident\n重大事件',
      attachedTo: c.host,
      interrupting: false,
      side: c.side,
      at: c.at,
      labelSide: c.labelSide,
      signalRef: signal,
      outputs: [
        { source: '="urgent"', target: 'priority' },
        { source: '=incidentId', target: 'majorIncidentId' },
      ],
      doc: `A major incident declared during the ${en} (signal major-incident-declared, with incidentId) makes the risk urgent; its tasks, open and new, carry the raised priority and the ${en} goes on. / ${zh}期间宣布重大事件（major-incident-declared 信号，含 incidentId）时，风险提升为紧急；其任务（在办及新建）按提升后的优先级处理，${zh}照常进行。`,
    });
    b.node({
      id: `${c.host}IncidentEnd`,
      kind: 'endEvent',
      name: 'Priority raised\n已提升优先级',
      place: c.end,
      doc: 'The risk is urgent; nothing else changes. / 风险已提升为紧急，其余不变。',
    });
    b.flow(`${c.host}Incident`, `${c.host}IncidentEnd`);
  }
}
