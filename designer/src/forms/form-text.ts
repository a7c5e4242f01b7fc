/**
 * The run-time side of form-js's translation: the literals the build rewrote in form-js call `formText` and
 * `formTemplate` while rendering, so a form or form editor created after a language switch speaks the new
 * language. The date picker (flatpickr, inside form-js) gets its own locale the same way.
 */
import flatpickr from 'flatpickr';
import { Mandarin } from 'flatpickr/dist/l10n/zh.js';
import { getLanguage, onLanguageChange } from '../i18n';
import { formJsZh } from './form-js-zh';

/** A form-js literal in the current language (`context` is the property it is the value of, if any). */
export function formText(english: string, context?: string): string {
  if (getLanguage() !== 'zh') return english;
  return (context ? formJsZh[`${context}:${english}`] : undefined) ?? formJsZh[english] ?? english;
}

/** A form-js template literal (`Field must have minimum length of {0}.`) with its values filled in. */
export function formTemplate(key: string, values: unknown[]): string {
  const template = getLanguage() === 'zh' ? (formJsZh[key] ?? key) : key;
  return template.replace(/\{(\d+)\}/g, (match, index: string) =>
    Number(index) < values.length ? String(values[Number(index)]) : match,
  );
}

/** flatpickr's English, kept before the first switch (localize merges into the default locale). */
const ENGLISH = { ...flatpickr.l10ns.default };

/**
 * The locale form-js writes and reads a date field's text in: in Chinese `2026-12-02` (yyyy-MM-dd, as the app
 * writes Chinese dates, en-CA being the Intl locale with that order), otherwise the browser's own.
 */
export function formDateLocale(): string {
  return getLanguage() === 'zh' ? 'en-CA' : 'default';
}

function applyDatePickerLocale(): void {
  flatpickr.localize(getLanguage() === 'zh' ? Mandarin : ENGLISH);
}

applyDatePickerLocale();
onLanguageChange(applyDatePickerLocale);
