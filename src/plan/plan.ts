import type { Script } from '../repo/script.js';

export type PlanActionKind = 'create' | 'update' | 'unchanged' | 'rename' | 'orphan' | 'unresolved';

export const PLAN_ACTION_KINDS: readonly PlanActionKind[] = [
  'create',
  'update',
  'rename',
  'unchanged',
  'orphan',
  'unresolved',
];

export interface PlanAction {
  action: PlanActionKind;
  /** The script path (the state file's key); for a rename, the new path. */
  path: string;
  title?: string;
  /** CAR's script id, when the state knows it. */
  id?: number;
  /** For a rename: the path the state knew the script by. */
  from?: string;
  /** The script in the repository; absent for orphan and for unresolved entries that left the repo. */
  script?: Script;
}

export interface Plan {
  /** Sorted by path; one action per path. */
  actions: PlanAction[];
  counts: Record<PlanActionKind, number>;
}
