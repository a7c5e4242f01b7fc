/**
 * Long polling for external workers: a fetch that found nothing waits here until a job of one of its
 * types is created or released, the next backoff ends, the timeout passes, or the worker goes away.
 * Waiting costs no query and no log line.
 */

interface Waiter {
  types: string[];
  wake(): void;
}

export class JobWaiters {
  private readonly waiting = new Set<Waiter>();

  /** Wakes every waiter interested in this job type. */
  notify(type: string): void {
    for (const waiter of [...this.waiting]) if (waiter.types.includes(type)) waiter.wake();
  }

  /** Resolves after `ms`, on a notification for one of the types, or when the signal aborts. */
  wait(types: string[], ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiting.delete(waiter);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const waiter: Waiter = { types, wake: done };
      const timer = setTimeout(done, Math.max(0, ms));
      if (signal?.aborted) return done();
      signal?.addEventListener('abort', done);
      this.waiting.add(waiter);
    });
  }

  /** Wakes everyone (the server is closing). */
  releaseAll(): void {
    for (const waiter of [...this.waiting]) waiter.wake();
  }

  get size(): number {
    return this.waiting.size;
  }
}
