/**
 * Why a CAR call failed, in the terms apply decides on:
 * - `rejected`: CAR answered and refused (4xx other than rate limiting); the call had no effect.
 * - `not-found` / `forbidden`: an update aimed at an id CAR does not show this user (tag scoping).
 * - `auth`: credentials refused.
 * - `rate-limited`: CAR's rate limit kept answering 409/429 longer than car-sync waits; not processed.
 * - `unknown-outcome`: no trustworthy answer (timeout, reset, 5xx): the call may have taken effect.
 * - `aborted`: we cancelled it (shutdown); outcome unknown too if the request had been sent.
 */
export type CarErrorKind = 'rejected' | 'not-found' | 'forbidden' | 'auth' | 'rate-limited' | 'unknown-outcome' | 'aborted';

export interface CarErrorOptions {
  /** The request never left this machine (refused connection, cancelled while waiting its turn). */
  notSent?: boolean;
}

export class CarError extends Error {
  /** See `CarErrorOptions.notSent`. */
  readonly notSent: boolean;

  constructor(
    readonly kind: CarErrorKind,
    message: string,
    readonly status?: number,
    options: CarErrorOptions = {},
  ) {
    super(message);
    this.name = 'CarError';
    this.notSent = options.notSent ?? false;
  }

  /** True when CAR cannot have acted on the request, so a create may be sent again. */
  get provesNotProcessed(): boolean {
    return (
      this.notSent ||
      this.kind === 'rejected' ||
      this.kind === 'auth' ||
      this.kind === 'rate-limited' ||
      this.kind === 'not-found' ||
      this.kind === 'forbidden'
    );
  }
}
