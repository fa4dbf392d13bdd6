import type { GitHubClient } from '../github/client.js';
import { readRemoteFile } from '../github/remote-file.js';
import { commitStateFile } from '../github/state-commit.js';
import { commitStateViaPullRequest, STATE_BRANCH } from '../github/state-pull-request.js';
import { mergeStateFiles, renderMergedState, StateConflictError } from '../plan/merge-state.js';
import type { PlanAction } from '../plan/plan.js';
import { parseState, type StateFile } from '../plan/state.js';
import type { CommitMode } from './inputs.js';

/** Where the state of record lives on GitHub and how this run writes it back. */
export interface StateRecordTarget {
  /** State file path from the repository root. */
  path: string;
  /** The branch whose tip is the state of record. */
  branch: string;
  commit: CommitMode;
}

export interface CommitOutcome {
  changed: boolean;
  commitSha?: string;
  /** The pull request that carries the state, with `commit: pull-request`. */
  pullRequestUrl?: string;
}

/** Branches that may hold ids: with `commit: pull-request`, ids wait on the state branch until merged. */
function recordBranches(target: StateRecordTarget): string[] {
  return target.commit === 'pull-request' ? [target.branch, STATE_BRANCH] : [target.branch];
}

/**
 * The workspace's state merged with the state at the branch tip(s). A run may check out a commit
 * older than the last id commit (two merges in quick succession); planning on the checkout alone
 * would create those scripts a second time. The tip wins where both know a script.
 */
export async function readStateOfRecord(gh: GitHubClient, target: StateRecordTarget, workspace: StateFile): Promise<StateFile> {
  let record = workspace;
  for (const branch of recordBranches(target)) {
    const remote = await readRemoteFile(gh, { path: target.path, ref: branch });
    if (!remote) continue;
    const { merged, conflicts } = mergeStateFiles(parseState(remote.text, `${target.path} on ${branch}`), record);
    if (conflicts.length > 0) {
      throw new StateConflictError(`${target.path} on ${branch}`, conflicts.map((c) => ({ path: c.path, localId: c.remoteId, remoteId: c.localId })));
    }
    record = merged;
  }
  return record;
}

/**
 * Writes the state back to GitHub with compare-and-swap and a re-merge on conflict. It remembers
 * the intents it wrote ahead of creates ("reservations") so the final commit can drop those whose
 * create never happened, instead of the union bringing them back.
 */
export class StateRecordWriter {
  readonly reserved = new Set<string>();

  constructor(
    private readonly gh: GitHubClient,
    private readonly target: StateRecordTarget,
    reserved: Iterable<string> = [],
  ) {
    for (const path of reserved) this.reserved.add(path);
  }

  render(local: StateFile): (remoteText: string | undefined) => string {
    return renderMergedState(local, this.target.path, {
      remoteLabel: `${this.target.path} on GitHub`,
      pruneRemote: (remote) => {
        for (const path of this.reserved) {
          if (remote.scripts[path]?.id === undefined && !local.scripts[path]) delete remote.scripts[path];
        }
      },
    });
  }

  async commit(local: StateFile, message: string): Promise<CommitOutcome> {
    const options = { path: this.target.path, message, render: this.render(local) };
    if (this.target.commit === 'pull-request') {
      const result = await commitStateViaPullRequest(this.gh, { ...options, base: this.target.branch });
      return { changed: result.changed, commitSha: result.commitSha, pullRequestUrl: result.url };
    }
    const result = await commitStateFile(this.gh, { ...options, branch: this.target.branch });
    return { changed: result.changed, commitSha: result.commitSha };
  }

  /**
   * Records on GitHub, before they are sent, the creates that may happen next: `paths` and up to
   * `ahead` more of `upcoming`. A runner that dies mid-apply then leaves intents behind, and the
   * next run reports them unresolved instead of creating them again. Reserving a few ahead costs
   * one commit per batch rather than one per create.
   */
  async reserve(local: StateFile, paths: string[], upcoming: readonly PlanAction[], ahead: number, onReserved?: (reserved: string[]) => void): Promise<void> {
    const batch = [...paths];
    const withIntents: StateFile = { version: 1, scripts: { ...local.scripts } };
    const now = new Date().toISOString();
    for (const action of upcoming) {
      if (batch.length >= paths.length + ahead) break;
      if (this.reserved.has(action.path) || batch.includes(action.path) || local.scripts[action.path] || !action.script) continue;
      batch.push(action.path);
      withIntents.scripts[action.path] = { hash: action.script.hash, title: action.script.meta.title, intent: now };
    }
    for (const path of batch) this.reserved.add(path);
    onReserved?.([...this.reserved]);
    await this.commit(withIntents, `car-sync: intents for ${batch.length} script create(s) about to be sent`);
  }
}
