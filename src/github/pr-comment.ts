import { ACTIONS_BOT_LOGIN, type GitHubClient } from './client.js';
import { gitHubError, gitHubMessageOf, isPermissionDenied } from './errors.js';

export interface PullRequestCommentOptions {
  /** The pull request's number (GitHub keeps its comments as issue comments). */
  issueNumber: number;
  /** A hidden HTML comment such as `<!-- car-sync:plan -->`; put first in the body when missing. */
  marker: string;
  body: string;
  /** Who the token writes as: `github-actions[bot]` for GITHUB_TOKEN, the user's login for a PAT. */
  botLogin?: string;
}

export type PullRequestCommentOutcome =
  | { action: 'created' | 'updated' | 'unchanged'; id: number; url: string }
  /** The token may not write here, as on a pull request from a fork; `message` is GitHub's reason. */
  | { action: 'forbidden'; message: string };

interface IssueComment {
  id: number;
  body?: string | null;
  html_url: string;
  user: { login: string } | null;
}

/**
 * Keeps one comment per pull request: the first one that carries the marker and was written by the
 * bot is edited in place, so re-runs never stack comments. Every page is read, since a busy pull
 * request pushes the comment past the first page; a comment with the marker by someone else (a
 * quote, a copy) is never touched.
 */
export async function upsertPullRequestComment(gh: GitHubClient, options: PullRequestCommentOptions): Promise<PullRequestCommentOutcome> {
  const { issueNumber, marker } = options;
  const botLogin = options.botLogin ?? ACTIONS_BOT_LOGIN;
  const body = options.body.includes(marker) ? options.body : `${marker}\n${options.body}`;
  const where = { owner: gh.owner, repo: gh.repo, issue_number: issueNumber };

  let comments: IssueComment[];
  try {
    comments = await gh.octokit.paginate(gh.octokit.rest.issues.listComments, { ...where, per_page: 100 });
  } catch (err) {
    if (isPermissionDenied(err)) return { action: 'forbidden', message: gh.redact(gitHubMessageOf(err)) };
    throw gitHubError(gh, `read the comments of pull request #${issueNumber}`, err);
  }

  const existing = comments.find((c) => c.user?.login === botLogin && (c.body ?? '').includes(marker));
  try {
    if (!existing) {
      const { data } = await gh.octokit.rest.issues.createComment({ ...where, body });
      return { action: 'created', id: data.id, url: data.html_url };
    }
    if (existing.body === body) return { action: 'unchanged', id: existing.id, url: existing.html_url };
    const { data } = await gh.octokit.rest.issues.updateComment({ owner: gh.owner, repo: gh.repo, comment_id: existing.id, body });
    return { action: 'updated', id: data.id, url: data.html_url };
  } catch (err) {
    if (isPermissionDenied(err)) return { action: 'forbidden', message: gh.redact(gitHubMessageOf(err)) };
    throw gitHubError(gh, `${existing ? 'update' : 'write'} the car-sync comment on pull request #${issueNumber}`, err);
  }
}
