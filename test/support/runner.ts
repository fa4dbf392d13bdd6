/**
 * Runs the built action (`node dist/index.js`, then `node dist/post.js`) as a child process the way
 * the GitHub runner starts a `node24` action: inputs as `INPUT_<NAME>` variables with action.yml's
 * defaults, the event payload in a file named by `GITHUB_EVENT_PATH`, file commands
 * (`GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, `GITHUB_STATE`) read back after the step, the state the
 * main step saved handed to the post step as `STATE_<name>`, and workflow commands (`::error ...`)
 * parsed from stdout. Nothing of the test process's environment leaks into the child: a test run
 * inside GitHub Actions must not hand the child the real runner's files or tokens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { PROJECT_ROOT, TEST_NODE } from './repo.js';

export type EventName = 'push' | 'pull_request' | 'schedule' | 'workflow_dispatch';

/** What the runner needs to know of the GitHub it talks to; a `FakeGitHub` is one. */
export interface GitHubEndpoint {
  /** Base URL of the REST API, handed over as GITHUB_API_URL. */
  url: string;
  /** `owner/name`. */
  repository: string;
  defaultBranch: string;
  /** What `${{ github.token }}` stands for. */
  token: string;
}

export interface PullRequestEvent {
  number: number;
  /** Default: the repository's default branch. */
  baseRef?: string;
  /** Default `feature`. */
  headRef?: string;
  /** `owner/name` of the head repository: another name makes it a pull request from a fork. */
  headRepository?: string;
}

export interface StepOptions {
  github: GitHubEndpoint;
  /** The checkout: GITHUB_WORKSPACE and the step's working directory. */
  workspace: string;
  event: EventName;
  /** Branch of a push, schedule or dispatch run. Default: the default branch. */
  branch?: string;
  /** Required for `pull_request`. */
  pullRequest?: PullRequestEvent;
  /** `with:` of the step; action.yml's defaults fill the rest. */
  inputs?: Record<string, string>;
  /** GITHUB_SHA; default a fixed fake commit id. */
  sha?: string;
  /** Added last (e.g. CAR_* variables of `env:`). */
  env?: Record<string, string>;
}

/** One workflow command (`::error file=a,line=1,col=2::message`) from stdout. */
export interface Annotation {
  kind: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

export interface StepRun {
  /** Exit code; null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** stdout as the runner shows it in the log: `::add-mask::` commands are consumed, not shown. */
  log: string;
  /** From GITHUB_OUTPUT. */
  outputs: Record<string, string>;
  /** The text the step appended to GITHUB_STEP_SUMMARY. */
  summary: string;
  /** From GITHUB_STATE: what the post step will receive as STATE_<name>. */
  state: Record<string, string>;
  annotations: Annotation[];
  /** Values the step asked the runner to mask. */
  masked: string[];
}

/** A step that is still running: a test can wait for a moment, then kill or cancel it. */
export interface RunningStep {
  /** The node process; undefined for the moment between start and spawn. */
  child(): ChildProcess | undefined;
  /** stdout so far. */
  stdout(): string;
  /** SIGKILL: the runner machine is gone. SIGINT: the job was cancelled. */
  kill(signal: NodeJS.Signals): void;
  done: Promise<StepRun>;
}

interface StepFiles {
  output: string;
  summary: string;
  state: string;
  runnerTemp: string;
}

const FAKE_SHA = '0123456789abcdef0123456789abcdef01234567';

interface ActionInputSpec {
  default?: unknown;
}

let actionDefaults: Record<string, string> | undefined;

/** action.yml's input defaults, with `${{ github.token }}` left as an expression to fill per run. */
export function actionInputDefaults(): Record<string, string> {
  if (!actionDefaults) {
    const action = parseYaml(readFileSync(path.join(PROJECT_ROOT, 'action.yml'), 'utf8')) as { inputs?: Record<string, ActionInputSpec> };
    actionDefaults = {};
    for (const [name, spec] of Object.entries(action.inputs ?? {})) {
      actionDefaults[name] = spec?.default === undefined || spec.default === null ? '' : String(spec.default);
    }
  }
  return actionDefaults;
}

function evaluateDefault(value: string, github: GitHubEndpoint): string {
  return value.replace(/\$\{\{\s*github\.token\s*\}\}/g, github.token);
}

/** The runner's name for an input's variable: upper case, spaces to underscores, dashes kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

function repositoryJson(fullName: string, defaultBranch: string) {
  const [owner, name] = fullName.split('/') as [string, string];
  return { name, full_name: fullName, owner: { login: owner }, default_branch: defaultBranch, fork: false };
}

/** Payloads shaped like GitHub's (the fields actions read, and a few around them). */
export function eventPayload(options: StepOptions): Record<string, unknown> {
  const { github, event } = options;
  const repository = repositoryJson(github.repository, github.defaultBranch);
  const sha = options.sha ?? FAKE_SHA;
  const sender = { login: 'octocat', type: 'User' };
  switch (event) {
    case 'push': {
      const branch = options.branch ?? github.defaultBranch;
      return { ref: `refs/heads/${branch}`, before: '0'.repeat(40), after: sha, created: false, deleted: false, forced: false, head_commit: { id: sha, message: 'Add a script' }, repository, pusher: { name: 'octocat' }, sender };
    }
    case 'pull_request': {
      const pr = options.pullRequest;
      if (!pr) throw new Error('runner: a pull_request event needs `pullRequest`');
      const baseRef = pr.baseRef ?? github.defaultBranch;
      const headRepository = pr.headRepository ?? github.repository;
      const headRepo = { ...repositoryJson(headRepository, github.defaultBranch), fork: headRepository !== github.repository };
      return {
        action: 'synchronize',
        number: pr.number,
        pull_request: {
          number: pr.number,
          state: 'open',
          title: 'Add a script',
          user: sender,
          head: { ref: pr.headRef ?? 'feature', sha, label: `${headRepository.split('/')[0]}:${pr.headRef ?? 'feature'}`, repo: headRepo },
          base: { ref: baseRef, sha: FAKE_SHA.split('').reverse().join(''), label: `${github.repository.split('/')[0]}:${baseRef}`, repo: repository },
        },
        repository,
        sender,
      };
    }
    case 'schedule':
      return { schedule: '17 3 * * *', repository, workflow: '.github/workflows/car-sync.yml' };
    case 'workflow_dispatch':
      return { inputs: {}, ref: `refs/heads/${options.branch ?? github.defaultBranch}`, repository, sender, workflow: '.github/workflows/car-sync.yml' };
  }
}

/** GITHUB_REF and its siblings as the runner sets them for the event. */
function refVariables(options: StepOptions): Record<string, string> {
  if (options.event === 'pull_request') {
    const pr = options.pullRequest!;
    return {
      GITHUB_REF: `refs/pull/${pr.number}/merge`,
      GITHUB_REF_NAME: `${pr.number}/merge`,
      GITHUB_REF_TYPE: 'branch',
      GITHUB_BASE_REF: pr.baseRef ?? options.github.defaultBranch,
      GITHUB_HEAD_REF: pr.headRef ?? 'feature',
    };
  }
  const branch = options.branch ?? options.github.defaultBranch;
  return { GITHUB_REF: `refs/heads/${branch}`, GITHUB_REF_NAME: branch, GITHUB_REF_TYPE: 'branch', GITHUB_BASE_REF: '', GITHUB_HEAD_REF: '' };
}

/**
 * Parses a file command file (GITHUB_OUTPUT, GITHUB_STATE): `name<<DELIMITER\nvalue\nDELIMITER`
 * entries, and the older `name=value` lines.
 */
export function parseFileCommands(text: string): Record<string, string> {
  const values: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string];
      const value: string[] = [];
      for (i += 1; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!);
      if (i >= lines.length) throw new Error(`runner: file command "${name}" has no closing delimiter ${delimiter}`);
      values[name] = value.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`runner: cannot read file command line ${JSON.stringify(line)}`);
    values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return values;
}

function unescapeData(text: string): string {
  return text.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}

function unescapeProperty(text: string): string {
  return unescapeData(text).replace(/%3A/gi, ':').replace(/%2C/gi, ',');
}

/** `::error file=f,line=1,col=2::message` lines of stdout (the runner turns them into annotations). */
export function parseAnnotations(stdout: string): Annotation[] {
  const annotations: Annotation[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = /^::(error|warning|notice)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!match) continue;
    const properties: Record<string, string> = {};
    for (const pair of (match[2] ?? '').split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq)] = unescapeProperty(pair.slice(eq + 1));
    }
    annotations.push({ kind: match[1] as Annotation['kind'], message: unescapeData(match[3]!), properties });
  }
  return annotations;
}

function maskedValues(stdout: string): string[] {
  return stdout
    .split(/\r?\n/)
    .map((line) => /^::add-mask::(.*)$/.exec(line)?.[1])
    .filter((value): value is string => value !== undefined)
    .map(unescapeData);
}

async function readIfPresent(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/** Whatever the runner sets that a test cannot pick: PATH to find node, a throwaway HOME. */
function baseEnvironment(runnerTemp: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: runnerTemp,
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: runnerTemp,
  };
}

async function stepEnvironment(options: StepOptions, runnerTemp: string, savedState: Record<string, string>): Promise<{ env: Record<string, string>; files: StepFiles }> {
  const { github } = options;
  const eventFile = path.join(runnerTemp, 'event.json');
  await writeFile(eventFile, JSON.stringify(eventPayload(options), null, 2));
  const files = { output: path.join(runnerTemp, 'output'), summary: path.join(runnerTemp, 'step_summary'), state: path.join(runnerTemp, 'state') };
  await Promise.all(Object.values(files).map((file) => writeFile(file, '')));

  const env: Record<string, string> = {
    ...baseEnvironment(runnerTemp),
    GITHUB_EVENT_NAME: options.event,
    GITHUB_EVENT_PATH: eventFile,
    GITHUB_REPOSITORY: github.repository,
    GITHUB_REPOSITORY_OWNER: github.repository.split('/')[0]!,
    GITHUB_SHA: options.sha ?? FAKE_SHA,
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_STATE: files.state,
    GITHUB_API_URL: github.url,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'car-sync',
    GITHUB_JOB: 'sync',
    ...refVariables(options),
  };
  const inputs = { ...actionInputDefaults(), ...(options.inputs ?? {}) };
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = evaluateDefault(value, github);
  for (const [name, value] of Object.entries(savedState)) env[`STATE_${name}`] = value;
  return { env: { ...env, ...(options.env ?? {}) }, files: { ...files, runnerTemp } };
}

function startStep(entry: 'index.js' | 'post.js', options: StepOptions, savedState: Record<string, string>): RunningStep {
  let stdout = '';
  let stderr = '';
  let child: ChildProcess | undefined;
  let killRequest: NodeJS.Signals | undefined;
  const started = (async () => {
    const runnerTemp = await mkdtemp(path.join(tmpdir(), 'car-sync-runner-'));
    const { env, files } = await stepEnvironment(options, runnerTemp, savedState);
    const spawned = spawn(TEST_NODE, [path.join(PROJECT_ROOT, 'dist', entry)], { cwd: options.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child = spawned;
    spawned.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    spawned.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    if (killRequest) spawned.kill(killRequest);
    return { spawned, files };
  })();

  const done = started.then(
    ({ spawned, files }) =>
      new Promise<StepRun>((resolve, reject) => {
        spawned.on('error', reject);
        spawned.on('close', (code, signal) => {
          void (async () => {
            const [outputText, summary, stateText] = await Promise.all([readIfPresent(files.output), readIfPresent(files.summary), readIfPresent(files.state)]);
            await rm(files.runnerTemp, { recursive: true, force: true });
            resolve({
              code,
              signal,
              stdout,
              stderr,
              log: stdout
                .split('\n')
                .filter((line) => !line.startsWith('::add-mask::'))
                .join('\n'),
              outputs: parseFileCommands(outputText),
              summary,
              state: parseFileCommands(stateText),
              annotations: parseAnnotations(stdout),
              masked: maskedValues(stdout),
            });
          })().catch(reject);
        });
      }),
  );

  return {
    child: () => child,
    stdout: () => stdout,
    kill(signal) {
      if (child) child.kill(signal);
      else killRequest = signal;
    },
    done,
  };
}

/** Starts the action's main step; await `done`, or kill it first. */
export function startAction(options: StepOptions): RunningStep {
  return startStep('index.js', options, {});
}

/** Runs the action's main step to its end. */
export function runAction(options: StepOptions): Promise<StepRun> {
  return startAction(options).done;
}

/**
 * Runs the post step (`post-if: always()`: also after a failed, cancelled or killed main step)
 * with the state the main step saved, and the same inputs.
 */
export function runPost(options: StepOptions, savedState: Record<string, string>): Promise<StepRun> {
  return startStep('post.js', options, savedState).done;
}
