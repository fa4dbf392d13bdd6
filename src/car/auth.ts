import { CarError } from './errors.js';
import { TransportError, type CarTransport } from './http.js';
import { carMessage } from './response.js';
import { backoffMs, type Sleep, untilAborted } from './wait.js';

/** Qualys tokens live 4 hours; there is no refresh call, only a new /auth. */
export const TOKEN_LIFETIME_MS = 4 * 60 * 60 * 1000;
const RENEW_EARLY_MS = 5 * 60 * 1000;
const AUTH_ATTEMPTS = 3;

/** The `exp` claim of a JWT in epoch milliseconds, when the token is a JWT carrying one. */
export function jwtExpiresAt(token: string): number | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const exp = (claims as { exp?: unknown } | null)?.exp;
    return typeof exp === 'number' && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** The /auth body; URLSearchParams form-encodes `&`, `+`, `%` and `=` in passwords. */
export function authForm(username: string, password: string): string {
  return new URLSearchParams({ username, password, token: 'true' }).toString();
}

function bearerValue(token: string): string {
  return token.replace(/^\s*bearer\s+/i, '').trim();
}

export interface TokenExchange {
  transport: CarTransport;
  username: string;
  password: string;
  sleep: Sleep;
  random: () => number;
  log: (message: string) => void;
  /** Counts every /auth request sent. */
  onRequest: () => void;
}

/** `POST /auth` with username and password: 201 and the bare JWT as text. Retries 5xx and network failures. */
export async function requestToken(exchange: TokenExchange): Promise<string> {
  const { transport } = exchange;
  for (let attempt = 1; ; attempt++) {
    let failure: string;
    try {
      exchange.onRequest();
      const answer = await transport.send({
        method: 'POST',
        path: '/auth',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: '*/*' },
        body: authForm(exchange.username, exchange.password),
      });
      const token = answer.text.trim();
      if (answer.status >= 200 && answer.status < 300 && token && !/\s/.test(token)) return token;
      if (answer.status === 401) throw new CarError('auth', 'CAR refused the username/password at /auth (HTTP 401)', 401);
      if (answer.status < 500) {
        throw new CarError('auth', `CAR's /auth answered HTTP ${answer.status} instead of a token: ${carMessage(answer.text)}`, answer.status);
      }
      failure = `HTTP ${answer.status}: ${carMessage(answer.text)}`;
    } catch (err) {
      if (!(err instanceof TransportError)) throw err;
      failure = `${err.message}${transport.route}`;
    }
    if (attempt >= AUTH_ATTEMPTS) {
      throw new CarError('auth', `could not get a token from CAR's /auth after ${attempt} attempts (${failure})`, undefined, { notSent: true });
    }
    const wait = backoffMs(attempt, exchange.random);
    exchange.log(`CAR /auth failed (${failure}); trying again in ${(wait / 1000).toFixed(1)} s`);
    await exchange.sleep(wait);
  }
}

interface Cached {
  token: string;
  renewAt: number;
}

/**
 * The bearer token for CAR calls: a given token as is (it cannot be renewed), or one obtained from
 * /auth on first use, kept until shortly before it expires. Concurrent callers share one /auth.
 */
export class TokenSource {
  private cached?: Cached;
  private pending?: Promise<Cached>;

  constructor(
    private readonly options: { token?: string; fetch?: () => Promise<string>; now: () => number },
  ) {
    if (options.token) this.cached = { token: bearerValue(options.token), renewAt: Number.POSITIVE_INFINITY };
  }

  get renewable(): boolean {
    return !this.options.token && this.options.fetch !== undefined;
  }

  async current(signal?: AbortSignal): Promise<string> {
    if (this.cached && (!this.renewable || this.options.now() < this.cached.renewAt)) return this.cached.token;
    return (await untilAborted(this.fetchShared(), signal)).token;
  }

  /** After a 401 with `stale`: a new token, unless another caller already replaced it. */
  async renew(stale: string, signal?: AbortSignal): Promise<string> {
    if (this.cached?.token === stale) this.cached = undefined;
    return this.current(signal);
  }

  private fetchShared(): Promise<Cached> {
    if (!this.pending) {
      const fetch = this.options.fetch;
      if (!fetch) return Promise.reject(new CarError('auth', 'no credentials for CAR: give a token, or a username and password'));
      this.pending = fetch()
        .then((raw) => {
          const token = bearerValue(raw);
          const now = this.options.now();
          const exp = jwtExpiresAt(token);
          const expiresAt = exp !== undefined && exp > now ? exp : now + TOKEN_LIFETIME_MS;
          const cached = { token, renewAt: expiresAt - Math.min(RENEW_EARLY_MS, (expiresAt - now) / 10) };
          this.cached = cached;
          return cached;
        })
        .finally(() => {
          this.pending = undefined;
        });
    }
    return this.pending;
  }
}
