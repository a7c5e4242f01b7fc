/**
 * The words for the case page's own controls and for the coded values a case carries (channel, priority), merged into en.ts and zh.ts: the task
 * detail and the case page show 电话 / 一般 in Chinese, Phone / General in English, not the stored codes.
 * The codes are those of the reference forms' options; an unknown code is shown as stored.
 */
export const caseValuesEn = {
  'case.chooseFile': 'Choose a file…',
  'cases.newOf': 'New case: {name}',
  'value.channel.phone': 'Phone',
  'value.channel.online': 'Online',
  'value.channel.email': 'E-mail',
  'value.channel.onsite': 'On site',
  'value.channel.app': 'App',
  'value.channel.store': 'Store',
  'value.channel.sms': 'SMS',
  'value.channel.online_chat': 'Online chat',
  'value.priority.urgent': 'Urgent',
  'value.priority.general': 'General',
  'value.priority.non-urgent': 'Non-urgent',
};

export const caseValuesZh: Record<keyof typeof caseValuesEn, string> = {
  'case.chooseFile': '选择文件…',
  'cases.newOf': '新建工单：{name}',
  'value.channel.phone': '电话',
  'value.channel.online': '在线',
  'value.channel.email': '电子邮件',
  'value.channel.onsite': '现场',
  'value.channel.app': '应用',
  'value.channel.store': '门店',
  'value.channel.sms': '短信',
  'value.channel.online_chat': '在线聊天',
  'value.priority.urgent': '紧急',
  'value.priority.general': '一般',
  'value.priority.non-urgent': '非紧急',
};
