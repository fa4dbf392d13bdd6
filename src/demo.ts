import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applySucceeded } from './apply/result.js';
import { carScriptBody } from './car/payload.js';
import type { Output } from './cli/commands.js';
import { resolveConfig, type Config } from './config.js';
import { startEmulator } from './emulator/server.js';
import { renderText } from './report/text.js';
import { prepare, sync } from './sync.js';

/** scripts-example/ sits beside dist/ in a checkout and in the npm package alike. */
export function bundledExample(): string {
  return fileURLToPath(new URL('../scripts-example', import.meta.url));
}

async function syncOnce(config: Config, io: Output, label: string): Promise<boolean> {
  const prepared = await prepare(config);
  io.out(`\n== ${label}: plan ==\n${renderText(prepared.plan)}`);
  const result = await sync(config, prepared);
  io.out(
    result.writeCalls > 0
      ? `\n== ${label}: apply ==\n${renderText(prepared.plan, result)}`
      : `\n== ${label}: apply ==\nNothing to do: every script is in step with CAR.`,
  );
  return applySucceeded(result);
}

/** The scripts a repository's state file names, as a tenant that already holds them would store them. */
export async function scriptsTheStateNames(config: Config): Promise<{ id: number; body: Record<string, unknown> }[]> {
  const { plan } = await prepare(config);
  return plan.actions
    .filter((a) => a.id !== undefined && a.script)
    .map((a) => ({ id: a.id!, body: { ...carScriptBody(a.script!.meta, a.script!.content) } }));
}

/** Syncs a temporary copy of scripts-example/ against an in-process emulator, then again. */
export async function runDemo(io: Output, example = bundledExample()): Promise<number> {
  const root = await mkdtemp(path.join(tmpdir(), 'car-sync-demo-'));
  await cp(example, root, { recursive: true });
  // The example's state file names scripts "already in CAR": the emulator's tenant holds them.
  const existing = await scriptsTheStateNames(resolveConfig({ root }, process.cwd()));
  const emulator = await startEmulator({ latencyMs: 20, rateLimit: { calls: 300, windowSec: 3600 }, concurrencyLimit: 2, existingScripts: existing });
  try {
    io.out(`CAR emulator on ${emulator.url} (holding ${existing.length} scripts); repository copied to ${root}`);
    const config = resolveConfig({ root, 'base-url': emulator.url, username: 'demo', password: 'demo' }, process.cwd());
    const first = await syncOnce(config, io, 'first run');
    const before = emulator.requests().length;
    const second = await syncOnce(config, io, 'second run');
    const extra = emulator.requests().length - before;
    io.out(`\nSecond run sent ${extra} request(s) to CAR; the emulator holds ${emulator.scripts().length} script(s).`);
    return first && second && extra === 0 ? 0 : 1;
  } finally {
    await emulator.close();
    await rm(root, { recursive: true, force: true });
  }
}
