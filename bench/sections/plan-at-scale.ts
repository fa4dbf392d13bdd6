import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { serializeState, type StateFile } from '../../src/plan/state.js';
import { loadRepository } from '../../src/repo/load.js';
import { runChildOk, type ChildRun } from '../child.js';
import { cleanEnv, cliPath, type BenchContext } from '../context.js';
import { generateRepository } from '../generate.js';
import { median, seconds, times, type Row } from '../table.js';

const LARGE = 10_000;
const SMALL = 1_000;
const RUNS = 5;
const PLAN_GOAL = 2;
const MEMORY_GOAL_MB = 300;
/** Linear within the noise of a shared machine. */
const GROWTH_GOAL = 1.1;

/**
 * A mature repository: most scripts unchanged since the last sync, some edited, some new, a few
 * deleted (orphans). Hashes come from car-sync's own loader, so "unchanged" really is unchanged.
 */
async function writeState(root: string): Promise<Record<string, number>> {
  const { scripts, problems } = await loadRepository(root, 'scripts');
  if (problems.length > 0) throw new Error(`the generated repository has problems, e.g. ${problems[0]!.file}: ${problems[0]!.message}`);
  const state: StateFile = { version: 1, scripts: {} };
  const expected = { create: 0, update: 0, unchanged: 0, orphan: 0 };
  scripts.forEach((script, i) => {
    const id = 100_000 + i;
    if (i % 50 === 0) expected.create++;
    else if (i % 33 === 1) {
      state.scripts[script.path] = { id, hash: '0'.repeat(64), title: script.meta.title };
      expected.update++;
    } else {
      state.scripts[script.path] = { id, hash: script.hash, title: script.meta.title };
      expected.unchanged++;
    }
  });
  for (let i = 0; i < scripts.length / 500; i++) {
    state.scripts[`scripts/linux/retired/rule-${i}/script.sh`] = { id: 900_000 + i, hash: 'f'.repeat(64), title: `Retired rule ${i}` };
    expected.orphan++;
  }
  await mkdir(path.join(root, '.car'), { recursive: true });
  await writeFile(path.join(root, '.car', 'state.json'), serializeState(state));
  return expected;
}

function checkPlan(run: ChildRun, expected: Record<string, number>): void {
  const counts = (JSON.parse(run.stdout) as { counts: Record<string, number> }).counts;
  for (const [action, count] of Object.entries(expected)) {
    if (counts[action] !== count) throw new Error(`plan counted ${counts[action]} ${action}, the generator made ${count}`);
  }
}

interface Measured {
  plan: ChildRun[];
  baseline: ChildRun[];
}

/** Plan and baseline alternate, so both see the same moments of a noisy machine. */
async function measure(context: BenchContext, root: string, expected: Record<string, number>): Promise<Measured> {
  const rssHook = path.join(context.helpers, 'max-rss.mjs');
  const plan = () => runChildOk(process.execPath, [cliPath(context), 'plan', '--root', root, '--json'], { env: cleanEnv(), rssHook });
  const baseline = () => runChildOk(process.execPath, [path.join(context.helpers, 'hash-baseline.mjs'), root], { env: cleanEnv(), rssHook });
  // Warm the page cache and check the plan is the one the generator meant.
  checkPlan(await plan(), expected);
  await baseline();
  const measured: Measured = { plan: [], baseline: [] };
  for (let run = 0; run < RUNS; run++) {
    measured.baseline.push(await baseline());
    measured.plan.push(await plan());
  }
  return measured;
}

const ms = (runs: ChildRun[]) => median(runs.map((run) => run.ms));
const pairedRatio = (m: Measured) => median(m.plan.map((run, i) => run.ms / m.baseline[i]!.ms));

export async function planAtScale(context: BenchContext): Promise<Row[]> {
  const measured: Record<number, Measured> = {};
  // One script: what every plan pays whatever the size (start-up, loading car-sync), for the growth
  // figure without it.
  for (const count of [1, SMALL, LARGE]) {
    const root = path.join(context.work, `plan-${count}`);
    context.progress(`plan: generating ${count.toLocaleString('en-US')} script${count === 1 ? '' : 's'}`);
    await generateRepository(root, count);
    const expected = await writeState(root);
    context.progress(`plan: ${RUNS} runs of plan and of the read+sha256 baseline`);
    measured[count] = await measure(context, root, expected);
  }
  const large = measured[LARGE]!;
  const small = measured[SMALL]!;
  const ratio = pairedRatio(large);
  const peakMb = Math.max(...large.plan.map((run) => run.maxRssMb ?? Number.NaN));
  const baselineMb = Math.max(...large.baseline.map((run) => run.maxRssMb ?? Number.NaN));
  const fixed = ms(measured[1]!.plan);
  const growth = ms(large.plan) / ms(small.plan) / (LARGE / SMALL);
  const marginalGrowth = (ms(large.plan) - fixed) / (ms(small.plan) - fixed) / ((LARGE - 1) / (SMALL - 1));
  return [
    {
      figure: `plan, ${LARGE.toLocaleString('en-US')} scripts`,
      measured: seconds(ms(large.plan)),
      reference: `${seconds(ms(large.baseline))} read+sha256`,
      ratio: times(ratio),
      goal: `<= ${PLAN_GOAL}x`,
      pass: ratio <= PLAN_GOAL,
    },
    {
      figure: `plan peak memory, ${LARGE.toLocaleString('en-US')} scripts`,
      measured: `${Math.round(peakMb)} MB`,
      reference: `${Math.round(baselineMb)} MB read+sha256`,
      ratio: '-',
      goal: `< ${MEMORY_GOAL_MB} MB`,
      pass: peakMb < MEMORY_GOAL_MB,
    },
    {
      figure: `plan growth, ${SMALL.toLocaleString('en-US')} -> ${LARGE.toLocaleString('en-US')} scripts`,
      measured: seconds(ms(large.plan)),
      reference: `${seconds(ms(small.plan))} x ${LARGE / SMALL}`,
      ratio: times(growth),
      goal: `<= ${GROWTH_GOAL}x (linear)`,
      pass: growth <= GROWTH_GOAL,
    },
    {
      figure: 'plan growth, start-up excluded',
      measured: seconds(ms(large.plan) - fixed),
      reference: `${seconds(ms(small.plan) - fixed)} x ${((LARGE - 1) / (SMALL - 1)).toFixed(2)}`,
      ratio: times(marginalGrowth),
      goal: `<= ${GROWTH_GOAL}x (linear)`,
      pass: marginalGrowth <= GROWTH_GOAL,
    },
  ];
}
