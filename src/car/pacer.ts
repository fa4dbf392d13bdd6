import type { LimitHeaders } from './limits.js';

/** A call the pacer let through; hand it back with the answer. */
export interface PacerTicket {
  readonly seq: number;
}

interface Sent {
  seq: number;
  /** When its answer came; CAR counted the call at some moment before that. */
  answeredAt?: number;
}

// Timers may fire a millisecond early and CAR's clock is not ours.
const EXPIRY_MARGIN_MS = 50;
/** Below the limit old entries do not matter; forgetting them is only housekeeping. */
const PRUNE_FROM = 4096;

/**
 * Decides when the next call may go, so a long sync slows down before CAR's rate limit turns it
 * away. CAR allows `X-RateLimit-Limit` calls per `X-RateLimit-Window-Sec`; whether its window is
 * rolling or fixed is not documented, so the pacer keeps the stricter rule: never more than Limit
 * of our calls within any window-long span, each counted until a window after its answer came.
 * That holds under both kinds of window and still lets a fresh window go at full speed.
 * `X-RateLimit-Remaining` covers what our own count cannot see (other clients of the subscription,
 * an earlier run): when CAR says nothing is left and our count does not explain it, calls are
 * spaced at the sustainable rate, Window/Limit apart, until CAR reports room again.
 *
 * Pure bookkeeping: every method takes the current time, nothing sleeps here.
 */
export class Pacer {
  private readonly counted: Sent[] = [];
  private readonly bySeq = new Map<number, Sent>();
  private seq = 0;
  private limit?: number;
  private windowMs?: number;
  private reported?: { remaining: number; seq: number };
  private blockedUntil = 0;
  private lastSentAt = Number.NEGATIVE_INFINITY;

  /** Milliseconds to wait before the next call may be sent; 0 = now. */
  delayMs(now: number): number {
    let until = this.blockedUntil;
    const { limit, windowMs } = this;
    if (limit !== undefined && windowMs !== undefined) {
      if (this.counted.length >= limit || this.counted.length > PRUNE_FROM) this.forgetExpired(now, windowMs);
      if (this.counted.length >= limit) {
        // A call still in flight is counted for a whole window from now at least.
        const expiries = this.counted.map((c) => (c.answeredAt ?? now) + windowMs + EXPIRY_MARGIN_MS).sort((a, b) => a - b);
        until = Math.max(until, expiries[this.counted.length - limit]!);
      }
      if (this.reported && this.reported.remaining - (this.seq - this.reported.seq) <= 0) {
        until = Math.max(until, this.lastSentAt + windowMs / limit);
      }
    }
    return Math.max(0, until - now);
  }

  /** Records a call as sent now. Call right after `delayMs` returned 0, with no await between. */
  sent(now: number): PacerTicket {
    const entry: Sent = { seq: ++this.seq };
    this.counted.push(entry);
    this.bySeq.set(entry.seq, entry);
    this.lastSentAt = now;
    return { seq: entry.seq };
  }

  /**
   * Records the answer to a call. `counted` is false when CAR turned it away (409/429) or no answer
   * came from CAR at all; such a call does not use the window.
   */
  answered(ticket: PacerTicket, headers: LimitHeaders | undefined, now: number, counted: boolean): void {
    const entry = this.bySeq.get(ticket.seq);
    this.bySeq.delete(ticket.seq);
    if (headers?.limit !== undefined && headers.limit > 0) this.limit = headers.limit;
    if (headers?.windowSec !== undefined && headers.windowSec > 0) this.windowMs = headers.windowSec * 1000;
    if (entry) {
      // Without a known window there is nothing to count against.
      if (counted && this.windowMs !== undefined) entry.answeredAt = now;
      else this.counted.splice(this.counted.indexOf(entry), 1);
    }
    if (!headers) return;
    if (headers.remaining !== undefined && (!this.reported || ticket.seq >= this.reported.seq)) {
      this.reported = { remaining: headers.remaining, seq: ticket.seq };
    }
  }

  /** Nobody sends before `until` (CAR said how long to wait). */
  blockUntil(until: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, until);
  }

  private forgetExpired(now: number, windowMs: number): void {
    for (let i = this.counted.length - 1; i >= 0; i--) {
      const answeredAt = this.counted[i]!.answeredAt;
      if (answeredAt !== undefined && answeredAt + windowMs + EXPIRY_MARGIN_MS <= now) this.counted.splice(i, 1);
    }
  }
}
