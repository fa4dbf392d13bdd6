import type { CarSettings } from '../config.js';
import { requestToken, TokenSource } from './auth.js';
import { CallSlots } from './call-slots.js';
import type { CarClient } from './client-types.js';
import { CarError } from './errors.js';
import { CarTransport, TransportError, type HttpAnswer } from './http.js';
import { concurrencyWaitMs, isConcurrencyBlock, rateLimitWaitMs, readLimitHeaders, speaksOfLimits } from './limits.js';
import { Pacer } from './pacer.js';
import type { CarScriptBody, CarScriptUpdateBody } from './payload.js';
import { normalizeBaseUrl } from './platforms.js';
import { Redactor } from './redactor.js';
import { carMessage, createdId, envelopeError, parseJsonObject } from './response.js';
import { backoffMs, realSleep, type Sleep } from './wait.js';

export interface CarClientOptions {
  settings: CarSettings;
  /** Upper bound on calls in flight; CAR's `X-Concurrency-Limit-Limit` may lower it. */
  concurrency: number;
  /** Progress lines (waits for rate limits, retries); never carries a secret. */
  log?: (message: string) => void;
  /** Where HTTPS_PROXY / NO_PROXY are read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Waits for rate limits and backoff; tests hand in one that advances a fake clock. */
  sleep?: Sleep;
  /** The clock the pacer and token expiry use; default `Date.now`. */
  now?: () => number;
  /** Jitter source for backoff; default `Math.random`. */
  random?: () => number;
  /** Longest a single call waits on rate limits before giving up unsent; default 15 minutes. */
  rateLimitMaxWaitMs?: number;
}

export interface CarClientStats {
  /** Every HTTP request sent, /auth included. */
  requests: number;
  authRequests: number;
  /** 409/429 answers received. */
  rateLimited: number;
  /** Requests sent again (rate limit, renewed token, transient failure of an update). */
  retries: number;
  /** The most script calls that were in flight at once. */
  maxInFlight: number;
}

const ACCEPT_CREATE = 'application/vnd.qualys.car.api.v5.0+json';
const ACCEPT_UPDATE = 'application/vnd.qualys.car.api.v4.0+json';
/** An update (idempotent) is tried this often on 5xx or a network failure. */
const UPDATE_ATTEMPTS = 3;
/** A request that provably never left (refused connection) is tried this often, creates included. */
const UNSENT_ATTEMPTS = 3;
const RATE_LIMIT_RETRIES = 10;
/** A 409 without any limit header may be a real conflict; it gets a couple of chances only. */
const BARE_CONFLICT_RETRIES = 2;
const CONCURRENCY_RETRIES = 20;
const DEFAULT_MAX_WAIT_MS = 15 * 60 * 1000;
const LOG_WAITS_FROM_MS = 1000;

interface CallSpec {
  /** Only idempotent calls are sent again after an answer that does not prove them unprocessed. */
  idempotent: boolean;
  method: 'POST' | 'PATCH';
  path: string;
  accept: string;
  body: string;
  /** "the create", "the update of script 100010": for messages. */
  what: string;
  signal?: AbortSignal;
}

function seconds(ms: number): string {
  return ms >= 60_000 ? `${Math.ceil(ms / 60_000)} min` : `${(ms / 1000).toFixed(1)} s`;
}

function outcomeUnknown(spec: CallSpec): string {
  return spec.idempotent ? 'the change may or may not have been applied' : 'the script may or may not have been created';
}

function locationHost(answer: HttpAnswer): string {
  const location = answer.headers.location;
  const value = Array.isArray(location) ? location[0] : location;
  if (!value) return 'an unnamed location';
  try {
    return new URL(value, 'https://gateway.invalid').host;
  } catch {
    return 'an unreadable location';
  }
}

/** The CAR script API over HTTP: see car-api.md for every rule this follows. */
export class CarHttpClient implements CarClient {
  private readonly transport: CarTransport;
  private readonly tokens: TokenSource;
  private readonly slots: CallSlots;
  private readonly pacer = new Pacer();
  private readonly redactor = new Redactor();
  private readonly sleep: Sleep;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly maxWaitMs: number;
  private readonly log: (message: string) => void;
  private readonly counters = { requests: 0, authRequests: 0, rateLimited: 0, retries: 0 };
  private closed = false;

  constructor(options: CarClientOptions) {
    const { settings } = options;
    this.redactor.add(settings.token, settings.password);
    const baseUrl = normalizeBaseUrl(settings.baseUrl);
    if (!settings.token && !(settings.username && settings.password !== undefined)) {
      throw new Error('CAR needs credentials: a token, or a username and password');
    }
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
      throw new Error(`concurrency must be a whole number of 1 or more, not ${options.concurrency}`);
    }
    if (!(settings.timeoutMs > 0)) throw new Error(`the CAR timeout must be positive, not ${settings.timeoutMs} ms`);
    const env = options.env ?? process.env;
    this.redactor.addProxyCredentials(env);
    const userLog = options.log ?? (() => {});
    this.log = (message) => userLog(this.redactor.clean(message));
    const sleep = options.sleep ?? realSleep;
    this.sleep = async (ms, signal) => {
      try {
        await sleep(ms, signal);
      } catch (err) {
        if (signal?.aborted) throw new CarError('aborted', 'the call was cancelled before it was sent', undefined, { notSent: true });
        throw err;
      }
    };
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.maxWaitMs = options.rateLimitMaxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    this.transport = new CarTransport(baseUrl, settings.timeoutMs, env);
    this.slots = new CallSlots(options.concurrency);
    const { username, password } = settings;
    this.tokens = new TokenSource({
      token: settings.token,
      now: this.now,
      fetch:
        username && password !== undefined
          ? async () => {
              this.log(`requesting a CAR token at /auth${this.transport.route}`);
              const token = await requestToken({
                transport: this.transport,
                username,
                password,
                sleep: this.sleep,
                random: this.random,
                log: this.log,
                onRequest: () => {
                  this.counters.requests += 1;
                  this.counters.authRequests += 1;
                },
              });
              this.redactor.add(token);
              return token;
            }
          : undefined,
    });
  }

  async createScript(body: CarScriptBody, signal?: AbortSignal): Promise<number> {
    const what = 'the create';
    const answer = await this.guarded(() =>
      this.call({ idempotent: false, method: 'POST', path: '/sm/v5/script', accept: ACCEPT_CREATE, body: JSON.stringify(body), what, signal }),
    );
    const json = parseJsonObject(answer.text);
    const refusal = envelopeError(json);
    const id = createdId(json);
    // An id means the script exists whatever else the envelope says; calling that a refusal could
    // lead to a second create.
    if (id !== undefined) {
      if (refusal) this.log(`CAR created script ${id} but reported: ${refusal}`);
      return id;
    }
    if (refusal) throw this.error('rejected', `CAR rejected ${what} (HTTP ${answer.status}): ${refusal}`, answer.status);
    throw this.error(
      'unknown-outcome',
      `CAR answered HTTP ${answer.status} to ${what} without a readable script id (${carMessage(answer.text)}); the script may have been created`,
      answer.status,
    );
  }

  async updateScript(id: number, body: CarScriptUpdateBody, signal?: AbortSignal): Promise<void> {
    const what = `the update of script ${id}`;
    if (!Number.isSafeInteger(id) || id < 1) throw new CarError('rejected', `${id} is not a CAR script id; ${what} was not sent`, undefined, { notSent: true });
    const answer = await this.guarded(() =>
      this.call({ idempotent: true, method: 'PATCH', path: `/sm/v4/script/${id}`, accept: ACCEPT_UPDATE, body: JSON.stringify(body), what, signal }),
    );
    const refusal = envelopeError(parseJsonObject(answer.text));
    if (refusal) throw this.error('rejected', `CAR rejected ${what} (HTTP ${answer.status}): ${refusal}`, answer.status);
  }

  stats(): CarClientStats {
    return { ...this.counters, maxInFlight: this.slots.maxInFlight };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.transport.close();
  }

  /** Every error leaves through here, so no message can carry a token or password. */
  private async guarded<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      if (err instanceof CarError) {
        const message = this.redactor.clean(err.message);
        throw message === err.message ? err : new CarError(err.kind, message, err.status, { notSent: err.notSent });
      }
      const message = this.redactor.clean(err instanceof Error ? err.message : String(err));
      throw new CarError('unknown-outcome', `unexpected failure talking to CAR: ${message}`);
    }
  }

  private error(kind: CarError['kind'], message: string, status?: number, notSent = false): CarError {
    return new CarError(kind, this.redactor.clean(message), status, { notSent });
  }

  /** Sends one call until it gets a 2xx (returned) or a final answer (thrown as CarError). */
  private async call(spec: CallSpec): Promise<HttpAnswer> {
    const { signal, what } = spec;
    if (this.closed) throw this.error('aborted', `the CAR client is closed; ${what} was not sent`, undefined, true);
    let token = await this.tokens.current(signal);
    let renewed = false;
    let failures = 0;
    let limitRetries = 0;
    let concurrencyRetries = 0;
    const waited = { ms: 0 };

    for (;;) {
      let answer: HttpAnswer | undefined;
      let failure: TransportError | undefined;
      const release = await this.slots.acquire(signal);
      let ticket;
      try {
        await this.paced(spec, waited);
        ticket = this.pacer.sent(this.now());
        this.counters.requests += 1;
        answer = await this.transport.send({
          method: spec.method,
          path: spec.path,
          headers: { Authorization: `Bearer ${token}`, Accept: spec.accept, 'Content-Type': 'application/json' },
          body: spec.body,
          signal,
        });
      } catch (err) {
        if (!(err instanceof TransportError)) throw err;
        failure = err;
      } finally {
        release();
      }

      if (failure) {
        this.pacer.answered(ticket!, undefined, this.now(), !failure.notSent);
        if (failure.reason === 'aborted') {
          const when = failure.notSent ? 'before it was sent' : `while in flight; ${outcomeUnknown(spec)}`;
          throw this.error('aborted', `${what} was cancelled ${when}`, undefined, failure.notSent);
        }
        failures += 1;
        const attempts = failure.notSent ? UNSENT_ATTEMPTS : spec.idempotent ? UPDATE_ATTEMPTS : 1;
        if (failures < attempts) {
          await this.backoff(spec, failures, failure.message, failure.notSent);
          continue;
        }
        throw this.transportError(spec, failure, failures);
      }

      const status = answer!.status;
      const limits = readLimitHeaders(answer!.headers, this.now());
      if (limits.concurrencyLimit !== undefined) this.slots.carLimit(limits.concurrencyLimit);
      const blocked = status === 409 || status === 429;
      this.pacer.answered(ticket!, limits, this.now(), !blocked);

      if (status >= 200 && status < 300) return answer!;

      if (status === 401) {
        if (this.tokens.renewable && !renewed) {
          renewed = true;
          this.counters.retries += 1;
          this.log(`CAR answered 401 to ${what}: renewing the token and sending it again`);
          token = await this.tokens.renew(token, signal);
          continue;
        }
        throw this.error(
          'auth',
          this.tokens.renewable
            ? `CAR answered HTTP 401 to ${what} even with a fresh token: check that the API user may manage CAR scripts`
            : `CAR refused the token (HTTP 401) for ${what}: it may have expired (tokens live 4 hours); give a new token, or a username and password`,
          401,
        );
      }

      if (blocked) {
        this.counters.rateLimited += 1;
        if (isConcurrencyBlock(limits) && concurrencyRetries < CONCURRENCY_RETRIES) {
          concurrencyRetries += 1;
          this.counters.retries += 1;
          await this.sleep(concurrencyWaitMs(limits, this.random), signal);
          continue;
        }
        const bare = status === 409 && !speaksOfLimits(limits);
        if (bare && limitRetries >= BARE_CONFLICT_RETRIES) {
          throw this.error('rejected', `CAR rejected ${what} (HTTP 409): ${carMessage(answer!.text)}`, 409);
        }
        const wait = rateLimitWaitMs(limits, this.random);
        if (limitRetries >= RATE_LIMIT_RETRIES || waited.ms + wait > this.maxWaitMs) {
          throw this.error(
            'rate-limited',
            `CAR's rate limit turned ${what} away ${limitRetries + 1} times (HTTP ${status}, next wait ${seconds(wait)}); it was not processed: run again later, or use max-writes to spread the sync over several runs`,
            status,
          );
        }
        limitRetries += 1;
        this.counters.retries += 1;
        this.log(`CAR rate limit (HTTP ${status}): sending ${what} again in ${seconds(wait)}`);
        this.pacer.blockUntil(this.now() + wait);
        continue;
      }

      const message = carMessage(answer!.text);
      if (status >= 300 && status < 400) {
        const redirect = `CAR answered HTTP ${status} to ${what}, redirecting to ${locationHost(answer!)}; car-sync does not follow redirects so the token never leaves the gateway: check the platform or base URL`;
        // 303 "See Other" is how a server says it did process a POST.
        throw this.error(status === 303 && !spec.idempotent ? 'unknown-outcome' : 'rejected', redirect, status);
      }
      if (status === 404) throw this.error('not-found', `CAR answered HTTP 404 (not found) to ${what}: ${message}`, 404);
      if (status === 403) throw this.error('forbidden', `CAR answered HTTP 403 (forbidden) to ${what}: ${message}`, 403);
      if (status >= 400 && status < 500) throw this.error('rejected', `CAR rejected ${what} (HTTP ${status}): ${message}`, status);

      failures += 1;
      if (spec.idempotent && failures < UPDATE_ATTEMPTS) {
        await this.backoff(spec, failures, `HTTP ${status}`, false);
        continue;
      }
      const tries = failures > 1 ? ` after ${failures} attempts` : '';
      throw this.error(
        'unknown-outcome',
        `CAR answered HTTP ${status} to ${what}${tries}: ${message}; ${outcomeUnknown(spec)}`,
        status,
      );
    }
  }

  /** Waits until the pacer lets a call go; gives up unsent past the longest wait allowed. */
  private async paced(spec: CallSpec, waited: { ms: number }): Promise<void> {
    for (;;) {
      const delay = this.pacer.delayMs(this.now());
      if (delay <= 0) return;
      if (waited.ms + delay > this.maxWaitMs) {
        throw this.error(
          'rate-limited',
          `CAR's rate limit leaves no room for ${spec.what} for another ${seconds(delay)}, longer than car-sync waits (${seconds(this.maxWaitMs)} per call); it was not sent: run again later, or use max-writes to spread the sync over several runs`,
          undefined,
          true,
        );
      }
      if (delay >= LOG_WAITS_FROM_MS) this.log(`pacing for CAR's rate limit: ${spec.what} waits ${seconds(delay)}`);
      await this.sleep(delay, spec.signal);
      waited.ms += delay;
    }
  }

  /** `lastNotSent`: whether the failed attempt provably never reached CAR, for a cancel during the wait. */
  private async backoff(spec: CallSpec, failures: number, reason: string, lastNotSent: boolean): Promise<void> {
    const wait = backoffMs(failures, this.random);
    this.counters.retries += 1;
    this.log(`${spec.what} failed${this.transport.route} (${reason}); trying again in ${seconds(wait)}`);
    try {
      await this.sleep(wait, spec.signal);
    } catch (err) {
      if (err instanceof CarError && err.kind === 'aborted' && !lastNotSent) {
        throw this.error('aborted', `${spec.what} was cancelled while waiting to be sent again; ${outcomeUnknown(spec)}`);
      }
      throw err;
    }
  }

  private transportError(spec: CallSpec, failure: TransportError, attempts: number): CarError {
    const route = this.transport.route;
    const tries = attempts > 1 ? ` after ${attempts} attempts` : '';
    if (failure.notSent) {
      return this.error('unknown-outcome', `could not reach CAR${route}${tries} (${failure.message}); ${spec.what} was not sent`, undefined, true);
    }
    const outcome = outcomeUnknown(spec);
    if (failure.reason === 'timeout') return this.error('unknown-outcome', `${failure.message} from CAR${route} to ${spec.what}${tries}; ${outcome}`);
    return this.error('unknown-outcome', `the connection to CAR${route} failed during ${spec.what}${tries} (${failure.message}); ${outcome}`);
  }
}
