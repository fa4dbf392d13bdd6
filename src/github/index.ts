export { createGitHubClient, parseRepository, ACTIONS_BOT_LOGIN, type GitHubClient, type GitHubClientOptions } from './client.js';
export { GitHubError } from './errors.js';
export { upsertPullRequestComment, type PullRequestCommentOptions, type PullRequestCommentOutcome } from './pr-comment.js';
export { readRemoteFile, type RemoteFile } from './remote-file.js';
export { commitStateFile, type CommitStateFileOptions, type CommitStateFileResult } from './state-commit.js';
export { mergeStateFiles, renderMergedState, StateConflictError, type StateConflict, type StateMerge } from '../plan/merge-state.js';
export { commitStateViaPullRequest, STATE_BRANCH, type StatePullRequestOptions, type StatePullRequestResult } from './state-pull-request.js';
export { reportScheduledFailure, closeScheduledFailure, FAILURE_LABEL, type ScheduledFailureReport, type ScheduledFailureOutcome } from './failure-issue.js';
export { getDefaultBranch } from './branches.js';
