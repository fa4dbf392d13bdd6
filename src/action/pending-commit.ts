import * as core from '@actions/core';
import type { StateRecordTarget } from './state-of-record.js';

/**
 * Handed from the main step to the post step (GITHUB_STATE): a commit of the state file that the
 * main step had not finished, for instance because the job was cancelled. The post step runs
 * `always()`, so recorded ids are never lost with the runner's workspace.
 */
export interface PendingCommit {
  target: StateRecordTarget;
  /** Intents this run wrote on GitHub ahead of creates. */
  reserved: string[];
}

const KEY = 'pending-commit';

export function savePendingCommit(pending: PendingCommit): void {
  core.saveState(KEY, JSON.stringify(pending));
}

export function clearPendingCommit(): void {
  core.saveState(KEY, '');
}

export function readPendingCommit(): PendingCommit | undefined {
  const text = core.getState(KEY);
  if (!text) return undefined;
  try {
    return JSON.parse(text) as PendingCommit;
  } catch {
    return undefined;
  }
}
