import type { GitHubClient } from './client.js';
import { gitHubError, gitHubMessageOf, statusOf } from './errors.js';
import { readRemoteFile } from './remote-file.js';

export { readRemoteFile, type RemoteFile } from './remote-file.js';

export interface CommitStateFileOptions {
  /** Path from the repository root, `/` separated. */
  path: string;
  branch: string;
  /** ` [skip ci]` is appended when missing, so the commit does not start another sync. */
  message: string;
  /**
   * Given the file's text at the branch tip (undefined when absent), returns the text to commit
   * (the remote state merged with this run's), or undefined when there is nothing to commit. Called
   * again after every conflict with the newer remote text; it may throw to stop (a merge conflict).
   */
  render: (remoteText: string | undefined) => string | undefined;
  /** Default 5. */
  maxAttempts?: number;
  /** First retry delay in ms, doubled each retry, with jitter so that two runs drift apart. Default 500. */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface CommitStateFileResult {
  /** False when the branch already held the rendered content. */
  changed: boolean;
  /** Absent when nothing was committed, or when an earlier attempt's outcome was unknown and it had landed. */
  commitSha?: string;
  attempts: number;
}

const SKIP_CI = '[skip ci]';

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** A branch rule or protection, answered 409 like a race: retrying cannot help. */
function isRuleViolation(err: unknown): boolean {
  return /rule violation|protected branch|through a pull request/i.test(gitHubMessageOf(err));
}

/**
 * 409 (the blob changed since we read it), 422 ("sha" missing: the file appeared since we read it),
 * and answers that prove nothing (5xx, no answer): re-reading and re-rendering is safe for all of
 * them, since a write that did land shows up as remote content equal to ours.
 */
function isRetryable(status: number): boolean {
  return status === 409 || status === 422 || status === 0 || status >= 500;
}

function hintFor(status: number, branch: string): string | undefined {
  if (status === 403) return 'The workflow needs `permissions: contents: write`; a pull request from a fork can never write.';
  if (status === 404) return `Check that the branch "${branch}" exists and that the token can see the repository.`;
  return undefined;
}

/**
 * Writes one file through the Contents API with its blob sha as compare-and-swap: read, render,
 * write; on a conflict read again, render again (the caller re-merges) and retry with backoff, at
 * most `maxAttempts` times. Nothing is committed when the rendered text equals the remote text.
 */
export async function commitStateFile(gh: GitHubClient, options: CommitStateFileOptions): Promise<CommitStateFileResult> {
  const { path, branch, render } = options;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const backoffMs = options.backoffMs ?? 500;
  const sleep = options.sleep ?? defaultSleep;
  const message = options.message.includes(SKIP_CI) ? options.message : `${options.message.trimEnd()} ${SKIP_CI}`;
  const doing = `commit ${path} to "${branch}"`;
  let outcomeUnknown = false;
  let lastError: unknown;

  for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
    const remote = await readRemoteFile(gh, { path, ref: branch });
    const text = render(remote?.text);
    if (text === undefined || text === remote?.text) return { changed: outcomeUnknown, attempts: attempt };
    try {
      const { data } = await gh.octokit.rest.repos.createOrUpdateFileContents({
        owner: gh.owner,
        repo: gh.repo,
        path,
        branch,
        message,
        content: Buffer.from(text, 'utf8').toString('base64'),
        ...(remote ? { sha: remote.sha } : {}),
      });
      return { changed: true, attempts: attempt, ...(data.commit.sha ? { commitSha: data.commit.sha } : {}) };
    } catch (err) {
      const status = statusOf(err);
      if (isRuleViolation(err)) {
        throw gitHubError(gh, doing, err, 'The branch only takes changes through pull requests: set `commit: pull-request`.');
      }
      if (!isRetryable(status)) throw gitHubError(gh, doing, err, hintFor(status, branch));
      lastError = err;
      if (status === 0 || status >= 500) outcomeUnknown = true;
    }
    if (attempt < maxAttempts) await sleep(backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random() / 2));
  }
  const raced = statusOf(lastError) === 409 || statusOf(lastError) === 422;
  throw gitHubError(
    gh,
    `${doing} after ${maxAttempts} attempts`,
    lastError,
    raced ? 'The file kept changing between read and write: make every car-sync workflow share one `concurrency` group.' : undefined,
  );
}
