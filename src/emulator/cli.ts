import { randomInt } from 'node:crypto';
import { DEFAULT_USER } from './settings.js';
import { startEmulator } from './start-emulator.js';
import type { EmulatorOptions, EmulatorUser } from './types.js';

/**
 * Flags of `car-sync emulator`, by long name without dashes. Several users: repeat `--user` and pass the
 * values joined with newlines.
 */
export type EmulatorArgName =
  | 'port'
  | 'latency'
  | 'rate-limit'
  | 'rate-limit-status'
  | 'concurrency-limit'
  | 'fail-rate'
  | 'lost-answer-rate'
  | 'seed'
  | 'user'
  | 'accept-token'
  | 'token-ttl'
  | 'first-id'
  | 'max-scripts';

function wholeNumber(flag: string, value: string, min: number): number {
  const number = /^\d+$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!Number.isSafeInteger(number) || number < min) throw new Error(`--${flag}: expected a whole number >= ${min}, got "${value}".`);
  return number;
}

function fraction(flag: string, value: string): number {
  const number = /^(?:0|1|0?\.\d+|1\.0*)$/.test(value.trim()) ? Number(value.trim()) : NaN;
  if (!(number >= 0 && number <= 1)) throw new Error(`--${flag}: expected a fraction from 0 to 1 such as 0.1, got "${value}".`);
  return number;
}

function rateLimit(value: string): { calls: number; windowSec: number } {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(value);
  if (!match) throw new Error(`--rate-limit: expected CALLS/SECONDS such as 20/5 (20 calls per 5 seconds), got "${value}".`);
  return { calls: wholeNumber('rate-limit', match[1] as string, 1), windowSec: wholeNumber('rate-limit', match[2] as string, 1) };
}

/**
 * `NAME:PASSWORD[:SCOPE1,SCOPE2]`. The part after the last colon is the scope list, so a password
 * containing ":" needs a trailing colon (`ops:pa:ss:` is user ops, password `pa:ss`, no scope).
 */
export function parseEmulatorUser(spec: string): EmulatorUser {
  const nameEnd = spec.indexOf(':');
  const username = nameEnd > 0 ? spec.slice(0, nameEnd) : '';
  const rest = spec.slice(nameEnd + 1);
  const scopeStart = rest.lastIndexOf(':');
  const password = scopeStart >= 0 ? rest.slice(0, scopeStart) : rest;
  if (!username || !password) throw new Error('--user: expected NAME:PASSWORD or NAME:PASSWORD:SCOPE1,SCOPE2 (password not shown).');
  const user: EmulatorUser = { username, password };
  const scopes = scopeStart >= 0 ? rest.slice(scopeStart + 1).split(',').map((scope) => scope.trim()).filter(Boolean) : [];
  if (scopes.length > 0) user.scopes = scopes;
  return user;
}

/** Keys other than the emulator's flags are ignored, so the CLI can pass all it parsed. */
export function emulatorOptionsFromArgs(args: Record<string, string | undefined>): EmulatorOptions {
  const options: EmulatorOptions = {};
  const value = (name: EmulatorArgName) => args[name];
  let text: string | undefined;
  if ((text = value('port')) !== undefined) options.port = wholeNumber('port', text, 0);
  if (options.port !== undefined && options.port > 65535) throw new Error(`--port: expected 0 to 65535, got "${text}".`);
  if ((text = value('latency')) !== undefined) options.latencyMs = wholeNumber('latency', text, 0);
  if ((text = value('rate-limit')) !== undefined) options.rateLimit = rateLimit(text);
  if ((text = value('rate-limit-status')) !== undefined) {
    if (text.trim() !== '409' && text.trim() !== '429') throw new Error(`--rate-limit-status: expected 409 or 429, got "${text}".`);
    options.rateLimitStatus = text.trim() === '409' ? 409 : 429;
  }
  if ((text = value('concurrency-limit')) !== undefined) options.concurrencyLimit = wholeNumber('concurrency-limit', text, 1);
  if ((text = value('fail-rate')) !== undefined) options.failRate = fraction('fail-rate', text);
  if ((text = value('lost-answer-rate')) !== undefined) options.lostAnswerRate = fraction('lost-answer-rate', text);
  if ((text = value('seed')) !== undefined) options.seed = wholeNumber('seed', text, 0);
  if ((text = value('user')) !== undefined) options.users = text.split('\n').filter((line) => line !== '').map(parseEmulatorUser);
  if ((text = value('accept-token')) !== undefined) options.tokens = text.split(',').map((token) => token.trim()).filter(Boolean);
  if ((text = value('token-ttl')) !== undefined) options.tokenTtlSec = wholeNumber('token-ttl', text, 0);
  if ((text = value('first-id')) !== undefined) options.firstId = wholeNumber('first-id', text, 1);
  if ((text = value('max-scripts')) !== undefined) options.maxScripts = wholeNumber('max-scripts', text, 0);
  return options;
}

function waitForStop(signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (signal?.aborted) stop();
    else signal?.addEventListener('abort', stop);
  });
}

function describeLimits(options: EmulatorOptions): string[] {
  const lines: string[] = [];
  if (options.rateLimit) lines.push(`rate limit ${options.rateLimit.calls} calls per ${options.rateLimit.windowSec} s (answered ${options.rateLimitStatus ?? 409})`);
  if (options.concurrencyLimit) lines.push(`at most ${options.concurrencyLimit} calls at once`);
  if (options.latencyMs) lines.push(`${options.latencyMs} ms latency`);
  if (options.existingScripts?.length) lines.push(`holding ${options.existingScripts.length} existing script(s): ids ${options.existingScripts.map((s) => s.id).join(', ')}`);
  if (options.failRate) lines.push(`${options.failRate * 100}% of writes answered 500`);
  if (options.lostAnswerRate) lines.push(`${options.lostAnswerRate * 100}% of writes stored with the answer lost`);
  if (options.failRate || options.lostAnswerRate) lines.push(`fault seed ${options.seed} (pass --seed ${options.seed} to replay)`);
  return lines;
}

/**
 * `car-sync emulator`: serves until SIGINT/SIGTERM (or `stop.signal`), then closes. Prints the demo
 * credentials only for the built-in demo user; configured users' passwords are never printed.
 */
export async function runEmulatorCli(options: EmulatorOptions, log: (line: string) => void, stop: { signal?: AbortSignal } = {}): Promise<void> {
  const effective: EmulatorOptions = { ...options };
  if ((options.failRate || options.lostAnswerRate) && options.seed === undefined) effective.seed = randomInt(2 ** 31);
  const emulator = await startEmulator(effective);
  const custom = options.users && options.users.length > 0;
  log(`CAR emulator listening on ${emulator.url}`);
  if (custom) {
    for (const user of options.users ?? []) log(`  user ${user.username}${user.scopes ? ` (tag scopes: ${user.scopes.join(', ')})` : ''}`);
    log(`  try: CAR_BASE_URL=${emulator.url} CAR_USERNAME=<name> CAR_PASSWORD=<password> car-sync apply`);
  } else {
    log(`  demo credentials: username ${DEFAULT_USER.username}, password ${DEFAULT_USER.password}`);
    log(`  try: CAR_BASE_URL=${emulator.url} CAR_USERNAME=${DEFAULT_USER.username} CAR_PASSWORD=${DEFAULT_USER.password} car-sync apply`);
  }
  for (const line of describeLimits(effective)) log(`  ${line}`);
  log(`  inspect: GET ${emulator.url}/__emulator/scripts, GET ${emulator.url}/__emulator/requests, POST ${emulator.url}/__emulator/reset`);
  log('Press Ctrl+C to stop.');
  await waitForStop(stop.signal);
  await emulator.close();
  log('CAR emulator stopped.');
}
