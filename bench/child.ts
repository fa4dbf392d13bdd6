import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

export interface ChildRun {
  /** Wall time from spawn to exit, as a user waiting for the command sees it. */
  ms: number;
  code: number | null;
  stdout: string;
  stderr: string;
  /** Peak resident memory of the child, from its own process.resourceUsage(); undefined when not asked. */
  maxRssMb?: number;
}

export interface ChildOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Path of the bundled max-rss hook: the child reports its peak memory through it. */
  rssHook?: string;
}

/** Runs one command to its end, its output captured (a plan of 10,000 scripts prints megabytes). */
export async function runChild(command: string, args: readonly string[], options: ChildOptions = {}): Promise<ChildRun> {
  let rssDir: string | undefined;
  const env = { ...(options.env ?? process.env) };
  let finalArgs = [...args];
  if (options.rssHook) {
    rssDir = await mkdtemp(path.join(tmpdir(), 'car-sync-bench-rss-'));
    env.CAR_SYNC_BENCH_RSS_FILE = path.join(rssDir, 'rss');
    finalArgs = ['--import', `file://${options.rssHook}`, ...finalArgs];
  }
  try {
    const started = performance.now();
    const child = spawn(command, finalArgs, { env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (exitCode) => resolve(exitCode));
    });
    const ms = performance.now() - started;
    const run: ChildRun = { ms, code, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') };
    if (rssDir) {
      const kb = Number(await readFile(path.join(rssDir, 'rss'), 'utf8').catch(() => 'NaN'));
      run.maxRssMb = kb / 1024;
    }
    return run;
  } finally {
    if (rssDir) await rm(rssDir, { recursive: true, force: true });
  }
}

/** Same as runChild, but a failing command stops the benchmark with its output. */
export async function runChildOk(command: string, args: readonly string[], options: ChildOptions = {}): Promise<ChildRun> {
  const run = await runChild(command, args, options);
  if (run.code !== 0) {
    throw new Error(`${path.basename(command)} ${args.join(' ')} exited ${run.code}:\n${run.stderr.slice(-4000)}\n${run.stdout.slice(-2000)}`);
  }
  return run;
}
