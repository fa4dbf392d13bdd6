import { readFileSync } from 'node:fs';

/** What the runner tells a step about its workflow run, read from its environment. */
export interface WorkflowContext {
  eventName: string;
  /** `owner/name`. */
  repository: string;
  workspace: string;
  /** The pull request's number on pull_request events. */
  pullRequest?: number;
  /** The pull request comes from a fork: its token cannot write. */
  fromFork: boolean;
  /**
   * The branch whose tip holds the state of record: the base branch of a pull request, the pushed
   * branch, or the branch a schedule or dispatch runs on. Undefined for tags.
   */
  branch?: string;
  sha?: string;
  /** Link to this run, for the comment's pointer to the job summary. */
  runUrl?: string;
}

interface EventPayload {
  pull_request?: { number?: number; base?: { ref?: string; repo?: { full_name?: string } }; head?: { repo?: { full_name?: string } } };
}

function readPayload(file: string | undefined): EventPayload {
  if (!file) return {};
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as EventPayload;
  } catch {
    return {};
  }
}

export function readWorkflowContext(env: NodeJS.ProcessEnv = process.env): WorkflowContext {
  const eventName = env.GITHUB_EVENT_NAME ?? '';
  const payload = readPayload(env.GITHUB_EVENT_PATH);
  const pr = payload.pull_request;
  const repository = env.GITHUB_REPOSITORY ?? '';
  const headRepo = pr?.head?.repo?.full_name;
  const branch = pr
    ? (pr.base?.ref ?? env.GITHUB_BASE_REF)
    : env.GITHUB_REF_TYPE === 'tag' || env.GITHUB_REF?.startsWith('refs/tags/')
      ? undefined
      : env.GITHUB_REF_NAME || env.GITHUB_REF?.replace(/^refs\/heads\//, '');
  const server = env.GITHUB_SERVER_URL ?? 'https://github.com';
  return {
    eventName,
    repository,
    workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
    pullRequest: pr?.number,
    fromFork: headRepo !== undefined && headRepo !== repository,
    branch: branch || undefined,
    sha: env.GITHUB_SHA,
    runUrl: env.GITHUB_RUN_ID && repository ? `${server}/${repository}/actions/runs/${env.GITHUB_RUN_ID}` : undefined,
  };
}
