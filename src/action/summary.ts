import * as core from '@actions/core';
import type { ApplyResult } from '../apply/result.js';
import type { Plan } from '../plan/plan.js';
import type { Problem } from '../repo/problem.js';
import { planJson } from '../report/json.js';

/** GitHub shows at most 10 annotations of each type per step; the summary lists every one. */
export const ANNOTATION_LIMIT = 10;

/**
 * `reservedErrors`: error annotations the step will still emit (its own failure, which names the
 * count), kept out of the limit so GitHub does not drop them.
 */
export function annotate(problems: Problem[], warnings: Problem[], reservedErrors = 0): void {
  const emit = (list: Problem[], kind: 'error' | 'warning', limit: number) => {
    for (const p of list.slice(0, limit)) {
      core[kind](p.message, { title: 'car-sync', file: p.file, startLine: p.line, startColumn: p.column });
    }
    if (list.length > limit) core.info(`${list.length - limit} more ${kind}s are listed in the job summary.`);
  };
  emit(problems, 'error', ANNOTATION_LIMIT - reservedErrors);
  emit(warnings, 'warning', ANNOTATION_LIMIT);
}

export interface RunOutputs {
  plan?: Plan;
  applied?: ApplyResult;
  stateChanged: boolean;
  commitSha?: string;
}

/**
 * After apply the counts are what happened; in plan mode they are what apply would do, so a
 * workflow can branch on "anything to create" before it applies.
 */
export function setOutputs({ plan, applied, stateChanged, commitSha }: RunOutputs): void {
  const done = (action: string) => applied?.results.filter((r) => r.action === action && r.outcome === 'done').length;
  const counts = plan?.counts;
  core.setOutput('created', done('create') ?? counts?.create ?? 0);
  core.setOutput('updated', done('update') ?? counts?.update ?? 0);
  core.setOutput('unchanged', counts?.unchanged ?? 0);
  core.setOutput('failed', applied?.results.filter((r) => r.outcome === 'failed').length ?? 0);
  core.setOutput('unresolved', applied?.results.filter((r) => r.outcome === 'unresolved').length ?? counts?.unresolved ?? 0);
  core.setOutput('plan', plan ? JSON.stringify(planJson(plan, applied)) : '{"actions":[]}');
  core.setOutput('state-changed', stateChanged ? 'true' : 'false');
  core.setOutput('commit-sha', commitSha ?? '');
}
