/** Business calendars from the store: read through a short cache, validated on write, seeded when absent. */
import type { CalendarRow, Store, StoreTx } from '../../store/index.js';
import type { BusinessCalendar } from './business-calendar.js';
import { seedCalendars } from './calendar-seeds.js';
import { validateCalendar } from './calendar-validation.js';
import type { Clock } from '../clock.js';
import { CalendarInvalidError, CalendarNotFoundError } from '../sla/sla-errors.js';

/** A stored calendar with the time of its last change. */
export type StoredCalendar = BusinessCalendar & { updatedAt: string };

// Another node's PUT reaches this node's cache within this time.
const CACHE_MS = 60_000;

/** The calendars SLA clocks run on, by id. */
export class CalendarBook {
  private readonly cache = new Map<string, { calendar: StoredCalendar; until: number }>();

  /** `zone`: the installation's zone (EngineConfig.zone), the one the seeded calendars are in. */
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly zone: string,
  ) {}

  /** The calendar with this id (read inside `tx` when given); throws CalendarNotFoundError. */
  async get(id: string, tx: Pick<StoreTx, 'calendars'> = this.store): Promise<StoredCalendar> {
    const now = this.clock.now().getTime();
    const cached = this.cache.get(id);
    if (cached && cached.until > now) return cached.calendar;
    const row = await tx.calendars.get(id);
    if (!row) throw new CalendarNotFoundError(id);
    const calendar = fromRow(row);
    this.cache.set(id, { calendar, until: now + CACHE_MS });
    return calendar;
  }

  /** Every calendar, by id. */
  async list(): Promise<StoredCalendar[]> {
    return (await this.store.calendars.list()).map(fromRow);
  }

  /** Creates or replaces a calendar after validating it; throws CalendarInvalidError with every problem. */
  async put(calendar: BusinessCalendar): Promise<StoredCalendar> {
    const problems = validateCalendar(calendar);
    if (problems.length > 0) throw new CalendarInvalidError(calendar.id, problems);
    const row: CalendarRow = {
      ...calendar,
      holidays: [...new Set(calendar.holidays)].sort(),
      extraWorkingDays: [...new Set(calendar.extraWorkingDays)].sort(),
      updatedAt: this.clock.now().toISOString(),
    };
    await this.store.calendars.put(row);
    this.cache.delete(calendar.id);
    return fromRow(row);
  }

  /**
   * Creates the seeded calendars (`default`, `24x7`, in the installation's zone) that do not exist yet;
   * returns the ids created. Calendars already stored (seeded earlier, or edited) stay as they are.
   */
  async ensureSeeds(): Promise<string[]> {
    const created: string[] = [];
    for (const calendar of seedCalendars(this.zone)) {
      if (await this.store.calendars.insertIfAbsent({ ...calendar, updatedAt: this.clock.now().toISOString() }))
        created.push(calendar.id);
    }
    return created;
  }
}

// helpers

function fromRow(row: CalendarRow): StoredCalendar {
  return {
    id: row.id,
    name: row.name,
    zone: row.zone,
    week: row.week,
    holidays: row.holidays,
    extraWorkingDays: row.extraWorkingDays,
    updatedAt: row.updatedAt,
  };
}
