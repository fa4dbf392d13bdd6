import { spawnSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startEmulator, type RunningEmulator } from '../../src/emulator/server.js';
import { applyOnce, resetForCreates, writeCalls, type ApplyRun } from '../apply-run.js';
import { runChild, type ChildRun } from '../child.js';
import { cleanEnv, type BenchContext } from '../context.js';
import { generateRepository } from '../generate.js';
import { median, seconds, times, type Row } from '../table.js';

const SCRIPTS = 300;
const LATENCY_MS = 50;
const CONCURRENCY_LIMIT = 2;
const RUNS = 3;
const BOUND_GOAL = 1.15;
const CURL_GOAL = 1.8;

function hasCurl(): boolean {
  return spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The bodies car-sync sent, as the emulator stored them: the curl loop sends exactly these. */
async function writeBodies(emulator: RunningEmulator, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const scripts = emulator.scripts();
  await Promise.all(scripts.map((script, i) => writeFile(path.join(dir, `${String(i).padStart(5, '0')}.json`), JSON.stringify(script.body))));
}

async function curlLoop(context: BenchContext, emulator: RunningEmulator, bodies: string): Promise<ChildRun> {
  emulator.reset();
  const run = await runChild('bash', [path.join(context.repoRoot, 'bench', 'curl-loop.sh'), emulator.url, bodies], { env: cleanEnv() });
  const created = run.stdout.split('\n').filter((status) => status === '200').length;
  if (run.code !== 0 || created !== SCRIPTS) throw new Error(`the curl loop created ${created} of ${SCRIPTS} scripts (exit ${run.code}): ${run.stderr.slice(-2000)}`);
  return run;
}

async function applyCreates(context: BenchContext, emulator: RunningEmulator, root: string): Promise<ApplyRun> {
  await resetForCreates(emulator, root);
  const run = await applyOnce(context, emulator, root);
  if (emulator.scripts().length !== SCRIPTS) throw new Error(`apply created ${emulator.scripts().length} of ${SCRIPTS} scripts`);
  return run;
}

/** 300 creates against CAR's default concurrency limit of 2, each call held 50 ms: nothing may idle. */
export async function applyAtConcurrencyLimit(context: BenchContext): Promise<Row[]> {
  const root = path.join(context.work, `apply-${SCRIPTS}`);
  const bodies = path.join(context.work, 'curl-bodies');
  context.progress(`concurrency: generating ${SCRIPTS} scripts`);
  await generateRepository(root, SCRIPTS);
  const emulator = await startEmulator({ latencyMs: LATENCY_MS, concurrencyLimit: CONCURRENCY_LIMIT });
  try {
    const curl = hasCurl();
    const applies: ApplyRun[] = [];
    const loops: ChildRun[] = [];
    context.progress(`concurrency: ${RUNS} applies of ${SCRIPTS} creates${curl ? ' and as many curl loops' : ' (curl not installed: no curl baseline)'}`);
    // The first apply warms the disk cache and provides the bodies the curl loop sends.
    await applyCreates(context, emulator, root);
    await writeBodies(emulator, bodies);
    for (let run = 0; run < RUNS; run++) {
      applies.push(await applyCreates(context, emulator, root));
      if (curl) loops.push(await curlLoop(context, emulator, bodies));
    }
    const boundMs = (SCRIPTS * LATENCY_MS) / CONCURRENCY_LIMIT;
    const applyMs = median(applies.map((run) => run.ms));
    const turnedAway = Math.max(...applies.map((run) => writeCalls(run.requests).filter((r) => r.status === 409 || r.status === 429).length));
    const rows: Row[] = [
      {
        figure: `apply, ${SCRIPTS} creates, concurrency limit ${CONCURRENCY_LIMIT}, ${LATENCY_MS} ms latency`,
        measured: seconds(applyMs),
        reference: `${seconds(boundMs)} bound`,
        ratio: times(applyMs / boundMs),
        goal: `<= ${BOUND_GOAL}x`,
        pass: applyMs / boundMs <= BOUND_GOAL,
      },
      {
        figure: 'apply, calls turned away by the concurrency limit',
        measured: String(turnedAway),
        reference: '-',
        ratio: '-',
        goal: 'reported',
      },
    ];
    if (curl) {
      const speedup = median(applies.map((run, i) => loops[i]!.ms / run.ms));
      rows.push({
        figure: `apply vs a curl loop, ${SCRIPTS} creates`,
        measured: seconds(applyMs),
        reference: `${seconds(median(loops.map((run) => run.ms)))} curl loop`,
        ratio: `${times(speedup)} faster`,
        goal: `>= ${CURL_GOAL}x faster`,
        pass: speedup >= CURL_GOAL,
      });
    } else {
      rows.push({ figure: `apply vs a curl loop, ${SCRIPTS} creates`, measured: seconds(applyMs), reference: 'curl not installed', ratio: '-', goal: `>= ${CURL_GOAL}x faster` });
    }
    return rows;
  } finally {
    await emulator.close();
  }
}
