import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGitHubClient } from '../../src/github/client.js';
import { GitHubError } from '../../src/github/errors.js';
import { upsertPullRequestComment } from '../../src/github/pr-comment.js';
import { startRepo, type Repo } from './setup.js';

const MARKER = '<!-- car-sync:plan -->';

describe('upsertPullRequestComment', () => {
  let repo: Repo;
  let pr: number;

  beforeEach(async () => {
    repo = await startRepo();
    pr = repo.fake.addPullRequest({ head: 'add-auditd' }).number;
  });
  afterEach(() => repo.fake.close());

  const botComments = () => repo.fake.comments(pr).filter((c) => c.login === 'github-actions[bot]');

  it('creates the comment, then updates it in place on the next run', async () => {
    const first = await upsertPullRequestComment(repo.gh, { issueNumber: pr, marker: MARKER, body: `${MARKER}\n1 to create` });
    expect(first.action).toBe('created');
    const second = await upsertPullRequestComment(repo.gh, { issueNumber: pr, marker: MARKER, body: `${MARKER}\n2 to create` });
    expect(second.action).toBe('updated');
    expect(second).toMatchObject({ id: (first as { id: number }).id });
    expect(botComments().map((c) => c.body)).toEqual([`${MARKER}\n2 to create`]);
    expect(repo.fake.requests({ method: 'POST' })).toHaveLength(1);
    expect(repo.fake.requests({ method: 'PATCH', path: /\/issues\/comments\/\d+$/ })).toHaveLength(1);
  });

  it('returns an url that points at the comment', async () => {
    const result = await upsertPullRequestComment(repo.gh, { issueNumber: pr, marker: MARKER, body: `${MARKER}\nplan` });
    expect(result.action).toBe('created');
    const { id, url } = result as { id: number; url: string };
    expect(url).toBe(`https://github.com/acme/scripts/pull/${pr}#issuecomment-${id}`);
  });

  it('finds its comment on the second page of 150 and writes nothing new', async () => {
    repo.fake.addComments(pr, 120, { login: 'reviewer' });
    const ours = repo.fake.addComment(pr, `${MARKER}\nold plan`, { login: 'github-actions[bot]' });
    repo.fake.addComments(pr, 29, { login: 'reviewer' });

    const result = await upsertPullRequestComment(repo.gh, { issueNumber: pr, marker: MARKER, body: `${MARKER}\nnew plan` });

    expect(result).toMatchObject({ action: 'updated', id: ours.id });
    expect(repo.fake.comments(pr)).toHaveLength(150);
    expect(repo.fake.comments(pr).find((c) => c.id === ours.id)?.body).toBe(`${MARKER}\nnew plan`);
    const pages = repo.fake.requests({ method: 'GET', path: `/repos/acme/scripts/issues/${pr}/comments` });
    expect(pages.map((r) => r.query.page ?? '1')).toEqual(['1', '2']);
    expect(repo.fake.requests({ method: 'POST' })).toHaveLength(0);
  });

  it('never touches a comment that carries the marker but was written by someone else', async () => {
    const quote = repo.fake.addComment(pr, `> ${MARKER}\n> quoted plan`, { login: 'mallory' });

    const result = await upsertPullRequestComment(repo.gh, { issueNumber: pr, marker: MARKER, body: `${MARKER}\nplan` });

    expect(result.action).toBe('created');
    expect(repo.fake.comments(pr).find((c) => c.id === quote.id)?.body).toBe(`> ${MARKER}\n> quoted plan`);
    expect(repo.fake.requests({ method: 'PATCH' })).toHaveLength(0);
  });

  it('does not write when the comment already says the same', async () => {
    await upsertPullRequestComment(repo.gh, { issueNumber: pr, marker: MARKER, body: `${MARKER}\nplan` });
    repo.fake.clearRequests();
    const again = await upsertPullRequestComment(repo.gh, { issueNumber: pr, marker: MARKER, body: `${MARKER}\nplan` });
    expect(again.action).toBe('unchanged');
    expect(repo.fake.writes()).toEqual([]);
  });

  it('puts the marker in front of a body that lacks it, so the comment is found again', async () => {
    await upsertPullRequestComment(repo.gh, { issueNumber: pr, marker: MARKER, body: 'plan one' });
    const second = await upsertPullRequestComment(repo.gh, { issueNumber: pr, marker: MARKER, body: 'plan two' });
    expect(second.action).toBe('updated');
    expect(botComments().map((c) => c.body)).toEqual([`${MARKER}\nplan two`]);
  });

  it('recognises the token owner given as botLogin (a personal access token)', async () => {
    repo.fake.addToken('pat-of-alice', 'alice');
    const gh = createGitHubClient({ token: 'pat-of-alice', repository: repo.fake.repository, apiUrl: repo.fake.url });
    const bots = repo.fake.addComment(pr, `${MARKER}\nby the bot`, { login: 'github-actions[bot]' });
    const alices = repo.fake.addComment(pr, `${MARKER}\nby alice`, { login: 'alice' });

    const result = await upsertPullRequestComment(gh, { issueNumber: pr, marker: MARKER, body: `${MARKER}\nnew`, botLogin: 'alice' });

    expect(result).toMatchObject({ action: 'updated', id: alices.id });
    expect(repo.fake.comments(pr).find((c) => c.id === bots.id)?.body).toBe(`${MARKER}\nby the bot`);
  });

  it('reports a read-only token (a pull request from a fork) as forbidden instead of throwing', async () => {
    repo.fake.setReadOnly(true);
    const result = await upsertPullRequestComment(repo.gh, { issueNumber: pr, marker: MARKER, body: `${MARKER}\nplan` });
    expect(result).toEqual({ action: 'forbidden', message: 'Resource not accessible by integration' });
    expect(repo.fake.comments(pr)).toEqual([]);
  });

  it('throws a rate-limit 403, which is not a matter of permission', async () => {
    repo.fake.failNext({ method: 'POST' }, 403, 'You have exceeded a secondary rate limit.');
    const attempt = upsertPullRequestComment(repo.gh, { issueNumber: pr, marker: MARKER, body: `${MARKER}\nplan` });
    await expect(attempt).rejects.toThrow(/answered 403: You have exceeded a secondary rate limit/);
  });

  it('throws a sentence that names the pull request and never the token', async () => {
    repo.fake.failNext({ method: 'POST' }, 422, `token ${repo.fake.token} is not welcome`);
    const error = await upsertPullRequestComment(repo.gh, { issueNumber: pr, marker: MARKER, body: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as GitHubError).status).toBe(422);
    expect((error as Error).message).toBe(
      `Could not write the car-sync comment on pull request #${pr} in acme/scripts: GitHub answered 422: token *** is not welcome.`,
    );
    expect(JSON.stringify(error)).not.toContain(repo.fake.token);
  });

  it('says so when GitHub cannot be reached', async () => {
    await repo.fake.close();
    const error = await upsertPullRequestComment(repo.gh, { issueNumber: pr, marker: MARKER, body: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as Error).message).toMatch(/^Could not read the comments of pull request #\d+ in acme\/scripts: GitHub could not be reached: /);
    repo = await startRepo();
  });
});
