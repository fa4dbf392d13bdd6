import type { Script } from '../repo/script.js';
import type { StateFile } from './state.js';
import { PLAN_ACTION_KINDS, type Plan, type PlanAction, type PlanActionKind } from './plan.js';

export interface PlanOptions {
  /** Update every managed script even when its hash is unchanged. */
  force?: boolean;
}

function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

export function countActions(actions: readonly { action: PlanActionKind }[]): Record<PlanActionKind, number> {
  const counts = Object.fromEntries(PLAN_ACTION_KINDS.map((kind) => [kind, 0])) as Record<PlanActionKind, number>;
  for (const { action } of actions) counts[action] += 1;
  return counts;
}

/**
 * What a sync would do: a pure function of the repository and the state file.
 * A rename is a new path whose content and metadata hash equals that of a path gone from the
 * repository: it keeps the id, so moving a folder never creates a second script in CAR.
 */
export function planSync(scripts: readonly Script[], state: StateFile, options: PlanOptions = {}): Plan {
  const actions: PlanAction[] = [];
  const creates: Script[] = [];
  const present = new Set<string>();

  for (const script of scripts) {
    present.add(script.path);
    const entry = state.scripts[script.path];
    const title = script.meta.title;
    if (!entry) {
      creates.push(script);
    } else if (entry.id === undefined) {
      actions.push({ action: 'unresolved', path: script.path, title, script });
    } else if (entry.hash !== script.hash || options.force) {
      actions.push({ action: 'update', path: script.path, title, id: entry.id, script });
    } else {
      actions.push({ action: 'unchanged', path: script.path, title, id: entry.id, script });
    }
  }

  const goneByHash = new Map<string, string[]>();
  const gone: string[] = [];
  for (const path of Object.keys(state.scripts).sort()) {
    if (present.has(path)) continue;
    const entry = state.scripts[path]!;
    if (entry.id === undefined) {
      actions.push({ action: 'unresolved', path, title: entry.title });
      continue;
    }
    gone.push(path);
    if (entry.hash) goneByHash.set(entry.hash, [...(goneByHash.get(entry.hash) ?? []), path]);
  }

  const renamed = new Set<string>();
  for (const script of creates) {
    const from = goneByHash.get(script.hash)?.find((path) => !renamed.has(path));
    if (from === undefined) {
      actions.push({ action: 'create', path: script.path, title: script.meta.title, script });
      continue;
    }
    renamed.add(from);
    actions.push({ action: 'rename', path: script.path, title: script.meta.title, id: state.scripts[from]!.id, from, script });
  }
  for (const path of gone) {
    if (renamed.has(path)) continue;
    const entry = state.scripts[path]!;
    actions.push({ action: 'orphan', path, title: entry.title, id: entry.id });
  }

  actions.sort(byPath);
  return { actions, counts: countActions(actions) };
}
