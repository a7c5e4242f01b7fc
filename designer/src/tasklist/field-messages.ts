/**
 * The server's field messages (engine/runtime/forms/form-validation.ts writes them in English) in Chinese; a message it does not know (an owner's svc.assertMessage) is shown as written.
 */
const ZH_FIELD_MESSAGES: Array<[RegExp, string]> = [
  [/^is required$/, '此项为必填项。'],
  [/^must be true or false$/, '必须为是或否'],
  [/^must be a member of the group (.+)$/, '必须是用户组 $1 的成员'],
  [/^must name an existing case of (.+)$/, '必须是 $1 中已有的工单'],
  [/^must be a number$/, '必须是数字'],
  [/^must be at least (.+)$/, '不能小于 $1'],
  [/^must be at most (.+)$/, '不能大于 $1'],
  [/^must be text$/, '必须是文本'],
  [/^must have at least (\d+) characters$/, '长度不能少于 $1 个字符'],
  [/^must have at most (\d+) characters$/, '长度不能超过 $1 个字符'],
  [/^must match the pattern (.+)$/, '格式不符合要求（$1）'],
  [/^must be an email address$/, '请输入有效的电子邮件地址'],
  [/^must be an international phone number, e\.g\. \+\d+$/, '请输入有效的国际电话号码（例如 +8613800138000）'],
  [/^must be a list$/, '必须是列表'],
  [/^must be one of (.+)$/, '必须是以下值之一：$1'],
  [/^must be a date or time text$/, '必须是日期或时间文本'],
  [/^must be a date 'YYYY-MM-DD'$/, '必须是日期（YYYY-MM-DD）'],
  [/^must be a time 'HH:mm'$/, '必须是时间（HH:mm）'],
  [/^must be an ISO 8601 date and time$/, '必须是 ISO 8601 日期时间'],
  [/^must satisfy (.+)$/, '必须满足 $1'],
];

/** The message in Chinese; one it does not know is answered as written. */
export function zhFieldMessage(message: string): string {
  const each = /^each value (.+)$/.exec(message);
  if (each) return `每个值都${zhFieldMessage(each[1])}`;
  const match = ZH_FIELD_MESSAGES.find(([pattern]) => pattern.test(message));
  return match ? message.replace(match[0], match[1]) : message;
}
