import { setTimeout as delay } from 'node:timers/promises';
import { CarError } from './errors.js';

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

const cancelled = () => new CarError('aborted', 'the call was cancelled before it was sent', undefined, { notSent: true });

/** Real time; rejects with a not-sent `aborted` CarError when the signal fires. */
export const realSleep: Sleep = async (ms, signal) => {
  try {
    await delay(ms, undefined, { signal });
  } catch (err) {
    if (signal?.aborted) throw cancelled();
    throw err;
  }
};

/** Waits for a promise shared with other callers, giving up (for this caller only) on abort. */
export function untilAborted<T>(shared: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return shared;
  if (signal.aborted) return Promise.reject(cancelled());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(cancelled());
    signal.addEventListener('abort', onAbort, { once: true });
    shared.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Jittered exponential backoff before retry number `retry` (1, 2 ...): about 0.5 s, 1 s, 2 s ... */
export function backoffMs(retry: number, random: () => number): number {
  return 500 * 2 ** (retry - 1) * (0.5 + random());
}
