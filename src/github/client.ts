import { getOctokit } from '@actions/github';

export type Octokit = ReturnType<typeof getOctokit>;

/** The login GitHub shows for comments, issues and commits made with a workflow's GITHUB_TOKEN. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

/** One repository on GitHub, reached with one token. Only the modules of src/github use `octokit`. */
export interface GitHubClient {
  readonly owner: string;
  readonly repo: string;
  readonly octokit: Octokit;
  /** Replaces the token wherever it appears, so no error built from a response can carry it. */
  readonly redact: (text: string) => string;
}

export interface GitHubClientOptions {
  token: string;
  /** `owner/repo`, as in GITHUB_REPOSITORY. */
  repository: string;
  /** Default: GITHUB_API_URL (set by the runner; GitHub Enterprise differs), else api.github.com. */
  apiUrl?: string;
}

export function parseRepository(repository: string): { owner: string; repo: string } {
  const match = /^([^/\s]+)\/([^/\s]+)$/.exec(repository.trim());
  if (!match) throw new Error(`Repository "${repository}" is not of the form "owner/name" (as in GITHUB_REPOSITORY).`);
  return { owner: match[1]!, repo: match[2]! };
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  if (options.token.trim() === '') throw new Error('A GitHub token is required; the action passes `github-token` (default: the workflow\'s GITHUB_TOKEN).');
  const { owner, repo } = parseRepository(options.repository);
  const baseUrl = (options.apiUrl ?? process.env.GITHUB_API_URL ?? 'https://api.github.com').replace(/\/+$/, '');
  const octokit = getOctokit(options.token, {
    baseUrl,
    // Octokit's default logger writes deprecation notices to the console; the facade stays silent.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
  const token = options.token;
  const redact = (text: string) => text.split(token).join('***');
  return { owner, repo, octokit, redact };
}
