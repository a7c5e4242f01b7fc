/** Issue 14, "Forms": dates in the user's locale — zh-CN as 2026-12-02 14:05, English in the browser's locale. */
import { describe, expect, it } from 'vitest';
import { dateLocale, dateTimeText } from '../../designer/src/shared/date-format.js';

// 2026-12-02 14:05 in Shanghai
const AT = new Date('2026-12-02T06:05:00.000Z');
const SHANGHAI = 'Asia/Shanghai';

describe('designer/date-format', () => {
  it('writes Chinese dates as YYYY-MM-DD HH:mm, whatever the browser speaks', () => {
    expect(dateTimeText(AT, dateLocale('zh', ['en-US']), SHANGHAI)).toBe('2026-12-02 14:05');
    expect(dateTimeText(new Date('2026-01-05T16:09:00Z'), 'zh-CN', SHANGHAI)).toBe('2026-01-06 00:09');
  });

  it("writes English dates in the browser's English locale", () => {
    expect(dateTimeText(AT, dateLocale('en', ['en-GB', 'en']), SHANGHAI)).toBe('02/12/2026, 14:05');
    expect(dateTimeText(AT, dateLocale('en', ['en-US']), SHANGHAI)).toBe('12/2/2026, 2:05 PM');
  });

  it('takes the first English locale the browser lists, else en-GB', () => {
    expect(dateLocale('en', ['zh-CN', 'en-US', 'en-GB'])).toBe('en-US');
    expect(dateLocale('en', ['de-DE'])).toBe('en-GB');
    expect(dateLocale('en', [])).toBe('en-GB');
    expect(dateLocale('en', ['en-@@'])).toBe('en-GB');
    expect(dateLocale('zh', ['en-US'])).toBe('zh-CN');
  });

  it('keeps minute precision and the time zone it is given', () => {
    expect(dateTimeText(new Date('2026-12-02T06:05:59.999Z'), 'en-GB', SHANGHAI)).toBe('02/12/2026, 14:05');
    expect(dateTimeText(AT, 'en-GB', 'UTC')).toBe('02/12/2026, 06:05');
  });
});
