/** English and Simplified Chinese: the dictionaries, the current language and its switch. */
import { en, type MessageKey } from './en';
import { zh } from './zh';
import { dateLocale } from '../shared/date-format';

export type Language = 'en' | 'zh';
export type { MessageKey };

const KEY = 'svcflow.lang';
const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { en, zh };
const listeners = new Set<(language: Language) => void>();

let current: Language = initialLanguage();

/** The message for `key` in the current language, with `{name}` placeholders filled. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  const template = DICTIONARIES[current][key] ?? en[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
}

export function getLanguage(): Language {
  return current;
}

/** The BCP 47 locale for Intl formatting: zh-CN, or the browser's English locale (en-US, en-GB, …). */
export function getLocale(): string {
  return dateLocale(current, browserLanguages());
}

/** Switches the language, remembers it and tells every listener (pages re-render). */
export function setLanguage(language: Language): void {
  if (language === current) return;
  current = language;
  localStorage.setItem(KEY, language);
  document.documentElement.lang = getLocale();
  for (const listener of listeners) listener(language);
}

export function onLanguageChange(listener: (language: Language) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

// helpers

function browserLanguages(): readonly string[] {
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}

function initialLanguage(): Language {
  const fromQuery = new URLSearchParams(location.search).get('lang');
  const stored = fromQuery ?? localStorage.getItem(KEY);
  const language: Language =
    stored === 'zh' || stored === 'en' ? stored : navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
  document.documentElement.lang = dateLocale(language, browserLanguages());
  return language;
}

/** Like `t`, for keys built at run time (history events); falls back when the key is unknown. */
export function tOr(key: string, fallback: string, vars: Record<string, string | number> = {}): string {
  return key in en ? t(key as MessageKey, vars) : fallback;
}

/** A case's coded value (`channel`, `priority`) in words of the current language; an unknown code as stored. */
export function caseValue(field: 'channel' | 'priority', code: string): string {
  return code ? tOr(`value.${field}.${code}`, code) : code;
}
