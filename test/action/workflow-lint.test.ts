import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../support/repo.js';

const run = promisify(execFile);
const folders: string[] = [];

afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** A bare project: action.yml, the files its `runs` names, the lint config, and these workflows. */
async function projectWith(workflows: Record<string, string>): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'car-sync-lint-'));
  folders.push(root);
  // actionlint finds the project root (and with it `uses: ./`) by its .git folder.
  await mkdir(path.join(root, '.git'));
  await mkdir(path.join(root, '.github', 'workflows'), { recursive: true });
  await mkdir(path.join(root, 'dist'));
  await cp(path.join(PROJECT_ROOT, 'action.yml'), path.join(root, 'action.yml'));
  await cp(path.join(PROJECT_ROOT, '.github', 'actionlint.yaml'), path.join(root, '.github', 'actionlint.yaml'));
  await Promise.all(['index.js', 'post.js'].map((file) => writeFile(path.join(root, 'dist', file), '')));
  for (const [name, text] of Object.entries(workflows)) await writeFile(path.join(root, '.github', 'workflows', name), text);
  return root;
}

async function lint(cwd: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(PROJECT_ROOT, '.github', 'lint-workflows.cjs')], { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const failed = err as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

const BAD_USE = `name: bad
on: push
jobs:
  sync:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - id: car
        uses: ./
        with:
          mode: apply
          bogus-key: x
      - run: echo "$N"
        env:
          N: \${{ steps.car.outputs.not-an-output }}
`;

it('lint:workflows checks `uses: ./` against action.yml, and passes the example workflows', async () => {
  const examples = (await readdir(path.join(PROJECT_ROOT, '.github', 'workflows'))).filter((name) => name.startsWith('example-'));
  expect(examples.sort()).toEqual(['example-plan.yml', 'example-sync.yml', 'example-tenants.yml']);
  const workflows: Record<string, string> = { 'bad.yml': BAD_USE };
  for (const name of examples) workflows[name] = await readFile(path.join(PROJECT_ROOT, '.github', 'workflows', name), 'utf8');
  const root = await projectWith(workflows);

  const { code, output } = await lint(root);

  expect(code).toBe(1);
  expect(output).toContain('Checking 4 workflow file(s)');
  expect(output).toMatch(/bad\.yml:12:11 input "bogus-key" is not defined in action "Qualys CAR script sync"/);
  expect(output).toMatch(/bad\.yml:15:\d+ property "not-an-output" is not defined/);
  const findings = output.split('\n').filter((line) => /\.yml:\d+:\d+ /.test(line));
  expect(findings.every((line) => line.includes('bad.yml'))).toBe(true);
  expect(findings).toHaveLength(2);
});
