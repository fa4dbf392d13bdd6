import type { PlanActionKind } from '../plan/plan.js';

/**
 * What became of one plan action:
 * - `done`: created, updated or renamed as planned (or nothing was needed);
 * - `failed`: CAR refused; nothing changed there;
 * - `unresolved`: a create whose outcome is unknown, kept as an intent until adopt or forget;
 * - `skipped`: not attempted (max-writes reached, or the run was stopped).
 */
export type Outcome = 'done' | 'failed' | 'unresolved' | 'skipped';

export interface ActionResult {
  action: PlanActionKind;
  path: string;
  title?: string;
  id?: number;
  from?: string;
  outcome: Outcome;
  /** CAR's message for a failure, or why it was skipped or is unresolved. */
  message?: string;
}

export interface ApplyResult {
  results: ActionResult[];
  writeCalls: number;
  /** The run ended early (signal); what was not started is `skipped`. */
  stopped: boolean;
}

/** An apply fails when anything failed or is unresolved; orphans and skips alone do not. */
export function applySucceeded(result: ApplyResult): boolean {
  return !result.stopped && result.results.every((r) => r.outcome !== 'failed' && r.outcome !== 'unresolved');
}
