import { errorReply, paginate, type FakeReply } from './http.js';
import { stringField, userJson, type RouteContext, type RouteTable } from './route-context.js';
import { MAX_BODY_CHARACTERS, type FakeComment, type FakeIssue } from './state.js';

export function issueJson(ctx: RouteContext, issue: FakeIssue): Record<string, unknown> {
  const kind = issue.pullRequest ? 'pull' : 'issues';
  const apiBase = `${ctx.apiUrl}/repos/${ctx.state.owner}/${ctx.state.repo}`;
  return {
    id: 500_000 + issue.number,
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    state_reason: issue.stateReason,
    labels: issue.labels.map((name) => ({ name })),
    user: userJson(issue.login),
    comments: ctx.state.comments.filter((c) => c.issueNumber === issue.number).length,
    created_at: issue.createdAt,
    url: `${apiBase}/issues/${issue.number}`,
    html_url: ctx.state.htmlUrl(`${kind}/${issue.number}`),
    ...(issue.pullRequest
      ? { pull_request: { url: `${apiBase}/pulls/${issue.number}`, html_url: ctx.state.htmlUrl(`pull/${issue.number}`) } }
      : {}),
  };
}

function commentJson(ctx: RouteContext, comment: FakeComment): Record<string, unknown> {
  const issue = ctx.state.issues.get(comment.issueNumber);
  const kind = issue?.pullRequest ? 'pull' : 'issues';
  return {
    id: comment.id,
    body: comment.body,
    user: userJson(comment.login),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    url: `${ctx.apiUrl}/repos/${ctx.state.owner}/${ctx.state.repo}/issues/comments/${comment.id}`,
    html_url: ctx.state.htmlUrl(`${kind}/${comment.issueNumber}#issuecomment-${comment.id}`),
    issue_url: `${ctx.apiUrl}/repos/${ctx.state.owner}/${ctx.state.repo}/issues/${comment.issueNumber}`,
  };
}

function bodyTooLong(body: string | undefined): FakeReply | undefined {
  if (body === undefined || body.length <= MAX_BODY_CHARACTERS) return undefined;
  return errorReply(422, 'Validation Failed', [
    { resource: 'IssueComment', code: 'unprocessable', field: 'data', message: `Body is too long (maximum is ${MAX_BODY_CHARACTERS} characters)` },
  ]);
}

function labelsOf(body: Record<string, unknown>): string[] | undefined {
  const labels = body.labels;
  if (!Array.isArray(labels)) return undefined;
  return labels.map((l) => (typeof l === 'string' ? l : String((l as { name?: unknown }).name)));
}

function listIssues(ctx: RouteContext): FakeReply {
  const state = ctx.query.get('state') ?? 'open';
  const labels = (ctx.query.get('labels') ?? '').split(',').map((l) => l.trim()).filter(Boolean);
  const creator = ctx.query.get('creator');
  const ascending = ctx.query.get('direction') === 'asc';
  const issues = [...ctx.state.issues.values()]
    .filter((i) => state === 'all' || i.state === state)
    .filter((i) => labels.every((l) => i.labels.includes(l)))
    .filter((i) => creator === null || i.login === creator)
    .sort((a, b) => (ascending ? a.number - b.number : b.number - a.number));
  const { page, headers } = paginate(issues, ctx.query, ctx.selfUrl);
  return { status: 200, body: page.map((i) => issueJson(ctx, i)), headers };
}

function getIssue(ctx: RouteContext, match: RegExpExecArray): FakeReply {
  const issue = ctx.state.issues.get(Number(match[1]));
  return issue ? { status: 200, body: issueJson(ctx, issue) } : errorReply(404, 'Not Found');
}

function createIssue(ctx: RouteContext): FakeReply {
  const title = stringField(ctx.body, 'title');
  if (!title) return errorReply(422, 'Validation Failed', [{ resource: 'Issue', code: 'missing_field', field: 'title' }]);
  const body = stringField(ctx.body, 'body') ?? '';
  const tooLong = bodyTooLong(body);
  if (tooLong) return tooLong;
  const issue = ctx.state.addIssue({ title, body, state: 'open', labels: labelsOf(ctx.body) ?? [], login: ctx.user.login });
  return { status: 201, body: issueJson(ctx, issue) };
}

function updateIssue(ctx: RouteContext, match: RegExpExecArray): FakeReply {
  const issue = ctx.state.issues.get(Number(match[1]));
  if (!issue) return errorReply(404, 'Not Found');
  const body = stringField(ctx.body, 'body');
  const tooLong = bodyTooLong(body);
  if (tooLong) return tooLong;
  const state = stringField(ctx.body, 'state');
  if (state !== undefined && state !== 'open' && state !== 'closed') {
    return errorReply(422, 'Validation Failed', [{ resource: 'Issue', code: 'invalid', field: 'state' }]);
  }
  issue.title = stringField(ctx.body, 'title') ?? issue.title;
  issue.body = body ?? issue.body;
  issue.labels = labelsOf(ctx.body) ?? issue.labels;
  if (state !== undefined) {
    issue.state = state;
    issue.stateReason = state === 'closed' ? (stringField(ctx.body, 'state_reason') ?? 'completed') : 'reopened';
  }
  return { status: 200, body: issueJson(ctx, issue) };
}

function listComments(ctx: RouteContext, match: RegExpExecArray): FakeReply {
  const number = Number(match[1]);
  if (!ctx.state.issues.has(number)) return errorReply(404, 'Not Found');
  const comments = ctx.state.comments.filter((c) => c.issueNumber === number);
  const { page, headers } = paginate(comments, ctx.query, ctx.selfUrl);
  return { status: 200, body: page.map((c) => commentJson(ctx, c)), headers };
}

function createComment(ctx: RouteContext, match: RegExpExecArray): FakeReply {
  const number = Number(match[1]);
  if (!ctx.state.issues.has(number)) return errorReply(404, 'Not Found');
  const body = stringField(ctx.body, 'body');
  if (!body) return errorReply(422, 'Validation Failed', [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }]);
  const tooLong = bodyTooLong(body);
  if (tooLong) return tooLong;
  const comment = ctx.state.addComment(number, body, ctx.user.login);
  return { status: 201, body: commentJson(ctx, comment) };
}

function findComment(ctx: RouteContext, match: RegExpExecArray): FakeComment | undefined {
  return ctx.state.comments.find((c) => c.id === Number(match[1]));
}

function getComment(ctx: RouteContext, match: RegExpExecArray): FakeReply {
  const comment = findComment(ctx, match);
  return comment ? { status: 200, body: commentJson(ctx, comment) } : errorReply(404, 'Not Found');
}

function updateComment(ctx: RouteContext, match: RegExpExecArray): FakeReply {
  const comment = findComment(ctx, match);
  if (!comment) return errorReply(404, 'Not Found');
  const body = stringField(ctx.body, 'body');
  if (!body) return errorReply(422, 'Validation Failed', [{ resource: 'IssueComment', code: 'missing_field', field: 'body' }]);
  const tooLong = bodyTooLong(body);
  if (tooLong) return tooLong;
  comment.body = body;
  comment.updatedAt = ctx.state.now();
  return { status: 200, body: commentJson(ctx, comment) };
}

function deleteComment(ctx: RouteContext, match: RegExpExecArray): FakeReply {
  const index = ctx.state.comments.findIndex((c) => c.id === Number(match[1]));
  if (index < 0) return errorReply(404, 'Not Found');
  ctx.state.comments.splice(index, 1);
  return { status: 204 };
}

export const issueRoutes: RouteTable[] = [
  { method: 'GET', pattern: /^issues$/, handle: listIssues },
  { method: 'POST', pattern: /^issues$/, handle: createIssue },
  { method: 'GET', pattern: /^issues\/(\d+)$/, handle: getIssue },
  { method: 'PATCH', pattern: /^issues\/(\d+)$/, handle: updateIssue },
  { method: 'GET', pattern: /^issues\/(\d+)\/comments$/, handle: listComments },
  { method: 'POST', pattern: /^issues\/(\d+)\/comments$/, handle: createComment },
  { method: 'GET', pattern: /^issues\/comments\/(\d+)$/, handle: getComment },
  { method: 'PATCH', pattern: /^issues\/comments\/(\d+)$/, handle: updateComment },
  { method: 'DELETE', pattern: /^issues\/comments\/(\d+)$/, handle: deleteComment },
];
