import type { ApplyResult } from '../apply/result.js';
import type { Plan, PlanActionKind } from '../plan/plan.js';
import { countActions } from '../plan/planner.js';
import { formatProblem, type Problem } from '../repo/problem.js';

export interface PlanJsonAction {
  action: PlanActionKind;
  path: string;
  title?: string;
  id?: number;
  from?: string;
  result?: string;
  message?: string;
}

export interface PlanJson {
  actions: PlanJsonAction[];
  counts: Record<PlanActionKind, number>;
  /** After apply: how many actions ended in each outcome. */
  outcomes?: Record<string, number>;
  problems?: string[];
  warnings?: string[];
}

/** The plan contract of design.md; after apply each action also carries its result. */
export function planJson(plan: Plan, applied?: ApplyResult, warnings: Problem[] = []): PlanJson {
  const rows = applied?.results ?? plan.actions;
  const actions = rows.map((row): PlanJsonAction => {
    const out: PlanJsonAction = { action: row.action, path: row.path };
    if (row.title !== undefined) out.title = row.title;
    if (row.id !== undefined) out.id = row.id;
    if (row.from !== undefined) out.from = row.from;
    if ('outcome' in row) {
      out.result = row.outcome;
      if (row.message !== undefined) out.message = row.message;
    }
    return out;
  });
  const json: PlanJson = { actions, counts: countActions(actions) };
  if (applied) {
    json.outcomes = {};
    for (const r of applied.results) json.outcomes[r.outcome] = (json.outcomes[r.outcome] ?? 0) + 1;
  }
  if (warnings.length > 0) json.warnings = warnings.map(formatProblem);
  return json;
}

export function problemsJson(problems: Problem[], warnings: Problem[] = []): PlanJson {
  return {
    actions: [],
    counts: countActions([]),
    problems: problems.map(formatProblem),
    ...(warnings.length > 0 ? { warnings: warnings.map(formatProblem) } : {}),
  };
}
