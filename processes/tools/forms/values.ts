/** Enumerations of domain.md with their bilingual labels, shared by the forms. */
import type { Values } from './fields.js';

export const PRIORITIES: Values = [
  ['urgent', 'Urgent / 紧急'],
  ['general', 'General / 一般'],
  ['non-urgent', 'Non-urgent / 非紧急'],
];

export const PRIORITY_HELP =
  'Urgent: personal safety or health, a data or privacy breach, a legal, regulator or media threat, total loss of service, or a high-value customer with service down. General: a service failure, defect or billing error that affects this customer. Non-urgent: attitude, minor inconvenience, suggestion, information request. / 紧急：人身安全或健康、数据或隐私泄露、法律/监管/媒体威胁、服务完全中断，或高价值客户服务中断。一般：影响该客户的服务故障、缺陷或计费错误。非紧急：态度、轻微不便、建议、咨询。';

export const COMPLAINT_CHANNELS: Values = [
  ['phone', 'Phone / 电话'],
  ['online', 'Online / 在线'],
  ['email', 'E-mail / 电子邮件'],
  ['onsite', 'On site / 现场'],
];
export const CONTACT_PREFERENCES: Values = [
  ['phone', 'Phone / 电话'],
  ['sms', 'SMS / 短信'],
  ['email', 'E-mail / 电子邮件'],
];
export const TIERS: Values = [
  ['high', 'High value / 高价值'],
  ['medium', 'Medium value / 中价值'],
  ['low', 'Low value / 低价值'],
];

export const COMPLAINT_CATEGORIES: Values = [
  ['product', 'Product / 产品'],
  ['service', 'Service / 服务'],
  ['billing', 'Billing / 计费'],
  ['delivery', 'Delivery / 配送'],
  ['technical', 'Technical / 技术'],
  ['staff_conduct', 'Staff conduct / 员工行为'],
  ['other', 'Other / 其他'],
];

export const ROOT_CAUSES: Values = [
  ['process', 'Process / 流程'],
  ['people', 'People / 人员'],
  ['system', 'System / 系统'],
  ['product', 'Product / 产品'],
  ['supplier', 'Supplier / 供应商'],
  ['customer_misunderstanding', 'Customer misunderstanding / 客户误解'],
  ['external', 'External / 外部'],
];

export const REMEDIES: Values = [
  ['none', 'None / 无'],
  ['explanation_apology', 'Explanation and apology / 解释并致歉'],
  ['repair', 'Repair / 维修'],
  ['replacement', 'Replacement / 更换'],
  ['refund', 'Refund / 退款'],
  ['compensation', 'Compensation / 补偿'],
  ['voucher', 'Voucher / 代金券'],
];

export const RESOLVER_GROUPS: Values = [
  ['cs-resolvers', 'Complaint handlers / 投诉处理专员'],
  ['tech-support', 'Technical support / 技术支持'],
  ['billing', 'Billing / 财务'],
  ['logistics', 'Logistics / 物流'],
];

export const SCORES: Values = [
  [1, '1'],
  [2, '2'],
  [3, '3'],
  [4, '4'],
  [5, '5'],
];

export const RISK_CATEGORIES: Values = [
  ['technical', 'Technical: outage, data loss, cyber attack / 技术：宕机、数据丢失、网络攻击'],
  ['process', 'Process: bad design or misoperation / 流程：设计缺陷或误操作'],
  ['personnel', 'Personnel: training, skills, ethics / 人员：培训、技能、职业道德'],
  ['external', 'External: market, policy, suppliers / 外部：市场、政策、供应商'],
  ['customer', 'Customer: complaints, changing demand, trust / 客户：投诉、需求变化、信任危机'],
];

export const PROBABILITY: Values = [
  [1, '1 rare: < 5 % / 罕见'],
  [2, '2 unlikely: 5–25 % / 不太可能'],
  [3, '3 possible: 25–50 % / 可能'],
  [4, '4 likely: 50–80 % / 很可能'],
  [5, '5 almost certain: > 80 % / 几乎确定'],
];

export const IMPACT: Values = [
  [1, '1 negligible: no customer effect, < ¥10 k / 可忽略'],
  [2, '2 minor: a few customers, < 1 h, < ¥100 k / 轻微'],
  [3, '3 moderate: one segment, 1–4 h, < ¥1 M / 中等'],
  [4, '4 major: many customers, 4–24 h, regulator or media, < ¥10 M / 重大'],
  [5, '5 severe: > 24 h, safety, legal action, ≥ ¥10 M / 严重'],
];

export const SEVERITIES: Values = [
  ['critical', 'Critical / 严重'],
  ['high', 'High / 高'],
  ['medium', 'Medium / 中'],
];
