import { CarError } from './errors.js';

/**
 * The calls allowed in flight at once: the configured concurrency, lowered (never raised above it)
 * by CAR's `X-Concurrency-Limit-Limit`. Waiters are served in arrival order.
 */
export class CallSlots {
  private limit: number;
  private running = 0;
  private peak = 0;
  private readonly waiters: (() => void)[] = [];

  constructor(private readonly configured: number) {
    this.limit = configured;
  }

  /** CAR's concurrency limit, from the latest answer that carried one. */
  carLimit(limit: number): void {
    if (!Number.isFinite(limit) || limit < 1) return;
    this.limit = Math.min(this.configured, Math.floor(limit));
    this.wakeWaiters();
  }

  get capacity(): number {
    return this.limit;
  }

  /** The most calls that were ever in flight at once. */
  get maxInFlight(): number {
    return this.peak;
  }

  /** Resolves with the function that frees the slot. */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) throw new CarError('aborted', 'the call was cancelled before it was sent', undefined, { notSent: true });
    if (this.running < this.limit && this.waiters.length === 0) {
      this.running += 1;
    } else {
      // wakeWaiters hands the slot over already taken, so no newcomer can slip in between.
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => {
          const index = this.waiters.indexOf(ready);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(new CarError('aborted', 'the call was cancelled before it was sent', undefined, { notSent: true }));
        };
        const ready = () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        };
        this.waiters.push(ready);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    }
    this.peak = Math.max(this.peak, this.running);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.running -= 1;
      this.wakeWaiters();
    };
  }

  private wakeWaiters(): void {
    while (this.running < this.limit && this.waiters.length > 0) {
      this.running += 1;
      this.waiters.shift()!();
    }
  }
}
