import path from 'node:path';
import { startEmulator } from '../../src/emulator/server.js';
import { applyOnce, resetForCreates, writeCalls } from '../apply-run.js';
import type { BenchContext } from '../context.js';
import { generateRepository } from '../generate.js';
import { seconds, times, type Row } from '../table.js';

const CALLS = 20;
const WINDOW_SEC = 5;
/** Six windows' worth: about 30 s, long enough that pacing, not start-up, decides the time. */
const SCRIPTS = 120;
const LATENCY_MS = 50;
const CONCURRENCY_LIMIT = 2;
const BOUND_GOAL = 1.1;
const BLOCKS_PER_WINDOW_GOAL = 1;

/**
 * 120 creates against 20 calls per 5-second window: the pacer should keep the pipe full without
 * letting CAR turn calls away. One run: it is long, and its pace is set by the limit, not the machine.
 */
export async function applyUnderRateLimit(context: BenchContext): Promise<Row[]> {
  const root = path.join(context.work, `rate-${SCRIPTS}`);
  context.progress(`rate limit: generating ${SCRIPTS} scripts`);
  await generateRepository(root, SCRIPTS);
  const emulator = await startEmulator({ latencyMs: LATENCY_MS, concurrencyLimit: CONCURRENCY_LIMIT, rateLimit: { calls: CALLS, windowSec: WINDOW_SEC } });
  try {
    context.progress(`rate limit: ${SCRIPTS} creates at ${CALLS} calls per ${WINDOW_SEC} s (about ${(SCRIPTS / CALLS) * WINDOW_SEC} s)`);
    await resetForCreates(emulator, root);
    const run = await applyOnce(context, emulator, root);
    if (emulator.scripts().length !== SCRIPTS) throw new Error(`apply created ${emulator.scripts().length} of ${SCRIPTS} scripts`);

    const calls = writeCalls(run.requests);
    const start = calls[0]?.at ?? 0;
    const blockedPerWindow = new Map<number, number>();
    for (const call of calls) {
      if (call.status !== 409 && call.status !== 429) continue;
      const window = Math.floor((call.at - start) / (WINDOW_SEC * 1000));
      blockedPerWindow.set(window, (blockedPerWindow.get(window) ?? 0) + 1);
    }
    const worstAfterFirst = Math.max(0, ...[...blockedPerWindow].filter(([window]) => window > 0).map(([, count]) => count));
    const blockedTotal = [...blockedPerWindow.values()].reduce((sum, count) => sum + count, 0);
    const boundMs = (SCRIPTS / CALLS) * WINDOW_SEC * 1000;
    return [
      {
        figure: `apply, ${SCRIPTS} creates, rate limit ${CALLS} calls / ${WINDOW_SEC} s`,
        measured: seconds(run.ms),
        reference: `${seconds(boundMs)} bound (calls / rate)`,
        ratio: times(run.ms / boundMs),
        goal: `<= ${BOUND_GOAL}x`,
        pass: run.ms / boundMs <= BOUND_GOAL,
      },
      {
        figure: 'apply, 409s per window after the first (rate limit)',
        measured: `${worstAfterFirst} at most (${blockedTotal} in all)`,
        reference: '-',
        ratio: '-',
        goal: `<= ${BLOCKS_PER_WINDOW_GOAL}`,
        pass: worstAfterFirst <= BLOCKS_PER_WINDOW_GOAL,
      },
    ];
  } finally {
    await emulator.close();
  }
}
