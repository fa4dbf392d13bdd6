import { describe, expect, it } from 'vitest';
import { concurrencyWaitMs, isConcurrencyBlock, rateLimitWaitMs, readLimitHeaders, speaksOfLimits, type LimitHeaders } from '../../src/car/limits.js';
import { Pacer, type PacerTicket } from '../../src/car/pacer.js';

const limits = (limit: number, windowSec: number, remaining: number): LimitHeaders => ({ limit, windowSec, remaining });

describe('readLimitHeaders', () => {
  it('reads CAR\'s headers as numbers and ignores garbage', () => {
    const now = Date.parse('2025-05-12T10:00:00Z');
    const h = readLimitHeaders(
      {
        'x-ratelimit-limit': '300',
        'x-ratelimit-window-sec': '3600',
        'x-ratelimit-remaining': '12',
        'x-ratelimit-towait-sec': 'soon',
        'retry-after': 'Mon, 12 May 2025 10:00:30 GMT',
        'x-concurrency-limit-limit': '2',
        'x-concurrency-limit-running': ['2', '3'],
      },
      now,
    );
    expect(h).toEqual({ limit: 300, windowSec: 3600, remaining: 12, toWaitSec: undefined, retryAfterMs: 30_000, concurrencyLimit: 2, concurrencyRunning: 2 });
    expect(isConcurrencyBlock(h)).toBe(true);
    expect(speaksOfLimits(readLimitHeaders({ 'content-type': 'application/json' }, now))).toBe(false);
  });

  it('prefers X-RateLimit-ToWait-Sec, then Retry-After, then a jittered fallback', () => {
    expect(rateLimitWaitMs({ toWaitSec: 2, retryAfterMs: 9000 }, () => 0)).toBe(2100);
    expect(rateLimitWaitMs({ toWaitSec: 0, retryAfterMs: 9000 }, () => 0)).toBe(9100);
    expect(rateLimitWaitMs({}, () => 0)).toBe(3000);
    expect(rateLimitWaitMs({}, () => 0.99)).toBeGreaterThan(5900);
    expect(concurrencyWaitMs({}, () => 0)).toBe(250);
  });
});

describe('Pacer decisions', () => {
  it('lets calls go at once while the window has room', () => {
    const pacer = new Pacer();
    for (let i = 0; i < 5; i++) {
      expect(pacer.delayMs(1000 + i)).toBe(0);
      pacer.answered(pacer.sent(1000 + i), limits(10, 60, 9 - i), 1000 + i, true);
    }
  });

  it('waits until the oldest call leaves the window once Limit calls are in it', () => {
    const pacer = new Pacer();
    const answered = [0, 100, 200];
    for (const t of answered) pacer.answered(pacer.sent(t), limits(3, 10, 2), t + 10, true);
    // The first call's answer came at 10: it counts until 10 + 10 s (+ a small margin).
    const delay = pacer.delayMs(500);
    expect(delay).toBeGreaterThanOrEqual(10_010 - 500);
    expect(delay).toBeLessThan(10_010 - 500 + 200);
    expect(pacer.delayMs(10_200)).toBe(0);
  });

  it('counts a call still in flight for a whole window from now', () => {
    const pacer = new Pacer();
    pacer.answered(pacer.sent(0), limits(2, 10, 1), 5, true);
    pacer.sent(10); // in flight
    expect(pacer.delayMs(20)).toBeGreaterThanOrEqual(9_985);
  });

  it('does not count calls CAR turned away', () => {
    const pacer = new Pacer();
    pacer.answered(pacer.sent(0), limits(2, 10, 1), 5, true);
    pacer.answered(pacer.sent(6), { limit: 2, windowSec: 10, remaining: 1 }, 8, false);
    expect(pacer.delayMs(9)).toBe(0);
  });

  it('spaces calls at Window/Limit when CAR reports nothing left that our own count does not explain', () => {
    const pacer = new Pacer();
    // Another client used the window: our first call is told only 0 are left.
    pacer.answered(pacer.sent(0), limits(20, 5, 0), 10, true);
    expect(pacer.delayMs(10)).toBe(250 - 10);
    // CAR reports room again: full speed.
    pacer.answered(pacer.sent(250), limits(20, 5, 7), 260, true);
    expect(pacer.delayMs(260)).toBe(0);
  });

  it('obeys a block set after a 409 for every caller', () => {
    const pacer = new Pacer();
    pacer.blockUntil(5000);
    expect(pacer.delayMs(1000)).toBe(4000);
    expect(pacer.delayMs(5000)).toBe(0);
  });

  it('knows nothing and holds nothing back before CAR sent any limit', () => {
    const pacer = new Pacer();
    for (let i = 0; i < 100; i++) pacer.answered(pacer.sent(i), undefined, i, true);
    expect(pacer.delayMs(100)).toBe(0);
  });
});

/**
 * A discrete-event run of a sync against a simulated CAR: `calls` calls by `workers` parallel
 * workers, `latencyMs` per round trip, CAR allowing `limit` per `windowSec` (rolling or fixed).
 */
function simulate(options: { calls: number; workers: number; latencyMs: number; limit: number; windowSec: number; window: 'rolling' | 'fixed' }) {
  const { calls, workers, latencyMs, limit, windowSec } = options;
  const windowMs = windowSec * 1000;
  const pacer = new Pacer();
  const accepted: number[] = [];
  const blockedAt: number[] = [];
  let started = 0;
  let done = 0;
  type Event = { at: number; worker: number; answer?: { ticket: PacerTicket; ok: boolean; headers: LimitHeaders } };
  const events: Event[] = Array.from({ length: workers }, (_, worker) => ({ at: 0, worker }));
  let pending: number[] = []; // calls sent again after a 409, per worker
  pending = Array.from({ length: workers }, () => 0);
  let end = 0;
  while (events.length > 0) {
    events.sort((a, b) => a.at - b.at);
    const event = events.shift()!;
    const now = event.at;
    if (event.answer) {
      pacer.answered(event.answer.ticket, event.answer.headers, now, event.answer.ok);
      if (event.answer.ok) {
        done += 1;
        end = now;
      } else {
        pending[event.worker]! += 1;
        pacer.blockUntil(now + (event.answer.headers.toWaitSec ?? 1) * 1000 + 100);
      }
      events.push({ at: now, worker: event.worker });
      continue;
    }
    if (pending[event.worker] === 0) {
      if (started >= calls) continue;
      started += 1;
    } else {
      pending[event.worker]! -= 1;
    }
    const delay = pacer.delayMs(now);
    if (delay > 0) {
      // Not sent yet: give the call back and try again after the delay.
      pending[event.worker]! += 1;
      events.push({ at: now + delay, worker: event.worker });
      continue;
    }
    const ticket = pacer.sent(now);
    const arrival = now + latencyMs / 2;
    const inWindow =
      options.window === 'rolling'
        ? accepted.filter((t) => t > arrival - windowMs)
        : accepted.filter((t) => Math.floor(t / windowMs) === Math.floor(arrival / windowMs));
    const ok = inWindow.length < limit;
    let toWaitSec = 0;
    if (ok) accepted.push(arrival);
    else {
      blockedAt.push(arrival);
      const freeAt = options.window === 'rolling' ? inWindow[0]! + windowMs : (Math.floor(arrival / windowMs) + 1) * windowMs;
      toWaitSec = Math.ceil((freeAt - arrival) / 1000);
    }
    const headers = { limit, windowSec, remaining: Math.max(0, limit - inWindow.length - (ok ? 1 : 0)), toWaitSec };
    events.push({ at: now + latencyMs, worker: event.worker, answer: { ticket, ok, headers } });
  }
  return { done, durationMs: end, blockedAt };
}

describe('pacing a long sync (simulated time)', () => {
  for (const window of ['rolling', 'fixed'] as const) {
    it(`300 calls under 20 per 5 s (${window} window) take at most 1.1 x calls/rate with at most one 409 per window after the first`, () => {
      const run = simulate({ calls: 300, workers: 2, latencyMs: 40, limit: 20, windowSec: 5, window });
      expect(run.done).toBe(300);
      const ideal = (300 / 20) * 5000;
      expect(run.durationMs).toBeLessThanOrEqual(ideal * 1.1);
      const perWindow = new Map<number, number>();
      for (const at of run.blockedAt.filter((t) => t >= 5000)) perWindow.set(Math.floor(at / 5000), (perWindow.get(Math.floor(at / 5000)) ?? 0) + 1);
      expect(Math.max(0, ...perWindow.values())).toBeLessThanOrEqual(1);
    });
  }

  it('a slow gateway (latency close to the spacing) still finishes within the bound', () => {
    const run = simulate({ calls: 120, workers: 2, latencyMs: 400, limit: 20, windowSec: 5, window: 'rolling' });
    expect(run.done).toBe(120);
    expect(run.durationMs).toBeLessThanOrEqual((120 / 20) * 5000 * 1.1);
    expect(run.blockedAt.filter((t) => t >= 5000)).toHaveLength(0);
  });
});
