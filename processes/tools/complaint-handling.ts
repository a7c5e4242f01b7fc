/** Complaint handling (domain.md §2.1): `complaint-handling`, business key `complaintId`. */
import { colX, rowY } from './bpmn/layout.js';
import { ProcessBuilder } from './bpmn/spec.js';
import {
  breachInterrupt,
  breachNotifyPath,
  breachReviewPath,
  entriesOf,
  feel,
  lit,
  PRIORITY,
  warnPath,
} from './bpmn/patterns.js';

const BY_PRIORITY = (urgent: string, general: string, nonUrgent: string) =>
  `=if priority = "urgent" then "${urgent}" else if priority = "general" then "${general}" else "${nonUrgent}"`;

/** notify.customer inputs: the template, the preferred channel and the contact fields. */
function toCustomer(template: string, ...extra: Array<{ source: string; target: string }>) {
  return [
    lit('template', template),
    feel('channel', 'preferredContact'),
    feel('contactPhone', 'contactPhone'),
    feel('contactEmail', 'contactEmail'),
    feel('customerName', 'customerName'),
    feel('subject', 'complaintId'),
    ...extra,
  ];
}

export function complaintHandling(): ProcessBuilder {
  const b = new ProcessBuilder(
    'complaint-handling',
    'Complaint handling',
    'Handles a customer complaint from intake to closure: classify by priority, first response, resolution with approvals and transfers, CRM record, satisfaction survey with callback and reopen (S0 closed loop). Business key: complaintId. / 处理客户投诉的全过程：按优先级分类、首次响应、解决（含审批与转派）、CRM 记录、满意度回访、回电与重开（S0 闭环）。业务键：complaintId。',
  );
  b.spec.sla = {
    target: BY_PRIORITY('P2D', 'P5D', 'P7D'),
    warnAt: '0.75',
    calendar: 'default',
    pauseWhile: ['awaitInfo', 'survey'],
  };
  b.spec.businessKey = { variable: 'complaintId', prefix: 'CMP', period: 'day' };
  b.spec.starterGroups = ['cs-agents', 'cs-supervisors'];

  b.lane(
    'laneCustomer',
    'Customer\n客户',
    'External: channels and messages from the customer. / 外部：客户渠道与客户消息。',
    2,
  );
  b.lane(
    'laneAgent',
    'CS Agent (cs-agents)\n客服专员',
    'Front-line customer-service agents: first response, communication, survey calls. / 一线客服专员：首次响应、沟通结果、回访电话。',
    2,
  );
  b.lane(
    'laneResolver',
    'Resolver (=resolverGroup)\n投诉处理人',
    'The group that investigates: cs-resolvers, tech-support, billing, logistics, or cs-supervisors after three transfers. / 负责调查的组：cs-resolvers、tech-support、billing、logistics，三次转派后为 cs-supervisors。',
    2,
  );
  b.lane(
    'laneSupervisor',
    'CS Supervisor (cs-supervisors)\n客服主管',
    'Customer-service supervisors: escalated first responses, approvals, final reviews, overdue reviews. / 客服主管：升级的首次响应、审批、最终复核、超时复核。',
    2,
  );
  b.lane(
    'laneManagement',
    'Service managers\n服务经理',
    'Service managers, notified only: breaches and escalations. / 服务经理（仅接收通知）：超时与上报。',
    1,
  );
  b.lane(
    'laneSystem',
    'System\n系统',
    'Automated steps: rules, notifications, CRM, links to other processes. / 自动步骤：规则、通知、CRM、关联流程。',
    3,
  );

  const info = b.message('Message_customerInfo', 'complaint-customer-info', '=complaintId');
  const surveyAnswer = b.message('Message_surveyResponse', 'complaint-survey-response', '=complaintId');

  // intake, classification, first response
  b.node({
    id: 'start',
    kind: 'startEvent',
    name: 'Complaint received\n收到投诉',
    place: { lane: 'laneAgent', col: 0 },
    form: 'complaint-intake',
    doc: 'A complaint arrives through the tasklist ("New complaint") or a channel integration (POST /api/instances) with the intake form\'s variables. / 投诉经任务列表"新建投诉"或渠道集成（POST /api/instances）进入，携带受理表单的变量。',
  });
  b.node({
    id: 'classify',
    kind: 'scriptTask',
    name: 'Classify complaint\n投诉分级',
    place: { lane: 'laneSystem', col: 1 },
    script: {
      expression: `={
  priority: if safetyOrLegalRisk = true then "urgent"
            else if (isRepeat = true or customerTier = "high") and priority = "non-urgent" then "general"
            else priority,
  resolverGroup: if category = "technical" then "tech-support"
                 else if category = "billing" then "billing"
                 else if category = "delivery" then "logistics"
                 else "cs-resolvers",
  transferCount: 0, reopenCount: 0, resolutionStatus: "open", compensationAmount: 0
}`,
      resultVariable: 'classification',
    },
    outputs: entriesOf('classification', [
      'priority',
      'resolverGroup',
      'transferCount',
      'reopenCount',
      'resolutionStatus',
      'compensationAmount',
    ]),
    doc: 'Business rule: safety or legal risk makes it urgent; repeat or high-value customers are never non-urgent; routes to the resolver group by category (S4 §3.2, §5.5). Starts compensationAmount at 0 (domain.md §2.1). / 业务规则：涉及安全或法律风险即为紧急；重复投诉或高价值客户不低于一般；按类别分派处理组（S4 §3.2、§5.5）。compensationAmount 初始为 0（domain.md §2.1）。',
  });
  b.node({
    id: 'fork',
    kind: 'parallelGateway',
    name: 'Acknowledge and respond\n受理并响应',
    labelSide: 'bottom',
    place: { lane: 'laneSystem', col: 2 },
    doc: 'Acknowledges in parallel, so a broken SMS gateway never holds up the first response. / 并行发送受理通知，短信网关故障不会耽误首次响应。',
  });
  b.node({
    id: 'ack',
    kind: 'sendTask',
    name: 'Acknowledge receipt\n发送受理通知',
    place: { lane: 'laneSystem', col: 3 },
    jobType: 'notify.customer',
    inputs: toCustomer('complaint-ack', feel('priority', 'priority'), lit('promiseOf', 'firstResponse')),
    doc: 'Sends the complaint number and the promised first-response time (the SLA due of firstResponse). / 向客户发送投诉编号及承诺的首次响应时间（firstResponse 的 SLA 到期时间）。',
  });
  b.node({
    id: 'firstResponse',
    kind: 'userTask',
    name: 'First response\n首次响应',
    place: { lane: 'laneAgent', col: 3 },
    form: 'complaint-first-response',
    groups: 'cs-agents',
    priority: PRIORITY,
    sla: { target: BY_PRIORITY('PT2H', 'P1D', 'P2D'), warnAt: '0.75', calendar: 'default' },
    outputs: [feel('firstResponder', 'completedBy')],
    doc: 'Contact the customer, confirm the facts and their expectation, name the owner and the plan; may change category or priority; may resolve at first contact. The agent who completes it becomes firstResponder. SLA CMP-FR never pauses. / 联系客户，确认事实与诉求，告知负责人和处理计划；可修改类别或优先级；可在首次联系时解决。完成者记为 firstResponder。SLA CMP-FR 不暂停。',
  });
  warnPath(b, {
    prefix: 'firstResponse',
    host: 'firstResponse',
    what: 'the first response / 首次响应',
    subject: '=complaintId',
    group: 'cs-supervisors',
    notify: { lane: 'laneAgent', row: 1, col: 4, endGap: 0.7 },
  });
  b.node({
    id: 'firstResponseEsc',
    kind: 'userTask',
    name: 'Escalated first response\n升级首次响应',
    place: { lane: 'laneSupervisor', col: 4 },
    form: 'complaint-first-response',
    groups: 'cs-supervisors',
    priority: PRIORITY,
    sla: { target: 'PT1H', calendar: 'default' },
    outputs: [feel('firstResponder', 'completedBy')],
    doc: 'Reached only when the first response breached its SLA: a supervisor makes the first response (SLA CMP-FR-ESC, 1 working hour) and becomes firstResponder. / 仅在首次响应超时后到达：由客服主管完成首次响应（SLA CMP-FR-ESC，1 个工作小时），并记为 firstResponder。',
  });
  breachInterrupt(b, {
    prefix: 'firstResponse',
    host: 'firstResponse',
    what: 'the first response / 首次响应',
    subject: '=complaintId',
    target: 'firstResponseEsc',
    group: 'cs-supervisors',
  });
  breachNotifyPath(b, {
    prefix: 'firstResponseEsc',
    host: 'firstResponseEsc',
    what: 'the escalated first response / 升级后的首次响应',
    subject: '=complaintId',
    group: 'service-managers',
    notify: { lane: 'laneManagement', col: 5, endGap: 0.7 },
  });
  b.node({
    id: 'frMerge',
    kind: 'exclusiveGateway',
    name: '',
    place: { lane: 'laneAgent', col: 5 },
    doc: 'Merges the normal and the escalated first response. / 合并正常与升级后的首次响应。',
  });
  b.node({
    id: 'join',
    kind: 'parallelGateway',
    name: '',
    place: { lane: 'laneSystem', col: 6 },
    doc: 'Waits for the acknowledgement and the first response. / 等待受理通知与首次响应都完成。',
  });
  b.node({
    id: 'fcrGw',
    kind: 'exclusiveGateway',
    name: 'Resolved at first contact?\n首次联系已解决？',
    place: { lane: 'laneSystem', col: 7 },
    doc: 'First-contact resolution counts only when the complaint is not urgent. / 仅非紧急投诉可在首次联系时结案。',
  });
  b.node({
    id: 'fcrPrep',
    kind: 'scriptTask',
    name: 'Record FCR outcome\n记录首次解决',
    place: { lane: 'laneSystem', row: 2, col: 8.8 },
    script: { expression: '="resolved"', resultVariable: 'outcome' },
    doc: 'Sets outcome to "resolved" for a first-contact resolution. / 首次联系即解决：将 outcome 设为 "resolved"。',
  });
  b.node({
    id: 'resolveMerge',
    kind: 'exclusiveGateway',
    name: '',
    place: { lane: 'laneSystem', col: 8 },
    doc: 'Entry into resolution, and re-entry when the complaint is reopened. / 进入解决阶段；重开时再次进入。',
  });

  b.chain('start', 'classify', 'fork', 'ack', 'join');
  b.flow('fork', 'firstResponse');
  b.flow('firstResponse', 'frMerge');
  b.flow('firstResponseEsc', 'frMerge', { route: { out: 'right', in: 'bottom' } });
  b.flow('frMerge', 'join');
  b.flow('join', 'fcrGw');
  b.when('fcrGw', 'fcrPrep', 'resolvedAtFirstContact = true and priority != "urgent"', 'resolved\n已解决');
  b.otherwise('fcrGw', 'resolveMerge', 'otherwise\n其他');
  b.flow('resolveMerge', 'resolve', { route: { inPos: rowY(b.spec, 'laneResolver', 0) } });

  resolve(b, info);
  afterResolve(b);
  survey(b, surveyAnswer);
  return b;
}

function resolve(b: ProcessBuilder, info: string): void {
  b.node({
    id: 'resolve',
    kind: 'subProcess',
    name: 'Resolve complaint\n解决投诉',
    pad: { top: 52 },
    sla: { target: BY_PRIORITY('P1D', 'P3D', 'P5D'), warnAt: '0.75', calendar: 'default', pauseWhile: ['awaitInfo'] },
    doc: 'Investigate, ask the customer for information, transfer, approve and communicate the resolution. SLA CMP-RES pauses while waiting for the customer; each reopen starts a new row. / 调查、向客户索取信息、转派、审批并告知解决方案。SLA CMP-RES 在等待客户时暂停；每次重开产生新的记录。',
  });
  b.inside('resolve', () => {
    b.node({
      id: 'rsStart',
      kind: 'startEvent',
      name: 'Resolve\n开始解决',
      place: { lane: 'laneResolver', col: 9.35 },
      doc: 'Resolution starts. / 开始解决。',
    });
    b.node({
      id: 'rsMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneResolver', col: 10.1 },
      doc: 'Loop entry: first investigation, new information, transfer, rejected approval or rejected resolution. / 循环入口：首次调查、收到新信息、转派、审批驳回或客户不接受。',
    });
    b.node({
      id: 'investigate',
      kind: 'userTask',
      name: 'Investigate\n调查处理',
      place: { lane: 'laneResolver', col: 11.1 },
      form: 'complaint-investigate',
      groups: '=resolverGroup',
      priority: PRIORITY,
      outputs: [
        feel(
          'compensationAmount',
          'if outcome = "resolved" and list contains(["refund", "compensation", "voucher"], remedyType) then compensationAmount else 0',
        ),
      ],
      doc: 'Find the facts and decide the outcome: resolved, need information from the customer, transfer, or unfounded; record root cause, remedy and any systemic risk. compensationAmount is 0 unless the remedy pays money, so a reopen keeps no stale amount. / 查明事实并确定结果：已解决、需客户补充信息、转派或投诉不成立；记录根因、补救措施及系统性风险。除非补救措施涉及金额，compensationAmount 为 0，重开时不保留旧金额。',
    });
    b.node({
      id: 'outcomeGw',
      kind: 'exclusiveGateway',
      name: 'Outcome?\n处理结果？',
      place: { lane: 'laneResolver', col: 12 },
      labelSide: 'topLeft',
      doc: 'Routes by the investigation outcome. / 按调查结果分流。',
    });
    b.node({
      id: 'requestInfo',
      kind: 'sendTask',
      name: 'Ask customer for information\n请客户补充信息',
      place: { lane: 'laneCustomer', row: 0.3, col: 12.9 },
      jobType: 'notify.customer',
      inputs: toCustomer('complaint-info-request', feel('infoRequest', 'customerInfoRequest')),
      doc: "Sends the investigator's questions to the customer. / 将调查人的问题发送给客户。",
    });
    b.node({
      id: 'awaitInfo',
      kind: 'receiveTask',
      name: 'Await customer information\n等待客户补充信息',
      place: { lane: 'laneCustomer', row: 0.3, col: 13.9 },
      messageRef: info,
      doc: 'Waits for message complaint-customer-info (payload customerInfo, up to 4000 characters); the CMP-RES and CMP-E2E clocks pause meanwhile. / 等待消息 complaint-customer-info（内容 customerInfo，最多 4000 字）；期间 CMP-RES 与 CMP-E2E 计时暂停。',
    });
    b.node({
      id: 'infoReminder',
      kind: 'boundaryEvent',
      name: '2 days\n2 天',
      attachedTo: 'awaitInfo',
      interrupting: false,
      side: 'bottom',
      at: 0.75,
      timer: { type: 'timeDuration', value: 'P2D' },
      doc: 'After two days (wall clock) without an answer, remind the customer. / 两天（自然日）未回复时提醒客户。',
    });
    b.node({
      id: 'sendInfoReminder',
      kind: 'sendTask',
      name: 'Remind customer\n提醒客户',
      place: { lane: 'laneCustomer', row: 1.1, col: 14.9 },
      jobType: 'notify.customer',
      inputs: toCustomer('complaint-info-reminder', feel('infoRequest', 'customerInfoRequest')),
      doc: 'Reminds the customer of the open information request. / 提醒客户尚未答复的信息请求。',
    });
    b.node({
      id: 'infoReminderEnd',
      kind: 'endEvent',
      name: 'Reminded\n已提醒',
      place: { lane: 'laneCustomer', row: 1.1, col: 15.7 },
      doc: 'Reminder sent. / 提醒已发送。',
    });
    b.node({
      id: 'infoTimeout',
      kind: 'boundaryEvent',
      name: '5 days\n5 天',
      attachedTo: 'awaitInfo',
      interrupting: true,
      side: 'right',
      at: 0.5,
      timer: { type: 'timeDuration', value: 'P5D' },
      doc: 'After five days (wall clock) without an answer the request is given up. / 五天（自然日）未回复则放弃等待。',
    });
    b.node({
      id: 'markNoResponse',
      kind: 'scriptTask',
      name: 'Mark no response\n标记客户未回复',
      place: { lane: 'laneCustomer', row: 0.3, col: 14.9 },
      script: { expression: '="no_customer_response"', resultVariable: 'resolutionStatus' },
      doc: 'Sets resolutionStatus to "no_customer_response". / 将 resolutionStatus 设为 "no_customer_response"。',
    });
    b.node({
      id: 'rsEndNoResponse',
      kind: 'endEvent',
      name: 'No answer\n客户未回复',
      place: { lane: 'laneCustomer', row: 0.3, col: 15.7 },
      doc: "Resolution ends without the customer's information. / 未获客户信息，解决阶段结束。",
    });
    b.node({
      id: 'transfer',
      kind: 'scriptTask',
      name: 'Transfer\n转派',
      place: { lane: 'laneResolver', row: 1, col: 12.7 },
      script: {
        expression:
          '={\n  resolverGroup: if transferCount >= 2 then "cs-supervisors" else transferTo,\n  transferCount: transferCount + 1\n}',
        resultVariable: 'transferResult',
      },
      outputs: entriesOf('transferResult', ['resolverGroup', 'transferCount']),
      doc: 'Hands the complaint to the chosen group; the third transfer lands with supervisors, so there is no ping-pong. / 转交所选处理组；第三次转派交由客服主管，避免来回推诿。',
    });
    b.node({
      id: 'approvalGw',
      kind: 'exclusiveGateway',
      name: 'Approval needed?\n需要审批？',
      place: { lane: 'laneResolver', col: 13.3 },
      labelSide: 'bottomLeft',
      doc: "Urgent complaints, unfounded complaints and compensation above ¥1000 need a supervisor's approval. / 紧急投诉、不成立的投诉及补偿超过 1000 元需主管审批。",
    });
    b.node({
      id: 'approveResolution',
      kind: 'userTask',
      name: 'Approve resolution\n审批解决方案',
      place: { lane: 'laneSupervisor', col: 14.2 },
      form: 'complaint-approve',
      groups: 'cs-supervisors',
      priority: PRIORITY,
      sla: { target: 'PT4H', warnAt: '0.75', calendar: 'default' },
      doc: 'A supervisor approves or rejects the proposed resolution and any compensation (SLA CMP-APR, 4 working hours). / 客服主管审批解决方案及补偿（SLA CMP-APR，4 个工作小时）。',
    });
    breachNotifyPath(b, {
      prefix: 'approveResolution',
      host: 'approveResolution',
      what: 'the approval / 审批',
      subject: '=complaintId',
      group: 'service-managers',
      boundary: { at: 0.25 },
      notify: { lane: 'laneManagement', col: 14.9, endGap: 0.7 },
    });
    b.node({
      id: 'approvedGw',
      kind: 'exclusiveGateway',
      name: 'Approved?\n已批准？',
      place: { lane: 'laneSupervisor', col: 15.2 },
      doc: 'Approved goes to the customer; rejected goes back to investigation with the approval note. / 批准则告知客户；驳回则携审批意见重新调查。',
    });
    b.node({
      id: 'communicateMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneAgent', col: 15.95 },
      doc: 'Merges approved and approval-free resolutions. / 合并已批准与无需审批的方案。',
    });
    b.node({
      id: 'communicate',
      kind: 'userTask',
      name: 'Communicate resolution\n告知解决方案',
      place: { lane: 'laneAgent', col: 16.8 },
      form: 'complaint-communicate',
      assignee: '=firstResponder',
      groups: 'cs-agents',
      priority: PRIORITY,
      doc: 'The agent who gave the first response tells the customer the resolution (one point of contact) and records the answer. / 由首次响应的客服告知客户解决方案（单一联系人）并记录客户答复。',
    });
    b.node({
      id: 'acceptGw',
      kind: 'exclusiveGateway',
      name: 'Customer accepts?\n客户接受？',
      place: { lane: 'laneAgent', col: 17.7 },
      labelSide: 'bottom',
      doc: 'A rejected resolution is investigated again; accepted or no answer ends the resolution. / 客户不接受则重新调查；接受或无答复则结束解决阶段。',
    });
    b.node({
      id: 'rsEnd',
      kind: 'endEvent',
      name: 'Resolved\n已解决',
      place: { lane: 'laneAgent', col: 18.5 },
      doc: 'Resolution communicated. / 解决方案已告知。',
    });

    b.chain('rsStart', 'rsMerge', 'investigate', 'outcomeGw');
    b.when('outcomeGw', 'requestInfo', 'outcome = "need_customer_info"', 'need info\n需补充信息');
    b.when('outcomeGw', 'transfer', 'outcome = "transfer"', 'transfer\n转派');
    b.otherwise('outcomeGw', 'approvalGw', 'resolved, unfounded\n已解决/不成立');
    b.flow('requestInfo', 'awaitInfo');
    b.flow('awaitInfo', 'rsMerge', {
      route: { out: 'bottom', in: 'top', viaY: rowY(b.spec, 'laneCustomer', 0.3) + 60 },
    });
    b.chain('infoReminder', 'sendInfoReminder', 'infoReminderEnd');
    b.chain('infoTimeout', 'markNoResponse', 'rsEndNoResponse');
    b.flow('transfer', 'rsMerge', { route: { out: 'left', in: 'bottom' } });
    b.when(
      'approvalGw',
      'approveResolution',
      'priority = "urgent" or outcome = "unfounded" or compensationAmount > 1000',
      'needs approval\n需审批',
    );
    b.otherwise('approvalGw', 'communicateMerge', 'otherwise\n其他', { out: 'top', in: 'left' });
    b.flow('approveResolution', 'approvedGw');
    b.when('approvedGw', 'communicateMerge', 'decision = "approve"', 'approved\n批准', { out: 'top', in: 'bottom' });
    const loopY = rowY(b.spec, 'laneSupervisor', -0.5) + 16;
    b.otherwise('approvedGw', 'rsMerge', 'rejected\n驳回', {
      out: 'right',
      in: 'bottom',
      via: [
        { x: colX(b.spec, 15.2) + 45, y: rowY(b.spec, 'laneSupervisor', 0) },
        { x: colX(b.spec, 15.2) + 45, y: loopY },
        { x: colX(b.spec, 10.1), y: loopY },
      ],
    });
    b.chain('communicateMerge', 'communicate', 'acceptGw');
    b.when('acceptGw', 'rsMerge', 'customerResponse = "rejected"', 'rejected\n不接受', {
      out: 'top',
      in: 'top',
      viaY: rowY(b.spec, 'laneAgent', -0.5) + 16,
    });
    b.otherwise('acceptGw', 'rsEnd', 'accepted, no answer\n接受/无答复');
  });
  warnPath(b, {
    prefix: 'res',
    host: 'resolve',
    what: 'the resolution / 投诉解决',
    subject: '=complaintId',
    group: 'cs-supervisors',
    boundary: { side: 'right', at: 0.62 },
    notify: { lane: 'laneSupervisor', col: 19.9, endGap: 0.8 },
  });
  breachReviewPath(b, {
    prefix: 'res',
    host: 'resolve',
    what: 'the resolution / 投诉解决',
    subject: '=complaintId',
    group: 'cs-supervisors',
    boundary: { side: 'right', at: 0.8 },
    escalateWhen: 'action = "escalate" or priority = "urgent"',
    review: { lane: 'laneSupervisor', row: 1, col: 19.9 },
    gateway: { lane: 'laneSupervisor', row: 1, col: 20.8 },
    escalate: { lane: 'laneManagement', col: 21.7, endGap: 0.8 },
    done: { lane: 'laneSupervisor', row: 1, col: 21.7 },
    sla: { target: 'PT4H', calendar: 'default' },
  });
}

function afterResolve(b: ProcessBuilder): void {
  b.node({
    id: 'afterResolveGw',
    kind: 'exclusiveGateway',
    name: 'Customer answered?\n客户有回应？',
    place: { lane: 'laneSystem', col: 20.4 },
    doc: 'A complaint whose customer never sent the requested information is closed as no response. / 客户始终未提供所需信息的投诉按"无回应"关闭。',
  });
  b.node({
    id: 'closeNoResponse',
    kind: 'sendTask',
    name: 'Notify closure (no response)\n通知关闭（无回应）',
    place: { lane: 'laneSystem', row: 1, col: 21.3 },
    jobType: 'notify.customer',
    inputs: toCustomer('complaint-closed-no-response'),
    doc: 'Tells the customer the complaint is closed because the requested information never came. / 告知客户因未收到所需信息，投诉已关闭。',
  });
  b.node({
    id: 'endNoResponse',
    kind: 'endEvent',
    name: 'Closed: no response\n关闭：客户无回应',
    place: { lane: 'laneSystem', row: 1, col: 22.1 },
    doc: 'End state: the customer never sent the requested information. / 结束状态：客户始终未提供所需信息。',
  });
  b.node({
    id: 'recordMerge',
    kind: 'exclusiveGateway',
    name: '',
    place: { lane: 'laneSystem', col: 22.9 },
    doc: 'Merges first-contact and full resolutions. / 合并首次解决与完整解决。',
  });
  b.node({
    id: 'record',
    kind: 'serviceTask',
    name: 'Record in CRM\n写入 CRM',
    place: { lane: 'laneSystem', col: 23.8 },
    jobType: 'crm.update',
    inputs: [
      'complaintId',
      'customerId',
      'category',
      'priority',
      'outcome',
      'rootCause',
      'remedyType',
      'compensationAmount',
      'resolutionSummary',
      'resolvedAtFirstContact',
      'transferCount',
      'reopenCount',
    ].map((name) => feel(name, name)),
    doc: 'Writes the resolution, root cause and remedy to the CRM (S4 §5.1: key nodes recorded). / 将解决方案、根因及补救措施写入 CRM（S4 §5.1：记录关键节点）。',
  });
  b.node({
    id: 'riskGw',
    kind: 'exclusiveGateway',
    name: 'Systemic risk?\n系统性风险？',
    place: { lane: 'laneSystem', col: 24.7 },
    doc: 'Opens a risk case when the investigator flagged a systemic risk. / 调查人标记系统性风险时开立风险案例。',
  });
  b.node({
    id: 'raiseRisk',
    kind: 'serviceTask',
    name: 'Open risk case\n开立风险案例',
    place: { lane: 'laneSystem', row: 1, col: 25.6 },
    jobType: 'process.start',
    inputs: [
      lit('definitionKey', 'risk-response'),
      feel(
        'variables',
        `{
  source: "complaint", sourceRef: complaintId, title: "Complaint " + complaintId, description: findings,
  category: if rootCause = "system" then "technical"
            else if rootCause = "process" then "process"
            else if rootCause = "people" then "personnel"
            else if rootCause = "customer_misunderstanding" then "customer"
            else "external",
  incidentOccurred: false
}`,
      ),
    ],
    doc: 'Starts a risk-response instance (§2.4): source "complaint", the complaint id as reference, the findings as description, the category from the root cause. / 启动风险应对流程（§2.4）：来源为投诉，引用投诉编号，以调查结论为描述，按根因确定类别。',
  });
  b.node({
    id: 'riskMerge',
    kind: 'exclusiveGateway',
    name: '',
    place: { lane: 'laneSystem', col: 26.5 },
    doc: 'Merges the paths with and without a risk case. / 合并开立与未开立风险案例的路径。',
  });
  b.when('afterResolveGw', 'closeNoResponse', 'resolutionStatus = "no_customer_response"', 'no response\n无回应');
  b.otherwise('afterResolveGw', 'recordMerge', 'otherwise\n其他');
  b.flow('resolve', 'afterResolveGw', { route: { out: 'bottom', in: 'left' } });
  b.flow('closeNoResponse', 'endNoResponse');
  b.flow('fcrPrep', 'recordMerge', { route: { out: 'right', in: 'bottom' } });
  b.chain('recordMerge', 'record', 'riskGw');
  b.when('riskGw', 'raiseRisk', 'riskFlag = true', 'risk flagged\n有风险');
  b.otherwise('riskGw', 'riskMerge', 'otherwise\n其他');
  b.flow('raiseRisk', 'riskMerge');
  b.flow('riskMerge', 'survey', { route: { inPos: rowY(b.spec, 'laneSystem', 0) } });
}

function survey(b: ProcessBuilder, answer: string): void {
  b.node({
    id: 'survey',
    kind: 'subProcess',
    name: 'Satisfaction survey\n满意度回访',
    doc: "S0 closed loop: survey, follow-up call, callback of dissatisfied customers with report-back, reopen, supervisor's final review. The CMP-E2E clock pauses here. / S0 闭环：满意度调查、电话回访、回电不满意客户并反馈改进、重开、主管最终复核。期间 CMP-E2E 计时暂停。",
  });
  b.inside('survey', () => {
    b.node({
      id: 'svStart',
      kind: 'startEvent',
      name: 'Resolved\n已解决',
      place: { lane: 'laneSystem', col: 27.4 },
      doc: 'Survey starts. / 开始回访。',
    });
    b.node({
      id: 'sendSurvey',
      kind: 'sendTask',
      name: 'Send survey\n发送满意度调查',
      place: { lane: 'laneSystem', col: 28.2 },
      jobType: 'survey.send',
      inputs: [
        lit('template', 'csat-complaint'),
        feel('channel', 'preferredContact'),
        feel('contactPhone', 'contactPhone'),
        feel('contactEmail', 'contactEmail'),
        feel('customerName', 'customerName'),
        feel('subject', 'complaintId'),
      ],
      doc: 'Sends the satisfaction survey (score 1–5) through the preferred channel. / 通过客户偏好的渠道发送满意度调查（1–5 分）。',
    });
    b.node({
      id: 'surveyWait',
      kind: 'eventBasedGateway',
      name: 'Wait for answer\n等待答复',
      place: { lane: 'laneSystem', col: 29.1 },
      doc: "Whichever comes first: the customer's answer or three days. / 以先到者为准：客户答复或三天期满。",
    });
    b.node({
      id: 'surveyResponse',
      kind: 'intermediateCatchEvent',
      name: 'Survey answered\n收到调查答复',
      place: { lane: 'laneCustomer', row: 0.3, col: 30 },
      messageRef: answer,
      doc: 'Message complaint-survey-response: satisfactionScore (integer 1–5, required), surveyComment (up to 1000 characters). / 消息 complaint-survey-response：satisfactionScore（1–5 整数，必填）、surveyComment（最多 1000 字）。',
    });
    b.node({
      id: 'surveyTimeout',
      kind: 'intermediateCatchEvent',
      name: '3 days\n3 天',
      place: { lane: 'laneSystem', col: 30 },
      timer: { type: 'timeDuration', value: 'P3D' },
      doc: 'No answer within three days (wall clock). / 三天（自然日）内未答复。',
    });
    b.node({
      id: 'followUpGw',
      kind: 'exclusiveGateway',
      name: 'Call the customer?\n电话回访？',
      place: { lane: 'laneSystem', col: 30.9 },
      doc: 'Urgent complaints and high-value customers get a follow-up call. / 紧急投诉及高价值客户进行电话回访。',
    });
    b.node({
      id: 'followUpCall',
      kind: 'userTask',
      name: 'Follow-up call\n电话回访',
      place: { lane: 'laneAgent', col: 31.8 },
      form: 'complaint-followup-call',
      groups: 'cs-agents',
      priority: PRIORITY,
      sla: { target: 'P2D', calendar: 'default' },
      doc: 'Phone survey of a customer who did not answer (SLA CMP-FU, 2 working days). / 对未答复客户进行电话调查（SLA CMP-FU，2 个工作日）。',
    });
    b.node({
      id: 'reachedGw',
      kind: 'exclusiveGateway',
      name: 'Reached?\n已联系上？',
      place: { lane: 'laneAgent', col: 32.7 },
      doc: 'A reached customer gives a score; otherwise there is no survey result. / 联系上则记录评分，否则无调查结果。',
    });
    b.node({
      id: 'scoreMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneCustomer', row: 0.3, col: 33.6 },
      doc: 'Merges the written and the phone survey. / 合并书面与电话调查。',
    });
    b.node({
      id: 'scoreGw',
      kind: 'exclusiveGateway',
      name: 'Score ≥ 3?\n评分 ≥ 3？',
      place: { lane: 'laneCustomer', row: 0.3, col: 34.5 },
      doc: '4–5 is within the desired zone, 3 is tolerable, 1–2 is below adequate (S3 expectation zones). / 4–5 分为理想区间，3 分为可容忍，1–2 分低于合格（S3 期望区间）。',
    });
    b.node({
      id: 'callback',
      kind: 'userTask',
      name: 'Call back dissatisfied customer\n回电不满意客户',
      place: { lane: 'laneAgent', col: 35.4 },
      form: 'complaint-callback',
      assignee: '=firstResponder',
      groups: 'cs-agents',
      priority: PRIORITY,
      sla: { target: 'P1D', warnAt: '0.75', calendar: 'default' },
      doc: 'Call back the dissatisfied customer, report the improvements back (S0) and decide whether to reopen (SLA CMP-CB, 1 working day). / 回电不满意的客户，反馈改进措施（S0），决定是否重开（SLA CMP-CB，1 个工作日）。',
    });
    breachNotifyPath(b, {
      prefix: 'callback',
      host: 'callback',
      what: 'the callback / 回电',
      subject: '=complaintId',
      group: 'cs-supervisors',
      notify: { lane: 'laneAgent', row: 1, col: 36.3, endGap: 0.8 },
    });
    b.node({
      id: 'reopenGw',
      kind: 'exclusiveGateway',
      name: 'Reopen?\n重开？',
      place: { lane: 'laneAgent', col: 36.3 },
      doc: "Up to two reopens; a third request goes to the supervisor's final review. / 最多重开两次；第三次由主管最终复核。",
    });
    b.node({
      id: 'finalReview',
      kind: 'userTask',
      name: 'Final review\n最终复核',
      place: { lane: 'laneSupervisor', col: 37.2 },
      form: 'complaint-final-review',
      groups: 'cs-supervisors',
      priority: PRIORITY,
      sla: { target: 'P2D', calendar: 'default' },
      doc: 'After two reopens a supervisor decides: reopen once more or close, possibly with a goodwill amount (SLA CMP-FIN, 2 working days). / 两次重开后由主管决定再次重开或关闭，可给予善意补偿（SLA CMP-FIN，2 个工作日）。',
    });
    breachNotifyPath(b, {
      prefix: 'finalReview',
      host: 'finalReview',
      what: 'the final review / 最终复核',
      subject: '=complaintId',
      group: 'service-managers',
      notify: { lane: 'laneManagement', col: 38.1, endGap: 0.8 },
    });
    b.node({
      id: 'finalGw',
      kind: 'exclusiveGateway',
      name: 'Decision?\n决定？',
      place: { lane: 'laneSupervisor', col: 38.1 },
      labelSide: 'bottom',
      doc: 'Reopen or close by the supervisor. / 主管决定重开或关闭。',
    });
    b.node({
      id: 'reopenMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneAgent', col: 38.1 },
      doc: "Merges the agent's and the supervisor's reopen. / 合并客服与主管的重开决定。",
    });
    b.node({
      id: 'noSurveyMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneSystem', col: 33.6 },
      doc: 'Merges the ways to "no survey result". / 合并"无调查结果"的各条路径。',
    });
    const marks: Array<[string, string, string, string, string]> = [
      [
        'markOk',
        'laneCustomer',
        'Mark satisfied\n标记满意',
        '=if satisfactionScore >= 4 then "satisfied" else "neutral"',
        'Score 4–5 is "satisfied", 3 is "neutral". / 4–5 分为"满意"，3 分为"一般"。',
      ],
      [
        'markReopen',
        'laneAgent',
        'Mark reopen\n标记重开',
        '="reopen"',
        'The complaint will be reopened. / 投诉将重开。',
      ],
      [
        'markDissatisfied',
        'laneCustomer',
        'Mark dissatisfied\n标记不满意',
        '="dissatisfied"',
        'Closed with a dissatisfied customer, not reopened. / 客户不满意但不重开，予以关闭。',
      ],
      [
        'markSupervisorClosed',
        'laneSupervisor',
        'Mark closed by supervisor\n标记主管关闭',
        '="closed_by_supervisor"',
        'Closed by the supervisor after two reopens. / 两次重开后由主管关闭。',
      ],
      [
        'markNoSurvey',
        'laneSystem',
        'Mark no survey\n标记无回访结果',
        '="no_response"',
        'No survey answer and no call result. / 无调查答复、无电话回访结果。',
      ],
    ];
    for (const [id, lane, name, expression, doc] of marks) {
      b.node({
        id,
        kind: 'scriptTask',
        name,
        place: { lane, row: id === 'markOk' ? 0.3 : id === 'markDissatisfied' ? 1.1 : 0, col: 39 },
        script: { expression, resultVariable: 'surveyOutcome' },
        doc: `Sets surveyOutcome. ${doc.split(' / ')[0]} / 设置 surveyOutcome。${doc.split(' / ')[1]}`,
      });
    }
    b.node({
      id: 'svEndMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneSystem', col: 39.9 },
      doc: 'Merges every survey outcome. / 合并所有回访结果。',
    });
    b.node({
      id: 'svEnd',
      kind: 'endEvent',
      name: 'Surveyed\n回访结束',
      place: { lane: 'laneSystem', col: 40.6 },
      doc: 'Survey stage ends with surveyOutcome set. / 回访阶段结束，surveyOutcome 已设置。',
    });

    b.chain('svStart', 'sendSurvey', 'surveyWait');
    b.flow('surveyWait', 'surveyResponse');
    b.flow('surveyWait', 'surveyTimeout');
    b.flow('surveyResponse', 'scoreMerge');
    b.flow('surveyTimeout', 'followUpGw');
    b.when(
      'followUpGw',
      'followUpCall',
      'priority = "urgent" or customerTier = "high"',
      'urgent or high value\n紧急或高价值',
    );
    b.otherwise('followUpGw', 'noSurveyMerge', 'otherwise\n其他');
    b.flow('followUpCall', 'reachedGw');
    b.when('reachedGw', 'scoreMerge', 'reached = true', 'reached\n联系上', { out: 'top', in: 'bottom' });
    b.otherwise('reachedGw', 'noSurveyMerge', 'not reached\n未联系上', { out: 'bottom', in: 'top' });
    b.flow('noSurveyMerge', 'markNoSurvey');
    b.flow('scoreMerge', 'scoreGw');
    b.when('scoreGw', 'markOk', 'satisfactionScore >= 3', '≥ 3');
    b.otherwise('scoreGw', 'callback', '1–2');
    b.flow('callback', 'reopenGw');
    b.when('reopenGw', 'reopenMerge', 'reopen = true and reopenCount < 2', 'reopen\n重开');
    b.when('reopenGw', 'finalReview', 'reopen = true and reopenCount >= 2', 'third reopen\n第三次重开');
    b.otherwise('reopenGw', 'markDissatisfied', 'no reopen\n不重开', { out: 'top', in: 'left' });
    b.flow('finalReview', 'finalGw');
    b.when('finalGw', 'reopenMerge', 'finalDecision = "reopen"', 'reopen\n重开', { out: 'top', in: 'bottom' });
    b.otherwise('finalGw', 'markSupervisorClosed', 'close\n关闭');
    b.flow('reopenMerge', 'markReopen');
    for (const [id] of marks)
      b.flow(id, 'svEndMerge', id === 'markNoSurvey' ? {} : { route: { out: 'right', in: 'top' } });
    b.flow('svEndMerge', 'svEnd');
  });

  b.node({
    id: 'surveyOutcomeGw',
    kind: 'exclusiveGateway',
    name: 'Survey outcome?\n回访结果？',
    place: { lane: 'laneSystem', col: 41.8 },
    doc: 'Reopen, or close with the survey outcome as the end state. / 重开，或按回访结果关闭。',
  });
  b.node({
    id: 'reopenPrep',
    kind: 'scriptTask',
    name: 'Prepare reopen\n准备重开',
    place: { lane: 'laneSystem', row: 2, col: 42.7 },
    script: {
      expression:
        '={\n  reopenCount: reopenCount + 1,\n  priority: if priority = "non-urgent" then "general" else "urgent"\n}',
      resultVariable: 'reopenResult',
    },
    outputs: entriesOf('reopenResult', ['reopenCount', 'priority']),
    doc: 'Counts the reopen and raises the priority one step (non-urgent → general → urgent); the running SLAs re-target. / 重开计数加一并提升一级优先级（非紧急 → 一般 → 紧急）；进行中的 SLA 重新计算目标。',
  });
  b.node({
    id: 'endClosed',
    kind: 'endEvent',
    name: 'Closed\n已关闭',
    place: { lane: 'laneSystem', col: 42.7 },
    doc: 'End state: score 3 or more, or no survey answer. / 结束状态：评分 ≥ 3 或无调查答复。',
  });
  b.node({
    id: 'endClosedDissatisfied',
    kind: 'endEvent',
    name: 'Closed: dissatisfied\n关闭：不满意',
    place: { lane: 'laneSystem', row: 1, col: 42.7 },
    doc: 'End state: score 2 or less, not reopened. / 结束状态：评分 ≤ 2 且未重开。',
  });
  b.node({
    id: 'endClosedBySupervisor',
    kind: 'endEvent',
    name: 'Closed by supervisor\n主管关闭',
    place: { lane: 'laneManagement', col: 42.7 },
    doc: 'End state: closed by the supervisor after two reopens. / 结束状态：两次重开后由主管关闭。',
  });
  b.flow('survey', 'surveyOutcomeGw', { route: { outPos: rowY(b.spec, 'laneSystem', 0) } });
  b.when('surveyOutcomeGw', 'reopenPrep', 'surveyOutcome = "reopen"', 'reopen\n重开');
  b.when('surveyOutcomeGw', 'endClosedDissatisfied', 'surveyOutcome = "dissatisfied"', 'dissatisfied\n不满意');
  b.when(
    'surveyOutcomeGw',
    'endClosedBySupervisor',
    'surveyOutcome = "closed_by_supervisor"',
    'by supervisor\n主管关闭',
  );
  b.otherwise('surveyOutcomeGw', 'endClosed', 'otherwise\n其他');
  b.flow('reopenPrep', 'resolveMerge', { route: { out: 'bottom', in: 'bottom' } });
}
