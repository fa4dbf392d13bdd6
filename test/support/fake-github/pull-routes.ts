import { errorReply, paginate, type FakeReply } from './http.js';
import { stringField, userJson, type RouteContext, type RouteTable } from './route-context.js';
import { MAX_BODY_CHARACTERS, type FakeIssue } from './state.js';

function pullJson(ctx: RouteContext, issue: FakeIssue): Record<string, unknown> {
  const pr = issue.pullRequest!;
  const { owner, repo } = ctx.state;
  return {
    id: 700_000 + issue.number,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    merged: pr.merged,
    user: userJson(issue.login),
    url: `${ctx.apiUrl}/repos/${owner}/${repo}/pulls/${issue.number}`,
    html_url: ctx.state.htmlUrl(`pull/${issue.number}`),
    head: { ref: pr.head, label: `${owner}:${pr.head}`, sha: ctx.state.git.branchSha(pr.head) ?? null },
    base: { ref: pr.base, label: `${owner}:${pr.base}`, sha: ctx.state.git.branchSha(pr.base) ?? null },
  };
}

function pulls(ctx: RouteContext): FakeIssue[] {
  return [...ctx.state.issues.values()].filter((i) => i.pullRequest !== undefined);
}

/** `head` filters as `owner:branch`, the way GitHub documents it. */
function listPulls(ctx: RouteContext): FakeReply {
  const state = ctx.query.get('state') ?? 'open';
  const head = ctx.query.get('head');
  const base = ctx.query.get('base');
  const found = pulls(ctx)
    .filter((i) => state === 'all' || i.state === state)
    .filter((i) => head === null || `${ctx.state.owner}:${i.pullRequest!.head}` === head)
    .filter((i) => base === null || i.pullRequest!.base === base)
    .sort((a, b) => b.number - a.number);
  const { page, headers } = paginate(found, ctx.query, ctx.selfUrl);
  return { status: 200, body: page.map((i) => pullJson(ctx, i)), headers };
}

function getPull(ctx: RouteContext, match: RegExpExecArray): FakeReply {
  const issue = ctx.state.issues.get(Number(match[1]));
  return issue?.pullRequest ? { status: 200, body: pullJson(ctx, issue) } : errorReply(404, 'Not Found');
}

function createPull(ctx: RouteContext): FakeReply {
  const { state, body } = ctx;
  if (!state.actionsMayCreatePullRequests && ctx.user.login.endsWith('[bot]')) {
    return errorReply(403, 'GitHub Actions is not permitted to create or approve pull requests.');
  }
  const title = stringField(body, 'title');
  const rawHead = stringField(body, 'head');
  const base = stringField(body, 'base');
  const text = stringField(body, 'body') ?? '';
  if (!title || !rawHead || !base) {
    return errorReply(422, 'Validation Failed', [{ resource: 'PullRequest', code: 'missing_field', field: !title ? 'title' : !rawHead ? 'head' : 'base' }]);
  }
  const head = rawHead.startsWith(`${state.owner}:`) ? rawHead.slice(state.owner.length + 1) : rawHead;
  const headSha = state.git.branchSha(head);
  const baseSha = state.git.branchSha(base);
  if (headSha === undefined) return errorReply(422, 'Validation Failed', [{ resource: 'PullRequest', code: 'invalid', field: 'head' }]);
  if (baseSha === undefined) return errorReply(422, 'Validation Failed', [{ resource: 'PullRequest', code: 'invalid', field: 'base' }]);
  if (text.length > MAX_BODY_CHARACTERS) return errorReply(422, 'Validation Failed', [{ resource: 'PullRequest', code: 'custom', field: 'body' }]);
  if (pulls(ctx).some((i) => i.state === 'open' && i.pullRequest!.head === head && i.pullRequest!.base === base)) {
    return errorReply(422, 'Validation Failed', [
      { resource: 'PullRequest', code: 'custom', message: `A pull request already exists for ${state.owner}:${head}.` },
    ]);
  }
  if (state.git.isAncestor(headSha, baseSha)) {
    return errorReply(422, 'Validation Failed', [{ resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` }]);
  }
  const issue = state.addIssue({ title, body: text, state: 'open', labels: [], login: ctx.user.login, pullRequest: { head, base, merged: false } });
  return { status: 201, body: pullJson(ctx, issue) };
}

function updatePull(ctx: RouteContext, match: RegExpExecArray): FakeReply {
  const issue = ctx.state.issues.get(Number(match[1]));
  if (!issue?.pullRequest) return errorReply(404, 'Not Found');
  const text = stringField(ctx.body, 'body');
  if (text !== undefined && text.length > MAX_BODY_CHARACTERS) {
    return errorReply(422, 'Validation Failed', [{ resource: 'PullRequest', code: 'custom', field: 'body' }]);
  }
  const state = stringField(ctx.body, 'state');
  if (state !== undefined && state !== 'open' && state !== 'closed') {
    return errorReply(422, 'Validation Failed', [{ resource: 'PullRequest', code: 'invalid', field: 'state' }]);
  }
  issue.title = stringField(ctx.body, 'title') ?? issue.title;
  issue.body = text ?? issue.body;
  issue.pullRequest.base = stringField(ctx.body, 'base') ?? issue.pullRequest.base;
  if (state !== undefined) issue.state = state;
  return { status: 200, body: pullJson(ctx, issue) };
}

export const pullRoutes: RouteTable[] = [
  { method: 'GET', pattern: /^pulls$/, handle: listPulls },
  { method: 'POST', pattern: /^pulls$/, handle: createPull },
  { method: 'GET', pattern: /^pulls\/(\d+)$/, handle: getPull },
  { method: 'PATCH', pattern: /^pulls\/(\d+)$/, handle: updatePull },
];
