export interface EmulatorUser {
  username: string;
  password: string;
  /**
   * Tag scope (CAR's tag-based user scoping): the user sees only scripts whose tag is in this list.
   * Undefined = sees everything.
   */
  scopes?: string[];
  /** Tag given to every script this user creates or updates. Defaults to the first of `scopes`. */
  tag?: string;
}

export interface EmulatorOptions {
  /** Default 0 (an ephemeral port); the host is always 127.0.0.1. */
  port?: number;
  /** Added before answering each /sm call, while the call counts as running. */
  latencyMs?: number;
  /** Rolling window per subscription. Default: effectively unlimited (1,000,000 calls per hour). */
  rateLimit?: { calls: number; windowSec: number };
  /** Status of a call blocked by a limit. Default 409 (classic Qualys); some gateways use 429. */
  rateLimitStatus?: 409 | 429;
  /** Calls running at once; one more is answered like a rate-limited call. Default 1000. */
  concurrencyLimit?: number;
  /** Fraction (0..1) of valid /sm writes answered 500 before anything is stored. */
  failRate?: number;
  /** Fraction (0..1) of creates/updates stored whose answer is lost (socket destroyed, no response). */
  lostAnswerRate?: number;
  /** Seeds the PRNG behind the fault injection. Default: a random seed. */
  seed?: number;
  /** Default one user {username:'demo', password:'demo'} with no scope. */
  users?: EmulatorUser[];
  /** Static bearer tokens also accepted; they never expire and act as the first user. */
  tokens?: string[];
  /** Lifetime of tokens from /auth. Default 4 hours, as CAR. 0 = tokens are born expired. */
  tokenTtlSec?: number;
  /** Id of the first script created. Default 100000. */
  firstId?: number;
  /** Scripts a user may create. Default 5000, as CAR. */
  maxScripts?: number;
  /** Scripts the tenant already holds (created by the first user), e.g. those a state file names. */
  existingScripts?: { id: number; body: Record<string, unknown> }[];
}

export interface StoredScript {
  id: number;
  /** The request body as last received (create body, then each update body). */
  body: Record<string, unknown>;
  createdBy: string;
  tag?: string;
  /** 1 on create, +1 per update. */
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface LoggedRequest {
  method: string;
  path: string;
  /** The status sent; 0 when nothing was sent (answer lost on purpose, or the client went away first). */
  status: number;
  /** Lower-case names; the Authorization value is redacted. */
  headers: Record<string, string>;
  /** Parsed JSON or form (password redacted), the raw text otherwise, undefined when empty. */
  body: unknown;
  /** Milliseconds since the emulator started. */
  at: number;
  endedAt: number;
  /** The script a create or update stored (also when its answer was lost). */
  scriptId?: number;
}

export interface RunningEmulator {
  /** http://127.0.0.1:PORT */
  url: string;
  scripts(): StoredScript[];
  /** Completed requests in arrival order; Authorization and passwords redacted. */
  requests(): LoggedRequest[];
  /** A valid token for a configured user, as /auth would give. */
  issueToken(username: string): string;
  /** /sm calls running right now (to hold a call open deterministically in tests). */
  running(): number;
  /** Forgets scripts, the request log and the rate-limit window; re-seeds the PRNG. Tokens stay valid. */
  reset(): void;
  close(): Promise<void>;
}
