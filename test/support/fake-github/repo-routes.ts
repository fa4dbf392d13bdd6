import { errorReply, wrappedBase64, type FakeReply } from './http.js';
import { stringField, type RouteContext, type RouteTable } from './route-context.js';
import type { FakeCommit } from './git-store.js';

function repoJson(ctx: RouteContext): FakeReply {
  const { state } = ctx;
  return {
    status: 200,
    body: {
      id: 1,
      name: state.repo,
      full_name: `${state.owner}/${state.repo}`,
      owner: { login: state.owner, type: 'Organization' },
      private: false,
      default_branch: state.defaultBranch,
      html_url: state.htmlUrl('').replace(/\/$/, ''),
    },
  };
}

function commitJson(ctx: RouteContext, commit: FakeCommit): Record<string, unknown> {
  return {
    sha: commit.sha,
    url: `${ctx.apiUrl}/repos/${ctx.state.owner}/${ctx.state.repo}/git/commits/${commit.sha}`,
    html_url: ctx.state.htmlUrl(`commit/${commit.sha}`),
    message: commit.message,
    parents: commit.parents.map((sha) => ({ sha })),
  };
}

function refJson(ctx: RouteContext, branch: string, sha: string): FakeReply {
  return {
    status: 200,
    body: {
      ref: `refs/heads/${branch}`,
      url: `${ctx.apiUrl}/repos/${ctx.state.owner}/${ctx.state.repo}/git/refs/heads/${branch}`,
      object: { sha, type: 'commit' },
    },
  };
}

function getContents(ctx: RouteContext, match: RegExpExecArray): FakeReply {
  const path = match[1]!;
  const ref = ctx.query.get('ref') ?? ctx.state.defaultBranch;
  const commit = ctx.state.git.resolve(ref);
  if (!commit) return errorReply(404, `No commit found for the ref ${ref}`);
  const blobSha = commit.tree.get(path);
  if (blobSha === undefined) {
    const prefix = `${path}/`;
    const children = [...commit.tree.keys()].filter((p) => p.startsWith(prefix));
    if (children.length === 0) return errorReply(404, 'Not Found');
    const names = [...new Set(children.map((p) => p.slice(prefix.length).split('/')[0]!))].sort();
    return { status: 200, body: names.map((name) => ({ type: 'file', name, path: `${prefix}${name}` })) };
  }
  const content = ctx.state.git.blob(blobSha)!;
  const inline = content.length <= ctx.state.contentsInlineLimit;
  return {
    status: 200,
    body: {
      type: 'file',
      encoding: inline ? 'base64' : 'none',
      size: content.length,
      name: path.split('/').pop(),
      path,
      content: inline ? wrappedBase64(content) : '',
      sha: blobSha,
      url: `${ctx.apiUrl}/repos/${ctx.state.owner}/${ctx.state.repo}/contents/${path}?ref=${ref}`,
    },
  };
}

/**
 * Create or update a file with the blob sha as compare-and-swap, answering as GitHub does:
 * an existing file without `sha` is 422, a `sha` that is not the current blob is 409, and a `sha`
 * given for a file that does not exist is ignored.
 */
function putContents(ctx: RouteContext, match: RegExpExecArray): FakeReply {
  const path = match[1]!;
  const { state, body } = ctx;
  const message = stringField(body, 'message');
  const content = stringField(body, 'content');
  if (message === undefined || content === undefined) {
    return errorReply(422, 'Invalid request.\n\n"message" and "content" are required.');
  }
  const branch = stringField(body, 'branch') ?? state.defaultBranch;
  const tipSha = state.git.branchSha(branch);
  if (tipSha === undefined) return errorReply(404, `Branch ${branch} not found`);
  if (state.protectedBranches.has(branch)) {
    return errorReply(409, 'Repository rule violations found\n\nChanges must be made through a pull request.\n\n');
  }
  const current = state.git.commit(tipSha)!.tree.get(path);
  const sha = stringField(body, 'sha');
  if (current !== undefined && sha === undefined) return errorReply(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
  if (current !== undefined && sha !== current) return errorReply(409, `${path} does not match ${sha}`);
  const text = Buffer.from(content, 'base64').toString('utf8');
  const commit = state.git.commitOnBranch(branch, { [path]: text }, message, ctx.user.login);
  const blobSha = commit.tree.get(path)!;
  return {
    status: current === undefined ? 201 : 200,
    body: {
      content: { type: 'file', name: path.split('/').pop(), path, sha: blobSha, size: Buffer.byteLength(text) },
      commit: commitJson(ctx, commit),
    },
  };
}

function getBlob(ctx: RouteContext, match: RegExpExecArray): FakeReply {
  const content = ctx.state.git.blob(match[1]!);
  if (!content) return errorReply(404, 'Not Found');
  return { status: 200, body: { sha: match[1], size: content.length, encoding: 'base64', content: wrappedBase64(content) } };
}

function getRef(ctx: RouteContext, match: RegExpExecArray): FakeReply {
  const branch = match[1]!;
  const sha = ctx.state.git.branchSha(branch);
  return sha === undefined ? errorReply(404, 'Not Found') : refJson(ctx, branch, sha);
}

function createRef(ctx: RouteContext): FakeReply {
  const ref = stringField(ctx.body, 'ref');
  const sha = stringField(ctx.body, 'sha');
  if (!ref?.startsWith('refs/heads/') || sha === undefined) {
    return errorReply(422, 'Invalid request.\n\n"ref" must be "refs/heads/<branch>" and "sha" is required.');
  }
  const branch = ref.slice('refs/heads/'.length);
  if (ctx.state.git.branchSha(branch) !== undefined) return errorReply(422, 'Reference already exists');
  if (!ctx.state.git.commit(sha)) return errorReply(422, 'Object does not exist');
  ctx.state.git.setBranch(branch, sha);
  return { ...refJson(ctx, branch, sha), status: 201 };
}

function updateRef(ctx: RouteContext, match: RegExpExecArray): FakeReply {
  const branch = match[1]!;
  const sha = stringField(ctx.body, 'sha');
  const current = ctx.state.git.branchSha(branch);
  if (current === undefined) return errorReply(422, 'Reference does not exist');
  if (sha === undefined || !ctx.state.git.commit(sha)) return errorReply(422, 'Object does not exist');
  if (ctx.state.protectedBranches.has(branch)) return errorReply(422, `Protected branch update failed for refs/heads/${branch}.`);
  if (ctx.body.force !== true && !ctx.state.git.isAncestor(current, sha)) return errorReply(422, 'Update is not a fast forward');
  ctx.state.git.setBranch(branch, sha);
  return refJson(ctx, branch, sha);
}

function deleteRef(ctx: RouteContext, match: RegExpExecArray): FakeReply {
  if (ctx.state.protectedBranches.has(match[1]!)) return errorReply(422, `Protected branch update failed for refs/heads/${match[1]}.`);
  return ctx.state.git.deleteBranch(match[1]!) ? { status: 204 } : errorReply(422, 'Reference does not exist');
}

export const repoRoutes: RouteTable[] = [
  { method: 'GET', pattern: /^$/, handle: repoJson },
  { method: 'GET', pattern: /^contents\/(.+)$/, handle: getContents },
  { method: 'PUT', pattern: /^contents\/(.+)$/, handle: putContents },
  { method: 'GET', pattern: /^git\/blobs\/([0-9a-f]{40})$/, handle: getBlob },
  { method: 'GET', pattern: /^git\/ref\/heads\/(.+)$/, handle: getRef },
  { method: 'POST', pattern: /^git\/refs$/, handle: createRef },
  { method: 'PATCH', pattern: /^git\/refs\/heads\/(.+)$/, handle: updateRef },
  { method: 'DELETE', pattern: /^git\/refs\/heads\/(.+)$/, handle: deleteRef },
];
