import { createBranch, getBranchSha, getDefaultBranch, resetBranch } from './branches.js';
import type { GitHubClient } from './client.js';
import { GitHubError, gitHubError, gitHubMessageOf, statusOf } from './errors.js';
import { commitStateFile, type CommitStateFileOptions } from './state-commit.js';

/** The branch that carries state changes for a protected default branch. */
export const STATE_BRANCH = 'car-sync/state';

export interface StatePullRequestOptions extends Omit<CommitStateFileOptions, 'branch'> {
  /** Default `car-sync/state`. */
  branch?: string;
  /** The branch the pull request merges into. Default: the repository's default branch. */
  base?: string;
  title?: string;
  body?: string;
}

export interface StatePullRequestResult {
  /** `none`: the state already matched, no pull request was opened or changed. */
  action: 'created' | 'updated' | 'none';
  /** True when a commit was made on the state branch. */
  changed: boolean;
  branch: string;
  pullNumber?: number;
  url?: string;
  commitSha?: string;
  attempts: number;
}

const DEFAULT_TITLE = 'car-sync: record CAR script ids';
const DEFAULT_BODY =
  'car-sync recorded the ids that CAR gave to scripts of this repository. The branch is protected, ' +
  'so the state file comes as this pull request: merge it to keep the ids in the repository.';

interface OpenPullRequest {
  number: number;
  html_url: string;
}

async function findOpenPullRequest(gh: GitHubClient, branch: string, base: string): Promise<OpenPullRequest | undefined> {
  try {
    const { data } = await gh.octokit.rest.pulls.list({ owner: gh.owner, repo: gh.repo, head: `${gh.owner}:${branch}`, base, state: 'open', per_page: 100 });
    const found = data[0];
    return found ? { number: found.number, html_url: found.html_url } : undefined;
  } catch (err) {
    throw gitHubError(gh, `look for an open pull request from "${branch}"`, err);
  }
}

async function openPullRequest(gh: GitHubClient, branch: string, base: string, title: string, body: string): Promise<OpenPullRequest> {
  try {
    const { data } = await gh.octokit.rest.pulls.create({ owner: gh.owner, repo: gh.repo, head: branch, base, title, body });
    return { number: data.number, html_url: data.html_url };
  } catch (err) {
    // Another run opened it between our look and our create.
    if (statusOf(err) === 422 && /already exists/i.test(gitHubMessageOf(err))) {
      const found = await findOpenPullRequest(gh, branch, base);
      if (found) return found;
    }
    const hint =
      statusOf(err) === 403
        ? `The state is safe on the branch "${branch}". To let the workflow open the pull request, enable ` +
          '"Allow GitHub Actions to create and approve pull requests" (Settings > Actions > General) and grant ' +
          '`permissions: pull-requests: write`; or open it by hand.'
        : `The state is safe on the branch "${branch}"; open the pull request by hand.`;
    throw gitHubError(gh, `open a pull request from "${branch}" into "${base}"`, err, hint);
  }
}

/**
 * For a protected default branch: commits the state file on `car-sync/state` (compare-and-swap,
 * re-rendered on conflict) and keeps one pull request open from it. While that pull request is
 * open the branch collects every run's commits; once it is merged or closed the branch starts again
 * from the base tip. Callers should read the state from this branch as well as from the base before
 * planning, since ids live here until the pull request is merged.
 */
export async function commitStateViaPullRequest(gh: GitHubClient, options: StatePullRequestOptions): Promise<StatePullRequestResult> {
  const branch = options.branch ?? STATE_BRANCH;
  const base = options.base ?? (await getDefaultBranch(gh));
  const baseSha = await getBranchSha(gh, base);
  if (baseSha === undefined) throw new GitHubError(`Could not find the branch "${base}" in ${gh.owner}/${gh.repo} to base the state pull request on.`, 404);

  const open = await findOpenPullRequest(gh, branch, base);
  const branchSha = await getBranchSha(gh, branch);
  if (branchSha === undefined) await createBranch(gh, branch, baseSha);
  else if (!open && branchSha !== baseSha) await resetBranch(gh, branch, baseSha);

  const { path, message, render, maxAttempts, backoffMs, sleep } = options;
  const commit = await commitStateFile(gh, { path, message, render, maxAttempts, backoffMs, sleep, branch });
  const title = options.title ?? DEFAULT_TITLE;
  const body = options.body ?? DEFAULT_BODY;
  const result = { changed: commit.changed, branch, attempts: commit.attempts, ...(commit.commitSha ? { commitSha: commit.commitSha } : {}) };

  if (open) {
    if (!commit.changed) return { ...result, action: 'none', pullNumber: open.number, url: open.html_url };
    try {
      await gh.octokit.rest.pulls.update({ owner: gh.owner, repo: gh.repo, pull_number: open.number, title, body });
    } catch (err) {
      throw gitHubError(gh, `update pull request #${open.number}`, err);
    }
    return { ...result, action: 'updated', pullNumber: open.number, url: open.html_url };
  }
  if (!commit.changed) return { ...result, action: 'none' };
  const created = await openPullRequest(gh, branch, base, title, body);
  return { ...result, action: 'created', pullNumber: created.number, url: created.html_url };
}
