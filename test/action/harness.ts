import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect } from 'vitest';
import { startEmulator, type EmulatorOptions, type RunningEmulator } from '../../src/emulator/server.js';
import { parseState, type StateFile } from '../../src/plan/state.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { generatedScripts, tempRepo } from '../support/repo.js';
import { runAction, runPost, startAction, type RunningStep, type StepOptions, type StepRun } from '../support/runner.js';

/** CAR credentials the tests hand to the action; none of them may ever reach a log, summary or output. */
export const CAR_USERNAME = 'ci-sync';
export const CAR_PASSWORD = 'Pa55&word+%=top-secret';
export const CAR_TOKEN = 'car-static-token-9f8e7d6c5b4a';
export const STATE_PATH = '.car/state.json';

export type ActionOptions = Omit<StepOptions, 'github' | 'workspace'> & { workspace?: string };

/** A CAR emulator, a fake GitHub holding the repository, and a way to run the action against both. */
export interface Harness {
  car: RunningEmulator;
  github: FakeGitHub;
  /** The repository's files on the default branch when the harness started (scripts only, no state). */
  files: Record<string, string>;
  /** A fresh checkout: the files above in a new folder, as a new runner would have them; `null` removes a file. */
  checkout(changes?: Record<string, string | null>): Promise<string>;
  /** The `with:` to apply against the emulator with username and password. */
  carInputs(extra?: Record<string, string>): Record<string, string>;
  run(options: ActionOptions): Promise<StepRun>;
  start(options: ActionOptions): RunningStep & { workspace: string };
  post(options: ActionOptions & { workspace: string }, savedState: Record<string, string>): Promise<StepRun>;
  /** The state file on the branch (default: the default branch), parsed. */
  remoteState(branch?: string): StateFile;
  /** Scripts in CAR per title: a duplicate create shows as a count above 1. */
  titleCounts(): Map<string, number>;
}

interface Resources {
  closers: (() => Promise<void>)[];
  runs: StepRun[];
  secrets: string[];
}

const resources: Resources = { closers: [], runs: [], secrets: [] };

/** Every run of every test is checked for secrets once the test is over. */
afterEach(async () => {
  const runs = resources.runs.splice(0);
  const secrets = resources.secrets.splice(0);
  await Promise.all(resources.closers.splice(0).map((close) => close()));
  for (const run of runs) expectNoSecret(run, secrets);
});

/** No secret in stdout (as the log shows it), stderr, the summary, the outputs or the saved state. */
export function expectNoSecret(run: StepRun, secrets: string[]): void {
  const places: Record<string, string> = {
    stdout: run.log,
    stderr: run.stderr,
    summary: run.summary,
    outputs: JSON.stringify(run.outputs),
    state: JSON.stringify(run.state),
  };
  for (const [place, text] of Object.entries(places)) {
    for (const secret of secrets) expect(text.includes(secret), `a secret appeared in ${place}`).toBe(false);
    // A JWT from /auth is a secret too, though no test knows its value.
    expect(text, `a JWT appeared in ${place}`).not.toMatch(/eyJ[\w-]+\.eyJ[\w-]+/);
  }
}

export async function startHarness(options: { scripts?: number; files?: Record<string, string>; emulator?: EmulatorOptions } = {}): Promise<Harness> {
  const files = options.files ?? generatedScripts(options.scripts ?? 3);
  const car = await startEmulator({ users: [{ username: CAR_USERNAME, password: CAR_PASSWORD }], tokens: [CAR_TOKEN], seed: 1, ...options.emulator });
  const github = await startFakeGitHub({ files });
  const folders: string[] = [];
  resources.closers.push(
    () => car.close(),
    () => github.close(),
    async () => void (await Promise.all(folders.map((dir) => rm(dir, { recursive: true, force: true })))),
  );
  resources.secrets.push(CAR_PASSWORD, CAR_TOKEN, github.token);

  const checkout = async (changes: Record<string, string | null> = {}) => {
    const tree: Record<string, string> = { ...files };
    for (const [file, text] of Object.entries(changes)) {
      if (text === null) delete tree[file];
      else tree[file] = text;
    }
    const dir = await tempRepo(tree);
    folders.push(dir);
    return dir;
  };
  const stepOptions = async (o: ActionOptions): Promise<StepOptions> => ({ ...o, github, workspace: o.workspace ?? (await checkout()) });
  const record = (run: StepRun) => {
    resources.runs.push(run);
    return run;
  };

  return {
    car,
    github,
    files,
    checkout,
    carInputs: (extra = {}) => ({ 'base-url': car.url, username: CAR_USERNAME, password: CAR_PASSWORD, ...extra }),
    run: async (o) => record(await runAction(await stepOptions(o))),
    start(o) {
      if (!o.workspace) throw new Error('harness: start() needs a workspace, to look at it while the step runs');
      const step = startAction({ ...o, github, workspace: o.workspace });
      return { ...step, workspace: o.workspace, done: step.done.then(record) };
    },
    post: async (o, savedState) => record(await runPost({ ...o, github }, savedState)),
    remoteState(branch = github.defaultBranch) {
      const text = github.fileText(STATE_PATH, branch);
      if (text === undefined) throw new Error(`no ${STATE_PATH} on ${branch}`);
      return parseState(text, `${STATE_PATH} on ${branch}`);
    },
    titleCounts() {
      const counts = new Map<string, number>();
      for (const s of car.scripts()) counts.set(String(s.body.title), (counts.get(String(s.body.title)) ?? 0) + 1);
      return counts;
    },
  };
}

/** Polls until `condition` holds; the long limit only stops a hung test, it asserts nothing about time. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`gave up waiting until ${what}`);
}

export async function localState(workspace: string): Promise<StateFile> {
  return parseState(await readFile(path.join(workspace, STATE_PATH), 'utf8'), STATE_PATH);
}
