/** bpmn-js `translate` service that follows the app's language (palette, context pad, properties panel). */
import { getLanguage } from '../../i18n';
import { bpmnZh } from './bpmn-zh';

/** Translates a bpmn-js template and fills its `{name}` placeholders. */
export default function customTranslate(template: string, replacements: Record<string, string> = {}): string {
  return translateWith(bpmnZh, template, replacements);
}

/** Translates a bpmn-io template with a Chinese dictionary when the app speaks Chinese. */
export function translateWith(
  zh: Record<string, string>,
  template: string,
  replacements: Record<string, string> = {},
): string {
  const translated = getLanguage() === 'zh' ? (zh[template] ?? template) : template;
  return translated.replace(/{([^}]+)}/g, (match, key: string) => replacements[key] ?? match);
}
