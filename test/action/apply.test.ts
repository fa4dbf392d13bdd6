import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeState } from '../../src/plan/state.js';
import { generatedScripts } from '../support/repo.js';
import { CAR_TOKEN, startHarness, STATE_PATH, type Harness } from './harness.js';

const OTHER_PATH = 'scripts/other/0000/script.sh';
const OTHER_HASH = 'c'.repeat(64);

/** path -> id as CAR holds them, matched through the titles the state file records. */
function idsInCar(h: Harness): Map<string, number> {
  return new Map(h.car.scripts().map((s) => [String(s.body.title), s.id]));
}

describe('push: apply and commit the ids back', () => {
  it('creates the scripts, commits the state file with [skip ci], and sets every output', async () => {
    const h = await startHarness({ scripts: 3 });
    const workspace = await h.checkout();

    const run = await h.run({ event: 'push', workspace, inputs: h.carInputs() });

    expect(run.code).toBe(0);
    expect([...h.titleCounts()].sort()).toEqual([
      ['gen script 0', 1],
      ['gen script 1', 1],
      ['gen script 2', 1],
    ]);
    const remote = h.remoteState();
    const car = idsInCar(h);
    expect(Object.keys(remote.scripts)).toEqual(['scripts/gen/0000/script.sh', 'scripts/gen/0001/script.sh', 'scripts/gen/0002/script.sh']);
    for (const entry of Object.values(remote.scripts)) expect(entry.id).toBe(car.get(entry.title!));
    // The workspace holds what was committed, for later steps of the job.
    expect(await readFile(path.join(workspace, STATE_PATH), 'utf8')).toBe(h.github.fileText(STATE_PATH));

    const [last] = h.github.commits();
    expect(last!.message).toContain('[skip ci]');
    expect(h.github.requests({ method: 'PUT' }).every((r) => String((r.body as { message: string }).message).includes('[skip ci]'))).toBe(true);

    expect(run.outputs).toMatchObject({ created: '3', updated: '0', unchanged: '0', failed: '0', unresolved: '0', 'state-changed': 'true', 'commit-sha': last!.sha });
    const plan = JSON.parse(run.outputs.plan!) as { actions: { path: string; id: number; result: string }[] };
    expect(plan.actions.map((a) => [a.path, a.id, a.result])).toEqual(Object.entries(remote.scripts).map(([p, e]) => [p, e.id, 'done']));

    for (const [p, e] of Object.entries(remote.scripts)) expect(run.summary).toContain(`| ${p} | ${e.title} | create | ${e.id} | ✅ ok |`);
    expect(run.summary).toContain(`State committed: ${last!.sha}`);

    // A run with nothing to do calls CAR not at all and commits nothing.
    const commitsBefore = h.github.commits().length;
    const requestsBefore = h.car.requests().length;
    const again = await h.run({ event: 'push', workspace, inputs: h.carInputs() });
    expect(again.code).toBe(0);
    expect(again.outputs).toMatchObject({ created: '0', unchanged: '3', 'state-changed': 'false', 'commit-sha': '' });
    expect(h.car.requests()).toHaveLength(requestsBefore);
    expect(h.github.commits()).toHaveLength(commitsBefore);
  });

  it('re-merges when another commit lands between the read and the write of the state file', async () => {
    const h = await startHarness({ scripts: 2 });
    const theirs = serializeState({ version: 1, scripts: { [OTHER_PATH]: { id: 555, hash: OTHER_HASH, title: 'theirs' } } });
    let injected = false;
    h.github.before({ method: 'PUT', path: `/repos/acme/scripts/contents/${STATE_PATH}` }, (request) => {
      const message = String((request.body as { message?: string }).message);
      if (injected || !message.startsWith('car-sync: record CAR script ids')) return;
      injected = true;
      h.github.setFile(STATE_PATH, theirs, { message: 'Another run recorded an id' });
    });

    const run = await h.run({ event: 'push', inputs: h.carInputs() });

    expect(run.code).toBe(0);
    expect(injected).toBe(true);
    const puts = h.github.requests({ method: 'PUT', path: `/repos/acme/scripts/contents/${STATE_PATH}` }).map((r) => r.status);
    expect(puts.slice(-2)).toEqual([409, 200]);
    const remote = h.remoteState();
    expect(Object.keys(remote.scripts)).toEqual(['scripts/gen/0000/script.sh', 'scripts/gen/0001/script.sh', OTHER_PATH]);
    expect(remote.scripts[OTHER_PATH]).toEqual({ id: 555, hash: OTHER_HASH, title: 'theirs' });
    const car = idsInCar(h);
    expect(remote.scripts['scripts/gen/0000/script.sh']!.id).toBe(car.get('gen script 0'));
    expect(remote.scripts['scripts/gen/0001/script.sh']!.id).toBe(car.get('gen script 1'));
    expect(h.github.commits().map((c) => c.message).slice(0, 2)).toEqual(['car-sync: record CAR script ids [skip ci]', 'Another run recorded an id']);
    expect(run.outputs['commit-sha']).toBe(h.github.branchSha('main'));
  });

  it('plans against the branch tip: a checkout older than the last id commit creates nothing twice', async () => {
    const h = await startHarness({ scripts: 3 });
    const first = await h.run({ event: 'push', inputs: h.carInputs() });
    expect(first.code).toBe(0);
    expect(h.car.scripts()).toHaveLength(3);

    // The second merge's run checked out a commit from before the first run's id commit: its
    // workspace has no state file, and one more script.
    const stale = await h.checkout(generatedScripts(1, 'late'));
    const second = await h.run({ event: 'push', workspace: stale, inputs: h.carInputs() });

    expect(second.code).toBe(0);
    expect(second.outputs).toMatchObject({ created: '1', unchanged: '3', failed: '0', unresolved: '0' });
    expect(h.car.scripts()).toHaveLength(4);
    expect([...h.titleCounts().values()]).toEqual([1, 1, 1, 1]);
    expect(h.car.requests().filter((r) => r.method === 'POST' && r.path === '/sm/v5/script')).toHaveLength(4);
    expect(Object.keys(h.remoteState().scripts)).toHaveLength(4);
  });

  it('max-writes cuts a run short, and the next run continues where it stopped', async () => {
    const h = await startHarness({ scripts: 5 });
    const inputs = { 'base-url': h.car.url, token: CAR_TOKEN, 'max-writes': '3' };

    const first = await h.run({ event: 'schedule', inputs });

    expect(first.code).toBe(0);
    expect(first.outputs).toMatchObject({ created: '3', failed: '0', unresolved: '0' });
    const firstPlan = JSON.parse(first.outputs.plan!) as { actions: { result: string; message?: string }[] };
    expect(firstPlan.actions.filter((a) => a.result === 'skipped')).toHaveLength(2);
    expect(firstPlan.actions.find((a) => a.result === 'skipped')!.message).toMatch(/max-writes 3/);
    expect(first.summary).toContain('⏭️ skipped');
    expect(Object.keys(h.remoteState().scripts)).toHaveLength(3);

    const second = await h.run({ event: 'schedule', inputs });

    expect(second.code).toBe(0);
    expect(second.outputs).toMatchObject({ created: '2', unchanged: '3' });
    expect([...h.titleCounts().values()]).toEqual([1, 1, 1, 1, 1]);
    expect(Object.values(h.remoteState().scripts).every((e) => e.id !== undefined)).toBe(true);
    expect(Object.keys(h.remoteState().scripts)).toHaveLength(5);
  });

  it('updates a changed script in place, under its recorded id', async () => {
    const h = await startHarness({ scripts: 2 });
    expect((await h.run({ event: 'push', inputs: h.carInputs() })).code).toBe(0);
    const idOf0 = h.remoteState().scripts['scripts/gen/0000/script.sh']!.id;

    const edited = await h.checkout({ 'scripts/gen/0000/script.sh': '#!/bin/bash\necho "fixed better"\n' });
    const run = await h.run({ event: 'push', workspace: edited, inputs: h.carInputs() });

    expect(run.code).toBe(0);
    expect(run.outputs).toMatchObject({ created: '0', updated: '1', unchanged: '1', 'state-changed': 'true' });
    expect(h.car.scripts()).toHaveLength(2);
    const stored = h.car.scripts().find((s) => s.id === idOf0)!;
    expect(stored.version).toBe(2);
    expect(Buffer.from(String(stored.body.content), 'base64').toString()).toContain('fixed better');
    expect(run.summary).toContain(`| scripts/gen/0000/script.sh | gen script 0 | update | ${idOf0} | ✅ ok |`);
  });

  it('without a github-token, syncs, leaves the state in the workspace and warns that it was not committed', async () => {
    const h = await startHarness({ scripts: 2 });
    const workspace = await h.checkout();
    const run = await h.run({ event: 'push', workspace, inputs: { ...h.carInputs(), 'github-token': '' } });
    expect(run.code).toBe(0);
    expect(h.car.scripts()).toHaveLength(2);
    expect(h.github.writes()).toHaveLength(0);
    const local = JSON.parse(await readFile(path.join(workspace, STATE_PATH), 'utf8')) as { scripts: Record<string, { id?: number }> };
    expect(Object.values(local.scripts).map((e) => e.id).sort()).toEqual(h.car.scripts().map((s) => s.id).sort());
    expect(run.annotations).toContainEqual(expect.objectContaining({ kind: 'warning', message: expect.stringMatching(/not committed: no github-token/) }));
    expect(run.summary).toContain('The state file was not committed: no github-token was given');
  });
});
