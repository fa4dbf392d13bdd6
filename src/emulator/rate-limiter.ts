/** CAR's per-subscription rolling window: at most `limit` counted calls in any `windowSec` seconds. */
export class RollingWindow {
  /** Monotonic times (ms) of counted calls, oldest first; entries before `first` are expired. */
  private times: number[] = [];
  private first = 0;

  constructor(
    readonly limit: number,
    readonly windowSec: number,
  ) {}

  /** 0 when a call may run now, else how long (ms) until the oldest counted call leaves the window. */
  waitMs(now: number): number {
    this.expire(now);
    if (this.count() < this.limit) return 0;
    const oldest = this.times[this.first] as number;
    return Math.max(1, oldest + this.windowSec * 1000 - now);
  }

  record(now: number): void {
    this.times.push(now);
  }

  remaining(now: number): number {
    this.expire(now);
    return Math.max(0, this.limit - this.count());
  }

  reset(): void {
    this.times = [];
    this.first = 0;
  }

  private count(): number {
    return this.times.length - this.first;
  }

  private expire(now: number): void {
    const horizon = now - this.windowSec * 1000;
    while (this.first < this.times.length && (this.times[this.first] as number) <= horizon) this.first++;
    if (this.first > 1024 && this.first * 2 > this.times.length) {
      this.times = this.times.slice(this.first);
      this.first = 0;
    }
  }
}
