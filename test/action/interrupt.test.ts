import { describe, expect, it } from 'vitest';
import type { StateFile } from '../../src/plan/state.js';
import { localState, startHarness, STATE_PATH, waitUntil } from './harness.js';

/** `generatedScripts` names script i "gen script i" at scripts/gen/000i/script.sh. */
function pathOfTitle(title: string): string {
  return `scripts/gen/${title.replace('gen script ', '').padStart(4, '0')}/script.sh`;
}

function ids(state: StateFile): Map<string, number> {
  return new Map(Object.entries(state.scripts).flatMap(([path, entry]) => (entry.id === undefined ? [] : [[path, entry.id] as const])));
}

async function recordedLocally(workspace: string): Promise<number> {
  try {
    return ids(await localState(workspace)).size;
  } catch {
    return 0;
  }
}

/** Slow CAR calls, one at a time: a kill or a cancel lands in the middle of the apply. */
const SLOW_CAR = { latencyMs: 150 };
const ONE_AT_A_TIME = { concurrency: '1' };

describe('a runner that dies or a job that is cancelled mid-apply', () => {
  it('killed (SIGKILL), then a new run on a fresh checkout: no script is created twice', async () => {
    const h = await startHarness({ scripts: 14, emulator: SLOW_CAR });
    const step = h.start({ event: 'push', workspace: await h.checkout(), inputs: h.carInputs(ONE_AT_A_TIME) });
    await waitUntil(() => h.car.scripts().length >= 2, 'two scripts are created');
    step.kill('SIGKILL');
    const killed = await step.done;
    expect(killed.signal).toBe('SIGKILL');
    const onGitHub = h.remoteState();

    // A new runner: a checkout of the pushed commit, without the killed runner's local state.
    const next = await h.run({ event: 'push', workspace: await h.checkout(), inputs: h.carInputs() });

    expect([...h.titleCounts().values()].every((count) => count === 1)).toBe(true);
    const plan = JSON.parse(next.outputs.plan!) as { actions: { action: string; path: string; result: string }[] };
    const createdByNext = new Set(plan.actions.filter((a) => a.action === 'create').map((a) => a.path));
    const createdByKilled = h.car.scripts().map((s) => pathOfTitle(String(s.body.title))).filter((path) => !createdByNext.has(path));
    expect(createdByKilled.length).toBeGreaterThanOrEqual(2);
    const actionOf = new Map(plan.actions.map((a) => [a.path, a]));
    for (const path of createdByKilled) {
      // Written on GitHub before the create was sent; its id died with the runner.
      expect(onGitHub.scripts[path], `${path} was recorded on GitHub before its create`).toBeDefined();
      expect(actionOf.get(path), path).toMatchObject({ action: 'unresolved', result: 'unresolved' });
    }
    expect(next.code).toBe(1);
    expect(Number(next.outputs.unresolved)).toBeGreaterThanOrEqual(createdByKilled.length);
    expect(next.summary).toContain('⚠️ unresolved');
    expect(next.summary).toMatch(/car-sync adopt scripts\/gen\/\d{4}\/script\.sh ID/);
    // Scripts beyond what the killed run reserved are created, once each.
    expect(plan.actions.filter((a) => a.action === 'create').every((a) => a.result === 'done')).toBe(true);
  });

  it('cancelled (SIGINT): starts nothing new, finishes the call in flight and commits the ids', async () => {
    const h = await startHarness({ scripts: 8, emulator: SLOW_CAR });
    const workspace = await h.checkout();
    const step = h.start({ event: 'push', workspace, inputs: h.carInputs(ONE_AT_A_TIME) });
    await waitUntil(() => h.car.scripts().length >= 1, 'a script is created');
    step.kill('SIGINT');
    const run = await step.done;

    expect(run.code).toBe(1);
    expect(run.annotations.some((a) => a.kind === 'warning' && /Cancelled/.test(a.message))).toBe(true);
    expect(run.annotations.some((a) => a.kind === 'error' && /stopped/.test(a.message))).toBe(true);
    const inCar = h.car.scripts();
    expect(inCar.length).toBeLessThan(8);
    const remote = h.remoteState();
    // Every script CAR holds is on the branch with its id; what was never sent left no intent.
    expect(ids(remote)).toEqual(new Map(inCar.map((s) => [pathOfTitle(String(s.body.title)), s.id])));
    expect(Object.values(remote.scripts).every((e) => e.id !== undefined)).toBe(true);
    const plan = JSON.parse(run.outputs.plan!) as { actions: { result: string }[] };
    expect(plan.actions.filter((a) => a.result === 'skipped')).toHaveLength(8 - inCar.length);
    expect(run.outputs['commit-sha']).toBe(h.github.branchSha('main'));
    expect(run.state['pending-commit']).toBe('');

    // The post step finds nothing left to do.
    const writes = h.github.writes().length;
    const post = await h.post({ event: 'push', workspace, inputs: h.carInputs() }, run.state);
    expect(post.code).toBe(0);
    expect(h.github.writes()).toHaveLength(writes);
  });

  it('the post step commits the ids the main step recorded locally but never committed', async () => {
    const h = await startHarness({ scripts: 8, emulator: SLOW_CAR });
    const workspace = await h.checkout();
    const step = h.start({ event: 'push', workspace, inputs: h.carInputs(ONE_AT_A_TIME) });
    await waitUntil(async () => (await recordedLocally(workspace)) >= 2, 'two ids are recorded in the workspace');
    step.kill('SIGKILL');
    const killed = await step.done;
    expect(killed.state['pending-commit']).toBeTruthy();
    const local = await localState(workspace);
    expect([...ids(h.remoteState()).keys()]).toEqual([]);

    const post = await h.post({ event: 'push', workspace, inputs: h.carInputs() }, killed.state);

    expect(post.code).toBe(0);
    expect(post.log).toMatch(/State committed by the post step: [0-9a-f]{40}/);
    const remote = h.remoteState();
    for (const [path, id] of ids(local)) expect(remote.scripts[path]?.id, path).toBe(id);
    // Intents reserved for creates that never started are dropped; a started one stays unresolved.
    for (const [path, entry] of Object.entries(remote.scripts)) {
      if (entry.id === undefined) expect(local.scripts[path], `${path} was started`).toBeDefined();
    }
    expect(h.github.commits()[0]!.message).toBe('car-sync: record CAR script ids (after an interrupted run) [skip ci]');
    expect(h.github.fileText(STATE_PATH)).toBeDefined();
  });

  it('the post step never rolls the branch back to an older checkout\'s state file', async () => {
    const h = await startHarness({ scripts: 2, emulator: SLOW_CAR });
    expect((await h.run({ event: 'push', inputs: h.carInputs() })).code).toBe(0);
    const tip = h.github.fileText(STATE_PATH)!;
    const commits = h.github.commits().length;

    // The checkout's state file predates a later update of script 0 (another hash); script 1 was
    // edited since, so this run updates it, and dies during that call.
    const record = h.remoteState();
    const older = { ...record, scripts: { ...record.scripts, 'scripts/gen/0000/script.sh': { ...record.scripts['scripts/gen/0000/script.sh']!, hash: 'a'.repeat(64) } } };
    const workspace = await h.checkout({ [STATE_PATH]: JSON.stringify(older, null, 2), 'scripts/gen/0001/script.sh': '#!/bin/bash\necho "edited"\n' });
    const step = h.start({ event: 'push', workspace, inputs: h.carInputs() });
    await waitUntil(() => h.car.running() >= 1, 'the update is in flight');
    step.kill('SIGKILL');
    const killed = await step.done;

    const post = await h.post({ event: 'push', workspace, inputs: h.carInputs() }, killed.state);

    expect(post.code).toBe(0);
    expect(h.github.fileText(STATE_PATH)).toBe(tip);
    expect(h.github.commits()).toHaveLength(commits);
  });

  it('the post step after a main step that never reached the apply commits nothing', async () => {
    const h = await startHarness({ scripts: 1 });
    const workspace = await h.checkout();
    const saved = { 'pending-commit': JSON.stringify({ target: { path: STATE_PATH, branch: 'main', commit: 'push' }, reserved: [] }) };

    const post = await h.post({ event: 'push', workspace, inputs: h.carInputs() }, saved);

    expect(post.code).toBe(0);
    expect(h.github.writes()).toEqual([]);
    expect(h.github.fileText(STATE_PATH)).toBeUndefined();
  });
});
