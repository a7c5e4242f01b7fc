/** Forms of complaint handling (domain.md §2.1) and the shared SLA overdue review. */
import {
  checkbox,
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
import {
  COMPLAINT_CATEGORIES,
  COMPLAINT_CHANNELS,
  CONTACT_PREFERENCES,
  PRIORITIES,
  PRIORITY_HELP,
  REMEDIES,
  RESOLVER_GROUPS,
  ROOT_CAUSES,
  SCORES,
  TIERS,
} from './values.js';

const NOT_FUTURE = {
  assert: 'date and time(%) <= now()',
  assertMessage: 'Must not be in the future / 不得晚于当前时间',
};
const notFuture = (key: string) => ({
  assert: NOT_FUTURE.assert.replace('%', key),
  assertMessage: NOT_FUTURE.assertMessage,
});
const MOBILE_OR_LANDLINE = '^(1[3-9]\\d{9}|0\\d{2,3}-?\\d{7,8})$';

/** The customer fields of an intake form, shared with the journey request. */
export function customerFields(withEmail: boolean) {
  return [
    textfield('customerId', 'Customer ID / 客户编号', { required: true, minLength: 1, maxLength: 64 }),
    textfield('customerName', 'Customer name / 客户姓名', { required: true, minLength: 1, maxLength: 100 }),
    textfield(
      'contactPhone',
      'Contact phone / 联系电话',
      withEmail
        ? {
            pattern: MOBILE_OR_LANDLINE,
            patternMessage: 'A mobile (1xxxxxxxxxx) or landline (0xx-xxxxxxxx) number / 手机号或座机号',
            description: 'Required unless an e-mail address is given / 未填电子邮箱时必填',
            assert: '(contactPhone != null and contactPhone != "") or (contactEmail != null and contactEmail != "")',
            assertMessage: 'Give a phone number or an e-mail address / 请填写联系电话或电子邮箱',
          }
        : {
            required: true,
            pattern: MOBILE_OR_LANDLINE,
            patternMessage: 'A mobile (1xxxxxxxxxx) or landline (0xx-xxxxxxxx) number / 手机号或座机号',
          },
    ),
    ...(withEmail ? [textfield('contactEmail', 'E-mail / 电子邮箱', { email: true })] : []),
    select('preferredContact', 'Preferred contact / 首选联系方式', CONTACT_PREFERENCES, { required: true }),
    select('customerTier', 'Customer tier / 客户等级', TIERS, {
      required: true,
      defaultValue: 'medium',
      description: 'Prefilled from the CRM / 由 CRM 预填',
    }),
  ];
}

export function complaintForms(): FormSchema[] {
  return [
    form('complaint-intake', [
      textfield('complaintId', 'Complaint number / 投诉编号', {
        pattern: '^CMP-\\d{8}-\\d{4}$',
        patternMessage: 'CMP-YYYYMMDD-NNNN',
        description: 'Generated when left empty / 留空则自动生成',
      }),
      select('channel', 'Channel / 渠道', COMPLAINT_CHANNELS, { required: true }),
      ...customerFields(true),
      select('category', 'Category / 类别', COMPLAINT_CATEGORIES, { required: true }),
      textfield('orderRef', 'Order reference / 订单号', { maxLength: 64 }),
      textarea('description', 'Description / 投诉内容', { required: true, minLength: 10, maxLength: 4000 }),
      textarea('customerExpectation', 'What the customer asks for / 客户诉求', { maxLength: 1000 }),
      radio('priority', 'Priority / 优先级', PRIORITIES, {
        required: true,
        defaultValue: 'general',
        description: PRIORITY_HELP,
      }),
      checkbox('safetyOrLegalRisk', 'Safety or legal risk / 涉及安全或法律风险'),
      checkbox('isRepeat', 'Repeat complaint / 重复投诉'),
    ]),
    form('complaint-first-response', [
      select(
        'responseChannel',
        'Response channel / 响应方式',
        [
          ['phone', 'Phone / 电话'],
          ['sms', 'SMS / 短信'],
          ['email', 'E-mail / 电子邮件'],
          ['onsite', 'On site / 现场'],
          ['online_chat', 'Online chat / 在线聊天'],
        ],
        { required: true },
      ),
      datetime('contactedAt', 'Contacted at / 联系时间', 'datetime', {
        required: true,
        // the picker has minute precision: the minute the complaint arrived in counts as after its arrival
        assert:
          'date and time(contactedAt) >= date and time(instanceStartedAt) - duration("PT1M") and date and time(contactedAt) <= now()',
        assertMessage: "Between the complaint's arrival and now / 须在投诉受理之后且不晚于当前时间",
      }),
      checkbox('customerReached', 'Customer reached / 已联系上客户', {
        description: 'Unticked means a written reply was sent / 未勾选表示已书面回复',
      }),
      select('category', 'Category / 类别', COMPLAINT_CATEGORIES, {
        required: true,
        description: 'A change re-targets the SLAs / 修改将重新计算 SLA',
      }),
      radio('priority', 'Priority / 优先级', PRIORITIES, {
        required: true,
        description: `${PRIORITY_HELP} A change re-targets the SLAs. / 修改将重新计算 SLA。`,
      }),
      textarea('responseSummary', 'What was said and promised / 沟通内容与承诺', {
        required: true,
        minLength: 10,
        maxLength: 2000,
      }),
      checkbox('resolvedAtFirstContact', 'Resolved at first contact / 首次联系即解决', {
        description: 'Ignored when the priority is urgent / 紧急投诉不适用',
      }),
      textarea('resolutionSummary', 'Resolution given to the customer / 给客户的解决方案', {
        required: true,
        minLength: 10,
        maxLength: 2000,
        showIf: 'resolvedAtFirstContact = true',
      }),
      select('rootCause', 'Root cause / 根本原因', ROOT_CAUSES, {
        required: true,
        showIf: 'resolvedAtFirstContact = true',
      }),
      select('remedyType', 'Remedy / 补救措施', REMEDIES.slice(0, 2), {
        required: true,
        showIf: 'resolvedAtFirstContact = true',
      }),
    ]),
    form('complaint-investigate', [
      text('context', '**{{complaintId}}** · {{category}} · {{priority}} · resolver / 处理组: {{resolverGroup}}'),
      textarea('findings', 'Findings / 调查结论', { required: true, minLength: 10, maxLength: 4000 }),
      radio(
        'outcome',
        'Outcome / 处理结果',
        [
          ['resolved', 'Resolved / 已解决'],
          ['need_customer_info', 'Need information from the customer / 需客户补充信息'],
          ['transfer', 'Transfer / 转派'],
          ['unfounded', 'Unfounded / 投诉不成立'],
        ],
        { required: true },
      ),
      textarea('customerInfoRequest', 'Questions for the customer / 需客户补充的问题', {
        required: true,
        minLength: 10,
        maxLength: 1000,
        showIf: 'outcome = "need_customer_info"',
      }),
      select('transferTo', 'Transfer to / 转派至', RESOLVER_GROUPS, {
        required: true,
        showIf: 'outcome = "transfer"',
        assert: 'transferTo != resolverGroup',
        assertMessage: 'Choose another group than the current one / 请选择当前处理组以外的组',
      }),
      textarea('transferReason', 'Transfer reason / 转派原因', {
        required: true,
        minLength: 10,
        maxLength: 500,
        showIf: 'outcome = "transfer"',
      }),
      select('rootCause', 'Root cause / 根本原因', ROOT_CAUSES, {
        required: true,
        showIf: 'outcome = "resolved" or outcome = "unfounded"',
      }),
      select('remedyType', 'Remedy / 补救措施', REMEDIES, { required: true, showIf: 'outcome = "resolved"' }),
      number('compensationAmount', 'Amount (CNY) / 金额（元）', {
        required: true,
        min: 0,
        max: 100000,
        decimalDigits: 2,
        defaultValue: 0,
        showIf: 'outcome = "resolved" and list contains(["refund", "compensation", "voucher"], remedyType)',
      }),
      textarea('resolutionSummary', 'Resolution given to the customer / 给客户的解决方案', {
        required: true,
        minLength: 10,
        maxLength: 2000,
        showIf: 'outcome = "resolved" or outcome = "unfounded"',
      }),
      textarea('preventiveAction', 'Root-cause fix (feeds PDCA) / 根因改进措施（纳入 PDCA）', { maxLength: 1000 }),
      checkbox('riskFlag', 'Systemic risk: open a risk case / 系统性风险：开立风险案例'),
    ]),
    form('complaint-approve', [
      text(
        'context',
        '**{{complaintId}}** · {{outcome}} · remedy / 补救: {{remedyType}} · CNY {{compensationAmount}}\n\n{{resolutionSummary}}',
      ),
      radio(
        'decision',
        'Decision / 审批决定',
        [
          ['approve', 'Approve / 批准'],
          ['reject', 'Reject / 驳回'],
        ],
        { required: true },
      ),
      number('approvedAmount', 'Approved amount (CNY) / 批准金额（元）', {
        required: true,
        min: 0,
        max: '=compensationAmount',
        decimalDigits: 2,
        showIf: 'decision = "approve" and compensationAmount > 0',
      }),
      textarea('approvalNote', 'Reason for rejection / 驳回理由', {
        required: true,
        minLength: 10,
        maxLength: 1000,
        showIf: 'decision = "reject"',
      }),
    ]),
    form('complaint-communicate', [
      text('context', '**{{complaintId}}** · {{customerName}} · {{contactPhone}}\n\n{{resolutionSummary}}'),
      datetime('communicatedAt', 'Communicated at / 告知时间', 'datetime', {
        required: true,
        ...notFuture('communicatedAt'),
      }),
      select(
        'communicationChannel',
        'Channel / 告知方式',
        [
          ['phone', 'Phone / 电话'],
          ['sms', 'SMS / 短信'],
          ['email', 'E-mail / 电子邮件'],
          ['onsite', 'On site / 现场'],
        ],
        { required: true },
      ),
      radio(
        'customerResponse',
        'Customer response / 客户答复',
        [
          ['accepted', 'Accepted / 接受'],
          ['rejected', 'Rejected / 不接受'],
          ['no_answer', 'No answer / 无答复'],
        ],
        { required: true },
      ),
      textarea('customerFeedback', 'Customer feedback / 客户意见', {
        required: true,
        minLength: 10,
        maxLength: 1000,
        showIf: 'customerResponse = "rejected"',
      }),
    ]),
    form('complaint-followup-call', [
      checkbox('reached', 'Customer reached / 已联系上客户'),
      number('attempts', 'Call attempts / 拨打次数', { required: true, min: 1, max: 5 }),
      radio('satisfactionScore', 'Satisfaction (1–5) / 满意度（1–5）', SCORES, {
        required: true,
        showIf: 'reached = true',
      }),
      textarea('surveyComment', 'Comment / 意见', { maxLength: 1000 }),
    ]),
    form('complaint-callback', [
      text('context', '**{{complaintId}}** · score / 评分: {{satisfactionScore}} · reopened / 已重开: {{reopenCount}}'),
      checkbox('reached', 'Customer reached / 已联系上客户'),
      select(
        'dissatisfactionReason',
        'Reason for dissatisfaction / 不满意原因',
        [
          ['not_resolved', 'Not resolved / 未解决'],
          ['too_slow', 'Too slow / 太慢'],
          ['staff_attitude', 'Staff attitude / 服务态度'],
          ['compensation_insufficient', 'Compensation insufficient / 补偿不足'],
          ['other', 'Other / 其他'],
        ],
        { required: true, showIf: 'reached = true' },
      ),
      checkbox('reopen', 'Reopen the complaint / 重开投诉'),
      textarea('note', 'What was told back to the customer / 向客户反馈的改进', {
        required: true,
        minLength: 10,
        maxLength: 1000,
      }),
    ]),
    form('complaint-final-review', [
      text('context', '**{{complaintId}}** has been reopened {{reopenCount}} times / 已重开 {{reopenCount}} 次'),
      radio(
        'finalDecision',
        'Decision / 决定',
        [
          ['reopen', 'Reopen / 重开'],
          ['close', 'Close / 关闭'],
        ],
        { required: true },
      ),
      number('goodwillAmount', 'Goodwill amount (CNY) / 善意补偿（元）', { min: 0, max: 5000, decimalDigits: 2 }),
      textarea('note', 'Note / 说明', { required: true, minLength: 10, maxLength: 1000 }),
    ]),
    slaOverdueReview(),
  ];
}

function slaOverdueReview(): FormSchema {
  return form('sla-overdue-review', [
    text(
      'context',
      'This work is past its SLA due date. Decide how to recover it. / 该工作已超出 SLA 期限，请决定处理方式。',
    ),
    radio(
      'action',
      'Action / 处理方式',
      [
        ['expedite', 'Expedite / 加急'],
        ['reassign', 'Reassign / 改派'],
        ['extend_agreed', 'New date agreed with the customer / 与客户约定新时间'],
        ['escalate', 'Escalate to service managers / 上报服务经理'],
      ],
      { required: true },
    ),
    userSelect('newAssignee', 'New assignee / 新处理人', null, {
      required: true,
      showIf: 'action = "reassign"',
      description:
        'A member of the overdue work\'s candidate groups; reassign with the tasklist\'s Reassign action / 超时工作候选组的成员；请使用任务列表的"改派"操作',
    }),
    datetime('agreedDate', 'Agreed date / 约定时间', 'datetime', {
      required: true,
      showIf: 'action = "extend_agreed"',
      assert: 'date and time(agreedDate) > now() and date and time(agreedDate) <= now() + duration("P30D")',
      assertMessage: 'After now and within 30 days / 晚于当前时间且不超过 30 天',
    }),
    textarea('note', 'Note / 说明', { required: true, minLength: 10, maxLength: 1000 }),
  ]);
}
