import { applySucceeded, type ApplyResult } from '../apply/result.js';
import type { Config } from '../config.js';
import { readStateFile, writeStateFile } from '../plan/state.js';
import { adoptScript, forgetScript } from '../plan/state-edits.js';
import { formatProblem } from '../repo/problem.js';
import { planJson } from '../report/json.js';
import { renderText } from '../report/text.js';
import { prepare, stateFilePath, sync } from '../sync.js';

/** Where a command prints; the entry hands in process streams, tests may hand in buffers. */
export interface Output {
  out: (text: string) => void;
  err: (text: string) => void;
}

export async function validateCommand(config: Config, io: Output): Promise<number> {
  const prepared = await prepare(config);
  for (const warning of prepared.warnings) io.err(`warning: ${formatProblem(warning)}`);
  io.out(`${prepared.scripts.length} scripts valid; state file ${config.stateFile} valid.`);
  return 0;
}

export async function planCommand(config: Config, json: boolean, io: Output): Promise<number> {
  const prepared = await prepare(config);
  for (const warning of prepared.warnings) io.err(`warning: ${formatProblem(warning)}`);
  io.out(json ? JSON.stringify(planJson(prepared.plan, undefined, prepared.warnings), null, 2) : renderText(prepared.plan));
  return 0;
}

export async function applyCommand(config: Config, json: boolean, io: Output, stop: AbortSignal): Promise<number> {
  const prepared = await prepare(config);
  for (const warning of prepared.warnings) io.err(`warning: ${formatProblem(warning)}`);
  const result: ApplyResult = await sync(config, prepared, {
    stop,
    log: (message) => io.err(message),
  });
  io.out(json ? JSON.stringify(planJson(prepared.plan, result, prepared.warnings), null, 2) : renderText(prepared.plan, result));
  return applySucceeded(result) ? 0 : 1;
}

export async function adoptCommand(config: Config, path: string, id: string, io: Output): Promise<number> {
  const file = stateFilePath(config);
  const state = await readStateFile(file, config.stateFile);
  if (!/^\d+$/.test(id)) throw new Error(`"${id}" is not a CAR script id; expected a positive whole number`);
  await writeStateFile(file, adoptScript(state, path, Number(id)));
  io.out(`${path} is now managed as CAR script ${id}; the next apply sends the repository's version once.`);
  return 0;
}

export async function forgetCommand(config: Config, path: string, io: Output): Promise<number> {
  const file = stateFilePath(config);
  const state = await readStateFile(file, config.stateFile);
  await writeStateFile(file, forgetScript(state, path));
  io.out(`${path} removed from ${config.stateFile}; if it is still in the repository the next apply creates it.`);
  return 0;
}
