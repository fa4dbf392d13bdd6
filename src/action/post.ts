import * as core from '@actions/core';
import { createGitHubClient } from '../github/client.js';
import { readStateFile } from '../plan/state.js';
import { readWorkflowContext } from './context.js';
import { clearPendingCommit, readPendingCommit } from './pending-commit.js';
import { StateRecordWriter } from './state-of-record.js';
import path from 'node:path';

/** The post step: commits the state file when the main step could not (cancelled, or failed part way). */
export async function runPost(): Promise<void> {
  const pending = readPendingCommit();
  if (!pending) return;
  const ctx = readWorkflowContext();
  const token = core.getInput('github-token');
  if (!token) return;
  const gh = createGitHubClient({ token, repository: ctx.repository });
  const file = path.join(ctx.workspace, ...pending.target.path.split('/'));
  const state = await readStateFile(file, pending.target.path);
  // The main step stopped before it recorded or reserved anything: no empty state file to commit.
  if (Object.keys(state.scripts).length === 0 && pending.reserved.length === 0) return;
  const writer = new StateRecordWriter(gh, pending.target, pending.reserved);
  const outcome = await writer.commit(state, 'car-sync: record CAR script ids (after an interrupted run)');
  clearPendingCommit();
  core.info(outcome.commitSha ? `State committed by the post step: ${outcome.commitSha}` : 'The state on GitHub was already up to date.');
}
