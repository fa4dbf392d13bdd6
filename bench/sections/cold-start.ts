import { cp, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { runChildOk, type ChildRun } from '../child.js';
import { cleanEnv, type BenchContext } from '../context.js';
import { median, seconds, times, type Row } from '../table.js';

const RUNS = 10;
const GOAL = 3;

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(2)} MB`;
}

async function distSize(repoRoot: string): Promise<{ total: number; files: string[] }> {
  const dist = path.join(repoRoot, 'dist');
  const names = (await readdir(dist)).sort();
  const sizes = await Promise.all(names.map(async (name) => ({ name, size: (await stat(path.join(dist, name))).size })));
  return {
    total: sizes.reduce((sum, file) => sum + file.size, 0),
    files: sizes.map((file) => `${file.name} ${megabytes(file.size)}`),
  };
}

/** The action as a runner starts it (`node dist/index.js`), in plan mode on the bundled example. */
export async function coldStart(context: BenchContext): Promise<Row[]> {
  const workspace = path.join(context.work, 'cold-start');
  await cp(path.join(context.repoRoot, 'scripts-example'), workspace, { recursive: true });
  const summary = path.join(context.work, 'step-summary.md');
  const output = path.join(context.work, 'github-output.txt');
  await writeFile(summary, '');
  await writeFile(output, '');
  // No GITHUB_REPOSITORY: the action then makes no GitHub call, so only start-up and local work count.
  const env = cleanEnv({
    'INPUT_MODE': 'plan',
    'INPUT_SCRIPTS-DIR': 'scripts',
    'INPUT_STATE-FILE': '.car/state.json',
    GITHUB_WORKSPACE: workspace,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
  });
  const action = async () => {
    const run = await runChildOk(process.execPath, [path.join(context.repoRoot, 'dist', 'index.js')], { env, cwd: workspace });
    if (!/Plan: /.test(run.stdout)) throw new Error(`the action did not print a plan:\n${run.stdout.slice(-2000)}`);
    return run;
  };
  const bareNode = () => runChildOk(process.execPath, ['-e', ''], { env: cleanEnv() });

  context.progress(`cold start: ${RUNS} runs of the action (plan mode) and of node -e ""`);
  await action();
  const actions: ChildRun[] = [];
  const bare: ChildRun[] = [];
  for (let run = 0; run < RUNS; run++) {
    bare.push(await bareNode());
    actions.push(await action());
  }
  const ratio = median(actions.map((run, i) => run.ms / bare[i]!.ms));
  const size = await distSize(context.repoRoot);
  return [
    {
      figure: 'cold start, action in plan mode on scripts-example',
      measured: seconds(median(actions.map((run) => run.ms))),
      reference: `${seconds(median(bare.map((run) => run.ms)))} node -e ""`,
      ratio: times(ratio),
      goal: `<= ${GOAL}x`,
      pass: ratio <= GOAL,
    },
    {
      figure: 'size of dist/',
      measured: megabytes(size.total),
      reference: size.files.join(', '),
      ratio: '-',
      goal: 'reported',
    },
  ];
}
