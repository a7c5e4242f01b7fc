/** A clock tests move by hand: `advance('PT4H')` drives hours of timers and SLAs in no time. */
import { durationToMillis } from '../../engine/expr/index.js';
import type { Clock } from '../../engine/runtime/index.js';

export class FakeClock implements Clock {
  private current: number;

  constructor(start = '2026-01-05T09:00:00.000Z') {
    this.current = Date.parse(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  iso(): string {
    return this.now().toISOString();
  }

  /** Moves time forward by an ISO 8601 duration or a number of milliseconds. */
  advance(by: string | number): void {
    this.current += typeof by === 'number' ? by : durationToMillis(by);
  }

  set(instant: string): void {
    this.current = Date.parse(instant);
  }
}
