/** Periodic risk review (domain.md §2.3, the monthly risk report): `risk-portfolio-review`, business key `reviewId`. */
import { breachNotifyPath, PRIORITY } from './bpmn/patterns.js';
import { ProcessBuilder } from './bpmn/spec.js';

/**
 * At 09:00 on the first day of every month. Cron fields are read in the zone of the default business
 * calendar (Asia/Shanghai), so the review opens at the start of a local working morning whatever the server's zone.
 */
export const REVIEW_CYCLE = '0 0 9 1 * ?';

export function riskPortfolioReview(): ProcessBuilder {
  const b = new ProcessBuilder(
    'risk-portfolio-review',
    'Periodic risk review',
    'S4 §6.1, §6.4: every month the risk managers review the whole risk register and the monthly risk report (counts by level and category, new and closed risks, overdue treatments, incidents, KRIs breached). Started by a timer; business key: reviewId. / S4 §6.1、§6.4：风险管理人员每月复核整个风险登记册与月度风险报告（按等级与类别统计、新增与关闭的风险、逾期应对、事件、超限的关键风险指标）。由定时器启动；业务键：reviewId。',
  );
  b.spec.businessKey = { variable: 'reviewId', prefix: 'RRV', period: 'year' };
  b.spec.starterGroups = ['risk-managers'];
  b.lane(
    'laneRiskManager',
    'Risk manager (risk-managers)\n风险管理',
    'Risk and quality management: the monthly review of the register. / 风险与质量管理：登记册的月度复核。',
    2,
  );
  b.lane('laneSystem', 'System\n系统', 'Notifications. / 通知。');

  b.node({
    id: 'monthly',
    kind: 'startEvent',
    name: 'First of the month, 09:00\n每月 1 日 09:00',
    place: { lane: 'laneRiskManager', row: 0.5, col: 0 },
    timer: { type: 'timeCycle', value: REVIEW_CYCLE },
    doc: 'Timer cycle 0 0 9 1 * ?: 09:00 on the first day of every month in the default calendar time zone (Asia/Shanghai); one review per month, however often the processes are deployed again. / 定时循环 0 0 9 1 * ?：按默认日历时区（Asia/Shanghai）每月 1 日 09:00 启动；每月一次，重复部署不会重复启动。',
  });
  b.node({
    id: 'reviewRegister',
    kind: 'userTask',
    name: 'Review the risk register\n复核风险登记册',
    place: { lane: 'laneRiskManager', row: 0.5, col: 1 },
    form: 'risk-portfolio-review',
    groups: 'risk-managers',
    priority: PRIORITY,
    sla: { target: 'P5D', calendar: 'default' },
    doc: 'A risk manager reviews the register and the monthly report: levels, overdue treatments, incidents and KRIs; names the risks to reassess (SLA R-PORTFOLIO, 5 working days). / 风险管理人员复核登记册与月度报告：等级、逾期应对、事件与关键风险指标；列出需重新评估的风险（SLA R-PORTFOLIO，5 个工作日）。',
  });
  breachNotifyPath(b, {
    prefix: 'reviewRegister',
    host: 'reviewRegister',
    what: 'the monthly risk review / 月度风险复核',
    subject: '=reviewId',
    group: 'service-managers',
    notify: { lane: 'laneSystem', col: 1.9, endGap: 0.8 },
  });
  b.node({
    id: 'reviewed',
    kind: 'endEvent',
    name: 'Reviewed\n已复核',
    place: { lane: 'laneRiskManager', row: 0.5, col: 2.6 },
    doc: 'End state: the month is reviewed. / 结束状态：本月已复核。',
  });
  b.chain('monthly', 'reviewRegister', 'reviewed');
  return b;
}
