/**
 * Why a CAR call failed, in the terms apply decides on:
 * - `rejected`: CAR answered and refused (4xx other than rate limiting); the call had no effect.
 * - `not-found` / `forbidden`: an update aimed at an id CAR does not show this user (tag scoping).
 * - `auth`: credentials refused.
 * - `unknown-outcome`: no trustworthy answer (timeout, reset, 5xx): the call may have taken effect.
 * - `aborted`: we cancelled it (shutdown); outcome unknown too if the request had been sent.
 */
export type CarErrorKind = 'rejected' | 'not-found' | 'forbidden' | 'auth' | 'unknown-outcome' | 'aborted';

export class CarError extends Error {
  constructor(
    readonly kind: CarErrorKind,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CarError';
  }

  /** True when CAR cannot have acted on the request, so a create may be sent again. */
  get provesNotProcessed(): boolean {
    return this.kind === 'rejected' || this.kind === 'auth' || this.kind === 'not-found' || this.kind === 'forbidden';
  }
}
