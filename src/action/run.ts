import { readFile } from 'node:fs/promises';
import * as core from '@actions/core';
import { applySucceeded } from '../apply/result.js';
import { ConfigError, requireCar } from '../config.js';
import { createGitHubClient, type GitHubClient } from '../github/client.js';
import { closeScheduledFailure, reportScheduledFailure } from '../github/failure-issue.js';
import { upsertPullRequestComment } from '../github/pr-comment.js';
import { serializeState, writeStateFile, type StateFile } from '../plan/state.js';
import { InvalidRepositoryError } from '../repo/problem.js';
import { commentMarker, renderComment } from '../report/comment.js';
import { failureIssueBody, failureIssueTitle, type FailureReport } from '../report/failure-issue.js';
import { renderMarkdown, type MarkdownReport } from '../report/markdown.js';
import { renderText } from '../report/text.js';
import { prepare, stateFilePath, sync, type Prepared } from '../sync.js';
import { readWorkflowContext, type WorkflowContext } from './context.js';
import { readActionSettings, type ActionSettings } from './inputs.js';
import { savePendingCommit, clearPendingCommit } from './pending-commit.js';
import { readStateOfRecord, StateRecordWriter, type CommitOutcome, type StateRecordTarget } from './state-of-record.js';
import { annotate, setOutputs } from './summary.js';

/** Creates reserved on GitHub per commit, ahead of the one about to be sent. */
const RESERVE_AHEAD = 10;
/** The runner sends SIGTERM 7.5 s after SIGINT on cancellation; finish well before. */
const CANCEL_GRACE_MS = 5000;

/** The state's new text when it differs from the workspace file's; an empty state never creates a file. */
function changedStateText(state: StateFile, workspaceText: string | undefined): string | undefined {
  const text = serializeState(state);
  if (text === workspaceText) return undefined;
  if (workspaceText === undefined && Object.keys(state.scripts).length === 0) return undefined;
  return text;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

async function writeSummary(report: MarkdownReport): Promise<void> {
  await core.summary.addRaw(renderMarkdown(report), true).write();
}

async function commentOnPullRequest(gh: GitHubClient | undefined, ctx: WorkflowContext, settings: ActionSettings, report: MarkdownReport): Promise<string | undefined> {
  if (!gh || !settings.comment || ctx.pullRequest === undefined) return undefined;
  const marker = commentMarker(settings.config.stateFile);
  try {
    const outcome = await upsertPullRequestComment(gh, { issueNumber: ctx.pullRequest, marker, body: renderComment(report, settings.config.stateFile, ctx.runUrl) });
    if (outcome.action === 'forbidden') {
      const why = ctx.fromFork ? 'this pull request comes from a fork, whose token cannot write' : outcome.message;
      core.warning(`The plan was not posted as a comment: ${why}. It is in the job summary.`);
      return 'The plan could not be posted as a pull-request comment (read-only token); this summary is the plan.';
    }
    core.info(`Plan comment ${outcome.action}: ${outcome.url}`);
  } catch (err) {
    core.warning(`The plan was not posted as a comment: ${describe(err)}`);
  }
  return undefined;
}

function stopOnSignal(): AbortSignal {
  const stop = new AbortController();
  const onSignal = () => {
    core.warning('Cancelled: no new CAR calls; finishing those in flight and committing the state.');
    stop.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return stop.signal;
}

async function failValidation(err: InvalidRepositoryError, gh: GitHubClient | undefined, ctx: WorkflowContext, settings: ActionSettings): Promise<void> {
  // The step's own failure below is an error annotation too.
  annotate(err.problems, [], 1);
  const report: MarkdownReport = { heading: `car-sync: ${err.problems.length} problem(s) in the repository`, problems: err.problems };
  const note = settings.mode === 'plan' ? await commentOnPullRequest(gh, ctx, settings, report) : undefined;
  await writeSummary({ ...report, notes: note ? [note] : [] });
  setOutputs({ stateChanged: false });
  core.setFailed(`${err.problems.length} problem(s) found; nothing was sent to CAR. They are annotated on the files and listed in the job summary.`);
}

async function applyAndCommit(
  settings: ActionSettings,
  prepared: Prepared,
  gh: GitHubClient | undefined,
  target: StateRecordTarget | undefined,
  workspaceText: string | undefined,
  runUrl: string | undefined,
): Promise<void> {
  const { config } = settings;
  const localFile = stateFilePath(config);
  const writer = gh && target && settings.commit !== 'none' ? new StateRecordWriter(gh, target) : undefined;
  const startIntents = new Set(Object.keys(prepared.state.scripts).filter((p) => prepared.state.scripts[p]!.id === undefined));
  const upcoming = prepared.plan.actions.filter((a) => a.action === 'create');
  if (target && settings.commit !== 'none') {
    // The post step commits the workspace's file: from here on it must hold the state of record,
    // not an older checkout's, or a step killed before its first change would commit stale entries.
    if (changedStateText(prepared.state, workspaceText) !== undefined) await writeStateFile(localFile, prepared.state);
    savePendingCommit({ target, reserved: [] });
  }

  const persist = async (state: StateFile) => {
    await writeStateFile(localFile, state);
    if (!writer || !target) return;
    const fresh = Object.keys(state.scripts).filter((p) => state.scripts[p]!.id === undefined && !startIntents.has(p) && !writer.reserved.has(p));
    if (fresh.length > 0) await writer.reserve(state, fresh, upcoming, RESERVE_AHEAD, (reserved) => savePendingCommit({ target, reserved }));
  };

  core.startGroup('Apply');
  const result = await sync(config, prepared, {
    persist,
    stop: stopOnSignal(),
    graceMs: CANCEL_GRACE_MS,
    log: (m) => core.info(m),
    updateComment: (path) => `car-sync: ${path} changed${process.env.GITHUB_SHA ? ` in ${process.env.GITHUB_SHA.slice(0, 12)}` : ''}`,
  });
  const stateChanged = changedStateText(result.state, workspaceText) !== undefined;
  if (stateChanged) await writeStateFile(localFile, result.state);
  core.info(renderText(prepared.plan, result));
  core.endGroup();

  const notes: string[] = [];
  let commit: CommitOutcome | undefined;
  let commitError: string | undefined;
  if (writer) {
    core.startGroup('Commit the state file');
    try {
      commit = await writer.commit(result.state, 'car-sync: record CAR script ids');
      clearPendingCommit();
      if (commit.commitSha) notes.push(`State committed: ${commit.commitSha}${commit.pullRequestUrl ? ` (pull request ${commit.pullRequestUrl})` : ''}.`);
      else if (!commit.changed) notes.push('The state file on GitHub was already up to date.');
    } catch (err) {
      commitError = describe(err);
      notes.push(`The state file could not be committed: ${commitError}. The ids are in the table below and in the workspace's ${config.stateFile}.`);
    }
    core.endGroup();
  } else if (settings.commit !== 'none') {
    const why = !gh ? 'no github-token was given' : 'the run is not on a branch (a tag?)';
    notes.push(`The state file was not committed: ${why}; it is left in the workspace's ${config.stateFile}.`);
    core.warning(`The state file was not committed: ${why}. Commit ${config.stateFile} yourself, or ids CAR gave will be missing from the repository.`);
  }

  const succeeded = applySucceeded(result);
  await writeSummary({ heading: `car-sync apply: ${config.stateFile}`, plan: prepared.plan, applied: result, warnings: prepared.warnings, notes });
  setOutputs({ plan: prepared.plan, applied: result, stateChanged, commitSha: commit?.commitSha });
  if (gh && settings.issueOnFailure) {
    await reportOutcomeIssue(gh, succeeded && !commitError, { stateFile: config.stateFile, results: result.results, commitError, runUrl });
  }
  if (commitError) core.setFailed(`The state file could not be committed: ${commitError}`);
  else if (!succeeded) core.setFailed(result.stopped ? 'The run was stopped; the state of what was done is saved.' : 'Some scripts failed or are unresolved; see the job summary.');
}

async function reportOutcomeIssue(gh: GitHubClient, good: boolean, report: FailureReport): Promise<void> {
  try {
    if (good) {
      await closeScheduledFailure(gh, { comment: `car-sync synced \`${report.stateFile}\` successfully${report.runUrl ? ` in ${report.runUrl}` : ''}.` });
      return;
    }
    await reportScheduledFailure(gh, { title: failureIssueTitle(report.stateFile), body: failureIssueBody(report) });
  } catch (err) {
    core.warning(`Could not open or update the failure issue: ${describe(err)}`);
  }
}

export async function runAction(): Promise<void> {
  const ctx = readWorkflowContext();
  let settings: ActionSettings;
  try {
    settings = readActionSettings(ctx.eventName, ctx.workspace);
    if (settings.mode === 'apply') requireCar(settings.config);
  } catch (err) {
    if (err instanceof ConfigError) {
      core.setFailed(`Input "${err.option}": ${err.problem}`);
      return;
    }
    throw err;
  }
  const { config } = settings;
  const gh = settings.githubToken && ctx.repository ? createGitHubClient({ token: settings.githubToken, repository: ctx.repository }) : undefined;
  const target: StateRecordTarget | undefined = ctx.branch ? { path: config.stateFile, branch: ctx.branch, commit: settings.commit } : undefined;
  core.info(`car-sync ${settings.mode} on ${ctx.eventName || 'a local run'}${target ? `, state of record on "${target.branch}"` : ''}`);

  const workspaceText = await readFile(stateFilePath(config), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  let prepared: Prepared;
  core.startGroup('Validate and plan');
  try {
    prepared = await prepare(config, {
      mergeState: (workspace) => (gh && target ? readStateOfRecord(gh, target, workspace) : workspace),
    });
  } catch (err) {
    core.endGroup();
    if (err instanceof InvalidRepositoryError) return failValidation(err, gh, ctx, settings);
    throw err;
  }
  core.info(renderText(prepared.plan));
  core.endGroup();
  annotate([], prepared.warnings);

  if (settings.mode === 'plan') {
    const report: MarkdownReport = { heading: `car-sync plan: ${config.stateFile}`, plan: prepared.plan, warnings: prepared.warnings };
    const note = await commentOnPullRequest(gh, ctx, settings, report);
    await writeSummary({ ...report, notes: note ? [note] : [] });
    setOutputs({ plan: prepared.plan, stateChanged: false });
    return;
  }
  await applyAndCommit(settings, prepared, gh, target, workspaceText, ctx.runUrl);
}
