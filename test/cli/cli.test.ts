import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { runCli } from '../support/cli.js';
import { EXAMPLE_ROOT, PROJECT_ROOT, TEST_NODE, exampleCopy, generatedScripts, tempRepo } from '../support/repo.js';

let emulator: RunningEmulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

beforeAll(async () => {
  // The tests run the committed bundle; make sure it exists (CI builds before testing).
  await readFile(path.join(PROJECT_ROOT, 'dist', 'cli.js'));
});

describe('car-sync CLI (dist/cli.js)', () => {
  it('plan prints the example plan with counts and exits 0', async () => {
    const run = await runCli(['plan', '--root', EXAMPLE_ROOT]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ACTION\s+PATH\s+ID\s+TITLE/);
    expect(run.stdout).toContain('Plan: 3 create, 1 update, 3 unchanged.');
  });

  it('plan --json follows the plan contract', async () => {
    const run = await runCli(['plan', '--json', '--root', EXAMPLE_ROOT]);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout);
    expect(plan.counts).toMatchObject({ create: 3, update: 1, unchanged: 3 });
    for (const action of plan.actions) {
      expect(['create', 'update', 'unchanged', 'rename', 'orphan', 'unresolved']).toContain(action.action);
      expect(typeof action.path).toBe('string');
      expect(typeof action.title).toBe('string');
    }
    expect(plan.actions.find((a: { action: string }) => a.action === 'update').id).toBe(100506);
  });

  it('validate reports every problem with file:line:col and exits 1', async () => {
    const root = path.join(PROJECT_ROOT, 'test/fixtures/broken/many-errors-in-one-file');
    const expected = JSON.parse(await readFile(path.join(root, 'expected.json'), 'utf8')) as { file: string; line: number }[];
    const run = await runCli(['validate', '--root', root]);
    expect(run.code).toBe(1);
    for (const problem of expected) expect(run.stderr).toContain(`${problem.file}:${problem.line}:`);
    expect(run.stderr).toMatch(/nothing was sent to CAR/);
    const json = await runCli(['plan', '--json', '--root', root]);
    expect(json.code).toBe(1);
    const problems = JSON.parse(json.stdout).problems as string[];
    expect(problems).toHaveLength(expected.length);
    expect(problems[0]).toMatch(new RegExp(`^${expected[0]!.file}:${expected[0]!.line}:`));
  });

  it('validate accepts the example', async () => {
    const run = await runCli(['validate', '--root', EXAMPLE_ROOT]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^7 scripts valid/);
  });

  it('usage errors exit 2', async () => {
    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect((await runCli(['plan', '--no-such-flag'])).code).toBe(2);
    expect((await runCli(['adopt', 'only-one-arg'])).code).toBe(2);
    const badPlatform = await runCli(['apply', '--root', EXAMPLE_ROOT, '--platform', 'XX9', '--token', 't']);
    expect(badPlatform.code).toBe(2);
    expect(badPlatform.stderr).toMatch(/--platform: "XX9" is not a Qualys platform; expected one of US1/);
    const http = await runCli(['apply', '--root', EXAMPLE_ROOT, '--base-url', 'http://car.example.com', '--token', 't']);
    expect(http.code).toBe(2);
    expect(http.stderr).toMatch(/https/);
  });

  it('apply against the emulator syncs, and a second run makes zero requests', async () => {
    emulator = await startEmulator();
    const root = await tempRepo(generatedScripts(4));
    const env = { CAR_BASE_URL: emulator.url, CAR_USERNAME: 'demo', CAR_PASSWORD: 'demo' };
    const first = await runCli(['apply', '--root', root, '--json'], { env });
    expect(first.code).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result.actions.every((a: { result: string; id?: number }) => a.result === 'done' && a.id)).toBe(true);
    expect(emulator.scripts()).toHaveLength(4);
    const before = emulator.requests().length;
    const second = await runCli(['apply', '--root', root], { env });
    expect(second.code).toBe(0);
    expect(emulator.requests().length).toBe(before);
  });

  it('apply exits 1 on an unresolved create, and adopt then forget resolve it', async () => {
    emulator = await startEmulator({ lostAnswerRate: 1, seed: 3 });
    const root = await tempRepo(generatedScripts(2));
    const env = { CAR_BASE_URL: emulator.url, CAR_USERNAME: 'demo', CAR_PASSWORD: 'demo' };
    const run = await runCli(['apply', '--root', root, '--concurrency', '1'], { env });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/unresolved/);
    const plan = JSON.parse((await runCli(['plan', '--json', '--root', root])).stdout);
    expect(plan.counts.unresolved).toBe(2);
    const [first, second] = emulator.scripts();
    const adopt = await runCli(['adopt', 'scripts/gen/0000/script.sh', String(first!.id), '--root', root]);
    expect(adopt.code).toBe(0);
    expect((await runCli(['forget', 'scripts/gen/0001/script.sh', '--root', root])).code).toBe(0);
    const after = JSON.parse((await runCli(['plan', '--json', '--root', root])).stdout);
    expect(after.actions.map((a: { action: string; id?: number }) => [a.action, a.id])).toEqual([
      ['update', first!.id],
      ['create', undefined],
    ]);
    expect(second).toBeDefined();
    expect((await runCli(['forget', 'scripts/none/script.sh', '--root', root])).code).toBe(1);
  });

  it('never prints the password or the token', async () => {
    emulator = await startEmulator({ users: [{ username: 'svc', password: 'S3cr&t+pa%ss' }], failRate: 0.5, seed: 7 });
    const root = await exampleCopy();
    const env = { CAR_BASE_URL: emulator.url, CAR_USERNAME: 'svc', CAR_PASSWORD: 'S3cr&t+pa%ss' };
    const outputs: string[] = [];
    const runs = [await runCli(['apply', '--root', root], { env }), await runCli(['apply', '--root', root, '--json'], { env })];
    const wrong = await runCli(['apply', '--root', root], { env: { ...env, CAR_PASSWORD: 'wrong&pass' } });
    const token = emulator.issueToken('svc');
    const withToken = await runCli(['apply', '--root', root, '--token', token, '--force', '--base-url', emulator.url]);
    for (const run of [...runs, wrong, withToken]) outputs.push(run.stdout, run.stderr);
    const all = outputs.join('\n');
    expect(all).not.toContain('S3cr&t+pa%ss');
    expect(all).not.toContain(encodeURIComponent('S3cr&t+pa%ss'));
    expect(all).not.toContain('wrong&pass');
    expect(all).not.toContain(token);
    expect(wrong.code).toBe(1);
    expect(wrong.stdout + wrong.stderr).toMatch(/refused the username\/password/);
  });

  it('the demo syncs the example and the second run sends nothing', async () => {
    const run = await runCli(['demo']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Plan: 3 create, 1 update, 3 unchanged.');
    expect(run.stdout).toContain('Second run sent 0 request(s) to CAR; the emulator holds 7 script(s).');
  });
});

describe('car-sync emulator as a separate process', () => {
  it('holds the scripts a state file names with --root; apply syncs the example, a second apply sends nothing', async () => {
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('../support/cli.js');
    const child = spawn(TEST_NODE, [CLI, 'emulator', '--root', EXAMPLE_ROOT], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
          if (match && out.includes('holding 4 existing script(s)')) resolve(match[1]!);
        });
        child.on('exit', () => reject(new Error(`emulator exited: ${out}`)));
      });
      const root = await exampleCopy();
      const env = { CAR_BASE_URL: url, CAR_USERNAME: 'demo', CAR_PASSWORD: 'demo' };
      const first = await runCli(['apply', '--root', root], { env });
      expect(first.code, first.stdout + first.stderr).toBe(0);
      expect(first.stdout).toContain('Result: 7 done; 4 write calls.');
      const count = async () => ((await (await fetch(`${url}/__emulator/requests`)).json()) as unknown[]).length;
      const before = await count();
      const second = await runCli(['apply', '--root', root], { env });
      expect(second.code).toBe(0);
      expect(await count()).toBe(before);
      expect(((await (await fetch(`${url}/__emulator/scripts`)).json()) as unknown[]).length).toBe(7);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
