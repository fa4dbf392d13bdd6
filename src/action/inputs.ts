import * as core from '@actions/core';
import { ConfigError, parseBoolean, resolveConfig, type Config, type RawOptions } from '../config.js';

export type Mode = 'plan' | 'apply';
export type CommitMode = 'push' | 'pull-request' | 'none';

/** The action's settings beyond the shared Config: what only a workflow has. */
export interface ActionSettings {
  config: Config;
  /** `auto` resolved against the event. */
  mode: Mode;
  commit: CommitMode;
  githubToken: string;
  /** Post the plan as a pull-request comment. */
  comment: boolean;
  /** Open one issue when an apply outside pull requests fails; close it after a good run. */
  issueOnFailure: boolean;
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
const SECRET_INPUTS = ['password', 'token', 'github-token'] as const;

function choice<T extends string>(name: string, value: string, accepted: readonly T[]): T {
  if ((accepted as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(name, `"${value}" is not accepted; expected one of ${accepted.join(', ')}`);
}

/**
 * The only place that reads inputs. Secrets are masked before anything else can print them.
 * The CAR options go through the same `resolveConfig` as the CLI's flags.
 */
export function readActionSettings(eventName: string, workspace: string): ActionSettings {
  for (const name of SECRET_INPUTS) {
    const value = core.getInput(name);
    if (value) core.setSecret(value);
  }
  const raw: RawOptions = {
    root: workspace,
    'scripts-dir': core.getInput('scripts-dir'),
    'state-file': core.getInput('state-file'),
    platform: core.getInput('platform'),
    'base-url': core.getInput('base-url'),
    username: core.getInput('username'),
    password: core.getInput('password'),
    token: core.getInput('token'),
    concurrency: core.getInput('concurrency'),
    'max-writes': core.getInput('max-writes'),
    force: core.getInput('force'),
  };
  const config = resolveConfig(raw, workspace);
  const modeInput = choice('mode', core.getInput('mode') || 'auto', ['auto', 'plan', 'apply'] as const);
  const mode: Mode = modeInput === 'auto' ? (PULL_REQUEST_EVENTS.has(eventName) ? 'plan' : 'apply') : modeInput;
  return {
    config,
    mode,
    commit: choice('commit', core.getInput('commit') || 'push', ['push', 'pull-request', 'none'] as const),
    githubToken: core.getInput('github-token'),
    comment: core.getInput('comment') === '' ? true : parseBoolean('comment', core.getInput('comment')),
    issueOnFailure: parseBoolean('issue-on-failure', core.getInput('issue-on-failure')),
  };
}
