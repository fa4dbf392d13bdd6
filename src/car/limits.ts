import type { ResponseHeaders } from './http.js';

/** CAR's rate and concurrency headers, as numbers; absent or unreadable ones stay undefined. */
export interface LimitHeaders {
  limit?: number;
  windowSec?: number;
  remaining?: number;
  toWaitSec?: number;
  /** `Retry-After` (seconds or an HTTP date), as milliseconds from the answer. */
  retryAfterMs?: number;
  concurrencyLimit?: number;
  concurrencyRunning?: number;
}

function header(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function number(headers: ResponseHeaders, name: string): number | undefined {
  const text = header(headers, name)?.trim();
  if (!text || !/^\d+(\.\d+)?$/.test(text)) return undefined;
  return Number(text);
}

function retryAfterMs(headers: ResponseHeaders, now: number): number | undefined {
  const text = header(headers, 'retry-after')?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Header names as undici gives them: lower case. */
export function readLimitHeaders(headers: ResponseHeaders, now: number): LimitHeaders {
  return {
    limit: number(headers, 'x-ratelimit-limit'),
    windowSec: number(headers, 'x-ratelimit-window-sec'),
    remaining: number(headers, 'x-ratelimit-remaining'),
    toWaitSec: number(headers, 'x-ratelimit-towait-sec'),
    retryAfterMs: retryAfterMs(headers, now),
    concurrencyLimit: number(headers, 'x-concurrency-limit-limit'),
    concurrencyRunning: number(headers, 'x-concurrency-limit-running'),
  };
}

/** Whether a 409/429 says anything about limits at all; a bare 409 may be a real conflict. */
export function speaksOfLimits(h: LimitHeaders): boolean {
  return Object.values(h).some((value) => value !== undefined);
}

/** A 409 caused by too many calls at once rather than too many in the window. */
export function isConcurrencyBlock(h: LimitHeaders): boolean {
  return h.concurrencyLimit !== undefined && h.concurrencyRunning !== undefined && h.concurrencyRunning >= h.concurrencyLimit;
}

// Answers rounded down to whole seconds would otherwise bring the call back a hair too early.
const WAIT_MARGIN_MS = 100;
const FALLBACK_WAIT_MS = 3_000;

/**
 * How long to wait before sending again after a 409/429: CAR's `X-RateLimit-ToWait-Sec`, else
 * `Retry-After`, else a few jittered seconds.
 */
export function rateLimitWaitMs(h: LimitHeaders, random: () => number): number {
  if (h.toWaitSec !== undefined && h.toWaitSec > 0) return h.toWaitSec * 1000 + WAIT_MARGIN_MS;
  if (h.retryAfterMs !== undefined) return h.retryAfterMs + WAIT_MARGIN_MS;
  return FALLBACK_WAIT_MS * (1 + random());
}

/** A call turned away for concurrency waits for a slot to free, which takes about one call's time. */
export function concurrencyWaitMs(h: LimitHeaders, random: () => number): number {
  if (h.toWaitSec !== undefined && h.toWaitSec > 0) return h.toWaitSec * 1000;
  return 250 + 500 * random();
}
