import { describe, expect, it } from 'vitest';
import { generatedScripts } from '../support/repo.js';
import { startHarness, STATE_PATH } from './harness.js';

const STATE_BRANCH = 'car-sync/state';

describe('commit: pull-request, for a protected default branch', () => {
  it('commits to car-sync/state with one pull request, and the next run plans against that branch too', async () => {
    const h = await startHarness({ scripts: 3 });
    const inputs = h.carInputs({ commit: 'pull-request' });

    const first = await h.run({ event: 'push', inputs });

    expect(first.code).toBe(0);
    expect(h.github.fileText(STATE_PATH, 'main')).toBeUndefined();
    expect(Object.values(h.remoteState(STATE_BRANCH).scripts).map((e) => e.id)).toHaveLength(3);
    const open = h.github.pullRequests({ head: STATE_BRANCH, state: 'open' });
    expect(open).toHaveLength(1);
    expect(open[0]!.base).toBe('main');
    expect(first.outputs['commit-sha']).toBe(h.github.branchSha(STATE_BRANCH));
    expect(first.summary).toMatch(/pull request https:\/\/github\.com\/acme\/scripts\/pull\/\d+/);

    // The pull request is not merged yet; a later push adds a script.
    const second = await h.run({ event: 'push', workspace: await h.checkout(generatedScripts(1, 'next')), inputs });

    expect(second.code).toBe(0);
    expect(second.outputs).toMatchObject({ created: '1', unchanged: '3' });
    expect([...h.titleCounts().values()]).toEqual([1, 1, 1, 1]);
    expect(Object.values(h.remoteState(STATE_BRANCH).scripts).filter((e) => e.id !== undefined)).toHaveLength(4);
    expect(h.github.pullRequests({ head: STATE_BRANCH })).toHaveLength(1);
    expect(h.github.fileText(STATE_PATH, 'main')).toBeUndefined();
  });
});

describe('schedule with issue-on-failure', () => {
  it('a failed sync opens one issue, a second failure comments on it, and the next good run closes it', async () => {
    // CAR refuses a third script for this user.
    const h = await startHarness({ scripts: 3, emulator: { maxScripts: 2 } });
    const inputs = h.carInputs({ 'issue-on-failure': 'true' });

    const failed = await h.run({ event: 'schedule', inputs });

    expect(failed.code).toBe(1);
    expect(failed.outputs).toMatchObject({ created: '2', failed: '1' });
    expect(failed.summary).toContain('❌ failed');
    expect(failed.summary).toContain('the most CAR allows per user');
    const issues = h.github.issues({ label: 'car-sync' });
    expect(issues).toHaveLength(1);
    expect(issues[0]!.state).toBe('open');
    expect(issues[0]!.body).toMatch(/\*\*failed\*\* `scripts\/gen\/\d{4}\/script\.sh`: .*the most CAR allows per user/);

    const again = await h.run({ event: 'schedule', inputs });
    expect(again.code).toBe(1);
    expect(h.github.issues({ label: 'car-sync' })).toHaveLength(1);
    expect(h.github.comments(issues[0]!.number)).toHaveLength(1);

    // The team drops the script CAR refused: the next run has nothing left to fail.
    const refused = (JSON.parse(failed.outputs.plan!) as { actions: { path: string; result: string }[] }).actions.find((a) => a.result === 'failed')!.path;
    const fixed = await h.checkout({ [refused]: null, [refused.replace('script.sh', 'meta.yaml')]: null });
    const good = await h.run({ event: 'schedule', workspace: fixed, inputs });

    expect(good.code).toBe(0);
    expect(good.outputs).toMatchObject({ created: '0', unchanged: '2', failed: '0' });
    const [closed] = h.github.issues({ label: 'car-sync' });
    expect(closed!.state).toBe('closed');
    expect(h.github.comments(closed!.number).at(-1)!.body).toMatch(/synced .*successfully/);
    expect(h.car.scripts()).toHaveLength(2);
  });
});
