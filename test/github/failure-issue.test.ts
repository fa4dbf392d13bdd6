import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { closeScheduledFailure, reportScheduledFailure } from '../../src/github/failure-issue.js';
import { startRepo, type Repo } from './setup.js';

describe('scheduled failure issue', () => {
  let repo: Repo;
  beforeEach(async () => {
    repo = await startRepo();
  });
  afterEach(() => repo.fake.close());

  it('opens one issue, comments on it on the next failure, and closes it after a good run', async () => {
    const opened = await reportScheduledFailure(repo.gh, { title: 'car-sync: scheduled sync failed', body: 'run 1: 2 failed' });
    expect(opened).toEqual({ action: 'created', number: opened.number, url: `https://github.com/acme/scripts/issues/${opened.number}` });
    expect(repo.fake.issues()).toMatchObject([{ number: opened.number, title: 'car-sync: scheduled sync failed', body: 'run 1: 2 failed', labels: ['car-sync'], state: 'open' }]);

    const again = await reportScheduledFailure(repo.gh, { title: 'car-sync: scheduled sync failed', body: 'run 2: 1 failed' });
    expect(again).toMatchObject({ action: 'commented', number: opened.number });
    expect(repo.fake.issues()).toHaveLength(1);
    expect(repo.fake.comments(opened.number).map((c) => c.body)).toEqual(['run 2: 1 failed']);

    const closed = await closeScheduledFailure(repo.gh, { comment: 'run 3 synced everything' });
    expect(closed).toEqual({ closed: [opened.number] });
    expect(repo.fake.issues()).toMatchObject([{ number: opened.number, state: 'closed', stateReason: 'completed' }]);
    expect(repo.fake.comments(opened.number).map((c) => c.body)).toEqual(['run 2: 1 failed', 'run 3 synced everything']);
  });

  it('opens a new issue after the last one was closed', async () => {
    const first = await reportScheduledFailure(repo.gh, { title: 'failed', body: 'one' });
    await closeScheduledFailure(repo.gh, { comment: 'fixed' });
    const second = await reportScheduledFailure(repo.gh, { title: 'failed', body: 'two' });
    expect(second.action).toBe('created');
    expect(second.number).not.toBe(first.number);
  });

  it('leaves alone issues with the label that someone else opened, and pull requests', async () => {
    const human = repo.fake.addIssue({ title: 'car-sync idea', labels: ['car-sync'], login: 'alice' });
    const pr = repo.fake.addPullRequest({ head: 'x' });
    repo.fake.state.issues.get(pr.number)!.labels.push('car-sync');

    const opened = await reportScheduledFailure(repo.gh, { title: 'failed', body: 'one' });
    expect(opened.action).toBe('created');
    expect([human.number, pr.number]).not.toContain(opened.number);

    await closeScheduledFailure(repo.gh, { comment: 'fixed' });
    expect(repo.fake.issues({ state: 'open' }).map((i) => i.number)).toEqual([human.number]);
    expect(repo.fake.comments(human.number)).toEqual([]);
    expect(repo.fake.pullRequests({ state: 'open' }).map((p) => p.number)).toEqual([pr.number]);
  });

  it('uses the given label', async () => {
    await reportScheduledFailure(repo.gh, { title: 'failed', body: 'tenant eu', label: 'car-sync-eu' });
    expect(repo.fake.issues({ label: 'car-sync-eu' })).toHaveLength(1);
    expect(await closeScheduledFailure(repo.gh, { comment: 'ok', label: 'car-sync' })).toEqual({ closed: [] });
    expect(repo.fake.issues({ state: 'open' })).toHaveLength(1);
  });

  it('closes nothing and writes nothing when no failure issue is open', async () => {
    expect(await closeScheduledFailure(repo.gh, { comment: 'ok' })).toEqual({ closed: [] });
    expect(repo.fake.writes()).toEqual([]);
  });

  it('names the permission when the token may not write issues', async () => {
    repo.fake.setReadOnly(true);
    await expect(reportScheduledFailure(repo.gh, { title: 'failed', body: 'x' })).rejects.toThrow(/answered 403: .*`permissions: issues: write`/);
  });
});
