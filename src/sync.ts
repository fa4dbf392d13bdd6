import path from 'node:path';
import { applyPlan } from './apply/apply.js';
import { StateJournal, type PersistState } from './apply/journal.js';
import type { ApplyResult } from './apply/result.js';
import type { CarClient } from './car/client-types.js';
import { CarHttpClient } from './car/client.js';
import { requireCar, type Config } from './config.js';
import type { Plan } from './plan/plan.js';
import { planSync } from './plan/planner.js';
import { readStateFile, writeStateFile, type StateFile } from './plan/state.js';
import { loadRepository } from './repo/load.js';
import { InvalidRepositoryError, compareProblems, type Problem } from './repo/problem.js';
import type { Script } from './repo/script.js';

/**
 * The one core both faces call: read and check the repository, then plan; apply on request.
 * Nothing here reads flags, inputs or the environment, and nothing prints.
 */
export interface Prepared {
  scripts: Script[];
  state: StateFile;
  plan: Plan;
  warnings: Problem[];
}

export function stateFilePath(config: Config): string {
  return path.join(config.root, ...config.stateFile.split('/'));
}

/**
 * Loads the repository and the state file and plans. Every problem of both is gathered before
 * failing, so one run shows all of them. `mergeState` lets the action fold in the state of record
 * from the branch tip before planning.
 */
export async function prepare(
  config: Config,
  options: { mergeState?: (local: StateFile) => StateFile | Promise<StateFile> } = {},
): Promise<Prepared> {
  const [repository, stateOrProblems] = await Promise.all([
    loadRepository(config.root, config.scriptsDir),
    readStateFile(stateFilePath(config), config.stateFile).catch((err: unknown) => {
      if (err instanceof InvalidRepositoryError) return err;
      throw err;
    }),
  ]);
  const problems = [...repository.problems];
  if (stateOrProblems instanceof InvalidRepositoryError) problems.push(...stateOrProblems.problems);
  if (problems.length > 0) throw new InvalidRepositoryError(problems.sort(compareProblems));
  const localState = stateOrProblems as StateFile;
  const state = options.mergeState ? await options.mergeState(localState) : localState;
  return {
    scripts: repository.scripts,
    state,
    plan: planSync(repository.scripts, state, { force: config.force }),
    warnings: repository.warnings,
  };
}

export interface SyncDependencies {
  /**
   * Built lazily: a plan with nothing to write never constructs it, so never authenticates.
   * Defaults to the CAR HTTP client of `config.car`; tests hand in their own.
   */
  client?: () => CarClient;
  /** Defaults to writing the state file in the workspace. */
  persist?: PersistState;
  stop?: AbortSignal;
  /** How long calls in flight may finish after `stop`. */
  graceMs?: number;
  log?: (message: string) => void;
  updateComment?: (path: string) => string;
}

/** Calls to CAR the plan asks for; none means no credentials are needed and none are used. */
export function plannedWriteCalls(plan: Plan): number {
  return plan.counts.create + plan.counts.update;
}

export interface SyncResult extends ApplyResult {
  /** The state as the run left it (also written through `persist` at every change). */
  state: StateFile;
}

/**
 * Applies the plan. Credentials are checked before anything happens, and only when the plan has
 * something to write, so a run with nothing to do needs none and sends no request.
 */
export async function sync(config: Config, prepared: Prepared, deps: SyncDependencies = {}): Promise<SyncResult> {
  const car = plannedWriteCalls(prepared.plan) > 0 && !deps.client ? requireCar(config) : undefined;
  const makeClient = deps.client ?? (() => new CarHttpClient({ settings: car!, concurrency: config.concurrency, log: deps.log }));
  const persist = deps.persist ?? ((state: StateFile) => writeStateFile(stateFilePath(config), state));
  const journal = new StateJournal(prepared.state, persist);
  let client: CarClient | undefined;
  const lazyClient: CarClient = {
    createScript: (body, signal) => (client ??= makeClient()).createScript(body, signal),
    updateScript: (id, body, signal) => (client ??= makeClient()).updateScript(id, body, signal),
  };
  try {
    const result = await applyPlan(prepared.plan, {
      client: lazyClient,
      journal,
      // One action more than the client lets into flight: it writes its intent while the others'
      // calls run, so a slot that frees never waits for the disk (~5 ms per call otherwise).
      concurrency: config.concurrency + 1,
      maxWrites: config.maxWrites,
      stop: deps.stop,
      graceMs: deps.graceMs,
      log: deps.log,
      updateComment: deps.updateComment ? (action) => deps.updateComment!(action.path) : undefined,
    });
    return { ...result, state: journal.current() };
  } finally {
    await client?.close?.();
  }
}
