import path from 'node:path';
import { CAR_PLATFORMS, normalizeBaseUrl } from './car/platforms.js';

/** How car-sync reaches CAR. */
export interface CarSettings {
  /** Gateway base URL, no trailing slash: from the platform table or given as is. */
  baseUrl: string;
  /** A JWT used as is. */
  token?: string;
  /** Exchanged for a JWT at `POST {baseUrl}/auth` when no token is given. */
  username?: string;
  password?: string;
  /** Per-call timeout. */
  timeoutMs: number;
}

/** Everything a run needs to know, built the same way from CLI flags, env and action inputs. */
export interface Config {
  /** Absolute repository root. */
  root: string;
  /** Folder of scripts, relative to the root, `/` separated. */
  scriptsDir: string;
  /** State file, relative to the root, `/` separated. */
  stateFile: string;
  /** Absent when no platform or base URL is set: only validate and plan can run. */
  car?: CarSettings;
  /** Most CAR calls in flight at once; CAR's own concurrency limit may lower it. */
  concurrency: number;
  /** Stop after this many write calls; the rest is left for the next run. */
  maxWrites?: number;
  /** Update every managed script even when unchanged, to overwrite edits made in the CAR console. */
  force: boolean;
}

/**
 * Raw option values keyed by their canonical names (the action's input names, the CLI's long flags).
 * Both faces fill this and call `resolveConfig`, so a rule about an option exists once.
 */
export interface RawOptions {
  root?: string;
  'scripts-dir'?: string;
  'state-file'?: string;
  platform?: string;
  'base-url'?: string;
  token?: string;
  username?: string;
  password?: string;
  concurrency?: string;
  'max-writes'?: string;
  force?: string;
  timeout?: string;
}

export type OptionName = keyof RawOptions;

/** Environment variables that stand for options when neither flag nor input is given. */
export const OPTION_ENV: Partial<Record<OptionName, string>> = {
  platform: 'CAR_PLATFORM',
  'base-url': 'CAR_BASE_URL',
  token: 'CAR_TOKEN',
  username: 'CAR_USERNAME',
  password: 'CAR_PASSWORD',
  concurrency: 'CAR_CONCURRENCY',
};

/** A bad option value; `option` is the canonical name (input name, long flag without dashes). */
export class ConfigError extends Error {
  constructor(
    readonly option: string,
    readonly problem: string,
  ) {
    super(`${option}: ${problem}`);
    this.name = 'ConfigError';
  }
}

function relativeInsideRoot(option: OptionName, value: string, root: string): string {
  const absolute = path.resolve(root, value);
  const relative = path.relative(root, absolute);
  if (relative === '' && option === 'state-file') throw new ConfigError(option, 'must name a file, not the repository root');
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new ConfigError(option, `"${value}" is outside the repository root ${root}`);
  }
  return relative.split(path.sep).join('/');
}

function positiveInteger(option: OptionName, value: string | undefined, fallback: number | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return fallback;
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new ConfigError(option, `"${value}" is not accepted; expected a whole number of 1 or more`);
  }
  return Number(value);
}

export function parseBoolean(option: string, value: string | undefined): boolean {
  if (value === undefined || value.trim() === '') return false;
  const normalized = value.trim().toLowerCase();
  if (normalized === 'true') return true;
  if (normalized === 'false') return false;
  throw new ConfigError(option, `"${value}" is not accepted; expected true or false`);
}

function resolveCar(raw: RawOptions, timeoutMs: number): CarSettings | undefined {
  const platform = raw.platform?.trim();
  const baseUrlOption = raw['base-url']?.trim();
  if (!platform && !baseUrlOption) return undefined;
  let baseUrl: string;
  if (baseUrlOption) {
    try {
      baseUrl = normalizeBaseUrl(baseUrlOption);
    } catch (err) {
      throw new ConfigError('base-url', (err as Error).message);
    }
  } else {
    const gateway = CAR_PLATFORMS[platform!.toUpperCase()];
    if (!gateway) {
      throw new ConfigError('platform', `"${platform}" is not a Qualys platform; expected one of ${Object.keys(CAR_PLATFORMS).join(', ')}, or set base-url`);
    }
    baseUrl = gateway;
  }
  const token = raw.token?.trim() || undefined;
  const username = raw.username?.trim() || undefined;
  const password = raw.password || undefined;
  if (!token && (username === undefined) !== (password === undefined)) {
    throw new ConfigError(username ? 'password' : 'username', 'username and password go together');
  }
  return { baseUrl, token, username, password, timeoutMs };
}

/** Fills unset options from the environment (CAR_PLATFORM ...). */
export function withEnvironment(raw: RawOptions, env: NodeJS.ProcessEnv): RawOptions {
  const merged: RawOptions = { ...raw };
  for (const [option, variable] of Object.entries(OPTION_ENV) as [OptionName, string][]) {
    if ((merged[option] === undefined || merged[option] === '') && env[variable]) merged[option] = env[variable];
  }
  return merged;
}

export function resolveConfig(raw: RawOptions, cwd: string): Config {
  const root = path.resolve(cwd, raw.root?.trim() || '.');
  const timeoutSeconds = positiveInteger('timeout', raw.timeout, 60)!;
  return {
    root,
    scriptsDir: relativeInsideRoot('scripts-dir', raw['scripts-dir']?.trim() || 'scripts', root),
    stateFile: relativeInsideRoot('state-file', raw['state-file']?.trim() || '.car/state.json', root),
    car: resolveCar(raw, timeoutSeconds * 1000),
    concurrency: positiveInteger('concurrency', raw.concurrency, 2)!,
    maxWrites: positiveInteger('max-writes', raw['max-writes'], undefined),
    force: parseBoolean('force', raw.force),
  };
}

/** Apply needs credentials; plan and validate do not. */
export function requireCar(config: Config): CarSettings {
  if (!config.car) throw new ConfigError('platform', 'apply needs a Qualys platform (US1 ... KSA1) or a base-url');
  if (!config.car.token && !config.car.username) {
    throw new ConfigError('token', 'apply needs credentials: a token, or a username and password');
  }
  return config.car;
}
