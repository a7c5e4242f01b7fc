/** Reads holiday dates from an iCalendar file (all-day VEVENTs; DTEND exclusive) or a JSON list. */

/** The local dates (yyyy-MM-dd) covered by the file's events, sorted and unique. */
export function datesFromICalendar(text: string): string[] {
  // unfold continuation lines (RFC 5545 §3.1)
  const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/);
  const dates = new Set<string>();
  let start: string | null = null;
  let end: string | null = null;
  for (const line of lines) {
    if (line === 'BEGIN:VEVENT') start = end = null;
    const value = /^(DTSTART|DTEND)(?:;[^:]*)?:(\d{8})/.exec(line);
    if (value) {
      const iso = `${value[2].slice(0, 4)}-${value[2].slice(4, 6)}-${value[2].slice(6, 8)}`;
      if (value[1] === 'DTSTART') start = iso;
      else end = iso;
    }
    if (line === 'END:VEVENT' && start) {
      // an all-day event ends the day after its last day; a missing DTEND means one day
      const last = end && end > start ? addDays(end, -1) : start;
      for (let day = start; day <= last; day = addDays(day, 1)) dates.add(day);
    }
  }
  return [...dates].sort();
}

/** A JSON list: an array of dates, or { holidays: [...], extraWorkingDays: [...] }. */
export function datesFromJson(text: string): { holidays: string[]; extraWorkingDays: string[] } {
  const value = JSON.parse(text) as unknown;
  const list = (v: unknown) =>
    Array.isArray(v) ? v.filter((d): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d)) : [];
  if (Array.isArray(value)) return { holidays: list(value), extraWorkingDays: [] };
  const o = value as Record<string, unknown>;
  return { holidays: list(o.holidays), extraWorkingDays: list(o.extraWorkingDays ?? o.workdays) };
}

function addDays(iso: string, n: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
