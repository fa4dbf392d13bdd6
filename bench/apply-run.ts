import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { LoggedRequest, RunningEmulator } from '../src/emulator/server.js';
import { runChild, type ChildRun } from './child.js';
import { cleanEnv, cliPath, type BenchContext } from './context.js';

export interface ApplyRun extends ChildRun {
  /** What the emulator received during this run, in arrival order. */
  requests: LoggedRequest[];
}

/** `car-sync apply` of `root` against the emulator, as a user runs it: the shipped CLI, a child process. */
export async function applyOnce(context: BenchContext, emulator: RunningEmulator, root: string): Promise<ApplyRun> {
  const before = emulator.requests().length;
  const run = await runChild(
    process.execPath,
    [cliPath(context), 'apply', '--root', root, '--base-url', emulator.url, '--username', 'demo', '--password', 'demo', '--json'],
    { env: cleanEnv() },
  );
  if (run.code !== 0) throw new Error(`car-sync apply exited ${run.code}:\n${run.stderr.slice(-4000)}`);
  return { ...run, requests: emulator.requests().slice(before) };
}

/** A fresh start: CAR empty, no state file, so every script is a create. */
export async function resetForCreates(emulator: RunningEmulator, root: string): Promise<void> {
  emulator.reset();
  await rm(path.join(root, '.car'), { recursive: true, force: true });
}

export function writeCalls<T extends { path: string }>(requests: readonly T[]): T[] {
  return requests.filter((request) => request.path.startsWith('/sm/'));
}
