import type { GitHubClient } from './client.js';

/**
 * A GitHub API call that failed, told as a sentence: what car-sync was doing, GitHub's status and
 * message, and a hint when there is one. It carries no request, headers or cause, so nothing of the
 * token can leak through it.
 */
export class GitHubError extends Error {
  constructor(
    message: string,
    /** GitHub's HTTP status; 0 when no answer came (network). */
    readonly status: number,
  ) {
    super(message);
    this.name = 'GitHubError';
  }
}

/**
 * The HTTP status GitHub answered, 0 when no answer came (connection refused, reset): Octokit
 * reports those as 500 without a response, which must not pass for GitHub's own 500.
 */
export function statusOf(err: unknown): number {
  if (err instanceof GitHubError) return err.status;
  const status = (err as { response?: { status?: unknown } } | null)?.response?.status;
  return typeof status === 'number' ? status : 0;
}

/** GitHub's own message (`{ "message": ... }` of the response), else the error's. */
export function gitHubMessageOf(err: unknown): string {
  const data = (err as { response?: { data?: unknown } } | null)?.response?.data;
  if (data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string') {
    const { message, errors } = data as { message: string; errors?: unknown };
    const details = Array.isArray(errors)
      ? errors.map((e) => (e && typeof e === 'object' && typeof (e as { message?: unknown }).message === 'string' ? (e as { message: string }).message : JSON.stringify(e)))
      : [];
    return [message.replace(/\s+/g, ' ').trim(), ...details].join(': ');
  }
  return err instanceof Error ? err.message : String(err);
}

/** Why a 403 was refused: secondary rate limits answer 403 too, and those are not a permission. */
export function isPermissionDenied(err: unknown): boolean {
  return statusOf(err) === 403 && !/rate limit/i.test(gitHubMessageOf(err));
}

/** Wraps an Octokit error as a `GitHubError`: "Could not <doing>: GitHub answered 409: ... <hint>". */
export function gitHubError(gh: GitHubClient, doing: string, err: unknown, hint?: string): GitHubError {
  const status = statusOf(err);
  const answer = status > 0 ? `GitHub answered ${status}` : 'GitHub could not be reached';
  const reason = gitHubMessageOf(err).replace(/[.\s]+$/, '');
  const text = `Could not ${doing} in ${gh.owner}/${gh.repo}: ${answer}: ${reason}.${hint ? ` ${hint}` : ''}`;
  return new GitHubError(gh.redact(text), status);
}
