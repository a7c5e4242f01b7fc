/** Forms of risk response (domain.md §2.3). */
import {
  checkbox,
  checklist,
  datetime,
  form,
  number,
  radio,
  select,
  text,
  textarea,
  textfield,
  userSelect,
  type FormSchema,
} from './fields.js';
import { IMPACT, PROBABILITY, RISK_CATEGORIES, SCORES, SEVERITIES } from './values.js';

const notFuture = (key: string) => ({
  assert: `date and time(${key}) <= now()`,
  assertMessage: 'Must not be in the future / 不得晚于当前时间',
});
const STRATEGIES: Array<[string, string]> = [
  ['avoid', 'Avoid: stop or redesign the activity, change supplier / 规避'],
  ['transfer', 'Transfer: insurance, outsourcing, contract clauses / 转移'],
  ['mitigate', 'Mitigate: preventive controls, training, contingency plan / 减轻'],
  ['accept', 'Accept: monitor only / 接受'],
];
const UNLESS_ACCEPT = 'strategy != "accept"';
const WITH_KRI = 'kriName != null and kriName != ""';

export function riskForms(): FormSchema[] {
  return [
    form('risk-report', [
      textfield('title', 'Title / 标题', { required: true, minLength: 5, maxLength: 200 }),
      textarea('description', 'Description / 描述', { required: true, minLength: 10, maxLength: 4000 }),
      select('category', 'Category / 类别', RISK_CATEGORIES, { required: true }),
      select(
        'source',
        'Source / 来源',
        [
          ['manual', 'Manual report / 人工报告'],
          ['kri', 'KRI / 关键风险指标'],
          ['complaint', 'Complaint / 投诉'],
          ['incident', 'Incident / 事件'],
          ['audit', 'Audit / 审计'],
        ],
        { required: true, defaultValue: 'manual' },
      ),
      textfield('sourceRef', 'Source reference / 来源编号', {
        required: true,
        maxLength: 64,
        showIf: 'source != "manual"',
      }),
      textfield('affectedServices', 'Affected services / 受影响的服务', { maxLength: 200 }),
      checkbox('incidentOccurred', 'An incident has occurred / 已发生事件'),
      radio('incidentSeverity', 'Incident severity / 事件严重程度', SEVERITIES, {
        required: true,
        showIf: 'incidentOccurred = true',
      }),
      datetime('incidentStartedAt', 'Incident started at / 事件开始时间', 'datetime', {
        required: true,
        showIf: 'incidentOccurred = true',
        ...notFuture('incidentStartedAt'),
      }),
    ]),
    form('risk-assess', [
      text('context', '**{{riskId}}** · {{title}} · source / 来源: {{source}} {{sourceRef}}\n\n{{description}}'),
      radio(
        'assessmentOutcome',
        'Assessment / 评估结论',
        [
          ['valid', 'Valid risk / 有效风险'],
          ['duplicate', 'Duplicate / 重复'],
          ['not_a_risk', 'Not a risk / 不构成风险'],
        ],
        { required: true },
      ),
      textfield('duplicateOf', 'Duplicate of / 重复于', {
        required: true,
        showIf: 'assessmentOutcome = "duplicate"',
        pattern: '^RSK-\\d{4}-\\d{4}$',
        patternMessage: 'RSK-YYYY-NNNN',
        existingCase: 'risk-response',
        description: 'An existing risk id (checked by the server) / 已登记的风险编号（由服务器校验）',
      }),
      select('category', 'Category / 类别', RISK_CATEGORIES, {
        required: true,
        description: 'Prefilled from the report / 按报告预填',
      }),
      radio('probability', 'Probability (12 months) / 可能性（12 个月内）', PROBABILITY, {
        required: true,
        showIf: 'assessmentOutcome = "valid"',
      }),
      radio('impact', 'Impact / 影响', IMPACT, { required: true, showIf: 'assessmentOutcome = "valid"' }),
      textarea('existingControls', 'Existing controls / 现有控制措施', { maxLength: 2000 }),
      userSelect('riskOwner', 'Risk owner / 风险责任人', 'risk-owners', {
        required: true,
        showIf: 'assessmentOutcome = "valid"',
      }),
      textarea('note', 'Why it is not a risk / 不构成风险的理由', {
        required: true,
        minLength: 10,
        maxLength: 2000,
        showIf: 'assessmentOutcome = "not_a_risk"',
      }),
    ]),
    form('risk-plan', [
      text(
        'context',
        '**{{riskId}}** · {{title}} · score / 分值 **{{riskScore}}** · level / 等级 **{{riskLevel}}** · cycle / 轮次 {{pdcaCycle}}',
      ),
      radio('strategy', 'Strategy / 应对策略', STRATEGIES, { required: true }),
      textarea('treatmentPlan', 'Measures, or the rationale for accepting / 应对措施，或接受的理由', {
        required: true,
        minLength: 10,
        maxLength: 4000,
      }),
      userSelect('actionOwner', 'Action owner / 措施责任人', 'risk-owners', { required: true, showIf: UNLESS_ACCEPT }),
      datetime('treatmentDeadline', 'Deadline / 完成期限', 'date', {
        required: true,
        showIf: UNLESS_ACCEPT,
        disallowPassedDates: true,
        assert: 'date(treatmentDeadline) >= today()',
        assertMessage:
          'From today, and no later than today + the R-IMPL target in working days (checked by the server) / 不早于今天，且不晚于今天加 R-IMPL 目标工作日（由服务器校验）',
      }),
      textfield(
        'transferCounterparty',
        'Transferred to (insurer, outsourcer, contract) / 转移对象（保险、外包、合同）',
        { required: true, maxLength: 200, showIf: 'strategy = "transfer"' },
      ),
      textfield('contingencyPlanRef', 'Contingency plan reference / 应急预案编号', {
        required: true,
        maxLength: 64,
        showIf: 'strategy = "mitigate" and (riskLevel = "high" or riskLevel = "critical")',
      }),
      select('targetProbability', 'Target probability / 目标可能性', SCORES, { required: true, showIf: UNLESS_ACCEPT }),
      select('targetImpact', 'Target impact / 目标影响', SCORES, { required: true, showIf: UNLESS_ACCEPT }),
      textfield('kriName', 'Key risk indicator / 关键风险指标', {
        required: true,
        maxLength: 100,
        showIf: 'riskLevel != "low"',
      }),
      select(
        'kriUnit',
        'KRI unit / 指标单位',
        [
          ['percent', 'Percent / 百分比'],
          ['count', 'Count / 次数'],
          ['minutes', 'Minutes / 分钟'],
          ['score', 'Score / 分值'],
        ],
        { required: true, showIf: WITH_KRI },
      ),
      select(
        'kriDirection',
        'Alert when the value is / 告警方向',
        [
          ['above', 'Above the threshold / 高于阈值'],
          ['below', 'Below the threshold / 低于阈值'],
        ],
        { required: true, showIf: WITH_KRI },
      ),
      number('kriWarning', 'Warning threshold / 预警阈值', { required: true, decimalDigits: 2, showIf: WITH_KRI }),
      number('kriCritical', 'Critical threshold / 严重阈值', {
        required: true,
        decimalDigits: 2,
        showIf: WITH_KRI,
        assert: 'if kriDirection = "below" then kriCritical < kriWarning else kriCritical > kriWarning',
        assertMessage:
          'The critical threshold lies beyond the warning one in the alert direction / 严重阈值须在告警方向上超过预警阈值',
      }),
    ]),
    form('risk-approve', [
      text(
        'context',
        '**{{riskId}}** · level / 等级 **{{riskLevel}}** · strategy / 策略 **{{strategy}}** · deadline / 期限 {{treatmentDeadline}}\n\n{{treatmentPlan}}',
      ),
      radio(
        'planDecision',
        'Decision / 审批决定',
        [
          ['approve', 'Approve / 批准'],
          ['reject', 'Reject / 驳回'],
        ],
        { required: true },
      ),
      textarea('approvalComment', 'Reason for rejection / 驳回理由', {
        required: true,
        minLength: 10,
        maxLength: 1000,
        showIf: 'planDecision = "reject"',
      }),
    ]),
    form('risk-implement', [
      text('context', '**{{riskId}}** · deadline / 期限 {{treatmentDeadline}}\n\n{{treatmentPlan}}'),
      radio(
        'implementationStatus',
        'Status / 状态',
        [
          ['done', 'Done / 已完成'],
          ['replan', 'Needs replanning / 需重新计划'],
        ],
        { required: true },
      ),
      textarea('actionsCompleted', 'Actions completed / 已完成的措施', {
        required: true,
        minLength: 10,
        maxLength: 4000,
        showIf: 'implementationStatus = "done"',
      }),
      datetime('completedOn', 'Completed on / 完成日期', 'date', {
        required: true,
        showIf: 'implementationStatus = "done"',
        assert: 'date(completedOn) <= today()',
        assertMessage: 'Not after today / 不得晚于今天',
      }),
      textfield('evidenceRef', 'Evidence / 证据', { maxLength: 500 }),
      textarea('replanReason', 'Why replan / 重新计划的原因', {
        required: true,
        minLength: 10,
        maxLength: 1000,
        showIf: 'implementationStatus = "replan"',
      }),
    ]),
    form('risk-verify', [
      text(
        'context',
        '**{{riskId}}** · inherent / 固有 P{{probability}} × I{{impact}} = {{riskScore}} ({{riskLevel}}) · target / 目标 P{{targetProbability}} × I{{targetImpact}}\n\n{{actionsCompleted}}',
      ),
      checkbox('treatmentEffective', 'The treatment is effective / 措施有效'),
      radio('residualProbability', 'Residual probability / 剩余可能性', PROBABILITY, { required: true }),
      radio('residualImpact', 'Residual impact / 剩余影响', IMPACT, { required: true }),
      textarea('verificationNote', 'Verification note / 验证说明', { required: true, minLength: 10, maxLength: 2000 }),
    ]),
    form('risk-persistent', [
      text(
        'context',
        '**{{riskId}}** · {{pdcaCycle}} PDCA cycles / 轮 · residual / 剩余 {{residualScore}} ({{residualLevel}})',
      ),
      radio(
        'decision',
        'Decision / 决定',
        [
          ['accept_residual', 'Accept the residual risk / 接受剩余风险'],
          ['new_cycle', 'Start a new cycle / 开始新一轮'],
        ],
        { required: true },
      ),
      textarea('note', 'Note / 说明', { required: true, minLength: 10, maxLength: 1000 }),
    ]),
    form('risk-review', [
      text('context', '**{{riskId}}** · {{title}} · residual / 剩余 {{residualLevel}} · KRI {{kriName}}'),
      radio(
        'reviewDecision',
        'Decision / 复核决定',
        [
          ['continue', 'Continue monitoring / 继续监控'],
          ['reassess', 'Reassess / 重新评估'],
          ['close', 'Close / 关闭'],
        ],
        { required: true },
      ),
      textarea('statusNote', 'Status / 现状说明', { required: true, minLength: 10, maxLength: 2000 }),
      textarea('closeReason', 'Reason for closing / 关闭理由', {
        required: true,
        minLength: 10,
        maxLength: 1000,
        showIf: 'reviewDecision = "close"',
      }),
    ]),
    form('risk-portfolio-review', [
      text('context', '**{{reviewId}}** · the risk register and the monthly risk report / 风险登记册与月度风险报告'),
      textarea('reviewSummary', 'Summary / 复核结论', { required: true, minLength: 10, maxLength: 4000 }),
      textarea('risksToReassess', 'Risks to reassess (riskIds) / 需重新评估的风险', { maxLength: 2000 }),
      checkbox('managementAttention', 'Needs management attention / 需管理层关注'),
    ]),
    form('risk-activate', [
      text('context', '**{{riskId}}** · {{title}} · started / 开始于 {{incidentStartedAt}}'),
      radio('incidentSeverity', 'Severity / 严重程度', SEVERITIES, {
        required: true,
        description: 'Prefilled; a change re-targets R-ACK and R-RESTORE / 已预填；修改将重新计算 R-ACK 与 R-RESTORE',
      }),
      userSelect('incidentCommander', 'Incident commander / 事件指挥人', 'emergency-team', { required: true }),
      textfield('emergencyPlanRef', 'Emergency plan / 应急预案', { required: true, maxLength: 64 }),
      textarea('containmentActions', 'Containment actions / 控制措施', {
        required: true,
        minLength: 10,
        maxLength: 2000,
      }),
      checklist(
        'resourcesActivated',
        'Backup resources activated / 启用的备用资源',
        [
          ['backup_system', 'Backup system / 备用系统'],
          ['backup_staff', 'Backup staff / 备用人员'],
          ['backup_supplier', 'Backup supplier / 备用供应商'],
          ['none', 'None / 无'],
        ],
        { required: true },
      ),
      checkbox('customerCommsNeeded', 'Customers must be informed / 需要通知客户'),
    ]),
    form('risk-customer-comms', [
      text('context', '**{{riskId}}** · {{title}} · severity / 严重程度 {{incidentSeverity}}'),
      checklist(
        'channelsUsed',
        'Channels used / 使用的渠道',
        [
          ['sms', 'SMS / 短信'],
          ['email', 'E-mail / 电子邮件'],
          ['phone', 'Phone / 电话'],
          ['app_push', 'App push / 应用推送'],
          ['website', 'Website / 网站'],
          ['onsite_notice', 'On-site notice / 现场公告'],
        ],
        { required: true },
      ),
      textarea('messageText', 'Message / 通知内容', { required: true, minLength: 10, maxLength: 2000 }),
      number('customersNotified', 'Customers notified / 已通知客户数', { required: true, min: 0 }),
      datetime('sentAt', 'Sent at / 发送时间', 'datetime', { required: true, ...notFuture('sentAt') }),
    ]),
    form('risk-restore', [
      text(
        'context',
        '**{{riskId}}** · started / 开始于 {{incidentStartedAt}} · commander / 指挥人 {{incidentCommander}}',
      ),
      datetime('serviceRestoredAt', 'Service restored at / 服务恢复时间', 'datetime', {
        required: true,
        assert:
          'date and time(serviceRestoredAt) <= now() and (incidentStartedAt = null or date and time(serviceRestoredAt) >= date and time(incidentStartedAt))',
        assertMessage: 'After the incident started and not in the future / 晚于事件开始时间且不晚于当前时间',
      }),
      number('interruptionMinutes', 'Interruption (minutes) / 中断时长（分钟）', {
        required: true,
        min: 0,
        description:
          'Prefilled from the two times; the S4 service-interruption KRI / 按起止时间预填；即 S4 服务中断指标',
      }),
      number('customersAffected', 'Customers affected / 受影响客户数', { required: true, min: 0 }),
      textarea('restorationSummary', 'Restoration summary / 恢复经过', {
        required: true,
        minLength: 10,
        maxLength: 4000,
      }),
      checkbox('workaroundInPlace', 'Service runs on a workaround / 服务以临时方案运行'),
    ]),
    form('risk-pir', [
      text(
        'context',
        '**{{riskId}}** · {{title}} · interruption / 中断 {{interruptionMinutes}} min · customers / 客户 {{customersAffected}}',
      ),
      select('rootCauseCategory', 'Root cause category / 根因类别', RISK_CATEGORIES, { required: true }),
      textarea('rootCauseDescription', 'Root cause / 根本原因', { required: true, minLength: 10, maxLength: 4000 }),
      textarea('timelineSummary', 'Timeline / 时间线', { required: true, minLength: 10, maxLength: 4000 }),
      textarea('whatWorked', 'What worked / 有效做法', { maxLength: 2000 }),
      textarea('whatFailed', 'What failed / 不足之处', { maxLength: 2000 }),
      textarea('improvementActions', 'Improvement actions / 改进措施', {
        required: true,
        minLength: 10,
        maxLength: 4000,
      }),
      checkbox('planUpdateNeeded', 'Update the emergency plan / 需更新应急预案'),
      checkbox('drillNeeded', 'Run a drill / 需组织演练'),
      number('complaintsReceived', 'Complaints received / 收到的投诉数', { min: 0 }),
    ]),
  ];
}
