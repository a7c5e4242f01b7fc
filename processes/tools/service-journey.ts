/** Service journey (domain.md §2.2): `service-journey`, business key `requestId`. */
import { colX, rowY } from './bpmn/layout.js';
import { breachNotifyPath, breachReviewPath, entriesOf, feel, lit, PRIORITY, warnPath } from './bpmn/patterns.js';
import { ProcessBuilder, type Mapping } from './bpmn/spec.js';

const BY_PRIORITY = (urgent: string, general: string, nonUrgent: string) =>
  `=if priority = "urgent" then "${urgent}" else if priority = "general" then "${general}" else "${nonUrgent}"`;

/** Touch-point tags (domain.md §2.2 touch-point map), kept as zeebe properties for reports. */
const touch = (stage: string, layer: string, touchpoint: string) => ({ stage, layer, touchpoint });

function toCustomer(template: string, ...extra: Mapping[]): Mapping[] {
  return [
    lit('template', template),
    feel('channel', 'preferredContact'),
    feel('contactPhone', 'contactPhone'),
    feel('customerName', 'customerName'),
    feel('subject', 'requestId'),
    ...extra,
  ];
}

export function serviceJourney(): ProcessBuilder {
  const b = new ProcessBuilder(
    'service-journey',
    'Service journey',
    'An on-site service order (installation, repair, maintenance, inspection) from request to after-care: encounter → execution → evaluation (S2), purchase → use → after-sales (S4 §7). Lanes follow the service blueprint. Business key: requestId. / 上门服务工单（安装、维修、保养、检测）从请求到售后关怀的全过程：服务接触 → 服务执行 → 服务评价（S2），购买 → 使用 → 售后（S4 §7）。泳道按服务蓝图划分。业务键：requestId。',
  );
  b.spec.sla = {
    target: BY_PRIORITY('P2D', 'P5D', 'P10D'),
    warnAt: '0.75',
    calendar: 'default',
    pauseWhile: ['awaitDetails', 'awaitCustomerDate', 'aftercare'],
  };
  b.spec.businessKey = { variable: 'requestId', prefix: 'SRV', period: 'day' };
  b.spec.starterGroups = ['cs-agents', 'dispatchers', 'cs-supervisors'];

  b.lane(
    'laneCustomer',
    'Customer\n客户',
    'Customer actions: booking channel and messages (line of interaction below). / 客户行为：预约渠道与消息（其下为互动分界线）。',
    4,
  );
  b.laneGroup(
    'laneFront',
    'Front stage\n前台',
    'Staff the customer meets (line of visibility below). / 客户可见的服务人员（其下为可视分界线）。',
  );
  b.lane(
    'laneAgent',
    'CS Agent (cs-agents)\n客服专员',
    'Front stage by phone: confirmation, recovery, care calls. / 前台（电话）：确认、补救、关怀回访。',
    3,
    'laneFront',
  );
  b.lane(
    'laneEngineer',
    'Field engineer\n上门工程师',
    'Front stage face to face: the visit, the moment of truth (field-engineers). / 前台（面对面）：上门服务，关键时刻（field-engineers）。',
    1,
    'laneFront',
  );
  b.laneGroup(
    'laneBack',
    'Back stage\n后台',
    "Work out of the customer's sight (line of internal interaction below). / 客户看不到的工作（其下为内部互动分界线）。",
  );
  b.lane(
    'laneDispatcher',
    'Dispatcher\n调度员',
    'Scheduling the visit and the engineer (dispatchers). / 安排上门时间与工程师（dispatchers）。',
    2,
    'laneBack',
  );
  b.lane(
    'laneLogistics',
    'Logistics\n物流',
    'Parts for the visit (logistics). / 上门所需备件（logistics）。',
    2,
    'laneBack',
  );
  b.lane(
    'laneSystem',
    'Support systems\n支持系统',
    'Scheduling, messaging, billing and CRM systems. / 排程、消息、计费与 CRM 系统。',
    3,
  );
  b.lane(
    'laneSupervisor',
    'CS Supervisor (cs-supervisors)\n客服主管',
    'Supervisors: failed visits, overdue orders, breaches. / 客服主管：失败的上门、超时工单、SLA 超时。',
    3.2,
  );

  const details = b.message('Message_customerDetails', 'journey-customer-details', '=requestId');
  const reschedule = b.message('Message_reschedule', 'journey-reschedule', '=requestId');
  const surveyAnswer = b.message('Message_surveyResponse', 'journey-survey-response', '=requestId');

  encounter(b, details);
  majorIncident(b);
  fulfil(b, reschedule);
  afterFulfil(b);
  aftercare(b, surveyAnswer);
  return b;
}

function encounter(b: ProcessBuilder, details: string): void {
  b.node({
    id: 'start',
    kind: 'startEvent',
    name: 'Service requested\n提出服务请求',
    place: { lane: 'laneCustomer', row: 1, col: 0 },
    form: 'journey-request',
    properties: touch('encounter / purchase', 'customer action', 'network (online, app) or phone'),
    doc: 'The customer books online or in the app, or an agent books by phone, with the journey-request form. / 客户在线或通过 App 预约，或由客服电话代为预约，填写 journey-request 表单。',
  });
  b.node({
    id: 'segment',
    kind: 'scriptTask',
    name: 'Segment request\n请求分级',
    place: { lane: 'laneSystem', col: 1 },
    script: {
      expression: `={
  priority: if serviceType = "repair" and serviceDown = true then "urgent"
            else if customerTier = "high" or serviceType = "repair" or serviceType = "installation" then "general"
            else "non-urgent",
  visitCount: 0
}`,
      resultVariable: 'segmentation',
    },
    outputs: entriesOf('segmentation', ['priority', 'visitCount']),
    doc: 'Business rule: a repair with the service down is urgent; high-value customers, repairs and installations are general; the rest non-urgent. / 业务规则：服务中断的维修为紧急；高价值客户、维修及安装为一般；其余为非紧急。',
  });
  b.node({
    id: 'confirmMerge',
    kind: 'exclusiveGateway',
    name: '',
    place: { lane: 'laneAgent', col: 2 },
    doc: "Entry into confirmation, and re-entry with the customer's details. / 进入确认；收到客户补充信息后再次进入。",
  });
  b.node({
    id: 'confirmRequest',
    kind: 'userTask',
    name: 'Confirm request\n确认服务请求',
    place: { lane: 'laneAgent', col: 3 },
    form: 'journey-confirm',
    groups: 'cs-agents',
    priority: PRIORITY,
    sla: { target: BY_PRIORITY('PT2H', 'PT4H', 'P1D'), warnAt: '0.75', calendar: 'default' },
    properties: touch('encounter', 'front stage', 'phone'),
    doc: 'Call the customer: confirm the need, eligibility (service area), warranty and any quote; accept, ask for details or reject (SLA J-CONTACT). / 致电客户：确认需求、服务范围、保修状态及报价；受理、要求补充信息或拒绝（SLA J-CONTACT）。',
  });
  warnPath(b, {
    prefix: 'confirmRequest',
    host: 'confirmRequest',
    what: 'the request confirmation / 请求确认',
    subject: '=requestId',
    group: 'cs-supervisors',
    notify: { lane: 'laneAgent', row: 1, col: 4, endGap: 0.65 },
  });
  breachNotifyPath(b, {
    prefix: 'confirmRequest',
    host: 'confirmRequest',
    what: 'the request confirmation / 请求确认',
    subject: '=requestId',
    group: 'cs-supervisors',
    notify: { lane: 'laneAgent', row: 2, col: 4, endGap: 0.65 },
  });
  b.node({
    id: 'decisionGw',
    kind: 'exclusiveGateway',
    name: 'Decision?\n受理决定？',
    place: { lane: 'laneAgent', col: 4.95 },
    labelSide: 'topRight',
    doc: 'Rejected, needs information, or accepted. / 拒绝、需补充信息或受理。',
  });
  b.node({
    id: 'notifyRejected',
    kind: 'sendTask',
    name: 'Notify rejection\n通知不予受理',
    place: { lane: 'laneSystem', row: 1, col: 5.9 },
    jobType: 'notify.customer',
    inputs: toCustomer('journey-rejected', feel('rejectReason', 'rejectReason')),
    doc: 'Tells the customer why the request cannot be served. / 告知客户无法受理的原因。',
  });
  b.node({
    id: 'endRejected',
    kind: 'endEvent',
    name: 'Rejected\n不予受理',
    place: { lane: 'laneSystem', row: 1, col: 6.7 },
    doc: 'End state: not eligible. / 结束状态：不符合条件。',
  });
  b.node({
    id: 'requestDetails',
    kind: 'sendTask',
    name: 'Ask for details\n请客户补充信息',
    place: { lane: 'laneCustomer', row: 1, col: 5.9 },
    jobType: 'notify.customer',
    inputs: toCustomer('journey-info-request', feel('infoNeeded', 'infoNeeded')),
    doc: 'Asks the customer for the missing details. / 请客户补充缺少的信息。',
  });
  b.node({
    id: 'awaitDetails',
    kind: 'receiveTask',
    name: 'Await details\n等待客户补充',
    place: { lane: 'laneCustomer', row: 1, col: 6.9 },
    messageRef: details,
    doc: 'Waits for message journey-customer-details; the J-E2E clock pauses meanwhile. / 等待消息 journey-customer-details；期间 J-E2E 计时暂停。',
  });
  b.node({
    id: 'detailsTimeout',
    kind: 'boundaryEvent',
    name: '3 days\n3 天',
    attachedTo: 'awaitDetails',
    interrupting: true,
    side: 'bottom',
    at: 0.7,
    timer: { type: 'timeDuration', value: 'P3D' },
    doc: 'No details within three days (wall clock): the request is abandoned. / 三天（自然日）内未补充：请求作废。',
  });
  b.node({
    id: 'notifyAbandoned',
    kind: 'sendTask',
    name: 'Notify abandoned\n通知请求作废',
    place: { lane: 'laneCustomer', row: 2.2, col: 7.8 },
    jobType: 'notify.customer',
    inputs: toCustomer('journey-abandoned'),
    doc: 'Tells the customer the request was closed for lack of details. / 告知客户因信息不全请求已关闭。',
  });
  b.node({
    id: 'endAbandoned',
    kind: 'endEvent',
    name: 'Abandoned\n已作废',
    place: { lane: 'laneCustomer', row: 2.2, col: 8.55 },
    doc: 'End state: no details within three days. / 结束状态：三天内未补充信息。',
  });
  b.node({
    id: 'fulfilMerge',
    kind: 'exclusiveGateway',
    name: '',
    place: { lane: 'laneSystem', col: 8.9 },
    doc: 'Entry into fulfilment, and re-entry for a free revisit. / 进入履约；免费返修时再次进入。',
  });

  b.chain('start', 'segment', 'confirmMerge', 'confirmRequest', 'decisionGw');
  b.when('decisionGw', 'notifyRejected', 'requestDecision = "rejected"', 'rejected\n拒绝');
  b.when('decisionGw', 'requestDetails', 'requestDecision = "needs_info"', 'needs info\n需补充');
  b.otherwise('decisionGw', 'fulfilMerge', 'accepted\n受理', { out: 'right', in: 'top' });
  b.flow('notifyRejected', 'endRejected');
  b.flow('requestDetails', 'awaitDetails');
  b.flow('awaitDetails', 'confirmMerge', {
    route: { out: 'top', in: 'top', viaY: rowY(b.spec, 'laneCustomer', -0.5) + 20 },
  });
  b.chain('detailsTimeout', 'notifyAbandoned', 'endAbandoned');
  b.flow('fulfilMerge', 'fulfil', { route: { inPos: rowY(b.spec, 'laneSystem', 0) } });
}

/** issue 12: a declared major incident raises the priority of every open order of the affected service type. */
function majorIncident(b: ProcessBuilder): void {
  const signal = b.signal('Signal_majorIncident', 'major-incident-declared');
  b.node({
    id: 'majorIncident',
    kind: 'subProcess',
    name: 'Major incident declared\n重大事件宣布',
    triggeredByEvent: true,
    doc: 'A declared major incident raises the priority of every open order of the affected service type (all types when the signal names none), while the order goes on. / 宣布重大事件时，受影响服务类型（信号未指明则全部）的所有在办工单提升为紧急，工单照常进行。',
  });
  b.inside('majorIncident', () => {
    b.node({
      id: 'majorIncidentDeclared',
      kind: 'startEvent',
      name: 'Major incident declared\n重大事件宣布',
      place: { lane: 'laneSystem', row: 1, col: 2.1 },
      signalRef: signal,
      interrupting: false,
      outputs: [
        { source: '=incidentServiceType', target: 'majorIncidentServiceType' },
        { source: '=incidentId', target: 'majorIncidentId' },
      ],
      doc: 'Caught while the order is open: the signal major-incident-declared, with incidentServiceType and incidentId. / 工单在办期间接收 major-incident-declared 信号（含 incidentServiceType 与 incidentId）。',
    });
    b.node({
      id: 'incidentAffects',
      kind: 'exclusiveGateway',
      name: 'Affected?\n受影响？',
      place: { lane: 'laneSystem', row: 1, col: 2.7 },
      doc: "Affected when the signal names no service type or the order's own. / 信号未指明服务类型或与本工单一致即受影响。",
    });
    b.node({
      id: 'raisePriority',
      kind: 'scriptTask',
      name: 'Raise priority\n提升优先级',
      place: { lane: 'laneSystem', row: 1, col: 3.4 },
      script: { expression: '="urgent"', resultVariable: 'priority' },
      doc: "Sets the order's priority to urgent; tasks created from now on carry it. / 将工单优先级设为紧急，此后创建的任务按此优先级。",
    });
    b.node({
      id: 'priorityRaised',
      kind: 'endEvent',
      name: 'Priority raised\n已提升',
      place: { lane: 'laneSystem', row: 1, col: 4.3 },
      doc: 'The priority is raised; the order goes on. / 优先级已提升，工单继续。',
    });
    b.node({
      id: 'notAffected',
      kind: 'endEvent',
      name: 'Not affected\n不受影响',
      place: { lane: 'laneSystem', row: 2, col: 4.3 },
      doc: 'Another service type: nothing changes. / 其他服务类型：不作变更。',
    });
    b.flow('majorIncidentDeclared', 'incidentAffects', { id: 'Flow_majorIncident_affects' });
    b.when(
      'incidentAffects',
      'raisePriority',
      'majorIncidentServiceType = null or majorIncidentServiceType = serviceType',
      'affected\n受影响',
    );
    b.otherwise('incidentAffects', 'notAffected', 'other type\n其他类型');
    b.flow('raisePriority', 'priorityRaised');
  });
}

function fulfil(b: ProcessBuilder, reschedule: string): void {
  b.node({
    id: 'fulfil',
    kind: 'subProcess',
    name: 'Fulfil the order\n履约',
    pad: { top: 60 },
    sla: {
      target: BY_PRIORITY('P1D', 'P3D', 'P5D'),
      warnAt: '0.75',
      calendar: 'default',
      pauseWhile: ['awaitCustomerDate'],
    },
    doc: 'Execution stage: propose and confirm a slot, prepare parts, wait for the appointment, visit, and review failed visits (SLA J-FULFIL pauses while the customer chose a later date). / 执行阶段：推荐并确认时段、准备备件、等待预约时间、上门服务、复核失败的上门（客户选择较晚时间时 SLA J-FULFIL 暂停）。',
  });
  const aY = rowY(b.spec, 'laneCustomer', 0.5);
  const bY = rowY(b.spec, 'laneCustomer', 2.5);
  const midRow = 1.5;
  const reminderRow = (y: number) => (y - rowY(b.spec, 'laneCustomer', 0)) / 120;
  void aY;
  b.inside('fulfil', () => {
    b.node({
      id: 'fStart',
      kind: 'startEvent',
      name: 'Accepted\n已受理',
      place: { lane: 'laneSystem', col: 9.55 },
      doc: 'Fulfilment starts. / 开始履约。',
    });
    b.node({
      id: 'scheduleMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneSystem', col: 10.25 },
      doc: "Scheduling entry: first time, after a reschedule request, a failed visit or a supervisor's revisit. / 排程入口：首次、客户改期、上门失败或主管安排返修。",
    });
    b.node({
      id: 'proposeSlot',
      kind: 'serviceTask',
      name: 'Propose slot\n推荐时段',
      place: { lane: 'laneSystem', col: 11.15 },
      jobType: 'schedule.propose',
      inputs: ['preferredDate', 'preferredSlot', 'address', 'serviceType', 'priority'].map((v) => feel(v, v)),
      properties: touch('execution', 'support system', '—'),
      doc: 'Proposes a slot and an engineer by priority and availability (S4 §3.2); returns proposedStart, proposedEnd, proposedEngineerId. / 按优先级与可用资源推荐时段和工程师（S4 §3.2）；返回 proposedStart、proposedEnd、proposedEngineerId。',
    });
    b.node({
      id: 'schedule',
      kind: 'userTask',
      name: 'Schedule visit\n安排上门',
      place: { lane: 'laneDispatcher', col: 12.1 },
      form: 'journey-schedule',
      groups: 'dispatchers',
      priority: PRIORITY,
      inputs: [
        feel('appointmentStart', 'proposedStart'),
        feel('appointmentEnd', 'proposedEnd'),
        feel('engineerId', 'proposedEngineerId'),
      ],
      sla: { target: BY_PRIORITY('PT1H', 'PT4H', 'P1D'), warnAt: '0.75', calendar: 'default' },
      properties: touch('execution', 'back stage', '—'),
      doc: 'Confirm or override the proposed slot and engineer; note whether parts are needed or the customer chose a later slot (SLA J-SCHED). / 确认或调整推荐的时段与工程师；记录是否需要备件、客户是否选择较晚时段（SLA J-SCHED）。',
    });
    breachNotifyPath(b, {
      prefix: 'schedule',
      host: 'schedule',
      what: 'the scheduling / 排程',
      subject: '=requestId',
      group: 'cs-supervisors',
      notify: { lane: 'laneDispatcher', row: 1, col: 12.95, endGap: 0.6 },
    });
    b.node({
      id: 'prepFork',
      kind: 'inclusiveGateway',
      name: 'Prepare\n准备',
      labelSide: 'topLeft',
      place: { lane: 'laneLogistics', col: 14 },
      doc: 'Always confirms the appointment; prepares parts as well when they are needed. / 总是确认预约；需要备件时同时备件。',
    });
    b.node({
      id: 'confirmAppointment',
      kind: 'sendTask',
      name: 'Confirm appointment\n发送预约确认',
      place: { lane: 'laneSystem', col: 14.9 },
      jobType: 'notify.customer',
      inputs: toCustomer(
        'journey-appointment',
        feel('appointmentStart', 'appointmentStart'),
        feel('appointmentEnd', 'appointmentEnd'),
        feel('engineerId', 'engineerId'),
      ),
      properties: touch('execution', 'support system', 'remote (SMS)'),
      doc: 'Sends the appointment window and the engineer to the customer. / 向客户发送预约时段和工程师信息。',
    });
    b.node({
      id: 'prepareParts',
      kind: 'userTask',
      name: 'Prepare parts\n准备备件',
      place: { lane: 'laneLogistics', col: 14.9 },
      form: 'journey-parts',
      groups: 'logistics',
      priority: PRIORITY,
      sla: { target: '=if priority = "urgent" then "PT4H" else "P2D"', warnAt: '0.75', calendar: 'default' },
      properties: touch('execution', 'back stage', '—'),
      doc: 'Ship the parts so they arrive before the appointment (SLA J-PARTS). / 发运备件，确保在预约时间前到达（SLA J-PARTS）。',
    });
    breachNotifyPath(b, {
      prefix: 'prepareParts',
      host: 'prepareParts',
      what: 'the parts preparation / 备件准备',
      subject: '=requestId',
      group: 'cs-supervisors',
      notify: { lane: 'laneLogistics', row: 1, col: 15.75, endGap: 0.6 },
    });
    b.node({
      id: 'prepJoin',
      kind: 'inclusiveGateway',
      name: '',
      place: { lane: 'laneLogistics', col: 16.75 },
      doc: 'Waits for the branches that were started. / 等待已启动的分支完成。',
    });
    b.node({
      id: 'deferGw',
      kind: 'exclusiveGateway',
      name: 'Later date?\n客户改约较晚？',
      place: { lane: 'laneCustomer', row: midRow, col: 17.6 },
      labelSide: 'topLeft',
      doc: 'The customer chose a later slot: wait with the clocks paused; otherwise wait for the appointment. / 客户选择较晚时段时等待且暂停计时；否则等待预约时间。',
    });
    const wait = (id: string, row: number, pausesNote: string) =>
      b.node({
        id,
        kind: 'receiveTask',
        name:
          id === 'awaitCustomerDate' ? "Await customer's date\n等待客户约定日期" : 'Await appointment\n等待预约时间',
        place: { lane: 'laneCustomer', row, col: 18.6 },
        messageRef: reschedule,
        doc: `Waits for the appointment; message journey-reschedule (the customer asks to reschedule) goes back to scheduling. ${pausesNote}`,
      });
    wait(
      'awaitCustomerDate',
      0.5,
      'The J-FULFIL and J-E2E clocks pause here. / 等待预约时间；收到消息 journey-reschedule（客户要求改期）则重新排程。此处暂停 J-FULFIL 与 J-E2E 计时。',
    );
    wait(
      'awaitAppointment',
      2.5,
      'The clocks keep running. / 等待预约时间；收到消息 journey-reschedule（客户要求改期）则重新排程。计时不暂停。',
    );
    for (const [id, y, at, dueSide, row] of [
      ['awaitCustomerDate', aY, 0.3, 'bottom', 0],
      ['awaitAppointment', bY, 0.7, 'top', 0],
    ] as const) {
      void row;
      const sendRow = reminderRow(y - 40 + at * 80);
      b.node({
        id: `${id}Reminder`,
        kind: 'boundaryEvent',
        name: '24 h before\n提前 24 小时',
        attachedTo: id,
        interrupting: false,
        side: 'right',
        at,
        timer: { type: 'timeDate', value: '=date and time(appointmentStart) - duration("PT24H")' },
        doc: 'Fires 24 hours before the appointment (at once when it is closer than that). / 预约前 24 小时触发（不足 24 小时则立即触发）。',
      });
      b.node({
        id: `${id}Remind`,
        kind: 'sendTask',
        name: 'Send reminder\n发送提醒',
        place: { lane: 'laneCustomer', row: sendRow, col: 19.85 },
        jobType: 'notify.customer',
        inputs: toCustomer(
          'journey-reminder',
          feel('appointmentStart', 'appointmentStart'),
          feel('engineerId', 'engineerId'),
        ),
        properties: touch('execution', 'support system', 'remote (SMS)'),
        doc: 'Reminds the customer of the appointment. / 提醒客户预约时间。',
      });
      b.node({
        id: `${id}RemindEnd`,
        kind: 'endEvent',
        name: 'Reminded\n已提醒',
        place: { lane: 'laneCustomer', row: sendRow, col: 20.5 },
        doc: 'Reminder sent. / 提醒已发送。',
      });
      b.node({
        id: `${id}Due`,
        kind: 'boundaryEvent',
        name: 'At appointment\n预约时间',
        attachedTo: id,
        interrupting: true,
        side: dueSide,
        at: 0.75,
        timer: { type: 'timeDate', value: '=date and time(appointmentStart)' },
        doc: 'The appointment time has come: go to the visit. / 预约时间已到：进行上门服务。',
      });
      b.chain(`${id}Reminder`, `${id}Remind`, `${id}RemindEnd`);
    }
    b.node({
      id: 'rescheduleMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneCustomer', row: midRow, col: 16.6 },
      doc: 'Merges reschedule requests from both waits. / 合并两个等待中的改期请求。',
    });
    b.node({
      id: 'markReschedule',
      kind: 'scriptTask',
      name: 'Mark reschedule\n标记改期',
      place: { lane: 'laneCustomer', row: midRow, col: 15.6 },
      script: { expression: '=true', resultVariable: 'customerChoseLaterSlot' },
      doc: 'Sets customerChoseLaterSlot := true: the wait after rescheduling pauses the clocks. / 设置 customerChoseLaterSlot := true：改期后的等待暂停计时。',
    });
    b.node({
      id: 'visitMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneCustomer', row: midRow, col: 18.6 + 30 / 170 },
      doc: 'Merges both appointment timers. / 合并两个预约时间计时器。',
    });
    b.node({
      id: 'visit',
      kind: 'userTask',
      name: 'Visit the customer\n上门服务',
      place: { lane: 'laneEngineer', col: 21.3 },
      form: 'journey-visit',
      assignee: '=engineerId',
      groups: 'field-engineers',
      priority: PRIORITY,
      dueDate: '=appointmentEnd',
      properties: touch('execution / use', 'front stage', 'face-to-face'),
      doc: 'The moment of truth: arrive, do the work, record the outcome; due at the end of the appointment window (J-VISIT: plain due date, on-time arrival KPI). / 关键时刻：到达、施工、记录结果；预约时段结束时到期（J-VISIT：普通到期时间，准时到达率指标）。',
    });
    b.node({
      id: 'countVisit',
      kind: 'scriptTask',
      name: 'Count visit\n记录上门次数',
      place: { lane: 'laneEngineer', col: 22.1 },
      script: { expression: '=visitCount + 1', resultVariable: 'visitCount' },
      doc: 'visitCount := visitCount + 1. / 上门次数加一。',
    });
    b.node({
      id: 'visitGw',
      kind: 'exclusiveGateway',
      name: 'Visit outcome?\n上门结果？',
      place: { lane: 'laneEngineer', col: 23.1 },
      labelSide: 'bottomLeft',
      doc: 'Completed; cannot fix or the third failed visit goes to a supervisor; otherwise schedule again. / 完成；无法修复或第三次上门失败交主管复核；否则重新排程。',
    });
    b.node({
      id: 'supervisorReview',
      kind: 'userTask',
      name: 'Review failed visits\n复核上门失败',
      place: { lane: 'laneSupervisor', col: 24 },
      form: 'journey-supervisor-review',
      groups: 'cs-supervisors',
      priority: PRIORITY,
      sla: { target: 'P1D', calendar: 'default' },
      doc: 'A supervisor decides: revisit, convert to a complaint, or cancel (SLA J-SUP). / 主管决定：再次上门、转为投诉或取消（SLA J-SUP）。',
    });
    breachNotifyPath(b, {
      prefix: 'supervisorReview',
      host: 'supervisorReview',
      what: 'the supervisor review / 主管复核',
      subject: '=requestId',
      group: 'service-managers',
      notify: { lane: 'laneSupervisor', row: 2.1, col: 24.75, endGap: 0.6 },
    });
    b.node({
      id: 'reviewGw',
      kind: 'exclusiveGateway',
      name: 'Decision?\n主管决定？',
      place: { lane: 'laneSupervisor', col: 24.95 },
      labelSide: 'bottom',
      doc: 'Revisit, complaint or cancel. / 再次上门、转投诉或取消。',
    });
    const marks: Array<[string, string, number, string, string]> = [
      ['markCompleted', 'laneEngineer', 0, '="completed"', 'Mark completed\n标记完成'],
      ['markComplaint', 'laneSupervisor', 0, '="complaint"', 'Mark complaint\n标记转投诉'],
      ['markCancelled', 'laneSupervisor', 1.1, '="cancelled"', 'Mark cancelled\n标记取消'],
    ];
    for (const [id, lane, row, expression, name] of marks) {
      b.node({
        id,
        kind: 'scriptTask',
        name,
        place: { lane, row, col: 26.05 },
        script: { expression, resultVariable: 'fulfilStatus' },
        doc: `Sets fulfilStatus to ${expression.slice(1)}. / 将 fulfilStatus 设为 ${expression.slice(1)}。`,
      });
    }
    b.node({
      id: 'fEndMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneSystem', col: 26.95 },
      doc: 'Merges the fulfilment outcomes. / 合并履约结果。',
    });
    b.node({
      id: 'fEnd',
      kind: 'endEvent',
      name: 'Fulfilled\n履约结束',
      place: { lane: 'laneSystem', col: 27.65 },
      doc: 'Fulfilment ends with fulfilStatus set. / 履约结束，fulfilStatus 已设置。',
    });

    b.chain('fStart', 'scheduleMerge', 'proposeSlot', 'schedule', 'prepFork');
    b.when('prepFork', 'confirmAppointment', 'true', 'always\n总是', { out: 'bottom', in: 'left' });
    b.when('prepFork', 'prepareParts', 'partsRequired = true', 'parts needed\n需备件');
    b.flow('confirmAppointment', 'prepJoin', { route: { out: 'right', in: 'bottom' } });
    b.flow('prepareParts', 'prepJoin');
    b.flow('prepJoin', 'deferGw');
    b.when('deferGw', 'awaitCustomerDate', 'customerChoseLaterSlot = true', 'later date\n较晚日期');
    b.otherwise('deferGw', 'awaitAppointment', 'otherwise\n其他');
    const topY = rowY(b.spec, 'laneCustomer', 0.5) - 60;
    const bottomY = rowY(b.spec, 'laneCustomer', 3.5) - 20;
    b.flow('awaitCustomerDate', 'rescheduleMerge', {
      route: { out: 'top', in: 'top', outPos: colX(b.spec, 18.6) - 35, viaY: topY },
    });
    b.flow('awaitAppointment', 'rescheduleMerge', {
      route: { out: 'bottom', in: 'bottom', outPos: colX(b.spec, 18.6) - 35, viaY: bottomY },
    });
    b.flow('awaitCustomerDateDue', 'visitMerge', { route: { out: 'bottom', in: 'top' } });
    b.flow('awaitAppointmentDue', 'visitMerge', { route: { out: 'top', in: 'bottom' } });
    b.flow('rescheduleMerge', 'markReschedule', { route: { out: 'left', in: 'right' } });
    b.flow('markReschedule', 'scheduleMerge', { route: { out: 'left', in: 'top' } });
    b.flow('visitMerge', 'visit', { route: { out: 'right', in: 'left', viaX: colX(b.spec, 20.8) } });
    b.chain('visit', 'countVisit', 'visitGw');
    b.when('visitGw', 'markCompleted', 'visitOutcome = "completed"', 'completed\n完成');
    b.when(
      'visitGw',
      'supervisorReview',
      'visitOutcome != "completed" and (visitOutcome = "cannot_fix" or visitCount >= 3)',
      'cannot fix or 3rd visit\n无法修复或第三次',
      { out: 'bottom', in: 'left' },
    );
    b.otherwise('visitGw', 'scheduleMerge', 'absent, reschedule, parts\n不在家/改期/缺件', {
      out: 'top',
      in: 'top',
      label: { dx: -150, dy: 0 },
      via: [
        { x: colX(b.spec, 23.1), y: rowY(b.spec, 'laneAgent', 2) },
        { x: colX(b.spec, 10.25), y: rowY(b.spec, 'laneAgent', 2) },
      ],
    });
    b.flow('supervisorReview', 'reviewGw');
    b.when('reviewGw', 'scheduleMerge', 'supervisorDecision = "revisit"', 'revisit\n再次上门', {
      out: 'top',
      in: 'bottom',
      viaY: rowY(b.spec, 'laneSystem', 2.3),
    });
    b.when('reviewGw', 'markComplaint', 'supervisorDecision = "complaint"', 'complaint\n转投诉');
    b.otherwise('reviewGw', 'markCancelled', 'cancel\n取消', { out: 'bottom', in: 'left' });
    for (const [id] of marks)
      b.flow(id, 'fEndMerge', { route: { out: 'right', in: id === 'markCompleted' ? 'top' : 'bottom' } });
    b.flow('fEndMerge', 'fEnd');
  });
  warnPath(b, {
    prefix: 'fulfil',
    host: 'fulfil',
    what: 'the fulfilment / 履约',
    subject: '=requestId',
    group: 'cs-supervisors',
    boundary: { side: 'right', at: 0.86 },
    notify: { lane: 'laneSupervisor', col: 28.75, endGap: 0.75 },
  });
  breachReviewPath(b, {
    prefix: 'fulfil',
    host: 'fulfil',
    what: 'the fulfilment / 履约',
    subject: '=requestId',
    group: 'cs-supervisors',
    boundary: { side: 'right', at: 0.95 },
    escalateWhen: 'action = "escalate"',
    review: { lane: 'laneSupervisor', row: 1.1, col: 28.75 },
    gateway: { lane: 'laneSupervisor', row: 1.1, col: 29.65 },
    escalate: { lane: 'laneSupervisor', col: 30.55, endGap: 0.75 },
    done: { lane: 'laneSupervisor', row: 1.1, col: 30.55 },
  });
}

function afterFulfil(b: ProcessBuilder): void {
  b.node({
    id: 'fulfilGw',
    kind: 'exclusiveGateway',
    name: 'Fulfilment outcome?\n履约结果？',
    place: { lane: 'laneSystem', col: 28.9 },
    labelSide: 'bottomLeft',
    doc: 'Cancelled, converted to a complaint, or served. / 已取消、转为投诉或已完成服务。',
  });
  b.node({
    id: 'notifyCancelled',
    kind: 'sendTask',
    name: 'Notify cancellation\n通知取消',
    place: { lane: 'laneLogistics', row: 1, col: 29.65 },
    jobType: 'notify.customer',
    inputs: toCustomer('journey-cancelled', feel('note', 'note')),
    doc: 'Tells the customer the order was cancelled. / 告知客户工单已取消。',
  });
  b.node({
    id: 'endCancelled',
    kind: 'endEvent',
    name: 'Cancelled\n已取消',
    place: { lane: 'laneLogistics', row: 1, col: 30.45 },
    doc: 'End state: cancelled at supervisor review. / 结束状态：主管复核后取消。',
  });
  b.node({
    id: 'billGw',
    kind: 'exclusiveGateway',
    name: 'Chargeable?\n需收费？',
    place: { lane: 'laneSystem', col: 29.75 },
    labelSide: 'topLeft',
    doc: 'Invoices chargeable work with an amount. / 对有金额的收费服务开具发票。',
  });
  b.node({
    id: 'invoice',
    kind: 'serviceTask',
    name: 'Invoice\n开具发票',
    place: { lane: 'laneSystem', row: 1, col: 30.6 },
    jobType: 'billing.invoice',
    inputs: [feel('amountCharged', 'amountCharged'), feel('customerId', 'customerId'), feel('requestId', 'requestId')],
    properties: touch('execution', 'support system', '—'),
    doc: 'Issues the invoice for the amount charged. / 按收费金额开具发票。',
  });
  b.node({
    id: 'billMerge',
    kind: 'exclusiveGateway',
    name: '',
    place: { lane: 'laneSystem', col: 31.45 },
    doc: 'Merges billed and free work. / 合并收费与免费服务。',
  });
  b.node({
    id: 'crmUpdate',
    kind: 'serviceTask',
    name: 'Update CRM\n更新 CRM',
    place: { lane: 'laneSystem', col: 32.35 },
    jobType: 'crm.update',
    inputs: [
      'requestId',
      'customerId',
      'serviceType',
      'priority',
      'visitCount',
      'visitOutcome',
      'amountCharged',
      'fulfilStatus',
    ].map((v) => feel(v, v)),
    properties: touch('execution', 'support system', '—'),
    doc: "Records the service in the customer's history. / 将本次服务写入客户档案。",
  });
  b.node({
    id: 'aftercareGw',
    kind: 'exclusiveGateway',
    name: 'After-care outcome?\n售后结果？',
    place: { lane: 'laneSystem', col: 44.6 },
    labelSide: 'topLeft',
    doc: 'A free revisit, a complaint, or completion (dissatisfied or not). / 免费返修、转投诉，或完成（是否满意）。',
  });
  b.node({
    id: 'revisitPrep',
    kind: 'scriptTask',
    name: 'Prepare free revisit\n准备免费返修',
    place: { lane: 'laneSystem', row: 1, col: 45.5 },
    script: { expression: '={ chargeable: false, customerChoseLaterSlot: false }', resultVariable: 'revisit' },
    outputs: entriesOf('revisit', ['chargeable', 'customerChoseLaterSlot']),
    doc: 'A revisit is free and starts with the clocks running: revisits count against the company. / 返修免费，计时照常：返修计入公司责任。',
  });
  b.node({
    id: 'complaintMerge',
    kind: 'exclusiveGateway',
    name: '',
    place: { lane: 'laneSystem', row: 2, col: 44.6 },
    doc: 'Merges both ways into a complaint. / 合并转为投诉的两条路径。',
  });
  b.node({
    id: 'startComplaint',
    kind: 'serviceTask',
    name: 'Open complaint\n发起投诉',
    place: { lane: 'laneSystem', row: 2, col: 45.5 },
    jobType: 'process.start',
    inputs: [
      lit('definitionKey', 'complaint-handling'),
      feel(
        'variables',
        `{
  customerId: customerId, customerName: customerName, contactPhone: contactPhone, contactEmail: contactEmail,
  preferredContact: preferredContact, customerTier: customerTier,
  channel: "phone", category: if visitOutcome = "cannot_fix" then "technical" else "service",
  description: note, priority: "general", isRepeat: aftercareOutcome = "complaint",
  safetyOrLegalRisk: false, orderRef: requestId
}`,
      ),
    ],
    doc: "Starts a complaint-handling instance (§2.4) with the customer fields, the supervisor's or recovery note, and the order as reference. / 启动投诉处理流程（§2.4），带入客户信息、主管或补救备注，并引用本工单。",
  });
  b.node({
    id: 'endConvertedToComplaint',
    kind: 'endEvent',
    name: 'Converted to complaint\n已转投诉',
    place: { lane: 'laneSystem', row: 2, col: 46.3 },
    doc: 'End state: handed over to complaint handling. / 结束状态：已转投诉处理。',
  });
  b.node({
    id: 'endCompleted',
    kind: 'endEvent',
    name: 'Completed\n已完成',
    place: { lane: 'laneSystem', col: 45.5 },
    doc: 'End state: served; score 3 or more, no answer, or care call done. / 结束状态：服务完成；评分 ≥ 3、无答复或已完成关怀回访。',
  });
  b.node({
    id: 'endCompletedDissatisfied',
    kind: 'endEvent',
    name: 'Completed: dissatisfied\n完成：不满意',
    place: { lane: 'laneLogistics', row: 1, col: 45.5 },
    doc: 'End state: served, recovered without a revisit. / 结束状态：服务完成，补救但未返修。',
  });

  b.flow('fulfil', 'fulfilGw', { route: { outPos: rowY(b.spec, 'laneSystem', 0) } });
  b.when('fulfilGw', 'notifyCancelled', 'fulfilStatus = "cancelled"', 'cancelled\n已取消');
  b.when('fulfilGw', 'complaintMerge', 'fulfilStatus = "complaint"', 'complaint\n转投诉', {
    out: 'bottom',
    in: 'left',
  });
  b.otherwise('fulfilGw', 'billGw', 'served\n已服务');
  b.flow('notifyCancelled', 'endCancelled');
  b.when('billGw', 'invoice', 'chargeable = true and amountCharged > 0', 'charge\n收费');
  b.otherwise('billGw', 'billMerge', 'free\n免费');
  b.flow('invoice', 'billMerge');
  b.flow('billMerge', 'crmUpdate');
  b.flow('crmUpdate', 'aftercare', { route: { inPos: rowY(b.spec, 'laneSystem', 0) } });
  b.flow('aftercare', 'aftercareGw', { route: { outPos: rowY(b.spec, 'laneSystem', 0) } });
  b.when('aftercareGw', 'revisitPrep', 'aftercareOutcome = "revisit"', 'revisit\n返修');
  b.when('aftercareGw', 'complaintMerge', 'aftercareOutcome = "complaint"', 'complaint\n投诉', {
    out: 'bottom',
    in: 'top',
    label: { dx: 0, dy: 60 },
  });
  b.when('aftercareGw', 'endCompletedDissatisfied', 'aftercareOutcome = "dissatisfied"', 'dissatisfied\n不满意');
  b.otherwise('aftercareGw', 'endCompleted', 'otherwise\n其他');
  b.flow('revisitPrep', 'fulfilMerge', {
    route: {
      out: 'right',
      in: 'bottom',
      via: [
        { x: colX(b.spec, 46.9), y: rowY(b.spec, 'laneSystem', 1) },
        { x: colX(b.spec, 46.9), y: rowY(b.spec, 'laneSupervisor', 2.6) },
        { x: colX(b.spec, 8.9), y: rowY(b.spec, 'laneSupervisor', 2.6) },
      ],
    },
  });
  b.flow('complaintMerge', 'startComplaint');
  b.flow('startComplaint', 'endConvertedToComplaint');
}

function aftercare(b: ProcessBuilder, answer: string): void {
  b.node({
    id: 'aftercare',
    kind: 'subProcess',
    name: 'After-care\n售后关怀',
    doc: 'Evaluation and after-sales: survey, service recovery for dissatisfied customers, a 30-day care call for high-value installations (S0 loop and lifecycle). The J-E2E clock pauses here. / 评价与售后：满意度调查、对不满意客户的服务补救、高价值安装客户 30 天关怀回访（S0 闭环与客户生命周期）。期间 J-E2E 计时暂停。',
  });
  b.inside('aftercare', () => {
    b.node({
      id: 'acStart',
      kind: 'startEvent',
      name: 'Served\n服务完成',
      place: { lane: 'laneSystem', col: 33.45 },
      doc: 'After-care starts. / 开始售后关怀。',
    });
    b.node({
      id: 'sendSurvey',
      kind: 'sendTask',
      name: 'Send survey\n发送满意度调查',
      place: { lane: 'laneSystem', col: 34.25 },
      jobType: 'survey.send',
      inputs: [
        lit('template', 'csat-journey'),
        feel('channel', 'preferredContact'),
        feel('contactPhone', 'contactPhone'),
        feel('customerName', 'customerName'),
        feel('subject', 'requestId'),
      ],
      properties: touch('evaluation / after-sales', 'support system', 'network'),
      doc: 'Sends the satisfaction (1–5) and NPS (0–10) survey. / 发送满意度（1–5）及净推荐值（0–10）调查。',
    });
    b.node({
      id: 'surveyWait',
      kind: 'eventBasedGateway',
      name: 'Wait for answer\n等待答复',
      place: { lane: 'laneSystem', col: 35.15 },
      doc: 'The answer or three days, whichever comes first. / 以先到者为准：客户答复或三天期满。',
    });
    b.node({
      id: 'surveyResponse',
      kind: 'intermediateCatchEvent',
      name: 'Survey answered\n收到调查答复',
      place: { lane: 'laneCustomer', row: 1, col: 36.05 },
      messageRef: answer,
      doc: 'Message journey-survey-response: satisfactionScore 1–5 (required), npsScore 0–10, surveyComment up to 1000 characters. / 消息 journey-survey-response：satisfactionScore 1–5（必填）、npsScore 0–10、surveyComment 最多 1000 字。',
    });
    b.node({
      id: 'surveyTimeout',
      kind: 'intermediateCatchEvent',
      name: '3 days\n3 天',
      place: { lane: 'laneSystem', col: 36.05 },
      timer: { type: 'timeDuration', value: 'P3D' },
      doc: 'No answer within three days (wall clock). / 三天（自然日）内未答复。',
    });
    b.node({
      id: 'scoreGw',
      kind: 'exclusiveGateway',
      name: 'Score ≥ 3?\n评分 ≥ 3？',
      place: { lane: 'laneCustomer', row: 1, col: 36.95 },
      doc: '3 or more is at least tolerable (S3); 1–2 needs service recovery. / 3 分及以上至少可容忍（S3）；1–2 分需服务补救。',
    });
    b.node({
      id: 'careMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneSystem', col: 36.95 },
      doc: 'Merges a good score and no answer. / 合并良好评分与无答复。',
    });
    b.node({
      id: 'careGw',
      kind: 'exclusiveGateway',
      name: 'Care call?\n关怀回访？',
      place: { lane: 'laneSystem', col: 37.85 },
      doc: 'High-value customers with a new installation get a care call after 30 days. / 新安装的高价值客户在 30 天后接受关怀回访。',
    });
    b.node({
      id: 'careWait',
      kind: 'intermediateCatchEvent',
      name: '30 days\n30 天',
      place: { lane: 'laneSystem', row: 1, col: 38.75 },
      timer: { type: 'timeDuration', value: 'P30D' },
      doc: 'Thirty days (wall clock) after the service. / 服务后三十天（自然日）。',
    });
    b.node({
      id: 'careCall',
      kind: 'userTask',
      name: 'Care call\n关怀回访',
      place: { lane: 'laneAgent', row: 2, col: 40.05 },
      form: 'journey-care-call',
      groups: 'cs-agents',
      priority: PRIORITY,
      sla: { target: 'P2D', warnAt: '0.75', calendar: 'default' },
      properties: touch('evaluation / after-sales', 'front stage', 'phone'),
      doc: 'Call the customer: is the product in normal use, any issues, interest in offers (S0 lifecycle; SLA J-CARE). / 致电客户：产品是否正常使用、有无问题、是否有意了解优惠（S0 客户生命周期；SLA J-CARE）。',
    });
    b.node({
      id: 'recovery',
      kind: 'userTask',
      name: 'Service recovery\n服务补救',
      place: { lane: 'laneAgent', col: 37.85 },
      form: 'journey-recovery',
      groups: 'cs-agents',
      priority: PRIORITY,
      sla: { target: 'P1D', warnAt: '0.75', calendar: 'default' },
      properties: touch('evaluation / after-sales', 'front stage', 'phone'),
      doc: 'Call the dissatisfied customer and decide: free revisit, complaint, goodwill or nothing (SLA J-REC). / 致电不满意的客户并决定：免费返修、转投诉、善意补偿或不处理（SLA J-REC）。',
    });
    breachNotifyPath(b, {
      prefix: 'recovery',
      host: 'recovery',
      what: 'the service recovery / 服务补救',
      subject: '=requestId',
      group: 'cs-supervisors',
      notify: { lane: 'laneAgent', row: 2, col: 38.75, endGap: 0.6 },
    });
    b.node({
      id: 'recoveryGw',
      kind: 'exclusiveGateway',
      name: 'Recovery action?\n补救措施？',
      place: { lane: 'laneAgent', col: 38.75 },
      doc: 'Revisit, complaint, or closed dissatisfied (goodwill or none). / 返修、投诉，或以不满意结束（善意补偿或不处理）。',
    });
    const marks: Array<[string, string, number, string, string]> = [
      ['acMarkRevisit', 'laneAgent', 0, 'revisit', 'Mark revisit\n标记返修'],
      ['acMarkComplaint', 'laneAgent', 1, 'complaint', 'Mark complaint\n标记投诉'],
      ['acMarkDissatisfied', 'laneCustomer', 2.2, 'dissatisfied', 'Mark dissatisfied\n标记不满意'],
      ['acMarkOk', 'laneSystem', 0, 'ok', 'Mark OK\n标记正常'],
    ];
    for (const [id, lane, row, value, name] of marks) {
      b.node({
        id,
        kind: 'scriptTask',
        name,
        place: { lane, row, col: id === 'acMarkOk' ? 41.45 : 39.65 },
        script: { expression: `="${value}"`, resultVariable: 'aftercareOutcome' },
        doc: `Sets aftercareOutcome to "${value}". / 将 aftercareOutcome 设为 "${value}"。`,
      });
    }
    b.node({
      id: 'acOkMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneSystem', col: 40.55 },
      doc: 'Merges the care call and no care call. / 合并关怀回访与无需回访。',
    });
    b.node({
      id: 'acEndMerge',
      kind: 'exclusiveGateway',
      name: '',
      place: { lane: 'laneSystem', col: 42.35 },
      doc: 'Merges every after-care outcome. / 合并所有售后结果。',
    });
    b.node({
      id: 'acEnd',
      kind: 'endEvent',
      name: 'Evaluated\n已评价',
      place: { lane: 'laneSystem', col: 43.05 },
      doc: 'After-care ends with aftercareOutcome set. / 售后结束，aftercareOutcome 已设置。',
    });

    b.chain('acStart', 'sendSurvey', 'surveyWait');
    b.flow('surveyWait', 'surveyResponse');
    b.flow('surveyWait', 'surveyTimeout');
    b.flow('surveyResponse', 'scoreGw');
    b.flow('surveyTimeout', 'careMerge');
    b.when('scoreGw', 'careMerge', 'satisfactionScore >= 3', '≥ 3', {
      out: 'bottom',
      in: 'top',
      label: { dx: 0, dy: 200 },
    });
    b.otherwise('scoreGw', 'recovery', '1–2', { out: 'right', in: 'left', viaX: colX(b.spec, 37.35) });
    b.chain('careMerge', 'careGw');
    b.when(
      'careGw',
      'careWait',
      'customerTier = "high" and serviceType = "installation"',
      'high-value installation\n高价值安装',
    );
    b.otherwise('careGw', 'acOkMerge', 'otherwise\n其他');
    b.flow('careWait', 'careCall', { route: { out: 'right', in: 'bottom' } });
    b.flow('careCall', 'acOkMerge', { route: { out: 'right', in: 'top' } });
    b.flow('acOkMerge', 'acMarkOk');
    b.flow('recovery', 'recoveryGw');
    b.when('recoveryGw', 'acMarkRevisit', 'recoveryAction = "revisit"', 'revisit\n返修');
    b.when('recoveryGw', 'acMarkComplaint', 'recoveryAction = "complaint"', 'complaint\n投诉', {
      out: 'bottom',
      in: 'left',
    });
    b.otherwise('recoveryGw', 'acMarkDissatisfied', 'goodwill, none\n补偿/不处理', { out: 'top', in: 'left' });
    for (const [id] of marks) b.flow(id, 'acEndMerge', { route: id === 'acMarkOk' ? {} : { out: 'right', in: 'top' } });
    b.flow('acEndMerge', 'acEnd');
  });
}
