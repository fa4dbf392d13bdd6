import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitHubError } from '../../src/github/errors.js';
import { renderMergedState } from '../../src/plan/merge-state.js';
import { commitStateViaPullRequest } from '../../src/github/state-pull-request.js';
import { parseState, type StateFile } from '../../src/plan/state.js';
import { startRepo, stateText, type Repo } from './setup.js';

const STATE = '.car/state.json';
const BRANCH = 'car-sync/state';

function state(scripts: StateFile['scripts']): StateFile {
  return { version: 1, scripts };
}

function idsOn(repo: Repo, ref: string): Record<string, number | undefined> {
  const text = repo.fake.fileText(STATE, ref);
  if (text === undefined) return {};
  return Object.fromEntries(Object.entries(parseState(text, STATE).scripts).map(([path, entry]) => [path, entry.id]));
}

describe('commitStateViaPullRequest', () => {
  let repo: Repo;
  const runWith = (scripts: StateFile['scripts']) =>
    commitStateViaPullRequest(repo.gh, { path: STATE, message: 'car-sync: record ids', render: renderMergedState(state(scripts), STATE) });

  beforeEach(async () => {
    repo = await startRepo({ files: { [STATE]: stateText({ 'scripts/a/script.sh': { id: 1 } }) } });
    repo.fake.protectBranch('main');
  });
  afterEach(() => repo.fake.close());

  it('commits the state on car-sync/state, branched from the base tip, and opens a pull request', async () => {
    const baseTip = repo.fake.branchSha('main');

    const result = await runWith({ 'scripts/a/script.sh': { id: 1 }, 'scripts/b/script.sh': { id: 2 } });

    const [pr] = repo.fake.pullRequests();
    expect(result).toEqual({
      action: 'created',
      changed: true,
      branch: BRANCH,
      attempts: 1,
      pullNumber: pr!.number,
      url: `https://github.com/acme/scripts/pull/${pr!.number}`,
      commitSha: repo.fake.branchSha(BRANCH),
    });
    expect(pr).toMatchObject({ head: BRANCH, base: 'main', state: 'open', login: 'github-actions[bot]' });
    expect(repo.fake.commits(BRANCH)[1]!.sha).toBe(baseTip);
    expect(repo.fake.commits(BRANCH)[0]!.message).toBe('car-sync: record ids [skip ci]');
    expect(idsOn(repo, BRANCH)).toEqual({ 'scripts/a/script.sh': 1, 'scripts/b/script.sh': 2 });
    expect(repo.fake.branchSha('main')).toBe(baseTip);
  });

  it('adds the next run to the same pull request, never opening a second', async () => {
    const first = await runWith({ 'scripts/b/script.sh': { id: 2 } });
    const second = await runWith({ 'scripts/c/script.sh': { id: 3 } });

    expect(second).toMatchObject({ action: 'updated', changed: true, pullNumber: first.pullNumber });
    expect(repo.fake.pullRequests()).toHaveLength(1);
    expect(repo.fake.requests({ method: 'POST', path: '/repos/acme/scripts/pulls' })).toHaveLength(1);
    expect(repo.fake.requests({ method: 'PATCH', path: `/repos/acme/scripts/pulls/${first.pullNumber}` })).toHaveLength(1);
    expect(repo.fake.commits(BRANCH).slice(0, 2).map((c) => c.sha)).toEqual([second.commitSha, first.commitSha]);
    expect(idsOn(repo, BRANCH)).toEqual({ 'scripts/a/script.sh': 1, 'scripts/b/script.sh': 2, 'scripts/c/script.sh': 3 });
  });

  it('changes nothing when the branch already holds the state', async () => {
    const first = await runWith({ 'scripts/b/script.sh': { id: 2 } });
    const tip = repo.fake.branchSha(BRANCH);
    repo.fake.clearRequests();

    const again = await runWith({ 'scripts/b/script.sh': { id: 2 } });

    expect(again).toMatchObject({ action: 'none', changed: false, pullNumber: first.pullNumber });
    expect(again.commitSha).toBeUndefined();
    expect(repo.fake.writes()).toEqual([]);
    expect(repo.fake.branchSha(BRANCH)).toBe(tip);
  });

  it('opens no pull request when the base already holds the state', async () => {
    const result = await runWith({ 'scripts/a/script.sh': { id: 1 } });
    expect(result).toMatchObject({ action: 'none', changed: false });
    expect(result.pullNumber).toBeUndefined();
    expect(repo.fake.pullRequests()).toEqual([]);
  });

  it('starts the branch again from the base tip once the pull request was merged', async () => {
    const first = await runWith({ 'scripts/b/script.sh': { id: 2 } });
    repo.fake.protectBranch('main', false);
    repo.fake.mergePullRequest(first.pullNumber!);
    repo.fake.setFile('README.md', 'more work on main');
    repo.fake.protectBranch('main');
    const mainTip = repo.fake.branchSha('main')!;

    const second = await runWith({ 'scripts/c/script.sh': { id: 3 } });

    expect(second.action).toBe('created');
    expect(second.pullNumber).not.toBe(first.pullNumber);
    expect(repo.fake.pullRequests({ state: 'open' }).map((p) => p.number)).toEqual([second.pullNumber]);
    expect(repo.fake.commits(BRANCH)[1]!.sha).toBe(mainTip);
    expect(idsOn(repo, BRANCH)).toEqual({ 'scripts/a/script.sh': 1, 'scripts/b/script.sh': 2, 'scripts/c/script.sh': 3 });
  });

  it('uses the given base, title and body', async () => {
    repo.fake.createBranch('release');
    const result = await commitStateViaPullRequest(repo.gh, {
      path: STATE,
      message: 'ids',
      base: 'release',
      title: 'Record ids',
      body: 'Merge me',
      render: renderMergedState(state({ 'scripts/b/script.sh': { id: 2 } }), STATE),
    });
    expect(result.action).toBe('created');
    expect(repo.fake.pullRequests()[0]).toMatchObject({ base: 'release', title: 'Record ids', body: 'Merge me' });
  });

  it('explains the repository setting when Actions may not open pull requests, and keeps the commit', async () => {
    repo.fake.allowActionsToCreatePullRequests(false);
    const error = await runWith({ 'scripts/b/script.sh': { id: 2 } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHubError);
    expect((error as Error).message).toContain('GitHub Actions is not permitted to create or approve pull requests');
    expect((error as Error).message).toContain('Allow GitHub Actions to create and approve pull requests');
    expect((error as Error).message).toContain(`The state is safe on the branch "${BRANCH}"`);
    expect(idsOn(repo, BRANCH)).toMatchObject({ 'scripts/b/script.sh': 2 });
  });
});
