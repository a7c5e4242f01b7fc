/** Forms of the service journey (domain.md §2.2). */
import { customerFields } from './complaint-forms.js';
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

const SERVICE_TYPES = [
  ['installation', 'Installation / 安装'],
  ['repair', 'Repair / 维修'],
  ['maintenance', 'Maintenance / 保养'],
  ['inspection', 'Inspection / 检测'],
] as Array<[string, string]>;
const notFuture = (key: string) => ({
  assert: `date and time(${key}) <= now()`,
  assertMessage: 'Must not be in the future / 不得晚于当前时间',
});

export function journeyForms(): FormSchema[] {
  return [
    form('journey-request', [
      textfield('requestId', 'Request number / 工单编号', {
        pattern: '^SRV-\\d{8}-\\d{4}$',
        patternMessage: 'SRV-YYYYMMDD-NNNN',
        description: 'Generated when left empty / 留空则自动生成',
      }),
      select(
        'channel',
        'Channel / 渠道',
        [
          ['phone', 'Phone / 电话'],
          ['online', 'Online / 在线'],
          ['app', 'App / 应用'],
          ['store', 'Store / 门店'],
        ],
        { required: true },
      ),
      ...customerFields(false),
      select('serviceType', 'Service type / 服务类型', SERVICE_TYPES, { required: true }),
      textfield('productModel', 'Product model / 产品型号', {
        required: true,
        maxLength: 100,
        showIf: 'serviceType = "installation" or serviceType = "repair"',
      }),
      checkbox('serviceDown', 'The customer is without service now / 客户当前服务中断', {
        showIf: 'serviceType = "repair"',
      }),
      textarea('description', 'Description / 需求描述', { required: true, minLength: 10, maxLength: 2000 }),
      textfield('address', 'Service address / 服务地址', { required: true, minLength: 5, maxLength: 200 }),
      datetime('preferredDate', 'Preferred date / 期望日期', 'date', {
        required: true,
        disallowPassedDates: true,
        assert: 'date(preferredDate) >= today() and date(preferredDate) <= today() + duration("P60D")',
        assertMessage: 'Today or within 60 days / 今天起 60 天内',
      }),
      select(
        'preferredSlot',
        'Preferred slot / 期望时段',
        [
          ['morning', 'Morning 09–12 / 上午'],
          ['afternoon', 'Afternoon 13–18 / 下午'],
          ['evening', 'Evening 18–21 / 晚上'],
        ],
        { required: true },
      ),
    ]),
    form('journey-confirm', [
      text(
        'context',
        '**{{requestId}}** · {{serviceType}} · {{productModel}} · {{address}} · {{preferredDate}} {{preferredSlot}}',
      ),
      radio(
        'requestDecision',
        'Decision / 受理决定',
        [
          ['accepted', 'Accept / 受理'],
          ['needs_info', 'Needs information / 需补充信息'],
          ['rejected', 'Reject / 拒绝'],
        ],
        { required: true },
      ),
      checkbox('inServiceArea', 'In our service area / 在服务范围内', {
        assert: 'requestDecision != "accepted" or inServiceArea = true',
        assertMessage: 'An accepted request must be in the service area / 受理的请求必须在服务范围内',
      }),
      select(
        'warrantyStatus',
        'Warranty / 保修状态',
        [
          ['in_warranty', 'In warranty / 保修期内'],
          ['out_of_warranty', 'Out of warranty / 已过保'],
          ['unknown', 'Unknown / 未知'],
        ],
        { required: true },
      ),
      checkbox('chargeable', 'Chargeable / 收费服务'),
      number('quotedAmount', 'Quoted amount (CNY) / 报价（元）', {
        required: true,
        min: 0,
        max: 50000,
        decimalDigits: 2,
        showIf: 'chargeable = true',
      }),
      checkbox('customerConsentToQuote', 'The customer accepts the quote / 客户同意报价', {
        required: true,
        showIf: 'chargeable = true and requestDecision = "accepted"',
      }),
      textarea('infoNeeded', 'Information needed / 需补充的信息', {
        required: true,
        minLength: 10,
        maxLength: 1000,
        showIf: 'requestDecision = "needs_info"',
      }),
      select(
        'rejectReason',
        'Reason / 拒绝原因',
        [
          ['out_of_area', 'Out of area / 超出服务范围'],
          ['not_supported', 'Not supported / 不支持'],
          ['duplicate', 'Duplicate / 重复'],
          ['customer_cancelled', 'Customer cancelled / 客户取消'],
          ['other', 'Other / 其他'],
        ],
        { required: true, showIf: 'requestDecision = "rejected"' },
      ),
    ]),
    form('journey-schedule', [
      text('context', '**{{requestId}}** · {{address}} · preferred / 期望: {{preferredDate}} {{preferredSlot}}'),
      datetime('appointmentStart', 'Appointment start / 预约开始', 'datetime', {
        required: true,
        description: 'Prefilled from the proposal / 按推荐预填',
        assert: 'date and time(appointmentStart) > now()',
        assertMessage: 'Must be in the future / 须晚于当前时间',
      }),
      datetime('appointmentEnd', 'Appointment end / 预约结束', 'datetime', {
        required: true,
        assert:
          'date and time(appointmentEnd) > date and time(appointmentStart) and date and time(appointmentEnd) <= date and time(appointmentStart) + duration("PT4H")',
        assertMessage: 'After the start and at most 4 hours long / 晚于开始时间，且时长不超过 4 小时',
      }),
      userSelect('engineerId', 'Engineer / 工程师', 'field-engineers', {
        required: true,
        description: 'Prefilled from the proposal / 按推荐预填',
      }),
      checkbox('customerChoseLaterSlot', 'The customer chose a later slot / 客户选择了较晚的时段'),
      checkbox('partsRequired', 'Parts required / 需要备件'),
      textarea('partsList', 'Parts / 备件清单', { required: true, maxLength: 1000, showIf: 'partsRequired = true' }),
    ]),
    form('journey-parts', [
      text('context', '**{{requestId}}** · appointment / 预约: {{appointmentStart}}\n\n{{partsList}}'),
      checkbox('partsShipped', 'Parts shipped / 备件已发出', { required: true }),
      textfield('shipmentRef', 'Shipment reference / 运单号', { maxLength: 64 }),
      datetime('expectedArrival', 'Expected arrival / 预计到达', 'datetime', {
        required: true,
        assert: 'date and time(expectedArrival) <= date and time(appointmentStart)',
        assertMessage: 'No later than the appointment / 不得晚于预约时间',
      }),
    ]),
    form('journey-visit', [
      text('context', '**{{requestId}}** · {{serviceType}} · {{productModel}} · {{address}}'),
      datetime(
        'arrivedAt',
        'Arrived at (also when the customer was absent) / 到达时间（客户不在也需填写）',
        'datetime',
        { required: true, ...notFuture('arrivedAt') },
      ),
      radio(
        'visitOutcome',
        'Outcome / 上门结果',
        [
          ['completed', 'Completed / 完成'],
          ['customer_absent', 'Customer absent / 客户不在'],
          ['reschedule_requested', 'Reschedule requested / 客户要求改期'],
          ['needs_parts', 'Needs parts / 缺少备件'],
          ['cannot_fix', 'Cannot fix / 无法修复'],
        ],
        { required: true },
      ),
      datetime('finishedAt', 'Finished at / 完成时间', 'datetime', {
        required: true,
        showIf: 'visitOutcome = "completed"',
        assert: 'date and time(finishedAt) >= date and time(arrivedAt)',
        assertMessage: 'Not before the arrival / 不得早于到达时间',
      }),
      textarea('workPerformed', 'Work performed / 施工内容', {
        required: true,
        minLength: 10,
        maxLength: 2000,
        showIf: 'visitOutcome = "completed"',
      }),
      textarea('partsNeeded', 'Parts needed / 所需备件', {
        required: true,
        minLength: 5,
        maxLength: 1000,
        showIf: 'visitOutcome = "needs_parts"',
      }),
      checkbox('customerSignedOff', 'The customer signed off / 客户已签字确认', {
        required: true,
        showIf: 'visitOutcome = "completed"',
      }),
      number('amountCharged', 'Amount charged (CNY) / 收费金额（元）', {
        required: true,
        min: 0,
        max: 50000,
        decimalDigits: 2,
        showIf: 'chargeable = true and visitOutcome = "completed"',
      }),
    ]),
    form('journey-supervisor-review', [
      text(
        'context',
        '**{{requestId}}** · visits / 上门次数: {{visitCount}} · last outcome / 最近结果: {{visitOutcome}}',
      ),
      radio(
        'supervisorDecision',
        'Decision / 决定',
        [
          ['revisit', 'Revisit / 再次上门'],
          ['complaint', 'Convert to a complaint / 转为投诉'],
          ['cancel', 'Cancel / 取消'],
        ],
        { required: true },
      ),
      number('goodwillAmount', 'Goodwill amount (CNY) / 善意补偿（元）', { min: 0, max: 5000, decimalDigits: 2 }),
      textarea('note', 'Note / 说明', { required: true, minLength: 10, maxLength: 1000 }),
    ]),
    form('journey-recovery', [
      text(
        'context',
        '**{{requestId}}** · score / 评分: {{satisfactionScore}} · NPS: {{npsScore}}\n\n{{surveyComment}}',
      ),
      checkbox('reached', 'Customer reached / 已联系上客户'),
      select(
        'dissatisfactionReason',
        'Reason for dissatisfaction / 不满意原因',
        [
          ['late_arrival', 'Late arrival / 迟到'],
          ['not_fixed', 'Not fixed / 未修好'],
          ['staff_attitude', 'Staff attitude / 服务态度'],
          ['price', 'Price / 价格'],
          ['other', 'Other / 其他'],
        ],
        { required: true, showIf: 'reached = true' },
      ),
      radio(
        'recoveryAction',
        'Recovery action / 补救措施',
        [
          ['revisit', 'Free revisit / 免费返修'],
          ['complaint', 'Open a complaint / 转为投诉'],
          ['goodwill', 'Goodwill / 善意补偿'],
          ['none', 'None / 不处理'],
        ],
        { required: true },
      ),
      number('goodwillAmount', 'Goodwill amount (CNY) / 善意补偿（元）', {
        required: true,
        min: 0,
        max: 500,
        decimalDigits: 2,
        showIf: 'recoveryAction = "goodwill"',
      }),
      textarea('note', 'Note / 说明', { required: true, minLength: 10, maxLength: 1000 }),
    ]),
    form('journey-care-call', [
      text('context', '**{{requestId}}** · {{productModel}} installed / 已安装'),
      checkbox('reached', 'Customer reached / 已联系上客户'),
      checkbox('usingNormally', 'Product in normal use / 产品使用正常'),
      checkbox('interestedInOffers', 'Interested in offers / 有意了解优惠'),
      textarea('issuesReported', 'Issues reported / 反馈的问题', { maxLength: 1000 }),
    ]),
  ];
}
