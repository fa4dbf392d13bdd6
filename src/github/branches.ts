import type { GitHubClient } from './client.js';
import { gitHubError, gitHubMessageOf, statusOf } from './errors.js';

export async function getDefaultBranch(gh: GitHubClient): Promise<string> {
  try {
    const { data } = await gh.octokit.rest.repos.get({ owner: gh.owner, repo: gh.repo });
    return data.default_branch;
  } catch (err) {
    throw gitHubError(gh, 'read the repository', err);
  }
}

/** The commit a branch points at, or undefined when there is no such branch. */
export async function getBranchSha(gh: GitHubClient, branch: string): Promise<string | undefined> {
  try {
    const { data } = await gh.octokit.rest.git.getRef({ owner: gh.owner, repo: gh.repo, ref: `heads/${branch}` });
    return data.object.sha;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw gitHubError(gh, `read the branch "${branch}"`, err);
  }
}

/** Creates the branch at `sha`; false when it already exists (another run made it first). */
export async function createBranch(gh: GitHubClient, branch: string, sha: string): Promise<boolean> {
  try {
    await gh.octokit.rest.git.createRef({ owner: gh.owner, repo: gh.repo, ref: `refs/heads/${branch}`, sha });
    return true;
  } catch (err) {
    if (statusOf(err) === 422 && /already exists/i.test(gitHubMessageOf(err))) return false;
    throw gitHubError(gh, `create the branch "${branch}"`, err, statusOf(err) === 403 ? 'The workflow needs `permissions: contents: write`.' : undefined);
  }
}

/** Points the branch at `sha`, even when that drops commits (a branch car-sync alone writes). */
export async function resetBranch(gh: GitHubClient, branch: string, sha: string): Promise<void> {
  try {
    await gh.octokit.rest.git.updateRef({ owner: gh.owner, repo: gh.repo, ref: `heads/${branch}`, sha, force: true });
  } catch (err) {
    throw gitHubError(gh, `reset the branch "${branch}"`, err, statusOf(err) === 403 ? 'The workflow needs `permissions: contents: write`.' : undefined);
  }
}
