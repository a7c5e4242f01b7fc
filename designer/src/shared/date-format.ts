/**
 * Dates as the reader's locale writes them: Chinese as "2026-12-02 14:05"; English in the browser's own English
 * locale through Intl ("02/12/2026, 14:05" in en-GB, "12/2/2026, 2:05 PM" in en-US). Pure: the language, the
 * browser's languages and the time zone are arguments, so a test fixes them.
 */

/** The locale dates are written in: zh-CN for Chinese; for English the browser's first English locale, else en-GB. */
export function dateLocale(language: 'en' | 'zh', browserLanguages: readonly string[]): string {
  if (language === 'zh') return 'zh-CN';
  const english = browserLanguages.find((l) => /^en(-|$)/i.test(l));
  return english && isSupported(english) ? english : 'en-GB';
}

/** A date and time to the minute in `locale` (zh-CN: `YYYY-MM-DD HH:mm`), in `timeZone` (default: the browser's). */
export function dateTimeText(date: Date, locale: string, timeZone?: string): string {
  if (locale.toLowerCase().startsWith('zh')) {
    const parts = partsOf(date, timeZone);
    return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
  }
  return new Intl.DateTimeFormat(locale, {
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    // a 24-hour clock writes 06:05 (en-GB), a 12-hour one 6:05 AM (en-US)
    hour: usesDayClock(locale) ? '2-digit' : 'numeric',
    minute: '2-digit',
    timeZone,
  }).format(date);
}

// helpers

// ISO-like digits whatever the locale's own order: the year, month, day, 24-hour clock and minute, zero-padded.
function partsOf(date: Date, timeZone: string | undefined): Record<string, string> {
  const format = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  });
  return Object.fromEntries(format.formatToParts(date).map((p) => [p.type, p.value]));
}

function usesDayClock(locale: string): boolean {
  const cycle = new Intl.DateTimeFormat(locale, { hour: 'numeric' }).resolvedOptions().hourCycle;
  return cycle === 'h23' || cycle === 'h24';
}

function isSupported(locale: string): boolean {
  try {
    return Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
  } catch {
    return false; // not a well-formed language tag
  }
}
