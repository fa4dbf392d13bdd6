import { randomInt } from 'node:crypto';
import type { ScopedUser } from './script-store.js';
import type { EmulatorOptions, EmulatorUser } from './types.js';

/** Stands for "no limit" while still announcing a limit in the headers, as CAR always does. */
export const UNLIMITED_CALLS = { calls: 1_000_000, windowSec: 3600 };
export const UNLIMITED_CONCURRENCY = 1000;

export const DEFAULT_USER: Readonly<EmulatorUser> = { username: 'demo', password: 'demo' };

/** EmulatorOptions with every default filled in and every value checked. */
export interface EmulatorSettings {
  port: number;
  latencyMs: number;
  rateLimit: { calls: number; windowSec: number };
  rateLimitStatus: 409 | 429;
  concurrencyLimit: number;
  failRate: number;
  lostAnswerRate: number;
  seed: number;
  users: ScopedUser[];
  /** Static token -> username. */
  tokens: Map<string, string>;
  tokenTtlSec: number;
  firstId: number;
  maxScripts: number;
  existingScripts: { id: number; body: Record<string, unknown> }[];
}

function wholeNumber(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) throw new Error(`emulator option ${name} must be a whole number >= ${min}, got ${value}`);
  return value;
}

function fraction(name: string, value: number | undefined): number {
  if (value === undefined) return 0;
  if (!(value >= 0 && value <= 1)) throw new Error(`emulator option ${name} must be between 0 and 1, got ${value}`);
  return value;
}

function scopedUsers(users: EmulatorOptions['users']): ScopedUser[] {
  const list: readonly EmulatorUser[] = users && users.length > 0 ? users : [DEFAULT_USER];
  const seen = new Set<string>();
  return list.map((user) => {
    if (!user.username) throw new Error('emulator users need a non-empty username');
    if (seen.has(user.username)) throw new Error(`emulator user "${user.username}" is configured twice`);
    seen.add(user.username);
    const scopes = user.scopes ? [...user.scopes] : undefined;
    const scoped: ScopedUser = { username: user.username, password: user.password };
    if (scopes) scoped.scopes = scopes;
    const tag = user.tag ?? scopes?.[0];
    if (tag !== undefined) scoped.tag = tag;
    return scoped;
  });
}

export function resolveSettings(options: EmulatorOptions = {}): EmulatorSettings {
  const rateLimit = options.rateLimit ?? UNLIMITED_CALLS;
  const users = scopedUsers(options.users);
  const firstUser = (users[0] as ScopedUser).username;
  const status = options.rateLimitStatus ?? 409;
  if (status !== 409 && status !== 429) throw new Error(`emulator option rateLimitStatus must be 409 or 429, got ${String(status)}`);
  return {
    port: wholeNumber('port', options.port, 0, 0),
    latencyMs: wholeNumber('latencyMs', options.latencyMs, 0, 0),
    rateLimit: {
      calls: wholeNumber('rateLimit.calls', rateLimit.calls, 0, 1),
      windowSec: wholeNumber('rateLimit.windowSec', rateLimit.windowSec, 0, 1),
    },
    rateLimitStatus: status,
    concurrencyLimit: wholeNumber('concurrencyLimit', options.concurrencyLimit, UNLIMITED_CONCURRENCY, 1),
    failRate: fraction('failRate', options.failRate),
    lostAnswerRate: fraction('lostAnswerRate', options.lostAnswerRate),
    seed: options.seed ?? randomInt(2 ** 31),
    users,
    tokens: new Map((options.tokens ?? []).map((token) => [token, firstUser])),
    tokenTtlSec: wholeNumber('tokenTtlSec', options.tokenTtlSec, 4 * 3600, 0),
    firstId: wholeNumber('firstId', options.firstId, 100_000, 1),
    maxScripts: wholeNumber('maxScripts', options.maxScripts, 5000, 0),
    existingScripts: (options.existingScripts ?? []).map((script) => ({
      id: wholeNumber('existingScripts[].id', script.id, 0, 1),
      body: script.body,
    })),
  };
}
