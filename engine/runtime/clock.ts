/** Time comes only from a Clock, so tests drive hours of timers and SLAs in milliseconds. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** The clock's time as an ISO instant. */
export function nowIso(clock: Clock): string {
  return clock.now().toISOString();
}
