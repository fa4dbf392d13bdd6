import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchContext, Section } from './context.js';
import { applyAtConcurrencyLimit } from './sections/apply-concurrency.js';
import { applyUnderRateLimit } from './sections/apply-rate-limit.js';
import { callCounts } from './sections/call-counts.js';
import { coldStart } from './sections/cold-start.js';
import { planAtScale } from './sections/plan-at-scale.js';
import { renderMarkdownTable, renderTerminalTable, seconds, type Row } from './table.js';

const SECTIONS: Record<string, Section> = {
  plan: planAtScale,
  concurrency: applyAtConcurrencyLimit,
  'rate-limit': applyUnderRateLimit,
  calls: callCounts,
  'cold-start': coldStart,
};

function machine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  return `Node ${process.version}, ${process.platform}/${process.arch}, ${availableParallelism()} x ${cpu}`;
}

/**
 * Runs every section (or those named in BENCH_ONLY, comma separated), prints one table and writes
 * it to bench/results.md. Returns the exit code: 1 when a figure misses its goal.
 */
export async function runBenchmark(options: { repoRoot: string; helpers: string }): Promise<number> {
  const only = process.env.BENCH_ONLY?.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = only?.filter((name) => !(name in SECTIONS)) ?? [];
  if (unknown.length > 0) {
    process.stderr.write(`bench: unknown section ${unknown.join(', ')}; BENCH_ONLY takes ${Object.keys(SECTIONS).join(', ')}\n`);
    return 2;
  }
  const started = performance.now();
  const work = await mkdtemp(path.join(tmpdir(), 'car-sync-bench-'));
  const context: BenchContext = { ...options, work, progress: (line) => process.stderr.write(`bench: ${line}\n`) };
  const rows: Row[] = [];
  try {
    for (const [name, section] of Object.entries(SECTIONS)) {
      if (only && !only.includes(name)) continue;
      const sectionStarted = performance.now();
      rows.push(...(await section(context)));
      context.progress(`${name} done in ${seconds(performance.now() - sectionStarted)}`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  const took = seconds(performance.now() - started);
  process.stdout.write(`\n${renderTerminalTable(rows)}\n\n${machine()}; whole run ${took}.\n`);
  if (!only) {
    const markdown = [
      '# car-sync benchmark results',
      '',
      `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine()}; whole run ${took}.`,
      '',
      renderMarkdownTable(rows),
      '',
    ].join('\n');
    await writeFile(path.join(options.repoRoot, 'bench', 'results.md'), markdown);
  }
  return rows.every((row) => row.pass !== false) ? 0 : 1;
}
