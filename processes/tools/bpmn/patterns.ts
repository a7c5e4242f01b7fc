/**
 * The standard SLA escalation patterns of domain.md (W, BN, BR, BI) and the small element
 * builders the three reference processes share.
 */
import type { Mapping, Place, ProcessBuilder, Side, SlaSpec } from './spec.js';
import { ESCALATIONS } from './xml.js';

/** Task priority on every user task (domain.md conventions). */
export const PRIORITY = '=if priority = "urgent" then 80 else if priority = "general" then 50 else 20';

/** Candidate groups as they read in documentation: "English / 中文". */
export const GROUP_NAMES: Record<string, string> = {
  'cs-agents': 'customer-service agents / 客服专员',
  'cs-resolvers': 'complaint handlers / 投诉处理专员',
  'tech-support': 'technical specialists / 技术支持',
  billing: 'billing / 财务',
  logistics: 'logistics / 物流',
  dispatchers: 'dispatchers / 调度员',
  'field-engineers': 'field engineers / 上门工程师',
  'risk-owners': 'risk owners / 风险责任人',
  'emergency-team': 'emergency team / 应急小组',
  'cs-supervisors': 'customer-service supervisors / 客服主管',
  'risk-managers': 'risk managers / 风险管理',
  'service-managers': 'service managers / 服务经理',
};

/** Where the pattern's notification (or review) sits; its end event goes `endGap` columns to the right. */
export interface PathPlace extends Place {
  endGap?: number;
}

export interface BoundaryPlace {
  side?: Side;
  at?: number;
}

interface PatternBase {
  /** Id prefix: `<prefix>Warn`, `<prefix>Breach`, … */
  prefix: string;
  /** The element whose SLA it is. */
  host: string;
  /** "English / 中文" name of the host for documentation. */
  what: string;
  /** FEEL for the business key passed to notifications, e.g. `=complaintId`. */
  subject: string;
  boundary?: BoundaryPlace;
}

/** W→g: non-interrupting `sla-warning` → notify.staff (assignee or candidates of the host, plus g) → end. */
export function warnPath(b: ProcessBuilder, p: PatternBase & { group: string; notify: PathPlace }): void {
  const [en, zh] = halves(p.what);
  const boundary = b.node({
    id: `${p.prefix}Warn`,
    kind: 'boundaryEvent',
    name: 'SLA at risk\nSLA 预警',
    attachedTo: p.host,
    interrupting: false,
    escalationRef: ESCALATIONS.warning,
    side: p.boundary?.side,
    at: p.boundary?.at ?? 0.75,
    doc: `SLA warning of ${en} (75 % of the target used): work continues, the item shows as at risk. / ${zh}的 SLA 预警（已用 75% 时限）：工作继续，事项标记为"有风险"。`,
  });
  const notify = notifyStaff(
    b,
    `${p.prefix}WarnNotify`,
    'Notify: at risk\n通知：即将超时',
    p.notify,
    [
      lit('template', 'sla-warning'),
      lit('toGroup', p.group),
      lit('about', p.host),
      { source: p.subject, target: 'subject' },
    ],
    `Tells the assignee of ${en} (or its candidate group while unclaimed) and ${GROUP_NAMES[p.group].split(' / ')[0]} that the SLA is at risk. / 通知${zh}的处理人（未认领时通知候选组）及${GROUP_NAMES[p.group].split(' / ')[1]}：SLA 即将超时。`,
  );
  const end = endAfter(
    b,
    `${p.prefix}WarnEnd`,
    'Notified\n已通知',
    p.notify,
    'The warning has been sent. / 预警已发送。',
  );
  b.chain(boundary, notify, end);
}

/** BN→g: non-interrupting `sla-breach` → notify.staff to g → end. */
export function breachNotifyPath(b: ProcessBuilder, p: PatternBase & { group: string; notify: PathPlace }): void {
  const [en, zh] = halves(p.what);
  const boundary = b.node({
    id: `${p.prefix}Breach`,
    kind: 'boundaryEvent',
    name: 'SLA breached\nSLA 超时',
    attachedTo: p.host,
    interrupting: false,
    escalationRef: ESCALATIONS.breach,
    side: p.boundary?.side,
    at: p.boundary?.at ?? 0.25,
    doc: `SLA breach of ${en}: work continues, now flagged breached. / ${zh}的 SLA 超时：工作继续，标记为已超时。`,
  });
  const notify = notifyStaff(
    b,
    `${p.prefix}BreachNotify`,
    'Notify: breached\n通知：已超时',
    p.notify,
    [
      lit('template', 'sla-breach'),
      lit('toGroup', p.group),
      lit('about', p.host),
      { source: p.subject, target: 'subject' },
    ],
    `Tells ${GROUP_NAMES[p.group].split(' / ')[0]} that the SLA of ${en} is breached. / 通知${GROUP_NAMES[p.group].split(' / ')[1]}：${zh}已超出 SLA。`,
  );
  const end = endAfter(
    b,
    `${p.prefix}BreachEnd`,
    'Notified\n已通知',
    p.notify,
    'The breach notice has been sent. / 超时通知已发送。',
  );
  b.chain(boundary, notify, end);
}

/**
 * BR→g: non-interrupting `sla-breach` → user task `overdueReview` (g, form sla-overdue-review) →
 * `overdueGw`: `escalateWhen` → notify.staff to service-managers → end; otherwise → end.
 */
export function breachReviewPath(
  b: ProcessBuilder,
  p: PatternBase & {
    group: string;
    escalateWhen: string;
    review: PathPlace;
    gateway: PathPlace;
    escalate: PathPlace;
    done: PathPlace;
    sla?: SlaSpec;
  },
): void {
  const [en, zh] = halves(p.what);
  const [gEn, gZh] = halves(GROUP_NAMES[p.group]);
  const boundary = b.node({
    id: `${p.prefix}Breach`,
    kind: 'boundaryEvent',
    name: 'SLA breached\nSLA 超时',
    attachedTo: p.host,
    interrupting: false,
    escalationRef: ESCALATIONS.breach,
    side: p.boundary?.side,
    at: p.boundary?.at ?? 0.25,
    doc: `SLA breach of ${en}: work continues, and ${gEn} review the overdue item. / ${zh}超出 SLA：工作继续，由${gZh}复核超时事项。`,
  });
  const review = b.node({
    id: 'overdueReview',
    kind: 'userTask',
    name: 'Review overdue work\n复核超时事项',
    place: p.review,
    form: 'sla-overdue-review',
    groups: p.group,
    priority: PRIORITY,
    sla: p.sla,
    doc: `${cap(gEn)} decide how to recover the overdue ${en}: expedite, reassign (with the tasklist's Reassign action), agree a new date, or escalate to service managers. / ${gZh}决定如何处理超时的${zh}：加急、改派（使用任务列表的"改派"操作）、与客户约定新时间，或上报服务经理。`,
  });
  const gateway = b.node({
    id: 'overdueGw',
    kind: 'exclusiveGateway',
    name: 'Escalate?\n是否上报？',
    place: p.gateway,
    doc: 'Escalates to service managers when the reviewer chose to (for complaints also whenever the work is urgent). / 复核人选择上报时（投诉为紧急时亦同）通知服务经理。',
  });
  const escalate = notifyStaff(
    b,
    'overdueEscalate',
    'Notify service managers\n通知服务经理',
    p.escalate,
    [
      lit('template', 'sla-overdue-escalation'),
      lit('toGroup', 'service-managers'),
      lit('about', p.host),
      { source: p.subject, target: 'subject' },
    ],
    `Tells service managers about the overdue ${en} and the reviewer's decision. / 将超时的${zh}及复核决定通知服务经理。`,
  );
  const escalated = endAfter(
    b,
    'overdueEscalatedEnd',
    'Escalated\n已上报',
    p.escalate,
    'Service managers have been told. / 已通知服务经理。',
  );
  const done = b.node({
    id: 'overdueEnd',
    kind: 'endEvent',
    name: 'Reviewed\n已复核',
    place: p.done,
    doc: 'The overdue review is recorded; no escalation. / 超时复核已记录，无需上报。',
  });
  b.chain(boundary, review, gateway);
  b.when(gateway, escalate, p.escalateWhen, 'escalate\n上报');
  b.otherwise(gateway, done, 'otherwise\n其他');
  b.flow(escalate, escalated);
}

/** BI→g: interrupting `sla-breach` on the host, leading to `target` (the same work for g). */
export function breachInterrupt(b: ProcessBuilder, p: PatternBase & { target: string; group: string }): void {
  const [en, zh] = halves(p.what);
  const [gEn, gZh] = halves(GROUP_NAMES[p.group]);
  const boundary = b.node({
    id: `${p.prefix}Breach`,
    kind: 'boundaryEvent',
    name: 'SLA breached\nSLA 超时',
    attachedTo: p.host,
    interrupting: true,
    escalationRef: ESCALATIONS.breach,
    side: p.boundary?.side,
    at: p.boundary?.at ?? 0.25,
    doc: `SLA breach of ${en}: the task is cancelled (its SLA row stays breached) and the same work goes to ${gEn}. / ${zh}超出 SLA：原任务取消（其 SLA 记录保持"已超时"），同一工作转交${gZh}。`,
  });
  b.flow(boundary, p.target);
}

/** A send task of job type notify.staff. */
export function notifyStaff(
  b: ProcessBuilder,
  id: string,
  name: string,
  place: Place,
  inputs: Mapping[],
  doc: string,
): string {
  return b.node({ id, kind: 'sendTask', name, place, jobType: 'notify.staff', inputs, doc });
}

/** A literal job input: a FEEL string at run time. */
export function lit(target: string, value: string): Mapping {
  return { source: value, target };
}

/** A FEEL job input. */
export function feel(target: string, expression: string): Mapping {
  return { source: `=${expression}`, target };
}

/** Output mappings that copy the named entries of a script's context result. */
export function entriesOf(result: string, names: string[]): Mapping[] {
  return names.map((name) => ({ source: `=${result}.${name}`, target: name }));
}

// helpers

function endAfter(b: ProcessBuilder, id: string, name: string, place: PathPlace, doc: string): string {
  return b.node({
    id,
    kind: 'endEvent',
    name,
    place: { lane: place.lane, row: place.row, col: place.col + (place.endGap ?? 0.8) },
    doc,
  });
}

function halves(text: string): [string, string] {
  const [en, zh] = text.split(' / ');
  return [en, zh ?? en];
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
