import type { GitHubClient } from './client.js';
import { GitHubError, gitHubError, statusOf } from './errors.js';

export interface RemoteFile {
  text: string;
  /** The blob sha, which a write must name to replace this exact version (compare-and-swap). */
  sha: string;
}

/**
 * Reads a file at a branch, tag or commit through the Contents API. Undefined when GitHub has no
 * such file (or no such ref): a repository before its first state commit.
 */
export async function readRemoteFile(gh: GitHubClient, options: { path: string; ref: string }): Promise<RemoteFile | undefined> {
  const doing = `read ${options.path} at "${options.ref}"`;
  let data: unknown;
  try {
    ({ data } = await gh.octokit.rest.repos.getContent({ owner: gh.owner, repo: gh.repo, path: options.path, ref: options.ref }));
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw gitHubError(gh, doing, err);
  }
  const file = data as { type?: string; encoding?: string; content?: string; sha?: string };
  if (Array.isArray(data) || file.type !== 'file' || typeof file.sha !== 'string') {
    throw new GitHubError(`Could not ${doing} in ${gh.owner}/${gh.repo}: it is not a file; the state file must be a JSON file.`, 0);
  }
  if (file.encoding === 'base64' && typeof file.content === 'string') {
    return { text: Buffer.from(file.content, 'base64').toString('utf8'), sha: file.sha };
  }
  // Files over 1 MB come without content (encoding "none"); the Git blobs API serves up to 100 MB.
  try {
    const { data: blob } = await gh.octokit.rest.git.getBlob({ owner: gh.owner, repo: gh.repo, file_sha: file.sha });
    return { text: Buffer.from(blob.content, blob.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8'), sha: file.sha };
  } catch (err) {
    throw gitHubError(gh, doing, err);
  }
}
