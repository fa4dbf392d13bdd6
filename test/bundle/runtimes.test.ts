import { execFile } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { EXAMPLE_ROOT, PROJECT_ROOT, exampleCopy } from '../support/repo.js';

const exec = promisify(execFile);

/** GitHub runs actions on Node 24 (action.yml: node24); CI and this machine have Node 20. */
let node24: string;
beforeAll(async () => {
  const { stdout } = await exec('npx', ['-y', 'node@24', '-p', 'process.execPath'], { cwd: tmpdir(), timeout: 180_000 });
  node24 = stdout.trim();
}, 200_000);

const runtimes = () => [
  ['Node 20', process.execPath],
  ['Node 24', node24],
];

describe('the committed bundles', () => {
  it('run on Node 24 as well as on Node 20', async () => {
    expect((await exec(node24, ['--version'])).stdout).toMatch(/^v24\./);
    for (const [name, node] of runtimes()) {
      const run = await runCli(['plan', '--root', EXAMPLE_ROOT], { node });
      expect(run.code, `${name}: ${run.stderr}`).toBe(0);
      expect(run.stdout, name).toContain('Plan: 3 create, 1 update, 3 unchanged.');
    }
  });

  it('the action entry plans on both runtimes', async () => {
    for (const [name, node] of runtimes()) {
      const workspace = await exampleCopy();
      const dir = await mkdtemp(path.join(tmpdir(), 'car-sync-runner-'));
      const output = path.join(dir, 'output');
      const summary = path.join(dir, 'summary');
      await writeFile(output, '');
      await writeFile(summary, '');
      const { stdout } = await exec(node!, [path.join(PROJECT_ROOT, 'dist', 'index.js')], {
        env: {
          PATH: process.env.PATH,
          'INPUT_MODE': 'plan',
          GITHUB_EVENT_NAME: 'push',
          GITHUB_WORKSPACE: workspace,
          GITHUB_OUTPUT: output,
          GITHUB_STEP_SUMMARY: summary,
        },
      });
      expect(stdout, name).toContain('Plan: 3 create, 1 update, 3 unchanged.');
      expect(await readFile(output, 'utf8'), name).toMatch(/^created<<.*\n3\n/m);
      expect(await readFile(summary, 'utf8'), name).toContain('**Plan:** 3 create, 1 update, 3 unchanged.');
    }
  });

  it('keep undici\'s require of node:sqlite lazy (a static import kills Node 20 at start)', async () => {
    for (const file of ['cli.js', 'index.js', 'post.js']) {
      const text = await readFile(path.join(PROJECT_ROOT, 'dist', file), 'utf8');
      expect(text, file).not.toMatch(/^import [^;]*["']node:sqlite["']/m);
      expect(text.slice(0, 300), file).toContain('createRequire');
    }
  });
});
