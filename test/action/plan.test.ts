import { describe, expect, it } from 'vitest';
import { generatedScripts } from '../support/repo.js';
import { startHarness } from './harness.js';

/** 15 scripts whose meta.yaml says `severity: 9` (CAR accepts 1 to 5) on line 2, column 11. */
function brokenScripts(count: number): Record<string, string> {
  const files = generatedScripts(count, 'bad');
  for (const [file, text] of Object.entries(files)) {
    if (file.endsWith('meta.yaml')) files[file] = text.replace('severity: 3', 'severity: 9');
  }
  return files;
}

describe('pull_request in mode auto: the plan', () => {
  it('sets the outputs, writes the summary, comments once and never calls CAR, even with credentials', async () => {
    const h = await startHarness({ scripts: 3 });
    const pr = h.github.addPullRequest({ head: 'feature' });

    const first = await h.run({ event: 'pull_request', pullRequest: { number: pr.number }, inputs: h.carInputs() });

    expect(first.code).toBe(0);
    expect(first.outputs).toMatchObject({ created: '3', updated: '0', unchanged: '0', failed: '0', unresolved: '0', 'state-changed': 'false', 'commit-sha': '' });
    const plan = JSON.parse(first.outputs.plan!) as { actions: { action: string; path: string; title: string }[]; counts: Record<string, number> };
    expect(plan.counts.create).toBe(3);
    expect(plan.actions.map((a) => [a.action, a.path, a.title])).toEqual([
      ['create', 'scripts/gen/0000/script.sh', 'gen script 0'],
      ['create', 'scripts/gen/0001/script.sh', 'gen script 1'],
      ['create', 'scripts/gen/0002/script.sh', 'gen script 2'],
    ]);
    expect(first.summary).toContain('car-sync plan');
    expect(first.summary).toContain('**Plan:** 3 create.');
    expect(first.summary).toContain('| scripts/gen/0001/script.sh | gen script 1 | create |  |');
    expect(h.car.requests()).toEqual([]);
    expect(h.car.scripts()).toEqual([]);

    const comments = h.github.comments(pr.number);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.login).toBe('github-actions[bot]');
    expect(comments[0]!.body).toContain('<!-- car-sync:plan .car/state.json -->');
    expect(comments[0]!.body).toContain('3 create');

    // The author pushes a fourth script: the same comment is updated, never a second one.
    const second = await h.run({
      event: 'pull_request',
      pullRequest: { number: pr.number },
      workspace: await h.checkout(generatedScripts(1, 'more')),
    });
    expect(second.code).toBe(0);
    expect(second.outputs.created).toBe('4');
    const after = h.github.comments(pr.number);
    expect(after).toHaveLength(1);
    expect(after[0]!.id).toBe(comments[0]!.id);
    expect(after[0]!.body).toContain('4 create');
    expect(h.github.requests({ method: 'PATCH', path: /\/issues\/comments\/\d+$/ }).map((r) => r.status)).toEqual([200]);
    expect(h.github.writes().filter((w) => w.method !== 'PATCH' || !/comments/.test(w.path)).map((w) => `${w.method} ${w.path}`)).toEqual([
      `POST /repos/acme/scripts/issues/${pr.number}/comments`,
    ]);
    expect(h.car.requests()).toEqual([]);
  });

  it('annotates validation errors on their file, line and column, 10 annotations at most, lists all 15 in the summary, fails, and calls no CAR', async () => {
    const h = await startHarness({ files: brokenScripts(15) });
    const pr = h.github.addPullRequest();

    const run = await h.run({ event: 'pull_request', pullRequest: { number: pr.number }, inputs: h.carInputs() });

    expect(run.code).toBe(1);
    // GitHub shows 10 error annotations per step; the step's own failure is one of them.
    expect(run.stdout.split('\n').filter((line) => line.startsWith('::error')).length).toBe(10);
    const errors = run.annotations.filter((a) => a.kind === 'error' && a.properties.file !== undefined);
    expect(errors).toHaveLength(9);
    for (const [i, error] of errors.entries()) {
      expect(error.properties).toMatchObject({ file: `scripts/bad/${String(i).padStart(4, '0')}/meta.yaml`, line: '2', col: '11' });
      expect(error.message).toMatch(/severity/);
    }
    expect(run.annotations.filter((a) => a.kind === 'error' && a.properties.file === undefined).map((a) => a.message)).toEqual([
      expect.stringContaining('15 problem(s)'),
    ]);
    for (let i = 0; i < 15; i++) expect(run.summary).toContain(`scripts/bad/${String(i).padStart(4, '0')}/meta.yaml:2:11:`);
    expect(run.summary).toContain('Errors (15)');
    expect(h.car.requests()).toEqual([]);
  });

  it('in apply mode, validation errors stop the run before any CAR call or commit', async () => {
    const h = await startHarness({ files: { ...generatedScripts(2), ...brokenScripts(1) } });

    const run = await h.run({ event: 'push', inputs: h.carInputs() });

    expect(run.code).toBe(1);
    expect(run.annotations.find((a) => a.properties.file === 'scripts/bad/0000/meta.yaml')).toMatchObject({ kind: 'error', properties: { line: '2', col: '11' } });
    expect(h.car.requests()).toEqual([]);
    expect(h.github.writes()).toEqual([]);
  });

  it('on a pull request from a fork, a read-only token: a warning and the summary, not a failure', async () => {
    const h = await startHarness({ scripts: 2 });
    const pr = h.github.addPullRequest({ head: 'patch-1', login: 'outsider' });
    h.github.setReadOnly(true);

    const run = await h.run({ event: 'pull_request', pullRequest: { number: pr.number, headRef: 'patch-1', headRepository: 'outsider/scripts' } });

    expect(run.code).toBe(0);
    const warnings = run.annotations.filter((a) => a.kind === 'warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.message).toMatch(/not posted as a comment.*fork/);
    expect(run.summary).toContain('**Plan:** 2 create.');
    expect(run.summary).toMatch(/could not be posted as a pull-request comment/);
    expect(h.github.comments(pr.number)).toEqual([]);
    expect(h.github.writes().map((w) => w.status)).toEqual([403]);
    expect(h.car.requests()).toEqual([]);
  });
});
