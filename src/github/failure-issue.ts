import { ACTIONS_BOT_LOGIN, type GitHubClient } from './client.js';
import { gitHubError, statusOf } from './errors.js';

/** The label that marks car-sync's own failure issue. */
export const FAILURE_LABEL = 'car-sync';

export interface ScheduledFailureReport {
  title: string;
  body: string;
  /** Default `car-sync`. */
  label?: string;
  /** Who the token writes as; only issues this login opened are reused or closed. */
  botLogin?: string;
}

export interface ScheduledFailureOutcome {
  /** `created`: a new issue; `commented`: the open one got this run's report as a comment. */
  action: 'created' | 'commented';
  number: number;
  url: string;
}

interface OpenIssue {
  number: number;
  html_url: string;
}

const PERMISSION_HINT = 'The workflow needs `permissions: issues: write` for `issue-on-failure`.';

/** The open issues car-sync opened, newest first; pull requests, which GitHub lists as issues too, left out. */
async function openFailureIssues(gh: GitHubClient, label: string, botLogin: string): Promise<OpenIssue[]> {
  try {
    const issues = await gh.octokit.paginate(gh.octokit.rest.issues.listForRepo, {
      owner: gh.owner,
      repo: gh.repo,
      labels: label,
      state: 'open',
      creator: botLogin,
      per_page: 100,
    });
    return issues.filter((i) => !i.pull_request).map((i) => ({ number: i.number, html_url: i.html_url }));
  } catch (err) {
    throw gitHubError(gh, `list the open issues labelled "${label}"`, err);
  }
}

/**
 * A failed scheduled sync opens one issue, or adds this run's report as a comment to the one
 * already open: a team gets one thread per outage, not one issue per run.
 */
export async function reportScheduledFailure(gh: GitHubClient, report: ScheduledFailureReport): Promise<ScheduledFailureOutcome> {
  const label = report.label ?? FAILURE_LABEL;
  const [open] = await openFailureIssues(gh, label, report.botLogin ?? ACTIONS_BOT_LOGIN);
  try {
    if (open) {
      const { data } = await gh.octokit.rest.issues.createComment({ owner: gh.owner, repo: gh.repo, issue_number: open.number, body: report.body });
      return { action: 'commented', number: open.number, url: data.html_url };
    }
    const { data } = await gh.octokit.rest.issues.create({ owner: gh.owner, repo: gh.repo, title: report.title, body: report.body, labels: [label] });
    return { action: 'created', number: data.number, url: data.html_url };
  } catch (err) {
    throw gitHubError(gh, open ? `comment on issue #${open.number}` : 'open an issue about the failed sync', err, statusOf(err) === 403 ? PERMISSION_HINT : undefined);
  }
}

/** After a good run: comments on and closes every open failure issue car-sync opened. */
export async function closeScheduledFailure(
  gh: GitHubClient,
  options: { comment: string; label?: string; botLogin?: string },
): Promise<{ closed: number[] }> {
  const label = options.label ?? FAILURE_LABEL;
  const open = await openFailureIssues(gh, label, options.botLogin ?? ACTIONS_BOT_LOGIN);
  const closed: number[] = [];
  for (const issue of open) {
    try {
      await gh.octokit.rest.issues.createComment({ owner: gh.owner, repo: gh.repo, issue_number: issue.number, body: options.comment });
      await gh.octokit.rest.issues.update({ owner: gh.owner, repo: gh.repo, issue_number: issue.number, state: 'closed', state_reason: 'completed' });
    } catch (err) {
      throw gitHubError(gh, `close issue #${issue.number}`, err, statusOf(err) === 403 ? PERMISSION_HINT : undefined);
    }
    closed.push(issue.number);
  }
  return { closed };
}
