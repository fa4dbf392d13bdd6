import { parseState, serializeState, type StateEntry, type StateFile } from './state.js';

/** One script path recorded with two different CAR ids: CAR holds two scripts for it. */
export interface StateConflict {
  path: string;
  /** The id in this run's state. */
  localId: number;
  /** The id in the state on GitHub. */
  remoteId: number;
}

export interface StateMerge {
  merged: StateFile;
  /** Sorted by path; `merged` keeps the local id for these until someone decides. */
  conflicts: StateConflict[];
}

function pick(local: StateEntry, remote: StateEntry): StateEntry {
  // An id is knowledge; an intent is only "a create may have happened", which the id settles.
  if (local.id === undefined && remote.id !== undefined) return { ...remote };
  // Otherwise local: this run read the remote before it planned, so what it sent to CAR is newer.
  return { ...local };
}

/**
 * Merges this run's state with the state another run committed: the union per script path. An id
 * beats an intent; one path with two different ids is a conflict. An id that the local state keeps
 * under another path (a rename this run recorded) is not brought back under its old path.
 */
export function mergeStateFiles(local: StateFile, remote: StateFile): StateMerge {
  const scripts: Record<string, StateEntry> = {};
  const conflicts: StateConflict[] = [];
  const localPathOfId = new Map<number, string>();
  for (const [path, entry] of Object.entries(local.scripts)) {
    if (entry.id !== undefined) localPathOfId.set(entry.id, path);
  }
  for (const [path, entry] of Object.entries(local.scripts)) scripts[path] = { ...entry };
  for (const [path, remoteEntry] of Object.entries(remote.scripts)) {
    const localPath = remoteEntry.id === undefined ? undefined : localPathOfId.get(remoteEntry.id);
    if (localPath !== undefined && localPath !== path) continue;
    const localEntry = local.scripts[path];
    if (!localEntry) {
      scripts[path] = { ...remoteEntry };
      continue;
    }
    if (localEntry.id !== undefined && remoteEntry.id !== undefined && localEntry.id !== remoteEntry.id) {
      conflicts.push({ path, localId: localEntry.id, remoteId: remoteEntry.id });
      continue;
    }
    scripts[path] = pick(localEntry, remoteEntry);
  }
  const sorted: Record<string, StateEntry> = {};
  for (const path of Object.keys(scripts).sort()) sorted[path] = scripts[path]!;
  conflicts.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { merged: { version: 1, scripts: sorted }, conflicts };
}

/** Thrown when the state on GitHub and this run's state give one path two ids. */
export class StateConflictError extends Error {
  constructor(
    readonly stateFile: string,
    readonly conflicts: StateConflict[],
  ) {
    super(
      conflicts
        .map(
          (c) =>
            `${stateFile}: "${c.path}" is recorded with id ${c.localId} by this run and with id ${c.remoteId} on GitHub, ` +
            `so CAR holds two scripts for it. Delete the duplicate in CAR, then record the one you keep with ` +
            `\`car-sync adopt ${c.path} <id>\` on the branch.`,
        )
        .join('\n'),
    );
    this.name = 'StateConflictError';
  }
}

/**
 * The `render` for `commitStateFile`: merges the remote state file's text (if any) with `local`
 * and serializes the result; throws `StateConflictError` on a conflict and `InvalidRepositoryError`
 * when the remote file is not a valid state file (never overwritten as if it were empty).
 * `remoteLabel` names the remote file in its parse errors; `pruneRemote` may drop remote entries
 * first (entries this run wrote itself and has since undone).
 */
export function renderMergedState(
  local: StateFile,
  stateFile: string,
  options: { remoteLabel?: string; pruneRemote?: (remote: StateFile) => void } = {},
): (remoteText: string | undefined) => string {
  return (remoteText) => {
    if (remoteText === undefined) return serializeState(local);
    const remote = parseState(remoteText, options.remoteLabel ?? stateFile);
    options.pruneRemote?.(remote);
    const { merged, conflicts } = mergeStateFiles(local, remote);
    if (conflicts.length > 0) throw new StateConflictError(stateFile, conflicts);
    return serializeState(merged);
  };
}
